import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const DIGEST = `sha256:${'d'.repeat(64)}`;

describe.each(databases.eachSupportedId())('scanners= on report uploads (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend.stop());

  const upload = (body: Buffer | string, query: string) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=payments-api&${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .serialize((data: unknown) => data as string)
      .send(body);
  const secretFindings = async () => {
    const res = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&control=secret-scanning')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body.items.map((f: any) => f.status);
  };
  const secretsGate = async () => {
    const res = await request(backend.server)
      .post('/api/devsecops/v1/gate/decisions')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production', claimedOwner: 'team-payments' });
    expect(res.status).toBe(200);
    return res.body.requirements.find((r: any) => r.requirement === 'secrets_scan');
  };

  // Real Trivy reports: a repository scan that found two secrets, and a clean image scan (Trivy
  // writes no secret result when the secret scanner found nothing).
  const withSecrets = readFixture('trivy/secrets-repo.json');
  const clean = readFixture('trivy/dd-schema2-no-vulns.json');

  it('a clean Trivy report resolves the secret findings only when scanners names secret', async () => {
    expect((await upload(withSecrets, '')).status).toBe(201);
    expect(await secretFindings()).toEqual(['open', 'open']);

    // Without scanners, the clean report covers what it shows evidence of: the image's packages.
    const implicit = await upload(clean, `artifact=${DIGEST}`);
    expect(implicit.status).toBe(201);
    expect(implicit.body.report.controls).toEqual(['container-scan']);
    expect(await secretFindings()).toEqual(['open', 'open']);

    // scanners=vuln: the secret scanner did not run, so its findings stay open and the gate denies.
    const vulnOnly = await upload(clean, `artifact=${DIGEST}&scanners=vuln`);
    expect(vulnOnly.status).toBe(201);
    expect(vulnOnly.body.report.controls).toEqual(['container-scan']);
    expect(vulnOnly.body.findings.resolved).toBe(0);
    expect(await secretFindings()).toEqual(['open', 'open']);
    expect(await secretsGate()).toMatchObject({ passed: false });

    // scanners=vuln,secret: the clean secret scan resolves both, and the gate's secrets_scan passes.
    const both = await upload(clean, `artifact=${DIGEST}&scanners=vuln,secret`);
    expect(both.status).toBe(201);
    expect(both.body.report.controls).toEqual(['container-scan', 'secret-scanning']);
    expect(both.body.findings).toEqual({ new: 0, updated: 0, resolved: 2 });
    expect(await secretFindings()).toEqual(['resolved', 'resolved']);
    expect(await secretsGate()).toMatchObject({ passed: true });

    // The same upload again is a repeat of the newest report of its streams.
    const repeat = await upload(clean, `artifact=${DIGEST}&scanners=secret,vuln`);
    expect(repeat.status).toBe(200);
    expect(repeat.body.report.id).toBe(both.body.report.id);
  });

  it('a covered control is resolved for its own tool only, and an uncovered one is never touched', async () => {
    expect((await upload(withSecrets, '')).status).toBe(201);
    // A clean secret-only Trivy scan leaves the image's dependency findings alone.
    const image = readFixture('trivy/image-alpine-310.json');
    expect((await upload(image, '')).status).toBe(201);
    const before = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&control=container-scan&status=open')
      .set('Authorization', mockCredentials.user.header());
    expect(before.body.totalCount).toBeGreaterThan(0);
    const secretOnly = await upload(clean, 'scanners=secret');
    expect(secretOnly.status).toBe(201);
    expect(secretOnly.body.report.controls).toEqual(['secret-scanning']);
    expect(await secretFindings()).toEqual(['resolved', 'resolved']);
    const after = await request(backend.server)
      .get('/api/devsecops/v1/findings?entity=payments-api&control=container-scan&status=open')
      .set('Authorization', mockCredentials.user.header());
    expect(after.body.totalCount).toBe(before.body.totalCount);
  });

  it('refuses scanners it cannot apply with a 400 naming the valid ones, storing nothing', async () => {
    const cases: Array<[Buffer, string, RegExp]> = [
      [clean, 'scanners=vuln,sbom', /Unknown scanner 'sbom' for trivy reports; valid: vuln, misconfig, secret, license/],
      [clean, 'scanners=license', /cover no control; name at least one of vuln, misconfig, secret/],
      [clean, 'scanners=secret&control=secret-scanning', /either control .* or scanners/],
      [withSecrets, 'scanners=vuln', /holds secret-scanning findings.*add secret to scanners/],
      [readFixture('grype/grype-golden-image.json'), 'scanners=vuln', /a grype report of this tool has none to name/],
      [clean, 'scanners=Vuln', /scanners/],
    ];
    for (const [body, query, message] of cases) {
      const res = await upload(body, query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    const reports = await request(backend.server)
      .get('/api/devsecops/v1/reports?entity=payments-api')
      .set('Authorization', mockCredentials.user.header());
    expect(reports.body.totalCount).toBe(0);
  });
});
