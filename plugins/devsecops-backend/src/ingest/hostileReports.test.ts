import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** `{"a":{"a":…1…}}`, `levels` objects deep. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** Reports that are valid JSON but hostile, through `POST /v1/reports` (issue 13, items 13, 14, 11, 1). */
describe.each(databases.eachSupportedId())('hostile reports on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeAll(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterAll(() => backend.stop());

  const upload = (body: string, query = 'entity=payments-api') =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .serialize((data: unknown) => data as string)
      .send(body);

  it('refuses 10,000 nested objects in SARIF properties with a 400 naming the nesting limit', async () => {
    const body = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"ruleId":"r","message":{"text":"m"},"properties":${nested(
      10_000,
    )}}]}]}`;
    const response = await upload(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/more than 512 levels deep/);
    const [{ count }] = await backend.knex('devsecops_reports').count({ count: '*' });
    expect(Number(count)).toBe(0);
  });

  it('maps Trivy/Grype severities and SARIF levels named like Object.prototype members as unknown labels', async () => {
    const trivy = (severity: string) =>
      `{"SchemaVersion":2,"ArtifactName":"x","Results":[{"Target":"package-lock.json","Class":"lang-pkgs","Type":"npm","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-0001","PkgName":"a","Severity":${JSON.stringify(severity)}},{"VulnerabilityID":"CVE-2024-0002","PkgName":"b","Severity":"HIGH"}]}]}`;
    const grype = (severity: string) =>
      `{"matches":[{"vulnerability":{"id":"CVE-2024-0003","severity":${JSON.stringify(severity)}},"artifact":{"name":"c","version":"1"}}],"source":{"type":"directory","target":"."},"descriptor":{"name":"grype"}}`;
    const sarif = (level: string) =>
      `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"ruleId":"js/sql-injection","level":${JSON.stringify(level)},"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.js"}}}]}]}]}`;
    for (const [entity, label] of [
      ['payments-api', 'constructor'],
      ['checkout-web', '__proto__'],
    ]) {
      for (const body of [trivy(label), grype(label), sarif(label)]) {
        const response = await upload(body, `entity=${entity}`);
        expect([label, response.status, response.body.error?.message]).toEqual([label, 201, undefined]);
      }
      const findings = await request(backend.server)
        .get(`/api/devsecops/v1/findings?entity=${entity}&orderBy=ruleId`)
        .set('Authorization', mockCredentials.user.header());
      expect(findings.status).toBe(200);
      expect(
        findings.body.items.map((f: any) => [f.ruleId, f.severity, f.originalSeverity]),
      ).toEqual([
        ['CVE-2024-0001', 'info', label],
        ['CVE-2024-0002', 'high', 'HIGH'],
        ['CVE-2024-0003', 'info', label],
        ['js/sql-injection', 'medium', label],
      ]);
    }
  });

  it('never echoes body bytes in a parse error: it names the line, column and what was expected', async () => {
    const secret = 'ghp_RELSNIq8wXk2VtY7zPq3Lm9Jd4Hs6Fa1Bc0D';
    for (const [body, where] of [
      [`{"token": ${secret}}`, 'at line 1, column 11'],
      [`[${secret}]`, 'at line 1, column 2'],
      [`{"Secret": "${secret}`, 'but the body ends at line 1, column 53'],
    ]) {
      const response = await upload(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/^The report is not valid JSON: expected /);
      expect(response.body.error.message).toContain(where);
      expect(JSON.stringify(response.body)).not.toContain('ghp_');
    }
  });

  it('never echoes a JSON request body in its parse error (facts, deployments, exceptions)', async () => {
    const secret = 'ghp_RELSNIq8wXk2VtY7zPq3Lm9Jd4Hs6Fa1Bc0D';
    for (const [path, body, expected] of [
      ['/v1/facts', `${secret}`, /^The request body is not valid JSON: expected .* at line 1, column 1/],
      ['/v1/deployments', `{"deployer": ${secret}}`, /^The request body is not valid JSON: expected .* at line 1, column 14/],
      ['/v1/facts', `"${secret}"`, /^The request body must be a JSON object, not string$/],
    ] as const) {
      const response = await request(backend.server)
        .post(`/api/devsecops${path}`)
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .serialize((data: unknown) => data as string)
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(expected);
      expect(JSON.stringify(response.body)).not.toContain('RELSNI');
    }
  });

  it('refuses a report whose named format does not match it, before touching open findings', async () => {
    const trivy = `{"SchemaVersion":2,"ArtifactName":"x","Results":[{"Target":"package-lock.json","Class":"lang-pkgs","Type":"npm","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-0101","PkgName":"a","Severity":"HIGH"}]}]}`;
    expect((await upload(trivy, 'entity=shared-lib')).status).toBe(201);
    const grype = readFixture('grype/grype-golden-dir.json').toString('utf8');
    for (const [format, looksLike] of [
      ['trivy', "it looks like a Grype JSON report; format 'grype'"],
      ['osv-scanner', "it looks like a Grype JSON report; format 'grype'"],
    ]) {
      const response = await upload(grype, `entity=shared-lib&format=${format}`);
      expect(response.status).toBe(415);
      expect(response.body.error.message).toContain(looksLike);
    }
    const anyObject = await upload('{"hello":"world"}', 'entity=shared-lib&format=trivy');
    expect(anyObject.status).toBe(415);
    expect(anyObject.body.error.message).toBe(
      'The body is not a Trivy JSON report (it matches no known format: an object with keys hello)',
    );
    const findings = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=shared-lib')
      .set('Authorization', mockCredentials.user.header());
    expect(findings.body.items.map((f: any) => [f.ruleId, f.status])).toEqual([['CVE-2024-0101', 'open']]);
  });
});
