/*
 * Evidence about to go stale (issue 19 item 2): the daily pass warns the owning team and the
 * followers of each passing control whose newest evidence leaves its freshness window within 7
 * days, once across two instances, and again only after the control left the window and came
 * back to it. On both databases.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { applyMigrations } from '../store/migrations';
import { RegressionAlertStore } from '../store/RegressionAlertStore';
import { SummaryStore } from '../store/SummaryStore';
import { RegressionAlerts } from './RegressionAlerts';
import { staleSoonCauses } from './staleSoon';
import { StaleSoonWarnings } from './StaleSoonWarnings';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const REF = 'component:default/payments-api';
const FRESHNESS: Record<string, number> = { sast: 30, 'code-review': 90 };

const card = (sastEvidence: string, sastState: 'passing' | 'failing' = 'passing'): EntityScorecard =>
  ({
    entityRef: REF,
    ownerRef: 'group:default/team-payments',
    evaluatedAt: '2026-12-06T10:00:00.000Z',
    controls: [
      { controlId: 'sast', stage: 'build', title: 'SAST', state: sastState, reason: '', lastEvidenceAt: sastEvidence, evidence: [] },
      // Fresh for months: no warning.
      { controlId: 'code-review', stage: 'code', title: 'Code review', state: 'passing', reason: '', lastEvidenceAt: '2026-12-01T00:00:00.000Z', evidence: [] },
    ],
    maturity: { stage: 1, stages: [], nextSteps: [] },
    metrics: {},
    latestGateDecisions: [],
  }) as any;

const summary = (scorecard: EntityScorecard) => ({
  entityRef: REF,
  ownerRef: 'group:default/team-payments',
  stage: 1,
  controlStates: Object.fromEntries(scorecard.controls.map(c => [c.controlId, c.state])),
  metrics: {} as any,
  evaluatedAt: scorecard.evaluatedAt,
});

function instance(knex: Knex, sent: NotificationSendOptions[], now: () => Date) {
  const logger = mockServices.logger.mock();
  const store = new RegressionAlertStore(knex);
  return new StaleSoonWarnings({
    summaries: new SummaryStore(knex),
    store,
    alerts: new RegressionAlerts({ store, notifications: { send: async (o: NotificationSendOptions) => void sent.push(o) }, logger, now }),
    freshnessDays: id => FRESHNESS[id],
    logger,
    now,
  });
}

describe('staleSoonCauses', () => {
  it('names passing controls leaving their window within the warning days, with the day', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    // SAST evidence of 2026-11-10 is stale from 2026-12-10: 4 days left.
    expect(staleSoonCauses(card('2026-11-10T00:00:00.000Z'), id => FRESHNESS[id], now, 7)).toEqual([
      {
        cause: 'stale-soon:sast',
        alert: {
          topic: 'devsecops-evidence-stale-soon',
          title: 'payments-api: SAST evidence goes stale in 4 days',
          description: 'The newest evidence is from 2026-11-10; SAST counts it for 30 days, until 2026-12-10. New evidence before then keeps it passing.',
          link: '/catalog/default/component/payments-api/security#control-sast',
          severity: 'normal',
        },
      },
    ]);
    // Further than 7 days, already stale, or not passing: nothing.
    expect(staleSoonCauses(card('2026-11-20T00:00:00.000Z'), id => FRESHNESS[id], now, 7)).toEqual([]);
    expect(staleSoonCauses(card('2026-11-01T00:00:00.000Z'), id => FRESHNESS[id], now, 7)).toEqual([]);
    expect(staleSoonCauses(card('2026-11-10T00:00:00.000Z', 'failing'), id => FRESHNESS[id], now, 7)).toEqual([]);
  });
});

describe.each(databases.eachSupportedId())('stale-evidence warnings on %p', databaseId => {
  it('warn once across two instances until the control leaves the window', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    try {
      const summaries = new SummaryStore(knex);
      let now = new Date('2026-12-06T12:00:00Z');
      const sent: NotificationSendOptions[] = [];
      const a = instance(knex, sent, () => now);
      const b = instance(second, sent, () => now);
      const scorecard = card('2026-11-10T00:00:00.000Z');
      await summaries.upsert(summary(scorecard), scorecard);

      const counts = await Promise.all([a.run(), b.run()]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
      expect(sent.map(s => [s.recipients, s.payload.topic, s.payload.title])).toEqual([
        [{ type: 'entity', entityRef: 'group:default/team-payments' }, 'devsecops-evidence-stale-soon', 'payments-api: SAST evidence goes stale in 4 days'],
      ]);
      // The next day, still in the window: nothing new.
      now = new Date('2026-12-07T12:00:00Z');
      expect(await a.run()).toBe(0);
      // New evidence ends it; when that evidence nears its end, it warns again.
      const renewed = card('2026-12-07T00:00:00.000Z');
      await summaries.upsert(summary(renewed), renewed);
      expect(await b.run()).toBe(0);
      expect(await knex('devsecops_regression_alerts').where('cause', 'like', 'stale-soon:%')).toEqual([]);
      now = new Date('2027-01-02T12:00:00Z');
      expect(await a.run()).toBe(1);
      expect(sent[1].payload.title).toBe('payments-api: SAST evidence goes stale in 4 days');
    } finally {
      if (second !== knex) await second.destroy();
    }
  });
  it('try once when no notifications backend is installed (404), say so once, and send what is left once it answers', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const summaries = new SummaryStore(knex);
    const refs = ['a', 'b', 'c'].map(n => `component:default/svc-${n}`);
    for (const ref of refs) {
      const scorecard = { ...card('2026-11-10T00:00:00.000Z'), entityRef: ref };
      await summaries.upsert({ ...summary(scorecard), entityRef: ref }, scorecard);
    }
    let now = new Date('2026-12-06T12:00:00Z');
    let failure: string | undefined = 'Failed to send notifications: Error: Request failed with status 404';
    const attempts: string[] = [];
    const logger = mockServices.logger.mock();
    const store = new RegressionAlertStore(knex);
    const warnings = new StaleSoonWarnings({
      summaries,
      store,
      alerts: new RegressionAlerts({
        store,
        notifications: {
          send: async (o: NotificationSendOptions) => {
            attempts.push(o.payload.title);
            if (failure) throw new Error(failure);
          },
        },
        logger,
        now: () => now,
      }),
      freshnessDays: id => FRESHNESS[id],
      logger,
      now: () => now,
    });

    expect(await warnings.run()).toBe(0);
    expect(attempts).toHaveLength(1); // not once per entity
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0][0])).toMatch(/notifications backend is not there.*plugin-notifications-backend/);
    expect(await knex('devsecops_regression_alerts')).toEqual([]); // nothing claimed: nothing lost

    now = new Date(now.getTime() + 10 * 60_000 - 1); // still paused
    expect(await warnings.run()).toBe(0);
    expect(attempts).toHaveLength(1);

    failure = undefined; // installed since
    now = new Date(now.getTime() + 1);
    expect(await warnings.run()).toBe(3);
    expect(attempts).toHaveLength(4);

    // Another failure (the backend there but failing) is not a pause: each is tried and named.
    const later = { ...card('2026-11-10T00:00:00.000Z'), entityRef: 'component:default/svc-d' };
    await summaries.upsert({ ...summary(later), entityRef: later.entityRef }, later);
    const other = { ...card('2026-11-10T00:00:00.000Z'), entityRef: 'component:default/svc-e' };
    await summaries.upsert({ ...summary(other), entityRef: other.entityRef }, other);
    failure = 'Failed to send notifications: Error: Request failed with status 503';
    logger.warn.mockClear();
    expect(await warnings.run()).toBe(0);
    expect(attempts).toHaveLength(6);
    expect(logger.warn.mock.calls.map(c => String(c[0]))).toEqual([
      expect.stringContaining('notification of component:default/svc-d'),
      expect.stringContaining('notification of component:default/svc-e'),
    ]);
  });
});
