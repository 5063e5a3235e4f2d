import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();

/** A Trivy image report of one digest with one vulnerability (`CVE-2026-<n>`). */
function trivyScan(n: number, digest = 'c'.repeat(64)) {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/payments-api:1',
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/payments-api@sha256:${digest}`] },
    Results: [
      {
        Target: 'payments-api (alpine 3.19)',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: [
          { VulnerabilityID: `CVE-2026-${1000 + n}`, PkgName: `pkg${n}`, InstalledVersion: '1.0.0', Severity: 'HIGH' },
        ],
      },
    ],
  });
}

const upload = (server: any, body: string, query: string) =>
  request(server)
    .post(`/api/devsecops/v1/reports?${query}`)
    .set('Authorization', ciHeader())
    .set('Content-Type', 'application/json')
    .send(body);

const findingsOf = async (server: any, entity: string) => {
  const res = await request(server)
    .get(`/api/devsecops/v1/findings?entity=${entity}&orderBy=ruleId&limit=100`)
    .set('Authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body.items as Array<{ ruleId: string; status: string; firstSeenAt: string; resolvedAt?: string }>;
};

/** Every finding's resolution comes after it was first seen. */
const expectTimeMovesForward = async (knex: any) => {
  const rows = await knex('devsecops_findings').select('first_seen_at', 'resolved_at').whereNotNull('resolved_at');
  for (const row of rows) {
    expect(new Date(row.resolved_at).getTime()).toBeGreaterThanOrEqual(new Date(row.first_seen_at).getTime());
  }
};

describe.each(databases.eachSupportedId())('report streams on %p', databaseId => {
  it('answers a repeat only of the newest report of a stream: A, B, then A again is a new scan', async () => {
    const knex = await databases.init(databaseId);
    const backend = await startDevsecopsBackend(databases, databaseId, { knex });
    try {
      const [a, b] = [trivyScan(1), trivyScan(2)];
      const first = await upload(backend.server, a, 'entity=payments-api');
      expect(first.status).toBe(201);
      const repeat = await upload(backend.server, a, 'entity=payments-api');
      expect(repeat.status).toBe(200);
      expect(repeat.body).toMatchObject({ duplicate: true, report: { id: first.body.report.id } });

      const second = await upload(backend.server, b, 'entity=payments-api');
      expect(second.status).toBe(201);
      const again = await upload(backend.server, a, 'entity=payments-api');
      expect(again.status).toBe(201);
      expect(again.body.duplicate).toBe(false);
      expect(again.body.report.id).not.toBe(first.body.report.id);
      expect(again.body.findings).toEqual({ new: 0, updated: 1, resolved: 1 });

      // A's findings are the truth again; the first report keeps its place in the history.
      expect((await findingsOf(backend.server, 'payments-api')).map(f => [f.ruleId, f.status])).toEqual([
        ['CVE-2026-1001', 'open'],
        ['CVE-2026-1002', 'resolved'],
      ]);
      const reports = await request(backend.server)
        .get('/api/devsecops/v1/reports?entity=payments-api')
        .set('Authorization', mockCredentials.user.header());
      expect(reports.body.totalCount).toBe(3);

      // Now A is the newest again: sending it once more is a repeat of that newest report.
      const third = await upload(backend.server, a, 'entity=payments-api');
      expect(third.status).toBe(200);
      expect(third.body.report.id).toBe(again.body.report.id);

      // A retry of an older scan that names when it ran is out of order, not a repeat.
      const t0 = new Date(Date.now() - 3_600_000).toISOString();
      const t1 = new Date(Date.now() - 1_800_000).toISOString();
      expect((await upload(backend.server, a, `entity=checkout-web&scannedAt=${t0}`)).status).toBe(201);
      expect((await upload(backend.server, b, `entity=checkout-web&scannedAt=${t1}`)).status).toBe(201);
      const late = await upload(backend.server, a, `entity=checkout-web&scannedAt=${t0}`);
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(/older than the newest scan/);
      await expectTimeMovesForward(knex);
    } finally {
      await backend.stop();
    }
  });

  it('commits concurrent scans of one stream in scan order: the newest wins, older ones get 409', async () => {
    const knex = await databases.init(databaseId);
    // On PostgreSQL two instances with their own pools, as two pods; SQLite runs one instance.
    const twoInstances = databaseId.startsWith('POSTGRES');
    const secondKnex = twoInstances ? knexFactory(knex.client.config) : knex;
    const a = await startDevsecopsBackend(databases, databaseId, { knex });
    const b = twoInstances ? await startDevsecopsBackend(databases, databaseId, { knex: secondKnex }) : a;
    try {
      const base = Date.now() - 3_600_000;
      const scannedAt = (i: number) => new Date(base + i * 60_000).toISOString();
      // Sent at once, in a shuffled order (the newest neither first nor last); answers by scan.
      const order = Array.from({ length: 16 }, (_, k) => (k * 7) % 16);
      const sent = await Promise.all(
        order.map((i, k) =>
          upload(k % 2 ? a.server : b.server, trivyScan(i), `entity=payments-api&scannedAt=${scannedAt(i)}`),
        ),
      );
      const responses = order.map((_, i) => sent[order.indexOf(i)]);
      const statuses = responses.map(r => r.status);
      expect(statuses.every(s => s === 201 || s === 409)).toBe(true);
      expect(statuses[15]).toBe(201);
      for (const r of responses.filter(x => x.status === 409)) {
        expect(r.body.error.message).toMatch(/older than the newest scan/);
      }

      // The stored truth is the newest scan's findings, and control evidence names its report.
      const findings = await findingsOf(a.server, 'payments-api');
      expect(findings.filter(f => f.status === 'open').map(f => f.ruleId)).toEqual(['CVE-2026-1015']);
      const [evidence] = await knex('devsecops_control_evidence').where({
        entity_ref: 'component:default/payments-api',
        control: 'container-scan',
      });
      expect(evidence.report_id).toBe(responses[15].body.report.id);
      await expectTimeMovesForward(knex);

      // Every accepted scan was stored, in the order the scans ran.
      const stored = await knex('devsecops_reports')
        .where({ entity_ref: 'component:default/payments-api' })
        .orderBy([{ column: 'received_at' }, { column: 'scanned_at' }])
        .select('scanned_at');
      expect(stored).toHaveLength(statuses.filter(s => s === 201).length);
      const times = stored.map((r: any) => new Date(r.scanned_at).getTime());
      expect(times).toEqual([...times].sort((x, y) => x - y));
    } finally {
      if (b !== a) await b.stop();
      await a.stop();
      if (secondKnex !== knex) await secondKnex.destroy();
    }
  });
});
