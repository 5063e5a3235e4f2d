/*
 * Issue 19 item 4: the plugin publishes devsecops.control.changed, devsecops.stage.changed,
 * devsecops.gate.decided and devsecops.exception.changed on Backstage's events service. A module
 * subscribes as an adopter's would, and the payloads are asserted as docs/events.md documents them.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import { DEVSECOPS_EVENT_TOPICS } from '@devsecops-scorecard/plugin-devsecops-common';
import request from 'supertest';
import { trivyFilesystemReport } from '../__testUtils__/trivyReports';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const API = '/api/devsecops';
const DANA = mockCredentials.user.header('user:default/dana');
const RITA = mockCredentials.user.header('user:default/rita');
const DIGEST = `sha256:${'c'.repeat(64)}`;

const trivy = (critical: boolean) =>
  trivyFilesystemReport(critical ? [{ id: 'CVE-2026-5151', severity: 'CRITICAL', pkg: 'lodash' }] : []);

/** A module subscribing to every devsecops topic, as an adopter's module would. */
function subscriber(received: EventParams[]) {
  return createBackendModule({
    pluginId: 'devsecops',
    moduleId: 'events-test-subscriber',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'devsecops-events-test',
            topics: Object.values(DEVSECOPS_EVENT_TOPICS),
            onEvent: async params => {
              received.push(params);
            },
          });
        },
      });
    },
  });
}

describe.each(databases.eachSupportedId())('events for automation on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  const received: EventParams[] = [];
  beforeEach(async () => {
    received.length = 0;
    backend = await startDevsecopsBackend(databases, databaseId, { features: [subscriber(received)] });
  });
  afterEach(() => backend?.stop());

  const upload = (critical: boolean, status = 201) =>
    request(backend.server)
      .post(`${API}/v1/reports?entity=payments-api&format=trivy`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(trivy(critical))
      .expect(status);
  const of = (topic: string) => received.filter(e => e.topic === topic).map(e => e.eventPayload as any);

  it('publishes control and stage changes against the stored scorecard, and each new gate decision', async () => {
    await upload(true);
    // No stored scorecard before the first write: every control and the stage are new.
    const first = of(DEVSECOPS_EVENT_TOPICS.controlChanged);
    const dependency = first.find(e => e.controlId === 'dependency-scan');
    expect(dependency).toEqual({
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      controlId: 'dependency-scan',
      to: 'failing',
      reason: expect.stringContaining('CVE-2026-5151'),
      at: expect.any(String),
      link: '/catalog/default/component/payments-api/security#control-dependency-scan',
    });
    expect(of(DEVSECOPS_EVENT_TOPICS.stageChanged)).toEqual([
      {
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/team-payments',
        to: 0,
        nextSteps: expect.arrayContaining(['branch-protection', 'severity-policy']),
        at: expect.any(String),
        link: '/catalog/default/component/payments-api/security',
      },
    ]);

    // The fix: exactly one control moved, failing → passing; the stage did not.
    received.length = 0;
    await upload(false);
    expect(of(DEVSECOPS_EVENT_TOPICS.controlChanged)).toEqual([
      expect.objectContaining({ controlId: 'dependency-scan', from: 'failing', to: 'passing' }),
    ]);
    expect(of(DEVSECOPS_EVENT_TOPICS.stageChanged)).toEqual([]);
    // The same report again changes nothing (200, a repeat): no events.
    received.length = 0;
    await upload(false, 200);
    expect(received).toEqual([]);

    const gate = await request(backend.server)
      .post(`${API}/v1/gate/decisions`)
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' })
      .expect(200);
    expect(of(DEVSECOPS_EVENT_TOPICS.gateDecided)).toEqual([
      {
        decisionId: gate.body.id,
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/team-payments',
        environment: 'production',
        policy: gate.body.policy,
        artifactDigest: DIGEST,
        decision: gate.body.decision,
        failedRequirements: gate.body.requirements.filter((r: any) => !r.passed).map((r: any) => r.requirement),
        decidedAt: gate.body.decidedAt,
        requestedBy: gate.body.requestedBy,
        link: '/catalog/default/component/payments-api/security',
      },
    ]);
    expect(of(DEVSECOPS_EVENT_TOPICS.gateDecided)[0].failedRequirements.length).toBeGreaterThan(0);
  });

  it('publishes each exception transition with who acted', async () => {
    await upload(true);
    received.length = 0;
    const requested = await request(backend.server)
      .post(`${API}/v1/exceptions`)
      .set('Authorization', DANA)
      .send({
        entityRef: 'payments-api',
        scope: { control: 'dependency-scan' },
        riskStatement: 'Not reachable from the API',
        riskRating: 'medium',
        riskOwner: 'group:default/security-compliance',
        expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      });
    expect([requested.status, requested.body.error?.message]).toEqual([201, undefined]);
    await request(backend.server)
      .post(`${API}/v1/exceptions/${requested.body.id}/approve`)
      .set('Authorization', RITA)
      .send({ reason: 'accepted for the quarter' })
      .expect(200);
    const changes = of(DEVSECOPS_EVENT_TOPICS.exceptionChanged);
    expect(changes.map(e => [e.action, e.status, e.actor])).toEqual([
      ['requested', 'requested', 'user:default/dana'],
      ['approved', 'approved', 'user:default/rita'],
    ]);
    expect(changes[1]).toEqual({
      exceptionId: requested.body.id,
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      control: 'dependency-scan',
      action: 'approved',
      status: 'approved',
      actor: 'user:default/rita',
      riskOwner: 'group:default/security-compliance',
      expiresAt: requested.body.expiresAt,
      at: expect.any(String),
      link: `/devsecops/exceptions/${requested.body.id}`,
    });
    // The approval turned the control excepted: a control event follows the exception's.
    expect(of(DEVSECOPS_EVENT_TOPICS.controlChanged)).toEqual([
      expect.objectContaining({ controlId: 'dependency-scan', from: 'failing', to: 'excepted' }),
    ]);
  });
});
