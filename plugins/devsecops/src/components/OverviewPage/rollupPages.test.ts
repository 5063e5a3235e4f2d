import { Rollup, RollupQuery } from '@devsecops-scorecard/plugin-devsecops-common';
import { getRollupInPages } from './rollupPages';

const base: Omit<Rollup, 'entities'> = {
  scope: { kind: 'org' },
  entityCount: 5,
  stageDistribution: { '0': 0, '1': 5, '2': 0, '3': 0, '4': 0 },
  controlAdoption: {},
  gate: { allow: 5, deny: 0, undecided: 0 },
  metrics: { openBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, pastSla: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
  owners: [],
};
const all = ['a', 'b', 'c', 'd', 'e'].map(n => ({ entityRef: `component:default/${n}`, stage: 1 }));

/** A server that pages like GET /v1/rollups (cursor = the last ref of the page). */
function pagingServer() {
  const calls: RollupQuery[] = [];
  const getRollup = async (q: RollupQuery = {}): Promise<Rollup> => {
    calls.push(q);
    const start = q.entitiesCursor ? all.findIndex(e => e.entityRef === q.entitiesCursor) + 1 : 0;
    const entities = all.slice(start, start + q.entitiesLimit!);
    const more = start + q.entitiesLimit! < all.length;
    return { ...base, entities, entitiesPage: { total: all.length, ...(more ? { nextCursor: entities[entities.length - 1].entityRef } : {}) } };
  };
  return { getRollup, calls };
}

describe('getRollupInPages', () => {
  it('asks for one page at a time with entitiesLimit and follows the cursor to the end', async () => {
    const server = pagingServer();
    const rollup = await getRollupInPages(server, { group: 'group:default/g', lifecycle: 'production' }, 2);
    expect(rollup.entities.map(e => e.entityRef)).toEqual(all.map(e => e.entityRef));
    expect(rollup.entitiesPage).toBeUndefined();
    expect(rollup.entityCount).toBe(5);
    expect(server.calls).toEqual([
      { group: 'group:default/g', lifecycle: 'production', entitiesLimit: 2 },
      { group: 'group:default/g', lifecycle: 'production', entitiesLimit: 2, entitiesCursor: 'component:default/b' },
      { group: 'group:default/g', lifecycle: 'production', entitiesLimit: 2, entitiesCursor: 'component:default/d' },
    ]);
  });

  it('stops at the announced page count when a cursor never ends', async () => {
    let calls = 0;
    const endless = async (): Promise<Rollup> => {
      calls++;
      return { ...base, entities: [all[0]], entitiesPage: { total: 3, nextCursor: 'again' } };
    };
    const rollup = await getRollupInPages({ getRollup: endless }, {}, 1);
    expect(calls).toBe(3);
    expect(rollup.entities).toHaveLength(3);
  });
});
