/*
 * Importing history through the public API: scans dated when they ran (scannedAt), facts and
 * deployments with their own times, and a backfilled daily snapshot per day; then the trends the
 * portal draws from the snapshots (per entity and rolled up, optionally per lifecycle).
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const API = '/api/devsecops';
const DAY = 86_400_000;
const daysAgo = (n: number, hour = 12) => {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

const trivyFs = (vulns: Array<[string, string]>) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: '.',
    ArtifactType: 'filesystem',
    Results: [
      {
        Target: 'package-lock.json',
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: vulns.map(([id, severity]) => ({
          VulnerabilityID: id,
          PkgName: `pkg-${id}`,
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: severity,
        })),
      },
    ],
  });

describe.each(databases.eachSupportedId())('history import and trends on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend.stop());

  const upload = (body: string, query: string) =>
    request(backend.server)
      .post(`${API}/v1/reports?entity=payments-api&${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(body);
  const snapshot = (at: string, entityRef = 'payments-api') =>
    request(backend.server)
      .post(`${API}/v1/scorecards/snapshots`)
      .set('Authorization', ciHeader())
      .send({ entityRef, at });
  const read = (path: string) =>
    request(backend.server).get(`${API}${path}`).set('Authorization', mockCredentials.user.header());

  it('dates findings and freshness by when the scan ran, and refuses scans out of order', async () => {
    const first = await upload(trivyFs([['CVE-2026-1', 'CRITICAL'], ['CVE-2026-2', 'HIGH']]), `scannedAt=${daysAgo(20)}`);
    expect(first.status).toBe(201);
    expect(first.body.report.scannedAt).toBe(daysAgo(20));
    expect(new Date(first.body.report.receivedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Twenty days old: past the dependency scan's 14-day freshness window.
    let card = (await read('/v1/scorecards?entity=payments-api').expect(200)).body;
    const dependencyScan = () => card.controls.find((c: any) => c.controlId === 'dependency-scan');
    expect(dependencyScan().state).toBe('stale');
    expect(dependencyScan().lastEvidenceAt).toBe(daysAgo(20));

    const second = await upload(trivyFs([['CVE-2026-2', 'HIGH']]), `scannedAt=${daysAgo(10)}`);
    expect(second.status).toBe(201);
    const findings = (await read('/v1/findings?entity=payments-api&status=open,resolved').expect(200)).body.items;
    const critical = findings.find((f: any) => f.ruleId === 'CVE-2026-1');
    expect(critical).toMatchObject({ status: 'resolved', firstSeenAt: daysAgo(20), resolvedAt: daysAgo(10) });
    card = (await read('/v1/scorecards?entity=payments-api').expect(200)).body;
    expect(card.metrics.meanTimeToPatchDays).toBe(10);
    expect(dependencyScan().state).toBe('passing');

    const older = await upload(trivyFs([['CVE-2026-3', 'LOW']]), `scannedAt=${daysAgo(15)}`);
    expect(older.status).toBe(409);
    expect(older.body.error.message).toContain('older than the newest scan already recorded');

    const future = await upload(trivyFs([]), `scannedAt=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.status).toBe(400);
    expect(future.body.error.message).toContain('is in the future');
    const ancient = await upload(trivyFs([]), `scannedAt=${daysAgo(500)}`);
    expect(ancient.status).toBe(400);
    expect(ancient.body.error.message).toContain('more than 400 days ago');
    const notADate = await upload(trivyFs([]), 'scannedAt=2026-02-30T00:00:00Z');
    expect(notADate.status).toBe(400);
    expect(notADate.body.error.message).toMatch(/scannedAt/);
  });

  it('counts the same clean body scanned again later as a new scan, and a retry as a repeat', async () => {
    const clean = trivyFs([]);
    expect((await upload(clean, `scannedAt=${daysAgo(20)}`)).status).toBe(201);
    expect((await upload(clean, `scannedAt=${daysAgo(20)}`)).status).toBe(200);
    expect((await upload(clean, `scannedAt=${daysAgo(5)}`)).status).toBe(201);
    const card = (await read('/v1/scorecards?entity=payments-api').expect(200)).body;
    const dependencyScan = card.controls.find((c: any) => c.controlId === 'dependency-scan');
    expect(dependencyScan).toMatchObject({ state: 'passing', lastEvidenceAt: daysAgo(5) });
  });

  it('writes a past day\'s snapshot as the entity stood then, only in time order', async () => {
    await upload(trivyFs([['CVE-2026-1', 'CRITICAL']]), `scannedAt=${daysAgo(3, 9)}`).expect(201);
    const past = await snapshot(daysAgo(3, 23));
    expect(past.status).toBe(201);
    expect(past.body).toMatchObject({ entityRef: 'component:default/payments-api', day: daysAgo(3).slice(0, 10) });

    await upload(trivyFs([]), `scannedAt=${daysAgo(2, 9)}`).expect(201);
    await snapshot(daysAgo(2, 23)).expect(201);
    const tooLate = await snapshot(daysAgo(3, 23));
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.message).toContain('has evidence from');

    const history = (await read('/v1/scorecards/history?entity=payments-api&days=10').expect(200)).body.snapshots;
    expect(history.map((s: any) => s.day)).toEqual([daysAgo(3).slice(0, 10), daysAgo(2).slice(0, 10)]);
    // Three days ago a critical was open (failing); two days ago the scan was clean.
    expect(history[0].controlStates['dependency-scan']).toBe('failing');
    expect(history[0].metrics.openBySeverity.critical).toBe(1);
    expect(history[1].controlStates['dependency-scan']).toBe('passing');
    expect(history[1].metrics.patchedCount).toBe(1);

    const asUser = await request(backend.server)
      .post(`${API}/v1/scorecards/snapshots`)
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'payments-api', at: daysAgo(1) });
    expect(asUser.status).toBe(403);
    expect((await snapshot(new Date(Date.now() + DAY).toISOString())).status).toBe(400);
    expect((await snapshot(daysAgo(800))).body.error.message).toContain('more than 730 days ago');
    expect((await snapshot('yesterday')).status).toBe(400);
  });

  it('rolls snapshots up per day for a scope and a lifecycle', async () => {
    await upload(trivyFs([['CVE-2026-1', 'CRITICAL']]), `scannedAt=${daysAgo(2, 9)}`).expect(201);
    await snapshot(daysAgo(2, 23)).expect(201);
    await snapshot(daysAgo(2, 23), 'checkout-web').expect(201);
    await snapshot(daysAgo(2, 23), 'shared-lib-docs').expect(201);
    await upload(trivyFs([]), `scannedAt=${daysAgo(1, 9)}`).expect(201);
    await snapshot(daysAgo(1, 23)).expect(201);
    // The roll-ups read the current summaries for scope membership.
    for (const name of ['payments-api', 'checkout-web', 'shared-lib-docs']) {
      await read(`/v1/scorecards?entity=${name}`).expect(200);
    }

    const org = (await read('/v1/rollups/history?days=30').expect(200)).body;
    expect(org.scope).toEqual({ kind: 'org' });
    expect(org.days.map((d: any) => [d.day, d.entityCount])).toEqual([
      [daysAgo(2).slice(0, 10), 3],
      [daysAgo(1).slice(0, 10), 1],
    ]);
    expect(org.days[0].metrics.openBySeverity.critical).toBe(1);
    expect(org.days[1].metrics.openBySeverity.critical).toBe(0);
    expect(org.days[0].controlAdoption['dependency-scan'].states).toEqual({ failing: 1, not_reported: 2 });

    const team = (await read('/v1/rollups/history?group=team-payments&days=30').expect(200)).body;
    expect(team.days.map((d: any) => d.entityCount)).toEqual([1, 1]);

    const production = (await read('/v1/rollups/history?lifecycle=production&days=30').expect(200)).body;
    expect(production.days[0].entityCount).toBe(2);
    const experimental = (await read('/v1/rollups?lifecycle=experimental').expect(200)).body;
    expect(experimental.entities.map((e: any) => e.entityRef)).toEqual(['component:default/shared-lib-docs']);

    expect((await read('/v1/rollups/history?days=0')).status).toBe(400);
    expect((await read('/v1/rollups/history?lifecycle=Not%20A%20Lifecycle')).status).toBe(400);
    expect((await read('/v1/rollups/history?group=nobody')).status).toBe(404);
  });
});
