import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { testEntities } from '../__testUtils__/testBackend';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { EntityResolver } from '../catalog/EntityResolver';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { applyMigrations } from '../store/migrations';
import { ReportStore } from '../store/ReportStore';
import { SummaryStore } from '../store/SummaryStore';
import { RollupService } from './RollupService';
import { ScorecardService } from './ScorecardService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('daily snapshots on %p', databaseId => {
  it('evaluates every component once a day, idempotently, and serves the history', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const catalog = catalogServiceMock({ entities: testEntities });
    const auth = mockServices.auth();
    const settings = readScorecardConfig(new ConfigReader({}));
    const summaries = new SummaryStore(knex);
    let now = new Date('2026-11-27T23:00:00Z');
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
      now: () => now,
    });
    const rollups = new RollupService({
      catalog,
      auth,
      summaries,
      scorecards,
      controlIds: settings.evaluation.controls.map(c => c.id),
      logger: mockServices.logger.mock(),
    });

    const components = testEntities.filter(e => e.kind === 'Component').length;
    expect(await rollups.snapshotAll(now)).toBe(components);
    expect(await rollups.snapshotAll(now)).toBe(components); // the same day again: replaced
    now = new Date('2026-11-28T01:00:00Z');
    await rollups.snapshotAll(now);

    const [{ count }] = await knex('devsecops_entity_snapshots').count({ count: '*' });
    expect(Number(count)).toBe(components * 2);
    const history = await summaries.history('component:default/payments-api', '2026-11-01');
    expect(history.map(h => h.day)).toEqual(['2026-11-27', '2026-11-28']);
    expect(history[0].controlStates['secret-scanning']).toBe('not_reported');
    expect((await summaries.all()).length).toBe(components);
  });
});
