import { mockServices } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionStore } from '../store/ExceptionStore';
import { daysUntil, ExceptionNotifier } from './ExceptionNotifier';

const base: ExceptionRecord = {
  id: 'e1',
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/team-payments',
  scope: { control: 'container-scan', vulnerabilityId: 'CVE-2024-1' },
  riskStatement: 'Not reachable from the internet',
  riskRating: 'high',
  requester: 'user:default/paula-payne',
  riskOwner: 'user:default/risk-owner-rita',
  expiresAt: '2026-12-07T12:00:00.000Z',
  status: 'approved',
  requestedAt: '2026-11-20T09:00:00.000Z',
  events: [],
};

/** The store's notification claims and queries, in memory. */
function fakeStore(records: ExceptionRecord[]) {
  const claims = new Set<string>();
  return {
    claims,
    store: {
      async claimNotification(id: string, kind: string) {
        if (claims.has(`${id}/${kind}`)) return false;
        claims.add(`${id}/${kind}`);
        return true;
      },
      async releaseNotification(id: string, kind: string) {
        claims.delete(`${id}/${kind}`);
      },
      async approvedExpiringBefore(now: Date, until: Date) {
        return records.filter(
          r => r.status === 'approved' && new Date(r.expiresAt) > now && new Date(r.expiresAt) <= until,
        );
      },
      async awaitingDecision() {
        return records.filter(r => r.status === 'requested');
      },
    } as unknown as ExceptionStore,
  };
}

function notifierAt(clock: { now: Date }, records: ExceptionRecord[], warnDaysBeforeExpiry = [14, 7, 3]) {
  const sent: NotificationSendOptions[] = [];
  const notifier = new ExceptionNotifier({
    notifications: { send: async o => void sent.push(o) },
    store: fakeStore(records).store,
    logger: mockServices.logger.mock(),
    warnDaysBeforeExpiry,
    now: () => clock.now,
  });
  return { notifier, sent };
}

describe('ExceptionNotifier', () => {
  it('counts whole days left, rounding up', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(daysUntil('2026-12-07T12:00:00Z', now)).toBe(6);
    expect(daysUntil('2026-12-07T11:00:00Z', now)).toBe(6);
    expect(daysUntil('2026-12-07T13:00:00Z', now)).toBe(7);
    expect(daysUntil('2026-12-01T13:00:00Z', now)).toBe(1);
  });

  it('says "expires in 6 days" for an exception 6 days from expiry, once, in one thread with the link', async () => {
    const clock = { now: new Date('2026-12-01T12:00:00Z') };
    const { notifier, sent } = notifierAt(clock, [base]);
    expect(await notifier.sendDue()).toBe(1);
    expect(await notifier.sendDue()).toBe(0);
    expect(sent).toHaveLength(1);
    expect(sent[0].payload).toMatchObject({
      title: 'Exception expires in 6 days: payments-api container-scan',
      link: '/devsecops/exceptions/e1',
      scope: 'devsecops-exception:e1:expiry',
      severity: 'normal',
    });
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['user:default/risk-owner-rita', 'group:default/team-payments'],
    });

    // Four days later the 3-day threshold applies: the same thread, the real count.
    clock.now = new Date('2026-12-05T12:00:00Z');
    expect(await notifier.sendDue()).toBe(1);
    expect(sent[1].payload).toMatchObject({
      title: 'Exception expires in 2 days: payments-api container-scan',
      scope: 'devsecops-exception:e1:expiry',
      severity: 'high',
    });
  });

  it('replaces "awaiting your decision" with the outcome and tells the requester', async () => {
    const clock = { now: new Date('2026-12-01T12:00:00Z') };
    const requested: ExceptionRecord = { ...base, status: 'requested' };
    const { notifier, sent } = notifierAt(clock, [requested]);
    expect(await notifier.sendDue()).toBe(1);
    expect(sent[0].payload).toMatchObject({
      title: 'Exception awaiting your decision: payments-api container-scan',
      scope: 'devsecops-exception:e1:decision',
      link: '/devsecops/exceptions/e1',
    });
    expect(sent[0].recipients).toEqual({ type: 'entity', entityRef: ['user:default/risk-owner-rita'] });

    clock.now = new Date('2026-12-02T08:00:00Z');
    await notifier.decided({
      ...base,
      status: 'rejected',
      events: [
        { action: 'requested', actor: requested.requester, at: requested.requestedAt, toStatus: 'requested' },
        { action: 'rejected', actor: 'user:default/risk-owner-rita', reason: 'Fix is one line', at: '2026-12-02T08:00:00Z', fromStatus: 'requested', toStatus: 'rejected' },
      ],
    });
    const [toRiskOwner, toRequester] = sent.slice(1);
    // Same scope as the request: Backstage updates that notification instead of adding one.
    expect(toRiskOwner.payload).toMatchObject({
      title: 'Exception rejected, no decision needed: payments-api container-scan',
      description: 'user:default/risk-owner-rita rejected. Reason: Fix is one line',
      scope: 'devsecops-exception:e1:decision',
      severity: 'low',
      link: '/devsecops/exceptions/e1',
    });
    expect(toRiskOwner.recipients).toEqual({ type: 'entity', entityRef: ['user:default/risk-owner-rita'] });
    expect(toRequester.recipients).toEqual({ type: 'entity', entityRef: ['user:default/paula-payne'] });
    expect(toRequester.payload).toMatchObject({
      title: 'Your exception was rejected: payments-api container-scan',
      link: '/devsecops/exceptions/e1',
    });
    // A second call (another instance, a retry) sends nothing more.
    await notifier.decided({ ...base, status: 'rejected' });
    expect(sent).toHaveLength(3);
  });

  it('tells the requester of an approval with its expiry', async () => {
    const clock = { now: new Date('2026-12-01T12:00:00Z') };
    const { notifier, sent } = notifierAt(clock, []);
    await notifier.decided({
      ...base,
      events: [{ action: 'approved', actor: 'user:default/risk-owner-rita', reason: 'WAF rule', at: '2026-12-01T12:00:00Z', fromStatus: 'requested', toStatus: 'approved' }],
    });
    expect(sent.map(s => s.payload.title)).toEqual([
      'Exception approved, no decision needed: payments-api container-scan',
      'Your exception was approved: payments-api container-scan',
    ]);
    expect(sent[1].payload.description).toBe('user:default/risk-owner-rita accepted the risk until 2026-12-07. Reason: WAF rule');
  });
});
