import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { applyMigrations } from '../store/migrations';
import { ReportStore } from '../store/ReportStore';
import { SummaryStore } from '../store/SummaryStore';
import { ScorecardService } from '../scorecard/ScorecardService';
import * as evaluation from '../evaluate/scorecard';
import { EntityResolver } from './EntityResolver';
import { CatalogReadIndex, refKey } from './catalogReadIndex';

jest.mock('../evaluate/scorecard', () => {
  const actual = jest.requireActual('../evaluate/scorecard');
  return { ...actual, evaluateEntity: jest.fn(actual.evaluateEntity) };
});
const evaluateSpy = evaluation.evaluateEntity as jest.MockedFunction<typeof evaluation.evaluateEntity>;

jest.setTimeout(60_000);

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

describe('CatalogReadIndex', () => {
  it('reads counted kinds in pages once per TTL, keeps answering while it rebuilds, and sees catalog changes after it', async () => {
    // 2,500 components: three pages of 1,000.
    const entities = [group('team-a'), ...Array.from({ length: 2500 }, (_, i) => component(`svc-${i}`, 'team-a'))];
    let catalog = catalogServiceMock({ entities });
    const queries = jest.fn();
    const catalogProxy = {
      queryEntities: (...args: Parameters<typeof catalog.queryEntities>) => {
        queries(args[0]);
        return catalog.queryEntities(...args);
      },
    } as unknown as typeof catalog;
    let clock = 0;
    const index = new CatalogReadIndex({ catalog: catalogProxy, auth: mockServices.auth(), kinds: ['Component'], ttlMs: 30_000, now: () => clock });

    // While the first index is built, reads do not wait for it: they take the catalog path.
    expect(await index.lookup('svc-7')).toBeUndefined();
    await index.ready();
    expect(await index.lookup('svc-7')).toEqual({ entityRef: 'component:default/svc-7', kind: 'Component', ownerRef: 'group:default/team-a' });
    expect(await index.lookup('COMPONENT:default/SVC-2499')).toEqual(expect.objectContaining({ entityRef: 'component:default/svc-2499' }));
    expect(await index.lookup('group:default/team-a')).toBeUndefined(); // not a counted kind
    expect(await index.lookup('svc-9999')).toBeUndefined();
    expect(await index.lookup('component:')).toBeUndefined(); // malformed: the catalog path answers
    expect(queries).toHaveBeenCalledTimes(3);

    // The catalog changes: svc-7 moves to team-b, svc-8 is deleted.
    catalog = catalogServiceMock({
      entities: [group('team-a'), group('team-b'), component('svc-7', 'team-b'), ...entities.slice(10).filter(e => e.metadata.name !== 'svc-8')],
    });
    clock = 29_999;
    expect((await index.lookup('svc-7'))?.ownerRef).toBe('group:default/team-a');
    expect(queries).toHaveBeenCalledTimes(3);
    clock = 30_000;
    // Lapsed: this read still gets the previous answer, the next one the rebuilt index.
    expect((await index.lookup('svc-7'))?.ownerRef).toBe('group:default/team-a');
    await new Promise(resolve => setTimeout(resolve, 50));
    expect((await index.lookup('svc-7'))?.ownerRef).toBe('group:default/team-b');
    expect(await index.lookup('svc-8')).toBeUndefined();
    expect(queries).toHaveBeenCalledTimes(6);
  });
});

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('scorecard reads through the catalog read index on %p', databaseId => {
  it('serve the stored scorecard without a catalog call per read; an owner change or an unknown entity takes the catalog path', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const entities = [group('team-a'), group('team-b'), component('svc-1', 'team-a'), component('svc-2', 'team-a')];
    const catalog = catalogServiceMock({ entities });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const auth = mockServices.auth();
    const settings = readScorecardConfig(new ConfigReader({}));
    const readIndex = new CatalogReadIndex({ catalog, auth, kinds: settings.entityKinds });
    const summaries = new SummaryStore(knex);
    const service = new ScorecardService({
      logger: mockServices.logger.mock(),
      settings,
      entities: new EntityResolver(catalog, auth),
      reports: new ReportStore(knex),
      findings: new FindingStore(knex),
      facts: new FactStore(knex),
      deployments: new DeploymentStore(knex),
      decisions: new GateDecisionStore(knex),
      exceptions: { activeFor: async () => [] },
      summaries,
      readIndex,
    });
    await service.refresh('component:default/svc-1');
    await service.refresh('component:default/svc-2');
    await readIndex.ready();
    getEntityByRef.mockClear();
    evaluateSpy.mockClear();

    for (let i = 0; i < 20; i++) {
      const scorecard = await service.scorecard({ entityRef: i % 2 ? 'svc-1' : 'component:default/svc-2' });
      expect(scorecard.entityRef).toBe(i % 2 ? 'component:default/svc-1' : 'component:default/svc-2');
    }
    expect(getEntityByRef).not.toHaveBeenCalled();
    expect(evaluateSpy).not.toHaveBeenCalled();

    // The stored scorecard's owner is not the indexed owner (the catalog changed since it was
    // stored): the catalog is asked and the entity evaluated, as before the index.
    await knex('devsecops_entity_summaries').where({ entity_ref: 'component:default/svc-1' }).update({ owner_ref: 'group:default/team-b' });
    expect((await service.scorecard({ entityRef: 'svc-1' })).ownerRef).toBe('group:default/team-a');
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    expect(evaluateSpy).toHaveBeenCalledTimes(1);

    // Not in the catalog: the catalog path's 404.
    await expect(service.scorecard({ entityRef: 'svc-404' })).rejects.toThrow(/svc-404/);
  });
});

describe('refKey', () => {
  it('is the catalog’s en-US lower case for every ASCII character and for non-ASCII refs', () => {
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    expect(refKey(ascii)).toBe(ascii.toLocaleLowerCase('en-US'));
    expect(refKey('Component:Default/PAYMENTS-api_2.x')).toBe('component:default/payments-api_2.x');
    // Outside ASCII the locale-aware call decides (İ lower-cases to i + U+0307 in en-US).
    for (const ref of ['component:default/İSTANBUL', 'component:default/STRASSE-Ä', 'component:default/ΣΟΦΙΑ']) {
      expect(refKey(ref)).toBe(ref.toLocaleLowerCase('en-US'));
    }
  });
});
