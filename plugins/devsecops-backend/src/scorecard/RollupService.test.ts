import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { component, testEntities } from '../__testUtils__/testBackend';
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

  it('copies stored summaries set-based, evaluating only what is missing, changed in the catalog or past its instant', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const many = Array.from({ length: 60 }, (_, i) => component(`svc-${i}`, 'team-payments', 'service', `acme/svc-${i}`));
    const auth = mockServices.auth();
    const settings = readScorecardConfig(new ConfigReader({}));
    const summaries = new SummaryStore(knex);
    let now = new Date('2026-11-27T23:00:00Z');
    const expiresAt = '2026-11-28T00:30:00.000Z';
    const build = (entities: typeof testEntities) => {
      const catalog = catalogServiceMock({ entities });
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
        // svc-7 has an exception on code-review until 00:30 on the 28th.
        exceptions: {
          activeFor: async (ref, at) =>
            ref === 'component:default/svc-7' && at.toISOString() < expiresAt
              ? [{ id: 'x7', control: 'code-review', approvedAt: '2026-11-01T00:00:00.000Z', expiresAt }]
              : [],
        },
        now: () => now,
      });
      const evaluate = jest.spyOn(scorecards, 'evaluate');
      const rollups = new RollupService({
        catalog,
        auth,
        summaries,
        scorecards,
        controlIds: settings.evaluation.controls.map(c => c.id),
        logger: mockServices.logger.mock(),
      });
      return { rollups, evaluate };
    };
    const counted = testEntities.filter(e => e.kind === 'Component').length + many.length;
    const observedAt = '2026-11-27T12:00:00.000Z';
    await knex.transaction(tx =>
      new FactStore(knex).insert(tx, [
        { entityRef: 'component:default/svc-7', fact: 'branch_protection.required_reviews', value: 0, source: 'test', observedAt, recordedBy: 'test', recordedAt: observedAt },
      ]),
    );

    // The first run evaluates every entity (nothing stored yet).
    const first = build([...testEntities, ...many]);
    expect(await first.rollups.snapshotAll(now)).toBe(counted);
    expect(first.evaluate).toHaveBeenCalledTimes(counted);

    // The next day: svc-7's exception expired at 00:30 while no refresh job ran; svc-3 changed
    // owner in the catalog. Only those two are evaluated (the late one first); the rest is copied.
    now = new Date('2026-11-28T01:00:00Z');
    const moved = many.map(e => (e.metadata.name === 'svc-3' ? { ...e, spec: { ...e.spec, owner: 'team-checkout' } } : e));
    const second = build([...testEntities, ...moved]);
    let statements = 0;
    const count = () => statements++;
    knex.on('query', count);
    expect(await second.rollups.snapshotAll(now)).toBe(counted);
    knex.off('query', count);
    expect(second.evaluate.mock.calls.map(([e]) => e.metadata.name)).toEqual(['svc-7', 'svc-3']);
    // Set-based: a handful of statements for 60+ entities beside the two re-evaluations' own.
    expect(statements).toBeLessThan(60);
    const day = await knex('devsecops_entity_snapshots').where({ day: '2026-11-28' });
    expect(day).toHaveLength(counted);
    const svc7 = day.find(r => r.entity_ref === 'component:default/svc-7');
    expect(JSON.parse(svc7.control_states)['code-review']).toBe('failing');
    const before = (await knex('devsecops_entity_snapshots').where({ day: '2026-11-27', entity_ref: 'component:default/svc-7' }))[0];
    expect(JSON.parse(before.control_states)['code-review']).toBe('excepted');
    expect((await summaries.get(['component:default/svc-3']))[0].ownerRef).toBe('group:default/team-checkout');
  });
});
