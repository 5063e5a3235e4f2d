import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { zipSync } from 'fflate';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(240_000);

const databases = TestDatabases.create();
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const RITA = as('rita'); // security-compliance
const DANA = as('dana'); // team-payments
const PAT = as('pat'); // platform-team
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

// A real CycloneDX SBOM of an image with log4j-core 2.13.2 (DefectDojo's test data), and the same
// document with log4j-core at 2.15.0, the version Log4Shell's advisory names as fixed (its purl and
// version changed, nothing else). A real Trivy image scan without vulnerabilities.
const log4j213 = readFixture('cyclonedx/dd-vex-nested-component-log4j.json').toString('utf8');
const log4jFixed = log4j213.replace(/2\.13\.2/g, '2.15.0');
const cleanImageScan = readFixture('trivy/dd-schema2-no-vulns.json').toString('utf8');
// Real advisories (GitHub Advisory Database, OSV format; fixtures/osv-advisories/PROVENANCE.md).
const log4shell = readFixture('osv-advisories/GHSA-jfh8-c2jp-5v3q.json');
const jackson = readFixture('osv-advisories/GHSA-mx7p-6679-8g3q.json');
// The KEV sample lists Log4Shell (CVE-2021-44228) as CISA does; a real Grype directory scan whose
// critical is keyed by its GHSA id (GHSA-8v27-2fg9-7h62, related CVE-2021-23334).
const kev = readFixture('exploitability/kev-sample.json');
const grypeGhsa = readFixture('grype/dd-grype-directory-source.json').toString('utf8');

describe.each(databases.eachSupportedId())('OSV advisory re-match (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  afterEach(() => backend?.stop());
  const start = async (config: object = {}) => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: { permission: { enabled: true }, ...config },
      features: realPermissions(),
    });
  };
  const upload = (query: string, body: string) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(201);
  const deploy = (entityRef: string, artifactDigest: string) =>
    request(backend.server)
      .post('/api/devsecops/v1/deployments')
      .set('Authorization', ciHeader())
      .send({ entityRef, environment: 'production', artifactDigest, deployer: 'github-actions', deployedAt: new Date(Date.now() - 60_000).toISOString() })
      .expect(r => expect([200, 201]).toContain(r.status));
  const importOsv = (body: Buffer, query = '', who = ciHeader(), type = 'application/json') =>
    request(backend.server)
      .post(`/api/devsecops/v1/feeds/osv${query}`)
      .set('Authorization', who)
      .set('Content-Type', type)
      .serialize((data: unknown) => data as string)
      .send(body);
  const findings = async (query: string) =>
    (await request(backend.server).get(`/api/devsecops/v1/findings?${query}`).set('Authorization', RITA).expect(200)).body.items;
  const gate = async (entityRef: string, artifactDigest: string) =>
    (
      await request(backend.server)
        .post('/api/devsecops/v1/gate/decisions')
        .set('Authorization', ciHeader())
        .send({ entityRef, artifactDigest, environment: 'production', claimedOwner: 'team-payments' })
        .expect(200)
    ).body.requirements.find((r: any) => r.requirement === 'container_critical_vulns');
  const control = async (entity: string, id: string) =>
    (await request(backend.server).get(`/api/devsecops/v1/scorecards?entity=${entity}`).set('Authorization', RITA).expect(200)).body.controls.find(
      (c: any) => c.controlId === id,
    );

  it('an advisory opens a finding on the deployed artifact whose SBOM lists an affected version; the gate sees it; re-import does not duplicate; withdrawn closes it', async () => {
    await start();
    await upload(`entity=payments-api&artifact=${A}&control=sbom`, log4j213);
    await upload(`entity=payments-api&artifact=${A}&control=container-scan`, cleanImageScan);
    await upload(`entity=checkout-web&artifact=${B}&control=sbom`, log4jFixed);
    await deploy('payments-api', A);
    await deploy('checkout-web', B);
    expect(await gate('payments-api', A)).toMatchObject({ passed: true });

    const first = await importOsv(log4shell);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      feed: 'osv',
      advisories: 1,
      withdrawn: 0,
      sboms: 'deployed',
      componentsMatched: 1,
      findingsOpened: 1,
      findingsResolved: 0,
      entitiesChanged: 1,
    });

    const [match, ...others] = await findings('tool=osv-advisory-match');
    expect(others).toEqual([]); // log4j-core 2.15.0 (checkout-web) is the fixed version: no match
    expect(match).toMatchObject({
      entityRef: 'component:default/payments-api',
      control: 'container-scan',
      tool: 'osv-advisory-match',
      artifactDigest: A,
      ruleId: 'GHSA-jfh8-c2jp-5v3q',
      vulnerabilityId: 'CVE-2021-44228',
      aliases: ['GHSA-jfh8-c2jp-5v3q'],
      title: 'Remote code injection in Log4j',
      severity: 'critical',
      status: 'open',
      fixedVersions: ['2.15.0'],
      fixAvailable: true,
      package: { name: 'log4j-core', version: '2.13.2', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2' },
    });
    expect(match.dueAt).toBeDefined();
    // Found by its advisory id and by its CVE (portfolio search).
    expect((await findings('vulnerabilityId=GHSA-jfh8-c2jp-5v3q&tool=osv-advisory-match')).map((f: any) => f.id)).toEqual([match.id]);

    // The gate and the scorecard see it without a rescan.
    const denied = await gate('payments-api', A);
    expect(denied.passed).toBe(false);
    expect(denied.reason).toContain('CVE-2021-44228');
    expect((await control('payments-api', 'container-scan')).state).toBe('failing');

    // The same advisory again: the finding is refreshed, not duplicated; nothing to re-evaluate.
    const again = await importOsv(log4shell);
    expect(again.body).toMatchObject({ componentsMatched: 1, findingsOpened: 0, findingsResolved: 0, entitiesChanged: 0 });
    const afterAgain = await findings('tool=osv-advisory-match&status=open,resolved');
    expect(afterAgain.map((f: any) => [f.id, f.firstSeenAt])).toEqual([[match.id, match.firstSeenAt]]);

    // Withdrawn: the finding closes and the gate passes again.
    const withdrawnBody = { ...JSON.parse(log4shell.toString('utf8')), withdrawn: '2026-12-06T00:00:00Z' };
    const withdrawn = await importOsv(Buffer.from(JSON.stringify(withdrawnBody)));
    expect(withdrawn.body).toMatchObject({ withdrawn: 1, componentsMatched: 0, findingsOpened: 0, findingsResolved: 1, entitiesChanged: 1 });
    expect((await findings('tool=osv-advisory-match&status=resolved')).map((f: any) => f.id)).toEqual([match.id]);
    expect(await findings('tool=osv-advisory-match&status=open')).toEqual([]);
    expect(await gate('payments-api', A)).toMatchObject({ passed: true });
  });

  it('a zip of advisories: deployed SBOMs by default, every stored SBOM with sboms=all (a source SBOM: dependency-scan)', async () => {
    await start();
    await upload('entity=checkout-web', log4j213); // a source SBOM: no artifact, never deployed
    const zip = Buffer.from(zipSync({ 'GHSA-jfh8-c2jp-5v3q.json': new Uint8Array(log4shell), 'GHSA-mx7p-6679-8g3q.json': new Uint8Array(jackson) }));
    const deployedOnly = await importOsv(zip, '', ciHeader(), 'application/zip');
    expect(deployedOnly.status).toBe(200);
    expect(deployedOnly.body).toMatchObject({ advisories: 2, sboms: 'deployed', componentsMatched: 0, findingsOpened: 0 });

    const all = await importOsv(zip, '?sboms=all', ciHeader(), 'application/zip');
    expect(all.body).toMatchObject({ advisories: 2, sboms: 'all', componentsMatched: 1, findingsOpened: 1, entitiesChanged: 1 });
    const [match] = await findings('entity=checkout-web&tool=osv-advisory-match');
    expect(match).toMatchObject({ control: 'dependency-scan', ruleId: 'GHSA-jfh8-c2jp-5v3q', vulnerabilityId: 'CVE-2021-44228' });
    expect(match.artifactDigest).toBeUndefined();

    const status = (await request(backend.server).get('/api/devsecops/v1/feeds').set('Authorization', DANA).expect(200)).body;
    expect(status.items.find((f: any) => f.feed === 'osv')).toMatchObject({ version: '2 advisories', publishedOn: '2024-03-15', rowCount: 2, importedBy: 'external:test-service' });

    expect((await importOsv(zip, '?sboms=everything', ciHeader(), 'application/zip')).status).toBe(400);
    const bad = await importOsv(Buffer.from('{"summary": "AKIAIOSFODNN7EXAMPLE"}'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('has no id');
    expect(bad.body.error.message).not.toContain('AKIA');
  });

  it('GHSA-keyed findings: KEV enrichment through the CVE alias, search by either id', async () => {
    await start();
    await upload('entity=checkout-web', log4j213);
    await upload('entity=payments-api', grypeGhsa);
    expect((await importOsv(log4shell, '?sboms=all')).body.findingsOpened).toBe(1);
    await request(backend.server)
      .post('/api/devsecops/v1/feeds/kev')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(kev.toString('utf8'))
      .expect(200);
    // The advisory's finding is keyed by GHSA-jfh8-c2jp-5v3q; KEV lists its alias CVE-2021-44228.
    const byGhsa = await findings('vulnerabilityId=GHSA-jfh8-c2jp-5v3q&tool=osv-advisory-match');
    expect(byGhsa).toHaveLength(1);
    expect(byGhsa[0].exploitability.kev).toEqual({ listed: true, addedOn: '2021-12-10', source: 'feed' });
    expect((await findings('vulnerabilityId=CVE-2021-44228&tool=osv-advisory-match')).map((f: any) => f.id)).toEqual([byGhsa[0].id]);
    // Grype's GHSA-keyed match: found by the GHSA id and by its related CVE.
    const grypeByGhsa = await findings('entity=payments-api&vulnerabilityId=GHSA-8v27-2fg9-7h62');
    expect(grypeByGhsa.map((f: any) => [f.ruleId, f.vulnerabilityId])).toEqual([['GHSA-8v27-2fg9-7h62', 'CVE-2021-23334']]);
    expect((await findings('entity=payments-api&vulnerabilityId=CVE-2021-23334')).map((f: any) => f.id)).toEqual([grypeByGhsa[0].id]);
  });

  it('only security (devsecops.feed.import) or an org-wide service token imports advisories; a team and an entity-bound CI token get 403', async () => {
    await start({
      devsecops: { ciIdentities: { static: [{ subject: 'external:payments-ci', entities: ['component:default/payments-api'] }] } },
    });
    await upload('entity=checkout-web', log4j213);
    expect((await importOsv(log4shell, '?sboms=all', DANA)).status).toBe(403);
    expect((await importOsv(log4shell, '?sboms=all', PAT)).status).toBe(403);
    const bound = await importOsv(
      log4shell,
      '?sboms=all',
      mockCredentials.service.header({ onBehalfOf: mockCredentials.service('external:payments-ci'), targetPluginId: 'devsecops' }),
    );
    expect(bound.status).toBe(403);
    expect(bound.body.error.message).toContain('feeds are org-wide data');
    expect((await importOsv(log4shell, '?sboms=all', mockCredentials.none.header())).status).toBe(401);
    // The refused calls opened nothing.
    expect(await findings('tool=osv-advisory-match')).toEqual([]);

    const byRita = await importOsv(log4shell, '?sboms=all', RITA);
    expect(byRita.status).toBe(200);
    expect(byRita.body.findingsOpened).toBe(1);
  });
});
