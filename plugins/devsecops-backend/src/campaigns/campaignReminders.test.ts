/*
 * Campaign reminders and end reports (issue 19): sent to the owning teams of unfinished services
 * at the configured offsets before the target date, and to the campaign's owner the day after it;
 * two instances on one database (each with its own services, as two pods) send each once.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { testEntities } from '../__testUtils__/testBackend';
import { ControlCatalog } from '../config/ControlCatalog';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { RollupService } from '../scorecard/RollupService';
import { CampaignStore } from '../store/CampaignStore';
import { applyMigrations } from '../store/migrations';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { readCampaignSettings } from './campaignInput';
import { CampaignService } from './CampaignService';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const settings = readScorecardConfig(new ConfigReader({}));

const summary = (name: string, owner: string, dependencyScan: 'passing' | 'failing'): EntitySummary => ({
  entityRef: `component:default/${name}`,
  ownerRef: `group:default/${owner}`,
  lifecycle: 'production',
  stage: 1,
  controlStates: { 'dependency-scan': dependencyScan },
  metrics: { patchedCount: 0 } as EntitySummary['metrics'],
  evaluatedAt: '2026-12-01T00:00:00.000Z',
});

function instance(knex: Knex, now: () => Date, sent: NotificationSendOptions[]) {
  const catalog = catalogServiceMock({ entities: testEntities });
  const auth = mockServices.auth();
  const logger = mockServices.logger.mock();
  const summaries = new SummaryStore(knex);
  const rollups = new RollupService({
    catalog,
    auth,
    summaries,
    scorecards: { counts: () => true, entityKinds: ['Component'] } as any,
    controlIds: ControlCatalog.fromSettings(settings).ids(),
    logger,
  });
  return new CampaignService({
    store: new CampaignStore(knex),
    settings: readCampaignSettings(
      new ConfigReader({
        devsecops: {
          campaigns: {
            declared: [
              {
                key: 'no-critical-dependencies',
                title: 'No critical dependencies',
                goal: { type: 'controls', controls: ['dependency-scan'] },
                scope: { group: 'acme' },
                startDate: '2026-11-01',
                targetDate: '2026-12-20',
                ownerRef: 'group:default/security-compliance',
                reminderDaysBefore: [14, 7],
              },
            ],
          },
        },
      }),
      new Date('2026-12-01T00:00:00Z'),
    ),
    summaries,
    rollups,
    catalog,
    auth,
    permissions: mockServices.permissions.mock(),
    notifications: { send: async (options: NotificationSendOptions) => void sent.push(options) },
    controls: ControlCatalog.fromSettings(settings),
    stages: settings.evaluation.stages,
    entityKinds: ['Component'],
    logger,
    now,
  });
}

describe.each(databases.eachSupportedId())('campaign reminders on %p', databaseId => {
  it('reminds each owning team once per offset, and the owner once when it ends, across two instances', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    try {
      const summaries = new SummaryStore(knex);
      // Where the services stand, and the daily job's snapshots (done days are read from them).
      const record = async (day: string, paymentsApi: 'passing' | 'failing') => {
        await summaries.upsert(summary('payments-api', 'team-payments', paymentsApi));
        await summaries.upsert(summary('checkout-web', 'team-checkout', 'passing'));
        await summaries.snapshot(summary('payments-api', 'team-payments', paymentsApi), day);
        await summaries.snapshot(summary('checkout-web', 'team-checkout', 'passing'), day);
      };
      await record('2026-12-04', 'failing');
      let now = new Date('2026-12-04T08:00:00Z'); // 16 days before the target: no offset reached
      const sent: NotificationSendOptions[] = [];
      const a = instance(knex, () => now, sent);
      const b = instance(second, () => now, sent);
      const both = async () => (await Promise.all([a.notifyDue(), b.notifyDue(), a.notifyDue(), b.notifyDue()])).reduce((x, y) => x + y, 0);

      expect(await both()).toBe(0);

      now = new Date('2026-12-08T08:00:00Z'); // 12 days before: the 14-day reminder
      expect(await both()).toBe(1);
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/team-payments' },
          payload: {
            title: 'No critical dependencies: 1 service not done, due in 12 days',
            description: 'Target 2026-12-20. The campaign page lists the next step for each service.',
            link: expect.stringMatching(/^\/devsecops\/campaigns\/[0-9a-f-]{36}$/),
            topic: 'devsecops-campaign-reminder',
            severity: 'normal',
          },
        },
      ]);
      now = new Date('2026-12-09T08:00:00Z'); // still in the 14-day window: nothing new
      expect(await both()).toBe(0);

      now = new Date('2026-12-15T08:00:00Z'); // 5 days before: the 7-day reminder
      expect(await both()).toBe(1);
      expect(sent[1].payload.title).toBe('No critical dependencies: 1 service not done, due in 5 days');

      // Fixed after the target date: the end report names it late, checkout-web on time.
      await record('2026-12-21', 'passing');
      now = new Date('2026-12-21T08:00:00Z');
      expect(await both()).toBe(1);
      expect(sent[2]).toEqual({
        recipients: { type: 'entity', entityRef: 'group:default/security-compliance' },
        payload: expect.objectContaining({
          title: 'Campaign ended: No critical dependencies',
          description: '1 done on time, 1 late, 0 through exceptions, 0 not done.',
          topic: 'devsecops-campaign-ended',
        }),
      });
      now = new Date('2026-12-22T08:00:00Z');
      expect(await both()).toBe(0);
      expect(sent).toHaveLength(3);
    } finally {
      if (second !== knex) await second.destroy();
    }
  });
});
