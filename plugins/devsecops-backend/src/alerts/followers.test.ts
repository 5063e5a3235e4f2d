/*
 * Followers (issue 19 item 2): the users and groups an entity's devsecops.io/followers annotation
 * names receive its regression alerts with the owning team, once across two instances, on both
 * databases; a malformed follower is left out and the owning team still hears.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { applyMigrations } from '../store/migrations';
import { RegressionAlertStore } from '../store/RegressionAlertStore';
import { catalogFollowers, parseFollowers } from './followers';
import { RegressionAlerts } from './RegressionAlerts';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const component = (name: string, followers?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', ...(followers ? { annotations: { 'devsecops.io/followers': followers } } : {}) },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
});

const card = (name: string, sast: 'passing' | 'failing'): EntityScorecard =>
  ({
    entityRef: `component:default/${name}`,
    ownerRef: 'group:default/team-payments',
    evaluatedAt: '2026-12-06T10:00:00.000Z',
    controls: [{ controlId: 'sast', stage: 'build', title: 'SAST', state: sast, reason: `SAST is ${sast}`, evidence: [] }],
    maturity: { stage: 1, stages: [], nextSteps: [] },
    metrics: {},
    latestGateDecisions: [],
  }) as any;

function instance(knex: Knex, sent: NotificationSendOptions[]) {
  const logger = mockServices.logger.mock();
  return new RegressionAlerts({
    store: new RegressionAlertStore(knex),
    notifications: { send: async (o: NotificationSendOptions) => void sent.push(o) },
    logger,
    followers: catalogFollowers({
      catalog: catalogServiceMock({
        entities: [
          component('payments-api', 'dana, group:default/security-compliance team-payments-lead'),
          component('checkout-web', 'system:default/payments'),
        ],
      }),
      auth: mockServices.auth(),
      logger,
    }),
  });
}

describe('parseFollowers', () => {
  it('reads users (the default kind) and groups, separated by commas or spaces, and leaves anything else out', () => {
    expect(parseFollowers(' dana,group:security-compliance  user:default/dana component:default/x ')).toEqual({
      refs: ['group:default/security-compliance', 'user:default/dana'],
      invalid: ['component:default/x'],
    });
    expect(parseFollowers(undefined)).toEqual({ refs: [], invalid: [] });
  });
});

describe.each(databases.eachSupportedId())('followers on %p', databaseId => {
  it('receive the alert with the owning team, once across two instances', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    try {
      const sent: NotificationSendOptions[] = [];
      const a = instance(knex, sent);
      const b = instance(second, sent);
      await Promise.all([
        a.scorecardChanged(card('payments-api', 'passing'), card('payments-api', 'failing')),
        b.scorecardChanged(card('payments-api', 'passing'), card('payments-api', 'failing')),
      ]);
      expect(sent.map(s => s.recipients)).toEqual([
        {
          type: 'entity',
          entityRef: [
            'group:default/team-payments',
            'group:default/security-compliance',
            'user:default/dana',
            'user:default/team-payments-lead',
          ],
        },
      ]);
      // Only a system is named: left out, the owning team alone hears.
      await a.scorecardChanged(card('checkout-web', 'passing'), card('checkout-web', 'failing'));
      expect(sent[1].recipients).toEqual({ type: 'entity', entityRef: 'group:default/team-payments' });
    } finally {
      if (second !== knex) await second.destroy();
    }
  });
});
