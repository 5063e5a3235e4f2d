/*
 * Campaign daily counts (issue 19): the daily job stores each started campaign's counts, one row
 * per campaign and day (per-team progress is counted live); the campaign page's burn-up reads them
 * (summing a day's rows, so per-team rows an older version stored still count), filling days before they began from the daily
 * snapshots once; a rewritten day's snapshots are recounted. On both databases.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { testEntities } from '../__testUtils__/testBackend';
import { ControlCatalog } from '../config/ControlCatalog';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { RollupService } from '../scorecard/RollupService';
import { CampaignStore } from '../store/CampaignStore';
import { applyMigrations } from '../store/migrations';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { countsKey } from './campaignCounts';
import { declaredCampaignId, readCampaignSettings } from './campaignInput';
import { CampaignService } from './CampaignService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const settings = readScorecardConfig(new ConfigReader({}));
const controls = ControlCatalog.fromSettings(settings);

const summary = (name: string, owner: string, states: Record<string, string>): EntitySummary => ({
  entityRef: `component:default/${name}`,
  ownerRef: `group:default/${owner}`,
  lifecycle: 'production',
  stage: 1,
  controlStates: states as EntitySummary['controlStates'],
  metrics: { patchedCount: 0 } as EntitySummary['metrics'],
  evaluatedAt: '2026-12-01T00:00:00.000Z',
});

const declared = {
  key: 'sast-and-dependencies',
  title: 'SAST and dependencies',
  goal: { type: 'controls', controls: ['dependency-scan', 'sast'] },
  scope: { group: 'acme' },
  startDate: '2026-12-01',
  targetDate: '2026-12-20',
  ownerRef: 'group:default/security-compliance',
};

function instance(knex: Knex, now: () => Date) {
  const catalog = catalogServiceMock({ entities: testEntities });
  const auth = mockServices.auth();
  const logger = mockServices.logger.mock();
  const summaries = new SummaryStore(knex);
  return new CampaignService({
    store: new CampaignStore(knex),
    settings: readCampaignSettings(new ConfigReader({ devsecops: { campaigns: { declared: [declared] } } }), new Date('2026-12-01T00:00:00Z')),
    summaries,
    rollups: new RollupService({
      catalog,
      auth,
      summaries,
      scorecards: { counts: () => true, entityKinds: ['Component'] } as any,
      controlIds: controls.ids(),
      logger,
    }),
    catalog,
    auth,
    permissions: mockServices.permissions.mock(),
    notifications: { send: async () => {} },
    controls,
    stages: settings.evaluation.stages,
    entityKinds: ['Component'],
    logger,
    now,
  });
}

describe.each(databases.eachSupportedId())('campaign daily counts on %p', databaseId => {
  it('stores one row per campaign and day; the burn-up reads them and fills older days from the snapshots once', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const summaries = new SummaryStore(knex);
    const store = new CampaignStore(knex);
    const id = declaredCampaignId(declared.key);
    const now = new Date('2026-12-04T08:00:00Z');
    const campaigns = instance(knex, () => now);

    // Day 2: payments-api has a failing SAST (not done), checkout-web passes both; an excepted
    // dependency scan counts as done through an exception.
    await summaries.snapshot(summary('payments-api', 'team-payments', { 'dependency-scan': 'passing', sast: 'failing' }), '2026-12-02');
    await summaries.snapshot(summary('checkout-web', 'team-checkout', { 'dependency-scan': 'passing', sast: 'passing' }), '2026-12-02');
    // Today both are done, checkout-web through an exception; no snapshot is written today.
    await summaries.upsert(summary('payments-api', 'team-payments', { 'dependency-scan': 'passing', sast: 'passing' }));
    await summaries.upsert(summary('checkout-web', 'team-checkout', { 'dependency-scan': 'excepted', sast: 'passing' }));

    await campaigns.notifyDue();
    const campaign = (await campaigns.campaigns()).find(c => c.id === id)!;
    const stored = await store.dailyCounts(countsKey(campaign), '2026-12-01');
    // One row for every team: both services done, checkout-web through an exception.
    expect(stored).toEqual([{ day: '2026-12-04', ownerRef: '', inScope: 2, done: 2, excepted: 1 }]);

    const page = await campaigns.get(id, { limit: 50, offset: 0 });
    expect(page.counts).toEqual({ inScope: 2, done: 2, excepted: 1, donePct: 100 });
    expect(page.teams).toEqual([
      { ownerRef: 'group:default/team-checkout', inScope: 1, done: 1, excepted: 1, donePct: 100 },
      { ownerRef: 'group:default/team-payments', inScope: 1, done: 1, excepted: 0, donePct: 100 },
    ]);
    // Day 2 from the snapshots (filled), today from the stored counts (no snapshot today);
    // days without snapshots are not points.
    expect(page.burnup).toEqual([
      { day: '2026-12-02', inScope: 2, done: 1 },
      { day: '2026-12-04', inScope: 2, done: 2 },
    ]);
    // The fill is stored: one row per day from the start to yesterday, zero where no snapshot.
    const filled = (await store.dailyCounts(countsKey(campaign), '2026-12-01')).filter(r => r.day < '2026-12-04');
    expect(filled.every(r => r.ownerRef === '')).toBe(true);
    expect(filled.map(r => [r.day, r.inScope, r.done]).sort()).toEqual([
      ['2026-12-01', 0, 0],
      ['2026-12-02', 2, 1],
      ['2026-12-03', 0, 0],
    ]);

    // A stored day is read, not recounted: a snapshot written behind the store's back is not seen…
    await summaries.snapshot(summary('payments-api', 'team-payments', { 'dependency-scan': 'passing', sast: 'passing' }), '2026-12-02');
    expect((await campaigns.get(id, { limit: 50, offset: 0 })).burnup[0]).toEqual({ day: '2026-12-02', inScope: 2, done: 1 });
    // …until the day is marked rewritten (what POST /v1/scorecards/snapshots does).
    await campaigns.snapshotsChanged('2026-12-02');
    expect((await campaigns.get(id, { limit: 50, offset: 0 })).burnup[0]).toEqual({ day: '2026-12-02', inScope: 2, done: 2 });

    // The burn-up matches the snapshots: today's snapshots, once written, count what the stored row says.
    await summaries.snapshot(summary('payments-api', 'team-payments', { 'dependency-scan': 'passing', sast: 'passing' }), '2026-12-04');
    await summaries.snapshot(summary('checkout-web', 'team-checkout', { 'dependency-scan': 'excepted', sast: 'passing' }), '2026-12-04');
    const fromSnapshots = await summaries.dailyCounts(['component:default/payments-api', 'component:default/checkout-web'], '2026-12-01', {
      controls: [{ id: 'dependency-scan', states: ['passing', 'excepted', 'not_applicable'] }, { id: 'sast', states: ['passing', 'excepted', 'not_applicable'] }],
    });
    expect((await campaigns.get(id, { limit: 50, offset: 0 })).burnup).toEqual(
      [...fromSnapshots].sort(([a], [b]) => a.localeCompare(b)).map(([day, c]) => ({ day, ...c })),
    );

    // Rerunning the day replaces its row: a service leaving the scope is no longer counted.
    await summaries.upsert({ ...summary('checkout-web', 'team-checkout', { 'dependency-scan': 'excepted', sast: 'passing' }), ownerRef: 'group:default/outsiders' });
    await campaigns.notifyDue();
    expect(await store.dailyCounts(countsKey(campaign), '2026-12-04')).toEqual([
      { day: '2026-12-04', ownerRef: '', inScope: 1, done: 1, excepted: 0 },
    ]);
  });

  it('reads per-team rows an older version stored, summed per day, and replaces them with one row', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const summaries = new SummaryStore(knex);
    const store = new CampaignStore(knex);
    const id = declaredCampaignId(declared.key);
    const now = new Date('2026-12-03T08:00:00Z');
    const campaigns = instance(knex, () => now);
    await summaries.upsert(summary('payments-api', 'team-payments', { 'dependency-scan': 'passing', sast: 'failing' }));
    await summaries.upsert(summary('checkout-web', 'team-checkout', { 'dependency-scan': 'passing', sast: 'passing' }));
    const campaign = (await campaigns.campaigns()).find(c => c.id === id)!;
    const team = (day: string, owner: string, inScope: number, done: number) => ({ day, ownerRef: `group:default/${owner}`, inScope, done, excepted: 0 });
    // What the daily job of the previous version stored: a row per team and day.
    await store.putDailyCounts(countsKey(campaign), [
      team('2026-12-01', 'team-payments', 1, 0),
      team('2026-12-01', 'team-checkout', 1, 0),
      team('2026-12-02', 'team-payments', 1, 0),
      team('2026-12-02', 'team-checkout', 1, 1),
      team('2026-12-03', 'team-payments', 1, 1),
      team('2026-12-03', 'team-checkout', 1, 1),
    ]);
    expect((await campaigns.get(id, { limit: 50, offset: 0 })).burnup).toEqual([
      { day: '2026-12-01', inScope: 2, done: 0 },
      { day: '2026-12-02', inScope: 2, done: 1 },
      { day: '2026-12-03', inScope: 2, done: 2 },
    ]);
    // Today's pass replaces today's team rows with its one row; older days keep theirs.
    await campaigns.notifyDue();
    const rows = await store.dailyCounts(countsKey(campaign), '2026-12-01');
    expect(rows.filter(r => r.day === '2026-12-03')).toEqual([{ day: '2026-12-03', ownerRef: '', inScope: 2, done: 1, excepted: 0 }]);
    expect(rows.filter(r => r.day < '2026-12-03')).toHaveLength(4);
    expect((await campaigns.get(id, { limit: 50, offset: 0 })).burnup).toEqual([
      { day: '2026-12-01', inScope: 2, done: 0 },
      { day: '2026-12-02', inScope: 2, done: 1 },
      { day: '2026-12-03', inScope: 2, done: 1 },
    ]);
  });

  it('counts a changed declaration afresh', () => {
    const campaign = { id: 'x', title: 't', goal: { type: 'stage' as const, stage: 2 }, scope: {}, startDate: '2026-12-01', targetDate: '2026-12-20', ownerRef: 'group:default/a', reminderDaysBefore: [], source: 'api' as const };
    expect(countsKey(campaign)).toMatch(/^x#[0-9a-f]{16}$/);
    expect(countsKey({ ...campaign, goal: { type: 'stage', stage: 3 } })).not.toBe(countsKey(campaign));
    expect(countsKey({ ...campaign, targetDate: '2026-12-31' })).toBe(countsKey(campaign));
  });
});
