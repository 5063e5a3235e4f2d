import { randomUUID } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { component, organisationEntities, testEntities } from '../__testUtils__/testBackend';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { EntityResolver } from '../catalog/EntityResolver';
import { DeploymentStore } from '../store/DeploymentStore';
import { ExerciseStore } from '../store/ExerciseStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { applyMigrations } from '../store/migrations';
import { ReportStore } from '../store/ReportStore';
import { SummaryStore } from '../store/SummaryStore';
import { ScorecardService } from './ScorecardService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const withoutTime = (s: EntityScorecard) => ({ ...s, evaluatedAt: undefined });

describe.each(databases.eachSupportedId())('ScorecardService.evaluateMany on %p', databaseId => {
  it('asks the catalog once per owner group and approver for a batch, gives what one evaluation each gives, and carries on past a failure', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    // 24 services of payments-sre (below team-payments, below acme); each deployed to production,
    // approved by paula (a user) or by ghost (not in the catalog).
    const services = Array.from({ length: 24 }, (_, i) => component(`sre-svc-${i}`, 'payments-sre', 'service', `acme/sre-svc-${i}`));
    const catalog = catalogServiceMock({ entities: [...testEntities, ...organisationEntities, ...services] });
    const asked = jest.spyOn(catalog, 'getEntityByRef');
    const deployments = new DeploymentStore(knex);
    const at = new Date('2026-11-27T10:00:00Z');
    for (const [i, s] of services.entries()) {
      const entityRef = `component:default/${s.metadata.name}`;
      await knex.transaction(tx =>
        deployments.insert(tx, {
          id: randomUUID(),
          entityRef,
          ownerRef: 'group:default/payments-sre',
          environment: 'production',
          artifactDigest: `sha256:${String(i).padStart(64, '0')}`,
          deployer: 'user:default/penny',
          approver: i % 2 ? 'user:default/paula' : 'user:default/ghost',
          result: 'success',
          deployedAt: at,
          recordedBy: 'test',
          recordedAt: at,
          dedupKey: `d-${i}`,
        } as any),
      );
    }
    const reports = new ReportStore(knex);
    const service = new ScorecardService({
      logger: mockServices.logger.mock(),
      settings: readScorecardConfig(new ConfigReader({})),
      entities: new EntityResolver(catalog, mockServices.auth()),
      reports,
      findings: new FindingStore(knex),
      facts: new FactStore(knex),
      deployments,
      decisions: new GateDecisionStore(knex),
      exercises: new ExerciseStore(knex),
      summaries: new SummaryStore(knex),
      exceptions: { activeFor: async () => [] },
      now: () => new Date('2026-11-28T12:00:00Z'),
    });
    // One entity's evidence cannot be read: it is reported, the others are still evaluated.
    const latest = reports.latestPerControl.bind(reports);
    jest.spyOn(reports, 'latestPerControl').mockImplementation(async ref => {
      if (ref === 'component:default/sre-svc-5') throw new Error('database hiccup');
      return latest(ref);
    });

    const result = await service.evaluateMany(services, 4);

    expect(result.failed.map(f => f.entityRef)).toEqual(['component:default/sre-svc-5']);
    expect(String(result.failed[0].error)).toContain('database hiccup');
    expect(result.evaluated).toHaveLength(23);
    // Each group of the owner chain and each approver once for the whole batch, not per entity.
    const counts = new Map<string, number>();
    for (const [asRef] of asked.mock.calls) {
      const ref = typeof asRef === 'string' ? asRef : stringifyEntityRef(asRef);
      counts.set(ref, (counts.get(ref) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({
      'group:default/payments-sre': 1,
      'group:default/team-payments': 1,
      'group:default/acme': 1,
      'user:default/paula': 1,
      'user:default/ghost': 1,
    });

    // The stored scorecards are what evaluating each entity alone (no shared answers) gives,
    // approver verdicts included: a catalog user passes, an unknown name is named.
    const stored = await new SummaryStore(knex).storedScorecards(result.evaluated);
    for (const ref of ['component:default/sre-svc-1', 'component:default/sre-svc-2']) {
      const entity = services.find(s => `component:default/${s.metadata.name}` === ref)!;
      expect(withoutTime(stored.get(ref)!)).toEqual(withoutTime(await service.evaluate(entity)));
    }
    const checks = (ref: string) => JSON.stringify(stored.get(ref)!.controls);
    expect(checks('component:default/sre-svc-2')).toContain('user:default/ghost is not a User in the catalog');
    expect(checks('component:default/sre-svc-1')).not.toContain('is not a User in the catalog');
  });
});
