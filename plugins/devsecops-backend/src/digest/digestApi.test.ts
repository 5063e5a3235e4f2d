/*
 * GET /v1/digests/preview (issue 19 item 3) through the backend: a team's week from a real Trivy
 * report's history (the dependency scan failing three days ago, passing now), the org's, and a
 * bad group answered 400 naming it.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { trivyFilesystemReport } from '../__testUtils__/trivyReports';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const API = '/api/devsecops';
const DAY = 86_400_000;
const PAULA = mockCredentials.user.header('user:default/paula');
// n days ago, a minute before now: never in the future (a fixed 09:00 was, from midnight to 09:00 UTC).
const at = (n: number) => new Date(Date.now() - n * DAY - 60_000).toISOString();

describe.each(databases.eachSupportedId())('digest preview on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, { extraEntities: organisationEntities });
  });
  afterEach(() => backend?.stop());

  const read = (path: string) => request(backend.server).get(`${API}${path}`).set('Authorization', PAULA);
  const upload = (critical: boolean, daysAgo: number) =>
    request(backend.server)
      .post(`${API}/v1/reports?entity=payments-api&format=trivy&scannedAt=${at(daysAgo)}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(trivyFilesystemReport(critical ? [{ id: 'CVE-2026-4242', severity: 'CRITICAL', pkg: 'left-pad' }] : []))
      .expect(201);

  it("shows a team's improved control from its snapshots, the org's week, and refuses a bad group", async () => {
    await upload(true, 3);
    await request(backend.server)
      .post(`${API}/v1/scorecards/snapshots`)
      .set('Authorization', ciHeader())
      .send({ entityRef: 'component:default/payments-api', at: at(3) })
      .expect(201);
    await upload(false, 0);

    const team = (await read('/v1/digests/preview?group=team-payments').expect(200)).body;
    expect(team.scope).toEqual({ kind: 'group', ref: 'group:default/team-payments' });
    expect(team.improved.controls).toEqual([
      { entityRef: 'component:default/payments-api', controlId: 'dependency-scan', from: 'failing', to: 'passing' },
    ]);
    expect(team.regressed.controls).toEqual([]);
    expect(team.summary).toMatch(/^1 control improved, 0 controls regressed;/);
    expect(team.link).toBe('/catalog/default/group/team-payments/security');

    const org = (await read('/v1/digests/preview').expect(200)).body;
    expect(org.scope).toEqual({ kind: 'org' });
    expect(org.improved.controls).toHaveLength(1);
    expect(org.services).toBeGreaterThanOrEqual(team.services);

    expect((await read('/v1/digests/preview?group=team-nowhere').expect(400)).body.error.message).toBe(
      'group: no catalog group group:default/team-nowhere',
    );
    expect((await read('/v1/digests/preview?group=user:default/paula').expect(400)).body.error.message).toBe(
      "group: 'user:default/paula' is not a group ref",
    );
  });
});
