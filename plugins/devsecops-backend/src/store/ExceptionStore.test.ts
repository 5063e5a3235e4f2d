import { TestDatabases } from '@backstage/backend-test-utils';
import { ExceptionRecord, ExceptionStatus } from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionStore } from './ExceptionStore';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const ENTITY = 'component:default/payments-api';
const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const iso = (days: number) => daysAgo(days).toISOString();
/** The metrics window: 180 days before NOW. */
const SINCE = daysAgo(180);

describe.each(databases.eachSupportedId())('ExceptionStore.lapsedSince on %p', databaseId => {
  it('returns approved exceptions that expired or were revoked within the window, with when they lapsed', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const store = new ExceptionStore(knex);
    let n = 0;

    /**
     * An exception requested the day before it was decided `decidedDaysAgo` (approved unless
     * said otherwise), expiring `expiresDaysAgo` (negative: ahead), then moved on as the service
     * moves it, each step at its own time with its event.
     */
    const exception = async (
      decidedDaysAgo: number,
      expiresDaysAgo: number,
      then: Array<{ to: ExceptionStatus; daysAgo: number }> = [],
      options: { entityRef?: string; decision?: ExceptionStatus } = {},
    ) => {
      n++;
      const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const record: Omit<ExceptionRecord, 'events'> = {
        id,
        entityRef: options.entityRef ?? ENTITY,
        scope: { control: 'container-scan' },
        riskStatement: 'Accepted while the fix ships',
        riskRating: 'high',
        requester: 'user:default/dana',
        riskOwner: 'group:default/security-compliance',
        expiresAt: iso(expiresDaysAgo),
        status: 'requested',
        requestedAt: iso(decidedDaysAgo + 1),
      };
      await knex.transaction(tx =>
        store.insert(tx, record, { action: 'requested', actor: 'user:default/dana', at: record.requestedAt, toStatus: 'requested' }),
      );
      let from: ExceptionStatus = 'requested';
      let version = 1;
      for (const step of [{ to: options.decision ?? 'approved', daysAgo: decidedDaysAgo }, ...then]) {
        const at = daysAgo(step.daysAgo);
        const expected = { status: from, version };
        const change = { status: step.to, ...(from === 'requested' ? { decidedAt: at, decidedBy: 'user:default/rita' } : {}) };
        const event = { action: step.to as any, actor: 'user:default/rita', at: at.toISOString(), fromStatus: from, toStatus: step.to };
        expect(await knex.transaction(tx => store.transition(tx, id, expected, change, event))).toBe(true);
        from = step.to;
        version++;
      }
      return id;
    };

    const active = await exception(40, -30);
    const pastExpiryUnmarked = await exception(60, 2);
    const expired = await exception(100, 10, [{ to: 'expired', daysAgo: 9 }]);
    const expiredAtWindowStart = await exception(250, 180, [{ to: 'expired', daysAgo: 179 }]);
    const revoked = await exception(120, -10, [{ to: 'revoked', daysAgo: 20 }]);
    // Revoked after its expiry had passed, before the expiry job marked it: it lapsed at its expiry.
    const revokedAfterExpiry = await exception(90, 15, [{ to: 'revoked', daysAgo: 5 }]);
    // Not lapsed within the window: before it, or (an evaluation of an earlier day) after NOW.
    await exception(300, 181, [{ to: 'expired', daysAgo: 180.5 }]);
    await exception(400, -100, [{ to: 'revoked', daysAgo: 190 }]);
    await exception(30, -30, [{ to: 'revoked', daysAgo: -1 }]);
    // Never approved, another entity's.
    await exception(20, 3, [], { decision: 'rejected' });
    await exception(70, 3, [], { entityRef: 'component:default/checkout-web' });

    const lapsed = await store.lapsedSince(ENTITY, SINCE, NOW);
    expect([...lapsed].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: pastExpiryUnmarked, approvedAt: iso(60), lapsedAt: iso(2) },
      { id: expired, approvedAt: iso(100), lapsedAt: iso(10) },
      { id: expiredAtWindowStart, approvedAt: iso(250), lapsedAt: iso(180) },
      { id: revoked, approvedAt: iso(120), lapsedAt: iso(20) },
      { id: revokedAfterExpiry, approvedAt: iso(90), lapsedAt: iso(15) },
    ]);
    // The active one is activeFor's: the two lists never overlap.
    expect((await store.activeFor(ENTITY, NOW)).map(e => e.id)).toEqual([active]);
  });
});
