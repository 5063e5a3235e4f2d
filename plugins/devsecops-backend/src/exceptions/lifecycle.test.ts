import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { applyMigrations } from '../store/migrations';
import { ExceptionStore } from '../store/ExceptionStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { ExceptionNotifier } from './ExceptionNotifier';
import { ExceptionService } from './ExceptionService';
import { RiskOwnerPolicy } from './RiskOwnerPolicy';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('exception expiry and notifications on %p', databaseId => {
  it('warns within 14 and 3 days with the days left, expires on time, and never notifies twice across instances', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const store = new ExceptionStore(knex);
    let now = new Date('2026-11-01T09:00:00Z');
    const sent: NotificationSendOptions[] = [];
    const refreshed: string[] = [];

    // Two backend instances: separate services, one database.
    const instance = () => {
      const notifier = new ExceptionNotifier({
        notifications: { send: async o => { sent.push(o); } },
        store,
        logger: mockServices.logger.mock(),
        warnDaysBeforeExpiry: [14, 3],
        now: () => now,
      });
      const service = new ExceptionService({
        knex,
        logger: mockServices.logger.mock(),
        store,
        evidenceLog: new EvidenceLogStore(knex),
        entities: {} as any,
        permissions: mockServices.permissions(),
        userInfo: mockServices.userInfo(),
        auditor: { createEvent: async () => ({ success: async () => {}, fail: async () => {} }) } as any,
        notifier,
        controlIds: ['container-scan'],
        maxDurationDays: 90,
        scopeMatches: async () => true,
        riskOwners: new RiskOwnerPolicy(
          { byRating: {}, byControl: {}, allowOwningTeam: false, allowRequesterTeams: false },
          {} as any,
          ['container-scan'],
        ),
        onEvidenceChanged: async refs => { refreshed.push(...refs); },
        now: () => now,
      });
      return { notifier, service };
    };
    const [a, b] = [instance(), instance()];

    const record: Omit<ExceptionRecord, 'events'> = {
      id: '0d1f8c3e-7a55-4d43-9a3e-1f1e6b6d2c11',
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      scope: { control: 'container-scan' },
      riskStatement: 'Accepted while the fix ships',
      riskRating: 'high',
      requester: 'user:default/dana',
      riskOwner: 'group:default/security-compliance',
      expiresAt: '2026-11-20T09:00:00.000Z',
      status: 'approved',
      requestedAt: '2026-10-31T09:00:00.000Z',
    };
    await knex.transaction(tx =>
      store.insert(tx, record, { action: 'approved', actor: 'user:default/rita', at: record.requestedAt, toStatus: 'approved' }),
    );

    const kinds = () => sent.map(s => s.payload.title.split(':')[0]);
    expect(await a.notifier.sendDue()).toBe(0); // 19 days ahead: nothing yet

    now = new Date('2026-11-07T09:00:00Z'); // 13 days ahead
    await Promise.all([a.notifier.sendDue(), b.notifier.sendDue()]);
    await a.notifier.sendDue(); // a restart runs it again
    expect(kinds()).toEqual(['Exception expires in 13 days']);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/security-compliance', 'group:default/team-payments'],
    });

    now = new Date('2026-11-18T09:00:00Z'); // 2 days ahead
    await Promise.all([a.notifier.sendDue(), b.notifier.sendDue()]);
    expect(kinds()).toEqual(['Exception expires in 13 days', 'Exception expires in 2 days']);
    expect(await store.activeFor(record.entityRef, now)).toHaveLength(1);

    now = new Date('2026-11-20T09:00:01Z');
    // Evaluation stops honouring it at once, before any job runs.
    expect(await store.activeFor(record.entityRef, now)).toHaveLength(0);
    const [expiredA, expiredB] = await Promise.all([a.service.expireDue(), b.service.expireDue()]);
    expect(expiredA + expiredB).toBe(1);
    expect(kinds()).toEqual(['Exception expires in 13 days', 'Exception expires in 2 days', 'Exception expired']);
    expect(refreshed).toEqual([record.entityRef]);
    const stored = await store.get(record.id);
    expect(stored?.status).toBe('expired');
    expect(stored?.events.map(e => [e.action, e.actor])).toEqual([
      ['approved', 'user:default/rita'],
      ['expired', 'system:expiry'],
    ]);
  });

  it('gives a notification claim back when sending fails, so the next run retries', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const store = new ExceptionStore(knex);
    let fail = true;
    const sent: string[] = [];
    const notifier = new ExceptionNotifier({
      notifications: {
        send: async o => {
          if (fail) throw new Error('notifications backend down');
          sent.push(o.payload.title);
        },
      },
      store,
      logger: mockServices.logger.mock(),
      warnDaysBeforeExpiry: [14],
    });
    await knex.transaction(tx =>
      store.insert(
        tx,
        {
          id: '5b0e2a57-3b0c-4f6e-8f0c-3b7f2d6a9e01',
          entityRef: 'component:default/payments-api',
          scope: { control: 'sast' },
          riskStatement: 'Awaiting review by the risk owner',
          riskRating: 'low',
          requester: 'user:default/dana',
          riskOwner: 'user:default/rita',
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          status: 'requested',
          requestedAt: new Date().toISOString(),
        },
        { action: 'requested', actor: 'user:default/dana', at: new Date().toISOString(), toStatus: 'requested' },
      ),
    );
    expect(await notifier.sendDue()).toBe(0);
    fail = false;
    expect(await notifier.sendDue()).toBe(1);
    expect(await notifier.sendDue()).toBe(0);
    expect(sent).toHaveLength(1);
  });
});
