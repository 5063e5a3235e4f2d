import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { EntityScorecard, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { EntityResolver } from '../catalog/EntityResolver';
import { aggregate } from '../evaluate/rollup';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { applyMigrations } from '../store/migrations';
import { ReportStore } from '../store/ReportStore';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { RollupQuery, RollupService, subtree } from './RollupService';
import { ScorecardService } from './ScorecardService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});
const GROUPS = [group('eng'), group('team-a', 'eng'), group('team-b', 'eng'), group('team-c')];
const A = 'group:default/team-a';
const B = 'group:default/team-b';
const C = 'group:default/team-c';
const CONTROLS = ['sast', 'container-scan'];

const summary = (name: string, over: Partial<EntitySummary> = {}): EntitySummary => ({
  entityRef: `component:default/${name}`,
  ownerRef: A,
  type: 'service',
  lifecycle: 'production',
  stage: 1,
  controlStates: { sast: 'passing', 'container-scan': 'failing' },
  metrics: {
    patchedCount: 2,
    meanTimeToPatchDays: 3,
    rotatedCount: 0,
    openBySeverity: { critical: 1, high: 0, medium: 2, low: 0, info: 0 },
    pastSla: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
  },
  productionGate: 'allow',
  evaluatedAt: '2026-12-06T10:00:00.000Z',
  ...over,
});

const QUERIES: RollupQuery[] = [{}, { group: 'eng' }, { group: 'team-a' }, { lifecycle: 'production' }, { group: 'eng', lifecycle: 'experimental' }];

function setUp(knex: Knex) {
  const catalog = catalogServiceMock({ entities: GROUPS });
  const auth = mockServices.auth();
  const settings = readScorecardConfig(new ConfigReader({}));
  const summaries = new SummaryStore(knex);
  const scorecards = new ScorecardService({
    logger: mockServices.logger.mock(),
    settings,
    entities: new EntityResolver(catalog, auth),
    reports: new ReportStore(knex),
    findings: new FindingStore(knex),
    facts: new FactStore(knex),
    deployments: new DeploymentStore(knex),
    decisions: new GateDecisionStore(knex),
    summaries,
    exceptions: { activeFor: async () => [] },
  });
  const rollups = new RollupService({ catalog, auth, summaries, scorecards, controlIds: CONTROLS, logger: mockServices.logger.mock() });
  return { summaries, rollups };
}

/** The roll-up as it was computed before per-owner partials: every summary read and aggregated. */
async function fromAllSummaries(rollups: RollupService, query: RollupQuery): Promise<Rollup> {
  const strip = ({ entities: _e, ...rest }: ReturnType<typeof aggregate>) => rest;
  const { scope, summaries, groups } = await rollups.scoped(query);
  const rollup = aggregate(scope, summaries, CONTROLS) as Rollup;
  const owners = [...new Set(summaries.map(s => s.ownerRef).filter((o): o is string => !!o))].sort();
  rollup.owners = owners.map(o => strip(aggregate({ kind: 'group', ref: o }, summaries.filter(s => s.ownerRef === o), CONTROLS)));
  if (groups && scope.ref) {
    rollup.children = (groups.get(scope.ref) ?? []).map(child => {
      const below = subtree(groups, child);
      return strip(aggregate({ kind: 'group', ref: child }, summaries.filter(s => s.ownerRef && below.has(s.ownerRef)), CONTROLS));
    });
  }
  return rollup;
}

/** The SQL statements run while `fn` runs. */
async function statementsOf(knex: Knex, fn: () => Promise<unknown>): Promise<Array<{ sql: string; bindings: unknown[] }>> {
  const seen: Array<{ sql: string; bindings: unknown[] }> = [];
  const record = (q: { sql: string; bindings?: unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', record);
  try {
    await fn();
  } finally {
    knex.off('query', record);
  }
  return seen;
}
const readsSummaries = <T extends { sql: string }>(statements: T[]) =>
  statements.filter(s => /devsecops_entity_summaries/.test(s.sql) && /^\s*select/i.test(s.sql));

describe.each(databases.eachSupportedId())('incremental roll-ups on %p', databaseId => {
  it('equal the roll-up of every summary after each kind of write, and read no summary when nothing changed', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const { summaries, rollups } = setUp(knex);
    const expectCurrent = async () => {
      for (const query of QUERIES) {
        const expected = await fromAllSummaries(rollups, query);
        expect(expected.entityCount).toBeGreaterThanOrEqual(0);
        expect(await rollups.rollup(query)).toEqual(expected);
      }
    };

    await summaries.upsert(summary('a1'));
    await summaries.upsert(summary('a2', { stage: 3, lifecycle: 'experimental', productionGate: 'deny', controlStates: { sast: 'excepted' } }));
    await summaries.upsert(summary('b1', { ownerRef: B, stage: 2, metrics: { ...summary('x').metrics, meanTimeToPatchDays: 9, patchedCount: 1 } }));
    await summaries.upsert(summary('c1', { ownerRef: C, lifecycle: undefined }));
    await summaries.upsert(summary('orphan', { ownerRef: undefined, stage: 4 }));
    await expectCurrent();
    expect((await rollups.rollup({})).entityCount).toBe(5);

    // Nothing written since: the org roll-up reads the owner rows only, no summary.
    expect(readsSummaries(await statementsOf(knex, () => rollups.rollup({}, { entitiesLimit: '0' })))).toEqual([]);
    expect(readsSummaries(await statementsOf(knex, () => rollups.rollup({ group: 'eng' }, { entitiesLimit: '0' })))).toEqual([]);

    // A new entity of team B: only team B's summaries are read again.
    await summaries.upsert(summary('b2', { ownerRef: B, stage: 0, productionGate: undefined }));
    const reads = readsSummaries(await statementsOf(knex, () => rollups.rollup({}, { entitiesLimit: '0' })));
    expect(reads).toHaveLength(1);
    expect(reads[0].bindings).toContain(B);
    expect(reads[0].bindings).not.toContain(A);
    await expectCurrent();

    // An owner change A → B: both teams change.
    await summaries.upsert(summary('a1', { ownerRef: B }));
    await expectCurrent();
    expect((await rollups.rollup({ group: 'team-a' })).entityCount).toBe(1);

    // A lifecycle change within a team.
    await summaries.upsert(summary('b1', { ownerRef: B, stage: 2, lifecycle: 'experimental' }));
    await expectCurrent();

    // A scorecard stored ahead becomes current (promoteDue): team B's row is stale again.
    await summaries.upsert(summary('b2', { ownerRef: B, stage: 0 }), undefined, new Date('2026-12-06T11:00:00Z'));
    const ahead = {
      entityRef: 'component:default/b2',
      evaluatedAt: '2026-12-06T11:00:00.000Z',
      controls: [{ controlId: 'sast', state: 'failing' }],
      maturity: { stage: 3 },
      metrics: summary('x').metrics,
      latestGateDecisions: [{ environment: 'production', decision: 'deny' }],
    } as unknown as EntityScorecard;
    const [expiring] = await summaries.expiringBefore(new Date('2026-12-07T00:00:00Z'), 10);
    expect(await summaries.storeAhead(expiring, ahead)).toBe(true);
    expect(await summaries.promoteDue(new Date('2026-12-06T12:00:00Z'), 10)).toBe(1);
    await expectCurrent();
    expect((await rollups.rollup({ group: 'team-b' })).stageDistribution['3']).toBe(1);

    // A summary of a kind that is not counted changes nothing.
    const before = await rollups.rollup({});
    await summaries.upsert({ ...summary('x'), entityRef: 'resource:default/bucket', ownerRef: A });
    expect(await rollups.rollup({})).toEqual(before);
    await expectCurrent();

    // The entity list pages the same way whatever the scope, with the total from the aggregate.
    const page = await rollups.rollup({ group: 'eng' }, { entitiesLimit: '2' });
    expect(page.entities.map(e => e.entityRef)).toEqual(['component:default/a1', 'component:default/a2']);
    expect(page.entitiesPage?.total).toBe(4);
    const next = await rollups.rollup({ group: 'eng' }, { entitiesLimit: '2', entitiesCursor: page.entitiesPage!.nextCursor });
    expect(next.entities.map(e => e.entityRef)).toEqual(['component:default/b1', 'component:default/b2']);
    expect(next.entitiesPage).toEqual({ total: 4 });
    expect(readsSummaries(await statementsOf(knex, () => rollups.rollup({}, { entitiesLimit: '0' })))).toEqual([]);
  });

  it('stays correct when a write lands between a recompute reading the version and storing its result, on two instances', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const one = setUp(knex);
    const two = setUp(knex);
    await one.summaries.upsert(summary('a1'));
    await one.summaries.upsert(summary('b1', { ownerRef: B }));

    // Instance one recomputes team A's partials; instance two writes a summary of team A after
    // one read the summaries and before it stores what it computed from them.
    const read = one.summaries.summariesIn.bind(one.summaries);
    jest.spyOn(one.summaries, 'summariesIn').mockImplementationOnce(async scope => {
      const result = await read(scope);
      await two.summaries.upsert(summary('a1', { stage: 4, productionGate: 'deny' }));
      return result;
    });
    const racing = await one.rollups.rollup({});
    expect(racing.stageDistribution['4']).toBe(0); // computed before the write, stored at the older version
    const [rowA] = await one.summaries.ownerRollups.read([A]);
    expect(rowA.computedVersion).toBeLessThan(rowA.version);
    for (const instance of [one, two]) {
      expect(await instance.rollups.rollup({})).toEqual(await fromAllSummaries(instance.rollups, {}));
    }
    expect((await two.rollups.rollup({})).stageDistribution['4']).toBe(1);

    // A slow recompute of an older version finishing after a newer one cannot replace it.
    await two.summaries.upsert(summary('b1', { ownerRef: B, stage: 3 }));
    let reached!: () => void;
    const atStore = new Promise<void>(resolve => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    jest.spyOn(one.summaries, 'summariesIn').mockImplementationOnce(async scope => {
      const result = await read(scope);
      reached();
      await released;
      return result;
    });
    const slow = one.rollups.rollup({});
    await atStore;
    await two.summaries.upsert(summary('b1', { ownerRef: B, stage: 0 }));
    const current = await two.rollups.rollup({});
    expect(current).toEqual(await fromAllSummaries(two.rollups, {}));
    release();
    expect((await slow).stageDistribution['3']).toBe(1); // what it read before the write
    const [rowB] = await one.summaries.ownerRollups.read([B]);
    expect(rowB.computedVersion).toBe(rowB.version); // the newer computation stayed
    expect(await one.rollups.rollup({})).toEqual(current);
    expect(readsSummaries(await statementsOf(knex, () => one.rollups.rollup({})))).toHaveLength(1); // the entity list only
  });
});
