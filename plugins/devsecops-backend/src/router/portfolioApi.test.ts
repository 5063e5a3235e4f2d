import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const USER = mockCredentials.user.header('user:default/rita');
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const A = digest('a');
const B = digest('b');
const C = digest('c');
const D = digest('d');

// A real CycloneDX SBOM of an image with log4j-core 2.13.2 (DefectDojo's test data), and the same
// document with log4j-core upgraded to 2.17.1 (its purl and version changed, nothing else).
const log4j213 = readFixture('cyclonedx/dd-vex-nested-component-log4j.json').toString('utf8');
const log4j2171 = log4j213.replace(/2\.13\.2/g, '2.17.1');

describe.each(databases.eachSupportedId())('portfolio search (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeAll(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
    const upload = async (entity: string, artifact: string, body: string) =>
      request(backend.server)
        .post(`/api/devsecops/v1/reports?entity=${entity}&artifact=${artifact}&control=sbom`)
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(201);
    const deploy = (entityRef: string, environment: string, artifactDigest: string, minutesAgo: number) =>
      request(backend.server)
        .post('/api/devsecops/v1/deployments')
        .set('Authorization', ciHeader())
        .send({
          entityRef,
          environment,
          artifactDigest,
          deployer: 'github-actions',
          deployedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
        })
        .expect(r => expect([200, 201]).toContain(r.status));
    await upload('payments-api', A, log4j213);
    await upload('checkout-web', B, log4j213);
    await upload('checkout-web', C, log4j2171);
    await upload('shared-lib-docs', D, log4j2171);
    await deploy('payments-api', 'production', A, 30);
    // checkout-web: B went to staging and production, then C replaced it in production.
    await deploy('checkout-web', 'staging', B, 50);
    await deploy('checkout-web', 'production', B, 40);
    await deploy('checkout-web', 'production', C, 20);
  });
  afterAll(() => backend.stop());

  const get = (path: string) => request(backend.server).get(`/api/devsecops${path}`).set('Authorization', USER);

  it('answers "which services contain log4j-core < 2.17" with owners and where each artifact runs now', async () => {
    const res = await get('/v1/components?package=log4j-core@<2.17');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalCount: 2, entityCount: 2 });
    expect(
      res.body.items.map((i: any) => [i.entityRef, i.ownerRef, i.artifactDigest, i.version, i.deployedTo.map((d: any) => d.environment)]),
    ).toEqual([
      ['component:default/checkout-web', 'group:default/team-checkout', B, '2.13.2', ['staging']],
      ['component:default/payments-api', 'group:default/team-payments', A, '2.13.2', ['production']],
    ]);

    // The same by purl, and with purl= and version=.
    const byPurl = await get('/v1/components?package=pkg:maven/org.apache.logging.log4j/log4j-core@<2.17.0');
    expect(byPurl.body.items.map((i: any) => i.entityRef)).toEqual(res.body.items.map((i: any) => i.entityRef));
    const split = await get('/v1/components?purl=pkg:maven/org.apache.logging.log4j/log4j-core&version=%3E%3D2.17.0');
    expect(split.body.items.map((i: any) => [i.entityRef, i.version, i.deployedTo.map((d: any) => d.environment)])).toEqual([
      ['component:default/checkout-web', '2.17.1', ['production']],
      ['component:default/shared-lib-docs', '2.17.1', []],
    ]);
    // Another ecosystem's purl of the same name matches nothing.
    expect((await get('/v1/components?package=pkg:npm/log4j-core')).body.totalCount).toBe(0);
  });

  it('finds findings by CVE or alias and by package range across entities', async () => {
    const byCve = await get('/v1/findings?vulnerabilityId=CVE-2021-44228&status=open,suppressed');
    expect(byCve.status).toBe(200);
    // The upgraded copy keeps the document's vulnerabilities, so all three name Log4Shell.
    expect([...new Set(byCve.body.items.map((f: any) => f.entityRef))].sort()).toEqual([
      'component:default/checkout-web',
      'component:default/payments-api',
      'component:default/shared-lib-docs',
    ]);
    expect(
      byCve.body.items.every(
        (f: any) => [f.vulnerabilityId, f.ruleId, ...(f.aliases ?? [])].includes('CVE-2021-44228'),
      ),
    ).toBe(true);
    // A GHSA id finds the findings filed under it or naming it among their aliases.
    const byGhsa = await get('/v1/findings?vulnerabilityId=GHSA-jfh8-c2jp-5v3q&status=open,suppressed');
    expect(byGhsa.body.totalCount).toBeGreaterThan(0);
    expect(byGhsa.body.items.every((f: any) => [f.vulnerabilityId, f.ruleId, ...(f.aliases ?? [])].includes('GHSA-jfh8-c2jp-5v3q'))).toBe(true);
    const byPackage = await get('/v1/findings?package=log4j-core@<2.17&status=open,suppressed,resolved');
    expect(byPackage.body.items.every((f: any) => f.package.version === '2.13.2')).toBe(true);
    expect(byPackage.body.totalCount).toBeGreaterThan(0);
    const patched = await get('/v1/findings?package=log4j-core@>=2.17.1&status=open,suppressed,resolved');
    expect(patched.body.items.every((f: any) => f.package.version === '2.17.1')).toBe(true);
  });

  it('refuses malformed searches naming the problem', async () => {
    for (const [path, message] of [
      ['/v1/components', 'Name the package once'],
      ['/v1/components?name=log4j-core&purl=pkg:maven/a/b', 'Name the package once'],
      ['/v1/components?package=log4j-core@~>2', 'the version part must be a version or comparators'],
      ['/v1/components?package=%3Cscript%3E', 'name a package'],
      ['/v1/components?package=log4j-core&version=1', 'version goes with purl= or name='],
      ['/v1/findings?package=pkg:maven', 'a purl must look like'],
    ] as const) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.message).not.toContain('<script>');
    }
    expect((await get('/v1/findings?vulnerabilityId=%25')).status).toBe(400);
  });
});
