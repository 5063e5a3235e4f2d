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
import { ScorecardService } from './ScorecardService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('stored scorecards on %p', databaseId => {
  it('serve reads until an exception expires, then the failure counts again at once', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const catalog = catalogServiceMock({ entities: testEntities });
    const auth = mockServices.auth();
    const facts = new FactStore(knex);
    let now = new Date('2026-11-28T12:00:00Z');
    const expiresAt = '2026-11-28T12:05:00.000Z';
    const loadSpy = jest.fn();
    const service = new ScorecardService({
      logger: mockServices.logger.mock(),
      settings: readScorecardConfig(new ConfigReader({})),
      entities: new EntityResolver(catalog, auth),
      reports: new ReportStore(knex),
      findings: new FindingStore(knex),
      facts,
      deployments: new DeploymentStore(knex),
      decisions: new GateDecisionStore(knex),
      summaries: new SummaryStore(knex),
      exceptions: {
        activeFor: async (_ref, at) => {
          loadSpy();
          return at.toISOString() < expiresAt
            ? [{ id: 'x1', control: 'code-review', approvedAt: '2026-11-27T00:00:00.000Z', expiresAt }]
            : [];
        },
      },
      now: () => now,
    });
    await knex.transaction(tx =>
      facts.insert(tx, [
        {
          entityRef: 'component:default/payments-api',
          fact: 'branch_protection.required_reviews',
          value: 0,
          source: 'test',
          observedAt: now.toISOString(),
          recordedBy: 'test',
          recordedAt: now.toISOString(),
        },
      ]),
    );
    const state = async () =>
      (await service.scorecard({ entityRef: 'payments-api' })).controls.find(c => c.controlId === 'code-review')!.state;

    expect(await state()).toBe('excepted');
    expect(loadSpy).toHaveBeenCalledTimes(1);
    now = new Date('2026-11-28T12:04:00Z');
    expect(await state()).toBe('excepted');
    expect(loadSpy).toHaveBeenCalledTimes(1); // served from the stored scorecard
    now = new Date('2026-11-28T12:05:01Z');
    expect(await state()).toBe('failing'); // the expiry bounded the stored scorecard's validity
    expect(loadSpy).toHaveBeenCalledTimes(2);
  });
});
