import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { readFixture } from '../__testUtils__/fixtures';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(240_000);

const databases = TestDatabases.create();
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const RITA = as('rita'); // security-compliance
const DANA = as('dana'); // team-payments
const PAT = as('pat'); // platform-team

// Real reports: Grype's image scan with the critical CVE-2023-44981 (not in KEV, EPSS 0.003 in the
// sample feed), and a CycloneDX VEX of log4j-core 2.13.2 with the critical Log4Shell (in KEV).
const grypeImage = readFixture('grype/dd-grype-0.96-35-matches-missing-severity.json');
const log4jBom = readFixture('cyclonedx/dd-vex-nested-component-log4j.json');
const kev = readFixture('exploitability/kev-sample.json');
const epssGz = readFixture('exploitability/epss-sample.csv.gz');

const EXPLOITABLE = { devsecops: { exploitability: { failOn: 'exploitable', epssThreshold: 0.1 } } };

describe.each(databases.eachSupportedId())('exploitability feeds and policy (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  afterEach(() => backend?.stop());
  const start = async (config: object = {}) => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: { permission: { enabled: true }, ...config },
      features: realPermissions(),
    });
  };

  const upload = (entity: string, body: Buffer) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=${entity}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(body.toString('utf8'));
  const importFeed = (feed: 'kev' | 'epss', body: Buffer, who = ciHeader(), type = 'application/json') =>
    request(backend.server)
      .post(`/api/devsecops/v1/feeds/${feed}`)
      .set('Authorization', who)
      .set('Content-Type', type)
      .serialize((data: unknown) => data as string)
      .send(body);
  const control = async (entity: string, id: string) => {
    const card = (
      await request(backend.server).get(`/api/devsecops/v1/scorecards?entity=${entity}`).set('Authorization', RITA).expect(200)
    ).body;
    return card.controls.find((c: any) => c.controlId === id);
  };
  const findings = async (query: string) =>
    (await request(backend.server).get(`/api/devsecops/v1/findings?${query}`).set('Authorization', RITA).expect(200)).body
      .items;

  it('imports KEV and EPSS, keeps their versions, and enriches open findings by CVE', async () => {
    await start();
    expect((await upload('checkout-web', log4jBom)).status).toBe(201);

    const kevImport = await importFeed('kev', kev);
    expect(kevImport.status).toBe(200);
    expect(kevImport.body).toEqual({
      feed: 'kev',
      version: '2026.12.04',
      publishedOn: '2026-12-04',
      rows: 5,
      changed: true,
      entitiesChanged: 1,
    });
    // gzip CSV as sent by `devsecops feeds import`.
    const epssImport = await importFeed('epss', epssGz, ciHeader(), 'application/gzip');
    expect(epssImport.status).toBe(200);
    expect(epssImport.body).toMatchObject({ feed: 'epss', version: 'v2025.03.14', publishedOn: '2026-12-05', rows: 12, changed: true });

    // The same body again changes nothing.
    expect((await importFeed('kev', kev)).body).toMatchObject({ changed: false, entitiesChanged: 0 });

    const status = (await request(backend.server).get('/api/devsecops/v1/feeds').set('Authorization', DANA).expect(200)).body;
    expect(status.items.map((f: any) => [f.feed, f.version, f.publishedOn, f.rowCount, f.importedBy])).toEqual([
      ['epss', 'v2025.03.14', '2026-12-05', 12, 'external:test-service'],
      ['kev', '2026.12.04', '2026-12-04', 5, 'external:test-service'],
    ]);

    const log4shell = (await findings('entity=checkout-web&control=dependency-scan')).find(
      (f: any) => f.vulnerabilityId === 'CVE-2021-44228',
    );
    // Due under the severity SLA (critical: 7 days after first seen).
    expect(new Date(log4shell.dueAt).getTime() - new Date(log4shell.firstSeenAt).getTime()).toBe(7 * 86_400_000);
    expect(log4shell.exploitability).toEqual({
      kev: { listed: true, addedOn: '2021-12-10', source: 'feed' },
      epss: { score: 0.94358, percentile: 0.99961, source: 'feed' },
    });

    // Sorted by exploitability: the KEV-listed CVEs first, then by EPSS.
    const sorted = await findings('entity=checkout-web&control=dependency-scan&orderBy=exploitability');
    expect(sorted.slice(0, 2).map((f: any) => f.vulnerabilityId).sort()).toEqual(['CVE-2021-44228', 'CVE-2021-45046']);
    expect(sorted[2].vulnerabilityId).toBe('CVE-2021-45105'); // EPSS 0.66, not in KEV

    // A new upload of a report naming a listed CVE is enriched at once, without a new import.
    expect((await upload('payments-api', log4jBom)).status).toBe(201);
    const fresh = (await findings('entity=payments-api&control=dependency-scan')).find(
      (f: any) => f.vulnerabilityId === 'CVE-2021-45046',
    );
    expect(fresh.exploitability.kev).toEqual({ listed: true, addedOn: '2023-05-01', source: 'feed' });

    // A newer catalog without Log4Shell takes the listing away.
    const withoutLog4Shell = JSON.parse(kev.toString('utf8'));
    withoutLog4Shell.catalogVersion = '2026.12.05';
    withoutLog4Shell.vulnerabilities = withoutLog4Shell.vulnerabilities.filter((v: any) => v.cveID !== 'CVE-2021-44228');
    expect((await importFeed('kev', Buffer.from(JSON.stringify(withoutLog4Shell)))).body).toMatchObject({
      changed: true,
      entitiesChanged: 2,
    });
    const after = (await findings('entity=checkout-web&control=dependency-scan')).find(
      (f: any) => f.vulnerabilityId === 'CVE-2021-44228',
    );
    expect(after.exploitability.kev).toBeUndefined();
    expect(after.exploitability.epss.score).toBe(0.94358);
  });

  it('failOn exploitable: a critical not in KEV with EPSS below the threshold passes, a KEV one fails; the gate follows', async () => {
    await start(EXPLOITABLE);
    const image = await upload('payments-api', grypeImage);
    expect(image.status).toBe(201);
    const digest = image.body.report.artifactDigest;
    expect((await upload('checkout-web', log4jBom)).status).toBe(201);
    expect((await importFeed('kev', kev)).status).toBe(200);
    expect((await importFeed('epss', epssGz, ciHeader(), 'application/gzip')).status).toBe(200);

    const container = await control('payments-api', 'container-scan');
    expect(container.state).toBe('passing');
    expect(container.reason).toContain('exploitable (in KEV or EPSS ≥ 0.1)');
    expect(container.reason).toContain('CVE-2023-44981: EPSS 0.00');

    const dependency = await control('checkout-web', 'dependency-scan');
    expect(dependency.state).toBe('failing');
    expect(dependency.reason).toContain('CVE-2021-44228 (KEV)');

    const gate = await request(backend.server)
      .post('/api/devsecops/v1/gate/decisions')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', artifactDigest: digest, environment: 'production', claimedOwner: 'team-payments' });
    expect(gate.status).toBe(200);
    const vulns = gate.body.requirements.find((r: any) => r.requirement === 'container_critical_vulns');
    expect(vulns.passed).toBe(true);
    expect(vulns.reason).toContain('1 critical not exploitable (CVE-2023-44981: EPSS 0.00)');
  });

  it('failOn severity (the default): the same critical fails regardless of KEV and EPSS', async () => {
    await start();
    const image = await upload('payments-api', grypeImage);
    expect((await importFeed('epss', epssGz, ciHeader(), 'application/gzip')).status).toBe(200);
    expect((await control('payments-api', 'container-scan')).state).toBe('failing');
    const gate = await request(backend.server)
      .post('/api/devsecops/v1/gate/decisions')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', artifactDigest: image.body.report.artifactDigest, environment: 'production', claimedOwner: 'team-payments' });
    expect(gate.body.requirements.find((r: any) => r.requirement === 'container_critical_vulns')).toMatchObject({
      passed: false,
      reason: expect.stringContaining('CVE-2023-44981'),
    });
  });

  it('only security (devsecops.feed.import) or an org-wide service token imports a feed', async () => {
    await start({
      devsecops: {
        ciIdentities: { static: [{ subject: 'external:payments-ci', entities: ['component:default/payments-api'] }] },
      },
    });
    expect((await importFeed('kev', kev, DANA)).status).toBe(403);
    expect((await importFeed('kev', kev, PAT)).status).toBe(403);
    const bound = await importFeed('kev', kev, mockCredentials.service.header({ onBehalfOf: mockCredentials.service('external:payments-ci'), targetPluginId: 'devsecops' }));
    expect(bound.status).toBe(403);
    expect(bound.body.error.message).toContain('feeds are org-wide data');
    expect((await importFeed('kev', kev, mockCredentials.none.header())).status).toBe(401);
    // Nothing was imported by the refused calls.
    expect((await request(backend.server).get('/api/devsecops/v1/feeds').set('Authorization', RITA)).body.items).toEqual([]);

    const byRita = await importFeed('kev', kev, RITA);
    expect(byRita.status).toBe(200);
    const status = (await request(backend.server).get('/api/devsecops/v1/feeds').set('Authorization', RITA)).body;
    expect(status.items[0]).toMatchObject({ feed: 'kev', importedBy: 'user:default/rita', source: 'upload' });
  });

  it('refuses malformed feeds with a 400 naming the problem, never the content', async () => {
    await start();
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const cases: Array<['kev' | 'epss', string, string]> = [
      ['kev', `{"catalogVersion": "${secret}"`, 'not valid JSON'],
      ['kev', JSON.stringify({ vulnerabilities: [] }), 'no catalogVersion'],
      ['kev', JSON.stringify({ catalogVersion: '1', dateReleased: '2026-12-01T00:00:00Z', vulnerabilities: [{ cveID: secret, dateAdded: '2026-01-01' }] }), 'vulnerabilities[0].cveID is not a CVE id'],
      ['epss', `cve,epss,percentile\nCVE-2021-44228,0.9,0.9`, 'must start with its #model_version'],
      ['epss', `#model_version:v1,score_date:2026-12-01\ncve,epss,percentile\nCVE-2021-44228,${secret},0.9`, 'line 3: epss is not a number between 0 and 1'],
      ['epss', `#model_version:v1,score_date:2026-12-01\ncve,score\n`, 'line 2 must be the header cve,epss,percentile'],
    ];
    for (const [feed, body, message] of cases) {
      const res = await importFeed(feed, Buffer.from(body), ciHeader(), 'text/plain');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    const broken = await importFeed('epss', Buffer.concat([gzipSync(Buffer.from('x')).subarray(0, 8)]), ciHeader(), 'application/gzip');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toContain('not valid gzip');
  });
});
