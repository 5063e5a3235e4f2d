/*
 * Clock-only changes publish events (issue 19, docs/events.md): when an exception expires with no
 * new evidence, the refresh job makes the scorecard stored ahead current and publishes
 * devsecops.control.changed for the control that moved, and the regression alert goes to the
 * owning team — once, though two instances run the job at the same instant. On both databases.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { EventParams } from '@backstage/plugin-events-node';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { testEntities } from '../__testUtils__/testBackend';
import { RegressionAlerts } from '../alerts/RegressionAlerts';
import { EntityResolver } from '../catalog/EntityResolver';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { ScorecardService } from '../scorecard/ScorecardService';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { applyMigrations } from '../store/migrations';
import { RegressionAlertStore } from '../store/RegressionAlertStore';
import { ReportStore } from '../store/ReportStore';
import { SummaryStore } from '../store/SummaryStore';
import { DevsecopsEvents } from './DevsecopsEvents';

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const REF = 'component:default/payments-api';
const EXPIRES_AT = '2026-11-28T12:05:00.000Z';

function instance(knex: Knex, now: () => Date, published: EventParams[], sent: NotificationSendOptions[]) {
  const logger = mockServices.logger.mock();
  const summaries = new SummaryStore(knex);
  const service = new ScorecardService({
    logger,
    settings: readScorecardConfig(new ConfigReader({})),
    entities: new EntityResolver(catalogServiceMock({ entities: testEntities }), mockServices.auth()),
    reports: new ReportStore(knex),
    findings: new FindingStore(knex),
    facts: new FactStore(knex),
    deployments: new DeploymentStore(knex),
    decisions: new GateDecisionStore(knex),
    summaries,
    // An approved exception for code review, expiring at 12:05.
    exceptions: {
      activeFor: async (_ref, at) =>
        at.toISOString() < EXPIRES_AT
          ? [{ id: 'x1', control: 'code-review', approvedAt: '2026-11-27T00:00:00.000Z', expiresAt: EXPIRES_AT }]
          : [],
    },
    now,
  });
  service.publishClockChangesTo([
    new DevsecopsEvents({ events: { publish: async (e: EventParams) => void published.push(e) } as any, logger }),
    new RegressionAlerts({
      store: new RegressionAlertStore(knex),
      notifications: { send: async (o: NotificationSendOptions) => void sent.push(o) },
      logger,
      now,
    }),
  ]);
  return service;
}

describe.each(databases.eachSupportedId())('clock-only changes on %p', databaseId => {
  it('publish what an expiring exception changed once, with two instances running the refresh job', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const second = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    try {
      let now = new Date('2026-11-28T12:00:00Z');
      const published: EventParams[] = [];
      const sent: NotificationSendOptions[] = [];
      const a = instance(knex, () => now, published, sent);
      const b = instance(second, () => now, published, sent);
      // Code review requires no reviews: failing, but excepted until 12:05.
      const facts = new FactStore(knex);
      await knex.transaction(tx =>
        facts.insert(tx, [
          {
            entityRef: REF,
            fact: 'branch_protection.required_reviews',
            value: 0,
            source: 'test',
            observedAt: '2026-11-28T11:00:00.000Z',
            recordedBy: 'test',
            recordedAt: '2026-11-28T11:00:00.000Z',
          },
        ]),
      );
      await a.refresh(REF);
      const stored = await new SummaryStore(knex).storedScorecards([REF]);
      expect(stored.get(REF)!.controls.find(c => c.controlId === 'code-review')!.state).toBe('excepted');

      // A few minutes before: the job stores the next scorecard ahead; nothing is published yet.
      now = new Date('2026-11-28T12:01:00Z');
      expect((await a.refreshAhead({ ms: 10 * 60_000 })).ahead).toBe(1);
      expect(published).toEqual([]);

      // Past the expiry, both instances run the job at once: one promotes it and publishes.
      now = new Date('2026-11-28T12:06:00Z');
      const runs = await Promise.all([a.refreshAhead({ ms: 10 * 60_000 }), b.refreshAhead({ ms: 10 * 60_000 })]);
      expect(runs.map(r => r.promoted).sort()).toEqual([0, 1]);
      const controlEvents = published.filter(e => e.topic === 'devsecops.control.changed');
      expect(controlEvents.map(e => e.eventPayload)).toEqual([
        expect.objectContaining({
          entityRef: REF,
          ownerRef: 'group:default/team-payments',
          controlId: 'code-review',
          from: 'excepted',
          to: 'failing',
          link: '/catalog/default/component/payments-api/security#control-code-review',
        }),
      ]);
      expect(sent.filter(s => s.payload.topic === 'devsecops-control-failing')).toEqual([
        expect.objectContaining({ recipients: { type: 'entity', entityRef: 'group:default/team-payments' } }),
      ]);

      // Later runs change nothing and publish nothing more.
      now = new Date('2026-11-28T12:20:00Z');
      await Promise.all([a.refreshAhead({ ms: 10 * 60_000 }), b.refreshAhead({ ms: 10 * 60_000 })]);
      expect(published.filter(e => e.topic === 'devsecops.control.changed')).toHaveLength(1);
    } finally {
      if (second !== knex) await second.destroy();
    }
  });
});
