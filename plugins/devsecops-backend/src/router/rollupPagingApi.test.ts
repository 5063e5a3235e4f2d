import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { component, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const EXTRA = Array.from({ length: 9 }, (_, i) => component(`svc-${i}`, 'team-payments', 'service', `acme/svc-${i}`));

describe.each(databases.eachSupportedId())('roll-up entity paging on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, { extraEntities: EXTRA });
  });
  afterEach(() => backend.stop());

  const get = (query: string) =>
    request(backend.server).get(`/api/devsecops/v1/rollups${query}`).set('Authorization', mockCredentials.user.header());

  it('pages the entity list with entitiesLimit and a cursor, aggregates and team rows whole on every page', async () => {
    for (const e of [...EXTRA.map(x => x.metadata.name), 'payments-api', 'checkout-web']) {
      await request(backend.server)
        .get(`/api/devsecops/v1/scorecards?entity=${e}`)
        .set('Authorization', mockCredentials.user.header())
        .expect(200);
    }
    const full = (await get('').expect(200)).body;
    expect(full.entityCount).toBe(11);
    expect(full.entities).toHaveLength(11);
    expect(full.entitiesPage).toBeUndefined(); // without entitiesLimit: as before paging existed

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await get(`?entitiesLimit=4${cursor ? `&entitiesCursor=${cursor}` : ''}`).expect(200)).body;
      pages++;
      expect(page.entities.length).toBeLessThanOrEqual(4);
      expect(page.entitiesPage.total).toBe(11);
      const { entities: _e, entitiesPage: _p, ...aggregates } = page;
      const { entities: _fe, ...fullAggregates } = full;
      expect(aggregates).toEqual(fullAggregates);
      seen.push(...page.entities.map((e: any) => e.entityRef));
      cursor = page.entitiesPage.nextCursor;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(full.entities.map((e: any) => e.entityRef));

    const compact = await get('?entitiesLimit=0').expect(200);
    expect(compact.body.entities).toEqual([]);
    expect(compact.body.entitiesPage).toEqual({ total: 11 });
    expect(compact.body.owners.map((o: any) => [o.scope.ref, o.entityCount])).toEqual([
      ['group:default/team-checkout', 1],
      ['group:default/team-payments', 10],
    ]);
    expect(compact.text.length).toBeLessThan((await get('')).text.length);

    const team = (await get('?group=team-checkout&entitiesLimit=1').expect(200)).body;
    expect(team.entities.map((e: any) => e.entityRef)).toEqual(['component:default/checkout-web']);
    expect(team.entitiesPage).toEqual({ total: 1 });
  });

  it('refuses a bad limit or cursor with a 400 naming the parameter, never echoing it', async () => {
    const forged = Buffer.from('not-a-cursor', 'utf8').toString('base64url');
    const bad = await get(`?entitiesLimit=5&entitiesCursor=${forged}`).expect(400);
    expect(bad.body.error.message).toMatch(/^entitiesCursor is not a cursor this API gave out/);
    expect(bad.body.error.message).not.toContain(forged);
    expect((await get('?entitiesLimit=501').expect(400)).body.error.message).toBe('entitiesLimit must be between 0 and 500');
    expect((await get('?entitiesLimit=ten').expect(400)).body.error.message).toMatch(/entitiesLimit/);
    expect((await get('?entitiesCursor=YWZ0ZXI6eA').expect(400)).body.error.message).toBe('entitiesCursor needs entitiesLimit');
  });
});
