import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const dayAgo = (days: number) => ago(days).slice(0, 10);

describe.each(databases.eachSupportedId())('runtime signals and exercises API on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend.stop());

  const api = (path: string) => `/api/devsecops${path}`;
  const user = () => mockCredentials.user.header();
  const recordSignal = (body: object) =>
    request(backend.server).post(api('/v1/runtime-signals')).set('Authorization', ciHeader()).send(body);
  const timeline = (id: string, body: object) =>
    request(backend.server)
      .post(api(`/v1/runtime-signals/${id}/timeline`))
      .set('Authorization', user())
      .send(body);
  const scorecard = async (entity = 'payments-api') =>
    (
      await request(backend.server)
        .get(api(`/v1/scorecards?entity=${entity}`))
        .set('Authorization', user())
        .expect(200)
    ).body;
  const control = (card: any, id: string) => card.controls.find((c: any) => c.controlId === id);
  const criterion = (card: any, id: string) =>
    card.maturity.stages.find((s: any) => s.stage === 4).criteria.find((c: any) => c.id === id);

  const incident = (extra: object = {}) => ({
    entityRef: 'payments-api',
    kind: 'incident',
    severity: 'critical',
    summary: 'Crypto miner in payments-api pod',
    detectedAt: ago(3),
    source: 'falco',
    ...extra,
  });

  it('refuses timelines out of order, in the future, empty or repeated, naming the problem', async () => {
    const created = await recordSignal(incident()).expect(201);
    const id = created.body.id;

    const before = await timeline(id, { containedAt: ago(4) }).expect(400);
    expect(before.body.error.message).toContain('containedAt');
    expect(before.body.error.message).toContain('before detectedAt');

    const future = await timeline(id, { remediatedAt: new Date(Date.now() + DAY).toISOString() }).expect(400);
    expect(future.body.error.message).toMatch(/remediatedAt .* is in the future/);

    const empty = await timeline(id, {}).expect(400);
    expect(empty.body.error.message).toContain('containedAt, remediatedAt');

    await timeline(id, { containedAt: ago(2) }).expect(200);
    const beforeContained = await timeline(id, { remediatedAt: ago(2.5) }).expect(400);
    expect(beforeContained.body.error.message).toContain('before containedAt');

    await timeline(id, { containedAt: ago(1) }).expect(409);
    await timeline(id, { extra: 1 }).expect(400); // additionalProperties: false
    await timeline('00000000-0000-4000-8000-000000000000', { containedAt: ago(1) }).expect(404);

    const badCreate = await recordSignal(incident({ remediatedAt: ago(5) })).expect(400);
    expect(badCreate.body.error.message).toContain('remediatedAt');
    const futureCreate = await recordSignal(incident({ detectedAt: new Date(Date.now() + DAY).toISOString() })).expect(400);
    expect(futureCreate.body.error.message).toMatch(/detectedAt .* is in the future/);
    const impossible = await recordSignal(incident({ detectedAt: '2026-02-30T10:00:00Z' })).expect(400);
    expect(impossible.body.error.message).toBe("detectedAt '2026-02-30T10:00:00Z' is not a calendar date");
    await recordSignal(incident({ kind: 'rumour' })).expect(400);
    // Pipelines record signals; a user token cannot.
    await request(backend.server).post(api('/v1/runtime-signals')).set('Authorization', user()).send(incident()).expect(403);
  });

  it('fails workload telemetry on an open critical incident until it is remediated', async () => {
    await recordSignal({ entityRef: 'payments-api', kind: 'heartbeat', monitors: ['workload-telemetry'], source: 'datadog' }).expect(201);
    expect(control(await scorecard(), 'workload-telemetry').state).toBe('passing');

    const created = await recordSignal(incident()).expect(201);
    // A medium audit-log alert does not fail cloud-audit-logs (only high and critical do).
    await recordSignal(incident({ kind: 'audit-log-alert', severity: 'medium', summary: 'odd login' })).expect(201);
    const failing = await scorecard();
    const telemetry = control(failing, 'workload-telemetry');
    expect(telemetry.state).toBe('failing');
    expect(telemetry.reason).toContain('Crypto miner in payments-api pod');
    expect(telemetry.reason).toContain('critical incident');
    expect(telemetry.evidence).toContainEqual(expect.objectContaining({ kind: 'runtime-signal', id: created.body.id }));
    // Any signal within the window says its source is on: the medium alert turns audit logging "on".
    expect(control(failing, 'cloud-audit-logs').state).toBe('passing');
    expect(control(failing, 'cloud-audit-logs').reason).toContain('falco audit-log-alert received');

    const open = await request(backend.server)
      .get(api('/v1/runtime-signals?entity=payments-api&open=true'))
      .set('Authorization', user())
      .expect(200);
    expect(open.body.totalCount).toBe(2);

    await timeline(created.body.id, { containedAt: ago(2), remediatedAt: ago(1) }).expect(200);
    const restored = await scorecard();
    expect(control(restored, 'workload-telemetry').state).toBe('passing');
    expect(restored.metrics.meanTimeToRemediateDays).toBe(2);
    expect(restored.metrics.remediatedCount).toBe(1);

    const stillOpen = await request(backend.server)
      .get(api('/v1/runtime-signals?entity=payments-api&open=true'))
      .set('Authorization', user())
      .expect(200);
    expect(stillOpen.body.items.map((s: any) => s.kind)).toEqual(['audit-log-alert']);
  });

  it('counts a runtime source as monitoring from its heartbeats, per control, within the window', async () => {
    const heartbeat = (extra: object = {}) => ({
      entityRef: 'payments-api',
      kind: 'heartbeat',
      monitors: ['cloud-audit-logs', 'vulnerability-monitoring'],
      source: 'aws-cloudtrail',
      ...extra,
    });
    const before = await scorecard();
    for (const id of ['cloud-audit-logs', 'workload-telemetry', 'vulnerability-monitoring']) {
      expect(control(before, id).state).toBe('not_reported');
    }

    const recorded = await recordSignal(heartbeat()).expect(201);
    expect(recorded.body).toMatchObject({
      kind: 'heartbeat',
      entityRef: 'component:default/payments-api',
      monitors: [
        expect.objectContaining({ control: 'cloud-audit-logs', source: 'aws-cloudtrail' }),
        expect.objectContaining({ control: 'vulnerability-monitoring', source: 'aws-cloudtrail' }),
      ],
    });
    const on = await scorecard();
    expect(control(on, 'cloud-audit-logs').state).toBe('passing');
    expect(control(on, 'cloud-audit-logs').reason).toContain('aws-cloudtrail heartbeat received');
    expect(control(on, 'cloud-audit-logs').evidence).toEqual([
      expect.objectContaining({ kind: 'runtime-signal', id: 'heartbeat:cloud-audit-logs:aws-cloudtrail' }),
    ]);
    expect(control(on, 'vulnerability-monitoring').state).toBe('passing');
    // Not listed in monitors: still not reported.
    expect(control(on, 'workload-telemetry').state).toBe('not_reported');
    // A heartbeat is not an alert: nothing open, nothing to remediate.
    const open = await request(backend.server)
      .get(api('/v1/runtime-signals?entity=payments-api&open=true'))
      .set('Authorization', user())
      .expect(200);
    expect(open.body.totalCount).toBe(0);

    // Monitoring on still fails on what it caught.
    await recordSignal(incident({ kind: 'suspicious-control-plane-action', severity: 'high', summary: 'Root console login', source: 'aws-guardduty' })).expect(201);
    const caught = control(await scorecard(), 'cloud-audit-logs');
    expect(caught.state).toBe('failing');
    expect(caught.reason).toContain('Root console login');

    // Heartbeats move the monitor forward; the evidence log records its start, not every beat.
    await recordSignal(heartbeat({ monitors: ['cloud-audit-logs'] })).expect(201);
    const log = (
      await request(backend.server).get(api('/v1/evidence/log?entity=payments-api')).set('Authorization', user()).expect(200)
    ).body.records;
    expect(log.filter((r: any) => r.kind.startsWith('runtime-monitor.')).map((r: any) => [r.kind, r.subjectId])).toEqual([
      ['runtime-monitor.started', 'cloud-audit-logs:aws-cloudtrail'],
      ['runtime-monitor.started', 'vulnerability-monitoring:aws-cloudtrail'],
    ]);
  });

  it('ages heartbeats with the control window and refuses malformed ones', async () => {
    await recordSignal({ entityRef: 'checkout-web', kind: 'heartbeat', monitors: ['workload-telemetry'], source: 'falco', detectedAt: ago(40) }).expect(201);
    const stale = control(await scorecard('checkout-web'), 'workload-telemetry');
    expect(stale.state).toBe('stale');
    expect(stale.reason).toContain('the window is 30 days');
    await recordSignal({ entityRef: 'checkout-web', kind: 'heartbeat', monitors: ['workload-telemetry'], source: 'falco' }).expect(201);
    expect(control(await scorecard('checkout-web'), 'workload-telemetry').state).toBe('passing');
    // Back after 40 days of silence: logged as resumed.
    const log = (
      await request(backend.server).get(api('/v1/evidence/log?entity=checkout-web')).set('Authorization', user()).expect(200)
    ).body.records;
    expect(log.map((r: any) => r.kind)).toEqual(['runtime-monitor.started', 'runtime-monitor.resumed']);

    const refused = async (body: object, message: string) => {
      const response = await recordSignal({ entityRef: 'payments-api', source: 'falco', ...body }).expect(400);
      expect(response.body.error.message).toContain(message);
    };
    await refused({ kind: 'heartbeat' }, 'A heartbeat needs monitors');
    await refused({ kind: 'heartbeat', monitors: ['workload-telemetry'], severity: 'high' }, 'A heartbeat has no severity');
    await refused({ kind: 'heartbeat', monitors: ['uptime'] }, 'monitors');
    await refused({ kind: 'heartbeat', monitors: ['workload-telemetry'], detectedAt: new Date(Date.now() + DAY).toISOString() }, 'in the future');
    await refused(
      { kind: 'incident', severity: 'high' },
      "request/body must have required property 'summary', request/body must have required property 'detectedAt' (kind incident",
    );
    await refused({ kind: 'incident', severity: 'high', summary: 'x', detectedAt: ago(1), monitors: ['workload-telemetry'] }, 'monitors is for kind heartbeat only');
  });

  it('meets the stage-4 tabletop criterion from exercises of the four scenarios, and logs every write', async () => {
    const exercise = (scenario: string, scopeRef: string, findings: object[] = []) =>
      request(backend.server)
        .post(api('/v1/exercises'))
        .set('Authorization', user())
        .send({
          scenario,
          heldOn: dayAgo(30),
          scopeRef,
          participants: ['user:default/dana', 'user:default/rita'],
          findings,
          followUps: [{ action: 'Shorten CI token lifetime', owner: 'dana', due: dayAgo(-30) }],
        });

    expect(criterion(await scorecard(), 'tabletop-exercises').met).toBe(false);

    // Held for the entity itself, its owner team, and the org (an ancestor group).
    await exercise('leaked-secrets', 'component:default/payments-api', [{ title: 'No rotation runbook', recurring: true }]).expect(201);
    await exercise('compromised-ci-token', 'team-payments', [{ title: 'CI tokens live too long' }]).expect(201);
    await exercise('dependency-compromise', 'group:default/team-payments', [{ title: 'CI tokens live too long' }]).expect(201);
    let card = await scorecard();
    expect(criterion(card, 'tabletop-exercises').met).toBe(false);
    expect(criterion(card, 'tabletop-exercises').reason).toContain('No cloud-account-abuse exercise recorded');

    const last = await exercise('cloud-account-abuse', 'acme').expect(201);
    expect(last.body.scopeRef).toBe('group:default/acme');
    expect(last.body.followUps[0].owner).toBe('user:default/dana');
    card = await scorecard();
    expect(criterion(card, 'tabletop-exercises').met).toBe(true);

    // Not for checkout-web: only the org-wide one applies there.
    expect(criterion(await scorecard('checkout-web'), 'tabletop-exercises').met).toBe(false);

    // Refusals: pipelines cannot record exercises, unknown scopes, bad dates, unknown scenarios.
    await request(backend.server)
      .post(api('/v1/exercises'))
      .set('Authorization', ciHeader())
      .send({ scenario: 'leaked-secrets', heldOn: dayAgo(1), scopeRef: 'acme', participants: ['x'] })
      .expect(403);
    await exercise('leaked-secrets', 'group:default/nobody').expect(404);
    await exercise('tsunami', 'acme').expect(400);
    const future = await request(backend.server)
      .post(api('/v1/exercises'))
      .set('Authorization', user())
      .send({ scenario: 'leaked-secrets', heldOn: dayAgo(-2), scopeRef: 'acme', participants: ['x'] })
      .expect(400);
    expect(future.body.error.message).toContain('in the future');
    const impossible = await request(backend.server)
      .post(api('/v1/exercises'))
      .set('Authorization', user())
      .send({ scenario: 'leaked-secrets', heldOn: '2026-04-31', scopeRef: 'acme', participants: ['x'] })
      .expect(400);
    expect(impossible.body.error.message).toBe("heldOn '2026-04-31' is not a calendar date");

    const team = await request(backend.server)
      .get(api('/v1/exercises?scope=team-payments'))
      .set('Authorization', user())
      .expect(200);
    expect(team.body.totalCount).toBe(2);
    expect(team.body.recurringFindings).toEqual([
      expect.objectContaining({ title: 'CI tokens live too long', occurrences: 2 }),
    ]);
    const org = await request(backend.server).get(api('/v1/exercises')).set('Authorization', user()).expect(200);
    expect(org.body.totalCount).toBe(4);
    expect(org.body.recurringFindings.map((f: any) => f.title)).toEqual([
      'CI tokens live too long',
      'No rotation runbook',
    ]);
    const scenario = await request(backend.server)
      .get(api('/v1/exercises?scenario=cloud-account-abuse'))
      .set('Authorization', user())
      .expect(200);
    expect(scenario.body.items.map((e: any) => e.scopeRef)).toEqual(['group:default/acme']);

    const signal = await recordSignal(incident()).expect(201);
    await timeline(signal.body.id, { remediatedAt: ago(1) }).expect(200);
    const log = await request(backend.server)
      .get(api('/v1/evidence/log?limit=1000'))
      .set('Authorization', user())
      .expect(200);
    const kinds = log.body.records.map((r: any) => r.kind);
    expect(kinds.filter((k: string) => k === 'exercise.recorded')).toHaveLength(4);
    expect(kinds).toContain('runtime-signal.recorded');
    expect(kinds).toContain('runtime-signal.updated');
    const verify = await request(backend.server)
      .get(api('/v1/evidence/verify'))
      .set('Authorization', user())
      .expect(200);
    expect(verify.body.ok).toBe(true);
  });
});
