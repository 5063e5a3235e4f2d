import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import devsecopsPlugin from '@devsecops-scorecard/plugin-devsecops-backend';
import { DemoHistoryEntity, planDemoHistory } from './demoHistory';

jest.setTimeout(300_000);

const HISTORY: DemoHistoryEntity[] = [
  { entity: 'component:default/payments-api', trajectory: 'improving', deployable: true },
  { entity: 'component:default/auth-gateway', trajectory: 'steady', deployable: true },
  { entity: 'component:default/legacy-billing', trajectory: 'struggling', deployable: true },
  { entity: 'component:default/shared-crypto-lib', trajectory: 'steady', deployable: false },
];

const entities: Entity[] = [
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a', namespace: 'default' }, spec: { type: 'team', children: [] } },
  ...HISTORY.map(({ entity, deployable }) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: entity.split('/')[1], namespace: 'default' },
    spec: { type: deployable ? 'service' : 'library', owner: 'team-a', lifecycle: 'production' },
  })),
];

const PATHS = {
  facts: '/v1/facts',
  deployment: '/v1/deployments',
  'runtime-signal': '/v1/runtime-signals',
  snapshot: '/v1/scorecards/snapshots',
} as const;

describe('demo history', () => {
  it('is the same on every start', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(planDemoHistory(HISTORY, 90, now)).toEqual(planDemoHistory(HISTORY, 90, now));
  });

  it('keeps every time of an entity in order and never in the future', () => {
    const now = Date.now();
    const calls = planDemoHistory(HISTORY, 90, now);
    const lastSnapshot = new Map<string, string>();
    for (const call of calls) {
      const times =
        call.kind === 'report'
          ? [call.query.scannedAt]
          : call.kind === 'facts'
          ? call.body.facts.map(f => f.observedAt)
          : call.kind === 'deployment'
          ? [call.body.deployedAt]
          : call.kind === 'snapshot'
          ? [call.body.at]
          : [call.body.detectedAt];
      const entity = call.kind === 'report' ? call.entity : call.body.entityRef;
      for (const time of times) {
        expect(Date.parse(time)).toBeLessThan(now);
        // Nothing of a day comes after that day's snapshot was written.
        expect(time > (lastSnapshot.get(entity) ?? '')).toBe(true);
      }
      if (call.kind === 'snapshot') lastSnapshot.set(entity, call.body.at);
    }
  });

  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('is accepted call by call by the devsecops API and tells three different stories', async () => {
    const backend = await startTestBackend({
      features: [
        devsecopsPlugin,
        mockServices.database.factory({ knex: await databases.init('SQLITE_3') }),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: { devsecops: { severityPolicy: { slaDays: { critical: 7, high: 30, medium: 90, low: 180, info: 365 } } } },
        }),
      ],
    });
    try {
      const calls = planDemoHistory(HISTORY, 90);
      const refused: string[] = [];
      for (const call of calls) {
        const response =
          call.kind === 'report'
            ? await request(backend.server)
                .post(`/api/devsecops/v1/reports?${new URLSearchParams({ entity: call.entity, ...call.query })}`)
                .set('Authorization', mockCredentials.service.header())
                .set('Content-Type', 'application/json')
                .send(call.body)
            : await request(backend.server)
                .post(`/api/devsecops${PATHS[call.kind]}`)
                .set('Authorization', mockCredentials.service.header())
                .send(call.body);
        if (response.status >= 300) refused.push(`${call.kind} ${response.status} ${response.text}`);
      }
      expect(refused).toEqual([]);

      const history = async (name: string) =>
        (
          await request(backend.server)
            .get(`/api/devsecops/v1/scorecards/history?entity=${name}&days=120`)
            .set('Authorization', mockCredentials.service.header())
            .expect(200)
        ).body.snapshots as Array<{ day: string; stage: number; metrics: any }>;

      const improving = await history('payments-api');
      expect(improving).toHaveLength(90);
      expect(improving[0].stage).toBeLessThanOrEqual(1);
      expect(improving[improving.length - 1].stage).toBeGreaterThanOrEqual(3);
      expect(improving[improving.length - 1].metrics.patchedCount).toBeGreaterThan(0);

      const struggling = await history('legacy-billing');
      expect(struggling).toHaveLength(90);
      expect(Math.max(...struggling.map(s => s.stage))).toBeLessThanOrEqual(1);

      const steady = await history('auth-gateway');
      expect(new Set(steady.map(s => s.stage)).size).toBeLessThanOrEqual(2);
      expect(steady[0].stage).toBeGreaterThanOrEqual(1);
    } finally {
      await backend.stop();
    }
  });
});
