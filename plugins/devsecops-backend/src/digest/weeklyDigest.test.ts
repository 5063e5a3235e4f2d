/*
 * The weekly digest (issue 19): a team with known snapshots gets a digest with the right counts
 * (controls and stages improved and regressed, exceptions expiring within 14 days, campaign
 * progress, overdue exercise follow-ups); a team whose week was quiet is told so; two instances
 * on one database send each digest once (teams and the org digest to the platform team and the
 * security owner). On both databases.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { testEntities } from '../__testUtils__/testBackend';
import { ControlCatalog } from '../config/ControlCatalog';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { RollupService } from '../scorecard/RollupService';
import { DigestStore } from '../store/DigestStore';
import { ExceptionStore } from '../store/ExceptionStore';
import { ExerciseStore } from '../store/ExerciseStore';
import { applyMigrations } from '../store/migrations';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { DigestService } from './DigestService';
import { weekOf } from './weeklyDigest';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const settings = readScorecardConfig(new ConfigReader({}));
const NOW = new Date('2026-12-07T08:00:00Z'); // a Monday

const summary = (name: string, owner: string, stage: number, states: Record<string, string>): EntitySummary => ({
  entityRef: `component:default/${name}`,
  ownerRef: `group:default/${owner}`,
  lifecycle: 'production',
  stage,
  controlStates: states as EntitySummary['controlStates'],
  metrics: { patchedCount: 0 } as EntitySummary['metrics'],
  evaluatedAt: '2026-12-01T00:00:00.000Z',
});

function instance(knex: Knex, sent: NotificationSendOptions[], campaigns: any[] = []) {
  const catalog = catalogServiceMock({ entities: testEntities });
  const auth = mockServices.auth();
  const logger = mockServices.logger.mock();
  const summaries = new SummaryStore(knex);
  return new DigestService({
    store: new DigestStore(knex),
    summaries,
    rollups: new RollupService({
      catalog,
      auth,
      summaries,
      scorecards: { counts: () => true, entityKinds: ['Component'] } as any,
      controlIds: ControlCatalog.fromSettings(settings).ids(),
      logger,
    }),
    exceptions: new ExceptionStore(knex),
    exercises: new ExerciseStore(knex),
    // Campaign progress comes from the campaign service (tested on its own): its answer for the team.
    campaigns: { list: async (filter: { group?: string }) => (filter.group === 'group:default/team-payments' ? campaigns : []) },
    notifications: { send: async (options: NotificationSendOptions) => void sent.push(options) },
    responsibility: { platformTeam: 'group:default/platform-team', securityOwner: 'group:default/security-compliance' },
    logger,
    now: () => NOW,
  });
}

describe.each(databases.eachSupportedId())('weekly digest on %p', databaseId => {
  it('counts a team week from its snapshots, says when a week was quiet, and sends each once across two instances', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    try {
      const summaries = new SummaryStore(knex);
      // payments-api a week ago (two snapshots: the oldest in the week is compared): stage 2,
      // dependency scan failing, SAST passing, secret scan excepted. Today: stage 1, dependency
      // scan passing, SAST failing, secret scan not reported (the exception expired).
      await summaries.snapshot(summary('payments-api', 'team-payments', 2, { 'dependency-scan': 'failing', sast: 'passing', 'secret-scan': 'excepted' }), '2026-11-30');
      await summaries.snapshot(summary('payments-api', 'team-payments', 2, { 'dependency-scan': 'failing', sast: 'failing', 'secret-scan': 'excepted' }), '2026-12-03');
      await summaries.upsert(summary('payments-api', 'team-payments', 1, { 'dependency-scan': 'passing', sast: 'failing', 'secret-scan': 'not_reported' }));
      // A snapshot older than the week is not compared.
      await summaries.snapshot(summary('checkout-web', 'team-checkout', 0, { 'dependency-scan': 'failing' }), '2026-11-20');
      await summaries.snapshot(summary('checkout-web', 'team-checkout', 1, { 'dependency-scan': 'passing' }), '2026-12-01');
      await summaries.upsert(summary('checkout-web', 'team-checkout', 1, { 'dependency-scan': 'passing' }));

      const exceptions = new ExceptionStore(knex);
      const exception = (id: string, expiresAt: string, status: 'approved' | 'requested') =>
        knex.transaction(tx =>
          exceptions.insert(
            tx,
            {
              id,
              entityRef: 'component:default/payments-api',
              ownerRef: 'group:default/team-payments',
              scope: { control: 'sast' },
              riskStatement: 'A false positive in generated code',
              riskRating: 'low',
              requester: 'user:default/dana',
              riskOwner: 'group:default/security-compliance',
              expiresAt,
              status,
              requestedAt: '2026-11-01T00:00:00.000Z',
            },
            { action: 'requested', actor: 'user:default/dana', at: '2026-11-01T00:00:00.000Z', toStatus: 'requested' },
          ),
        );
      await exception('00000000-0000-4000-8000-000000000001', '2026-12-12T00:00:00.000Z', 'approved');
      await exception('00000000-0000-4000-8000-000000000002', '2027-01-30T00:00:00.000Z', 'approved'); // beyond 14 days
      await exception('00000000-0000-4000-8000-000000000003', '2026-12-10T00:00:00.000Z', 'requested'); // not approved
      const exercises = new ExerciseStore(knex);
      await knex.transaction(tx =>
        exercises.insert(tx, {
          id: '00000000-0000-4000-8000-0000000000e1',
          scenario: 'leaked-secrets',
          heldOn: '2026-11-02',
          scopeRef: 'group:default/team-payments',
          participants: ['user:default/dana'],
          findings: [],
          followUps: [
            { action: 'Rotate the deploy key yearly', owner: 'user:default/dana', due: '2026-12-01' },
            { action: 'Write the runbook', owner: 'user:default/dana', due: '2026-12-01', done: true },
            { action: 'Alert on new keys', owner: 'user:default/dana', due: '2026-12-20' },
          ],
          recordedBy: 'user:default/paula',
          recordedAt: '2026-11-02T10:00:00.000Z',
        }),
      );

      const sent: NotificationSendOptions[] = [];
      const campaign = { id: 'c1', title: 'SAST everywhere', status: 'active', targetDate: '2026-12-20', daysLeft: 13, counts: { inScope: 9, done: 4 }, team: { ownerRef: 'group:default/team-payments', inScope: 1, done: 0 } };
      const a = instance(knex, sent, [campaign]);
      const b = instance(second, sent, [campaign]);

      const payments = await a.preview('team-payments');
      expect(payments).toMatchObject({
        scope: { kind: 'group', ref: 'group:default/team-payments' },
        from: '2026-11-30',
        to: '2026-12-07',
        services: 1,
        compared: 1,
        improved: { controls: [{ entityRef: 'component:default/payments-api', controlId: 'dependency-scan', from: 'failing', to: 'passing' }], stages: [] },
        regressed: {
          controls: [
            { controlId: 'sast', from: 'passing', to: 'failing' },
            { controlId: 'secret-scan', from: 'excepted', to: 'not_reported' },
          ],
          stages: [{ entityRef: 'component:default/payments-api', from: 2, to: 1 }],
        },
        expiringExceptions: [{ id: '00000000-0000-4000-8000-000000000001', entityRef: 'component:default/payments-api', daysLeft: 5 }],
        campaigns: [{ id: 'c1', title: 'SAST everywhere', daysLeft: 13, inScope: 1, done: 0 }],
        overdueFollowUps: [{ exerciseId: '00000000-0000-4000-8000-0000000000e1', index: 0, action: 'Rotate the deploy key yearly', daysOverdue: 6 }],
        quiet: false,
        link: '/catalog/default/group/team-payments/security',
      });
      expect(payments.summary).toBe(
        '1 control improved, 2 controls regressed; 0 stages up, 1 stage down; 1 exception expiring within 14 days; 1 active campaign (1 service not done); 1 overdue exercise follow-up.',
      );

      const checkout = await a.preview('group:default/team-checkout');
      expect(checkout).toMatchObject({ services: 1, compared: 1, quiet: true, expiringExceptions: [], campaigns: [], overdueFollowUps: [] });
      expect(checkout.summary).toBe('A quiet week: nothing improved or regressed over 1 service, no exception expires within 14 days, no follow-up is overdue.');

      // The org: both teams' services and every change.
      const org = await a.preview();
      expect(org).toMatchObject({ scope: { kind: 'org' }, services: 2, compared: 2, link: '/devsecops' });
      expect(org.regressed.controls).toHaveLength(2);

      await expect(a.preview('user:default/dana')).rejects.toThrow("group: 'user:default/dana' is not a group ref");
      await expect(a.preview('team-nowhere')).rejects.toThrow('group: no catalog group group:default/team-nowhere');

      // Two instances, twice each: every team once, the org digest once to each owner.
      const counts = await Promise.all([a.sendDue(), b.sendDue(), a.sendDue(), b.sendDue()]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(4);
      expect(sent.map(s => (s.recipients as { entityRef: string }).entityRef).sort()).toEqual([
        'group:default/platform-team',
        'group:default/security-compliance',
        'group:default/team-checkout',
        'group:default/team-payments',
      ]);
      const toPayments = sent.find(s => (s.recipients as { entityRef: string }).entityRef === 'group:default/team-payments')!;
      expect(toPayments.payload).toEqual({
        title: 'Weekly security digest for team-payments, 2026-11-30 to 2026-12-07',
        description: payments.summary,
        link: '/catalog/default/group/team-payments/security',
        topic: 'devsecops-digest',
        severity: 'low',
      });
      expect(sent.find(s => (s.recipients as { entityRef: string }).entityRef === 'group:default/team-checkout')!.payload.description).toMatch(/^A quiet week/);
      expect(weekOf('2026-12-13')).toBe('2026-12-07');
      expect(weekOf('2026-12-07')).toBe('2026-12-07');
    } finally {
      if (second !== knex) await second.destroy();
    }
  });
});
