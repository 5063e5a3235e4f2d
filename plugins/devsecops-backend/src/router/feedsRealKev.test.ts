import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { gunzipSync } from 'node:zlib';
import { readFixture } from '../__testUtils__/fixtures';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(240_000);

// The CISA KEV catalog exactly as published (cisagov/kev-data, 2025-08-25, 1,404 entries; see
// fixtures/exploitability/PROVENANCE.md), sent gzip as `devsecops feeds import` sends it.
const kevGz = readFixture('exploitability/cisa-kev-2025-08-25.json.gz');
const catalog = JSON.parse(gunzipSync(kevGz).toString('utf8'));
const grypeImage = readFixture('grype/dd-grype-0.96-35-matches-missing-severity.json');
const log4jBom = readFixture('cyclonedx/dd-vex-nested-component-log4j.json');
const RITA = mockCredentials.user.header('user:default/rita');

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('the published KEV catalog (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  afterEach(() => backend?.stop());

  it('imports whole, and under failOn exploitable a KEV-listed critical fails while an unlisted one passes', async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: {
        permission: { enabled: true },
        devsecops: { exploitability: { failOn: 'exploitable', epssThreshold: 0.1 } },
      },
      features: realPermissions(),
    });
    const upload = (entity: string, body: Buffer) =>
      request(backend.server)
        .post(`/api/devsecops/v1/reports?entity=${entity}`)
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send(body.toString('utf8'));
    expect((await upload('payments-api', grypeImage)).status).toBe(201);
    expect((await upload('checkout-web', log4jBom)).status).toBe(201);

    const imported = await request(backend.server)
      .post('/api/devsecops/v1/feeds/kev')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/gzip')
      .serialize((data: unknown) => data as string)
      .send(kevGz);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ feed: 'kev', version: '2025.08.25', rows: catalog.count, changed: true });
    expect(catalog.count).toBe(1404);

    const controlOf = async (entity: string, id: string) =>
      (
        await request(backend.server).get(`/api/devsecops/v1/scorecards?entity=${entity}`).set('Authorization', RITA).expect(200)
      ).body.controls.find((c: any) => c.controlId === id);

    // Log4Shell is in the published catalog (added 2021-12-10): the dependency scan fails on it.
    const dependency = await controlOf('checkout-web', 'dependency-scan');
    expect(dependency.state).toBe('failing');
    expect(dependency.reason).toContain('CVE-2021-44228 (KEV)');
    const log4shell = (
      await request(backend.server)
        .get('/api/devsecops/v1/findings?entity=checkout-web&vulnerabilityId=CVE-2021-44228')
        .set('Authorization', RITA)
        .expect(200)
    ).body.items[0];
    const listing = catalog.vulnerabilities.find((v: any) => v.cveID === 'CVE-2021-44228');
    expect(log4shell.exploitability.kev).toEqual({ listed: true, addedOn: listing.dateAdded, source: 'feed' });

    // Grype's critical CVE-2023-44981 is not in the catalog and has no EPSS: not exploitable, passes.
    expect(catalog.vulnerabilities.some((v: any) => v.cveID === 'CVE-2023-44981')).toBe(false);
    const container = await controlOf('payments-api', 'container-scan');
    expect(container.state).toBe('passing');
    expect(container.reason).toContain('exploitable (in KEV or EPSS ≥ 0.1)');
  });
});
