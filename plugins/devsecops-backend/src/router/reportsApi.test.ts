import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** A minimal Trivy image report with the given vulnerabilities (id → package). */
function trivyImage(vulns: Array<[string, string, string]>, digest = 'a'.repeat(64)) {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/payments-api:1.2.3',
    ArtifactType: 'container_image',
    Metadata: {
      RepoDigests: [`registry.example.com/payments-api@sha256:${digest}`],
    },
    Results: [
      {
        Target: 'payments-api (alpine 3.19)',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: vulns.map(([id, pkg, severity]) => ({
          VulnerabilityID: id,
          PkgName: pkg,
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: severity,
          Title: `${id} in ${pkg}`,
        })),
      },
    ],
  });
}

const tableCounts = async (knex: any) => {
  const out: Record<string, number> = {};
  for (const table of [
    'devsecops_reports',
    'devsecops_findings',
    'devsecops_sbom_components',
    'devsecops_artifacts',
  ]) {
    const [{ count }] = await knex(table).count({ count: '*' });
    out[table] = Number(count);
  }
  return out;
};

describe.each(databases.eachSupportedId())('reports API on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend.stop());

  const upload = (body: string | Buffer, query: string, type = 'application/json') =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', type)
      // Send bytes as they are (superagent would JSON-encode a Buffer for a JSON content type).
      .serialize((data: unknown) => data as string)
      .send(body);

  it('stores a report with its findings, owner and artifact, and lists them', async () => {
    const response = await upload(
      trivyImage([
        ['CVE-2024-0001', 'openssl', 'CRITICAL'],
        ['CVE-2024-0002', 'zlib', 'MEDIUM'],
      ]),
      'entity=component:default/payments-api&commit=0123456789abcdef0123456789abcdef01234567&branch=main',
    );
    expect(response.status).toBe(201);
    expect(response.body.duplicate).toBe(false);
    expect(response.body.findings).toEqual({ new: 2, updated: 0, resolved: 0 });
    const report = response.body.report;
    expect(report).toMatchObject({
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      format: 'trivy',
      tool: 'Trivy',
      control: 'container-scan',
      artifactDigest: `sha256:${'a'.repeat(64)}`,
      uploader: 'external:test-service',
      summary: { total: 2, bySeverity: { critical: 1, medium: 1 } },
      bodyStored: true,
    });
    expect(report.bodySha256).toMatch(/^[0-9a-f]{64}$/);

    const findings = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&orderBy=severity')
      .set('Authorization', mockCredentials.user.header());
    expect(findings.status).toBe(200);
    expect(findings.body.totalCount).toBe(2);
    expect(findings.body.items.map((f: any) => [f.ruleId, f.severity, f.status])).toEqual([
      ['CVE-2024-0001', 'critical', 'open'],
      ['CVE-2024-0002', 'medium', 'open'],
    ]);

    const byOwner = await request(backend.server)
      .get('/api/devsecops/v1/findings?owner=team-payments&severity=critical')
      .set('Authorization', mockCredentials.user.header());
    expect(byOwner.body.items.map((f: any) => f.ruleId)).toEqual(['CVE-2024-0001']);

    const artifact = await request(backend.server)
      .get(`/api/devsecops/v1/artifacts/sha256:${'a'.repeat(64)}?entity=payments-api`)
      .set('Authorization', mockCredentials.user.header());
    expect(artifact.status).toBe(200);
    expect(artifact.body).toMatchObject({
      digest: `sha256:${'a'.repeat(64)}`,
      name: 'registry.example.com/payments-api:1.2.3',
      sourceCommit: '0123456789abcdef0123456789abcdef01234567',
      scans: [{ id: report.id }],
    });
  });

  it('treats the same body uploaded twice as one report', async () => {
    const body = trivyImage([['CVE-2024-0001', 'openssl', 'HIGH']]);
    const first = await upload(body, 'entity=payments-api');
    const second = await upload(body, 'entity=payments-api');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.duplicate).toBe(true);
    expect(second.body.report.id).toBe(first.body.report.id);
    expect(await tableCounts(backend.knex)).toMatchObject({
      devsecops_reports: 1,
      devsecops_findings: 1,
    });
  });

  it('makes a re-import the new truth: missing findings resolve, present ones keep first seen', async () => {
    const first = await upload(
      trivyImage([
        ['CVE-2024-0001', 'openssl', 'CRITICAL'],
        ['CVE-2024-0002', 'zlib', 'MEDIUM'],
      ]),
      'entity=payments-api',
    );
    const before = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&orderBy=ruleId')
      .set('Authorization', mockCredentials.user.header());

    const second = await upload(
      trivyImage([
        ['CVE-2024-0002', 'zlib', 'HIGH'],
        ['CVE-2024-0003', 'curl', 'LOW'],
      ]),
      'entity=payments-api',
    );
    expect(second.status).toBe(201);
    expect(second.body.findings).toEqual({ new: 1, updated: 1, resolved: 1 });

    const after = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&orderBy=ruleId')
      .set('Authorization', mockCredentials.user.header());
    const byRule = Object.fromEntries(after.body.items.map((f: any) => [f.ruleId, f]));
    expect(byRule['CVE-2024-0001']).toMatchObject({ status: 'resolved' });
    expect(byRule['CVE-2024-0001'].resolvedAt).toBe(second.body.report.receivedAt);
    expect(byRule['CVE-2024-0002']).toMatchObject({
      status: 'open',
      severity: 'high',
      firstSeenAt: before.body.items[1].firstSeenAt,
      firstReportId: first.body.report.id,
      lastReportId: second.body.report.id,
    });
    expect(byRule['CVE-2024-0003']).toMatchObject({ status: 'open' });

    // A fixed finding that comes back is open again.
    await upload(
      trivyImage([['CVE-2024-0001', 'openssl', 'CRITICAL']]),
      'entity=payments-api',
    );
    const reopened = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&status=open')
      .set('Authorization', mockCredentials.user.header());
    expect(reopened.body.items.map((f: any) => f.ruleId)).toEqual(['CVE-2024-0001']);
  });

  it('keeps findings of different artifacts apart for artifact scans', async () => {
    await upload(trivyImage([['CVE-1', 'a', 'HIGH']], 'b'.repeat(64)), 'entity=payments-api');
    await upload(trivyImage([['CVE-2', 'b', 'HIGH']], 'c'.repeat(64)), 'entity=payments-api');
    const open = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&status=open')
      .set('Authorization', mockCredentials.user.header());
    expect(open.body.totalCount).toBe(2);
  });

  it('resolves the entity from a repository, and names what it looked up when it cannot', async () => {
    const ok = await upload(
      trivyImage([['CVE-1', 'a', 'HIGH']]),
      'repository=https://github.com/acme/payments-api.git',
    );
    expect(ok.status).toBe(201);
    expect(ok.body.report.entityRef).toBe('component:default/payments-api');

    const unknown = await upload(trivyImage([]), 'repository=acme/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No catalog entity has the annotation github.com/project-slug: acme/nope',
    );

    const ambiguous = await upload(trivyImage([]), 'repository=acme/monorepo');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.message).toContain(
      'component:default/shared-lib, component:default/shared-lib-docs',
    );

    const unknownEntity = await upload(trivyImage([]), 'entity=component:default/ghost');
    expect(unknownEntity.status).toBe(404);
    expect(unknownEntity.body.error.message).toBe('No catalog entity component:default/ghost');
  });

  it('accepts gzip bodies, both as Content-Encoding and as a gzip file', async () => {
    const body = gzipSync(trivyImage([['CVE-1', 'a', 'HIGH']]));
    const encoded = await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((data: unknown) => data as string)
      .send(body);
    expect(encoded.status).toBe(201);
    const file = await upload(body, 'entity=checkout-web', 'application/gzip');
    expect(file.status).toBe(201);
    expect(file.body.report.bodySha256).toBe(encoded.body.report.bodySha256);
  });

  it('accepts JSON lines (TruffleHog) and serves back the kept body', async () => {
    const response = await upload(
      readFixture('trufflehog/v3-git.jsonl'),
      'entity=payments-api',
      'application/x-ndjson',
    );
    expect(response.status).toBe(201);
    expect(response.body.report).toMatchObject({
      format: 'trufflehog',
      control: 'secret-scanning',
      bodyRedacted: true,
    });
    const body = await request(backend.server)
      .get(`/api/devsecops/v1/reports/${response.body.report.id}/body`)
      .set('Authorization', mockCredentials.user.header())
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks).toString('utf8')));
      });
    expect(body.status).toBe(200);
    expect(body.headers['x-devsecops-redacted']).toBe('true');
    expect(body.headers['access-control-expose-headers']).toBe('Content-Disposition, X-Devsecops-Redacted');
    expect(body.body).toContain('[REDACTED by devsecops]');
  });

  describe('refuses', () => {
    const cases: Array<[string, () => Promise<request.Response>, number, RegExp]> = [
      ['no token', () => request(backend.server).post('/api/devsecops/v1/reports?entity=payments-api').send('{}'), 401, /.+/],
      ['a user token (uploads are for pipelines)', () =>
        request(backend.server)
          .post('/api/devsecops/v1/reports?entity=payments-api')
          .set('Authorization', mockCredentials.user.header())
          .set('Content-Type', 'application/json')
          .send(trivyImage([])), 403, /.+/],
      ['unknown JSON', () => upload('{"hello":"world"}', 'entity=payments-api'), 415,
        /Detected JSON \(an object with keys hello\) of no known format\. Supported formats: sarif, cyclonedx/],
      ['SPDX tag-value', () => upload(readFixture('spdx/edge-tag-value-format.spdx'), 'entity=payments-api', 'text/plain'), 415,
        /Detected SPDX tag-value/],
      ['SPDX 3 JSON-LD', () => upload(readFixture('spdx/edge-spdx-3.0-jsonld.json'), 'entity=payments-api'), 415,
        /Detected SPDX 3 JSON-LD/],
      ['broken JSON', () => upload('{"SchemaVersion": 2, "Results": [', 'entity=payments-api'), 400,
        /The report is not valid JSON/],
      ['a malformed document of a known format', () =>
        upload(readFixture('sarif/edge-invalid-results-is-number.sarif'), 'entity=payments-api'), 400,
        /\$\.runs\[0\]\.results/],
      ['an unknown format name', () => upload(trivyImage([]), 'entity=payments-api&format=nessus'), 415,
        /Unknown report format 'nessus'/],
      ['an unknown control', () => upload(trivyImage([]), 'entity=payments-api&control=magic'), 400,
        /Unknown control 'magic'/],
      ['a malformed digest', () => upload(trivyImage([]), 'entity=payments-api&artifact=latest'), 400,
        /Malformed artifact digest 'latest'/],
      ['a malformed commit', () => upload(trivyImage([]), 'entity=payments-api&commit=main'), 400,
        /Malformed commit 'main'/],
      ['a malformed entity ref', () => upload(trivyImage([]), 'entity=component:'), 400,
        /Malformed entity ref/],
      ['both entity and repository', () => upload(trivyImage([]), 'entity=payments-api&repository=acme/payments-api'), 400,
        /either by entity ref or by repository/],
      ['no entity', () => upload(trivyImage([]), 'branch=main'), 400, /Missing entity/],
      ['an unknown query parameter', () => upload(trivyImage([]), 'entity=payments-api&colour=red'), 400, /colour/],
      ['an unsupported content type', () => upload(trivyImage([]), 'entity=payments-api', 'image/png'), 415,
        /Unsupported media type image\/png: send the report as the raw request body with Content-Type application\/json, /],
      ['a multipart form upload', () => upload(trivyImage([]), 'entity=payments-api', 'multipart/form-data; boundary=x'), 415,
        /Unsupported media type multipart\/form-data/],
      ['an HTML form', () => upload('a=1', 'entity=payments-api', 'text/html; charset=utf-8'), 415,
        /Unsupported media type text\/html/],
      ['an empty body without a format', () => upload('', 'entity=payments-api', 'application/octet-stream'), 415,
        /The report is empty, so its format cannot be detected/],
    ];

    it.each(cases)('%s', async (_name, send, status, message) => {
      const before = await tableCounts(backend.knex);
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body.error?.message ?? response.text).toMatch(message);
      expect(await tableCounts(backend.knex)).toEqual(before);
    });
  });
});

describe('report size limits', () => {
  it.each(databases.eachSupportedId())('answers 413 beyond the configured size, also for gzip bombs, on %p', async databaseId => {
    const backend = await startDevsecopsBackend(databases, databaseId, {
      config: { devsecops: { ingest: { maxReportBytes: 4096 } } },
    });
    try {
      const big = trivyImage(
        Array.from({ length: 100 }, (_, i) => [`CVE-2024-${i}`, `pkg${i}`, 'HIGH'] as [string, string, string]),
      );
      const plain = await request(backend.server)
        .post('/api/devsecops/v1/reports?entity=payments-api')
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send(big);
      expect(plain.status).toBe(413);
      expect(plain.body.error.message).toBe(
        'Report is larger than 4096 bytes (devsecops.ingest.maxReportBytes)',
      );

      const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20));
      for (const headers of [
        { 'Content-Type': 'application/gzip' },
        { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      ]) {
        const response = await request(backend.server)
          .post('/api/devsecops/v1/reports?entity=payments-api')
          .set('Authorization', ciHeader())
          .set(headers)
          .send(bomb);
        expect([response.status, response.body.error?.message]).toEqual([413, expect.stringMatching(/bytes/)]);
      }
      const [{ count }] = await backend.knex('devsecops_reports').count({ count: '*' });
      expect(Number(count)).toBe(0);
    } finally {
      await backend.stop();
    }
  });
});
