import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { factWithOwnSource } from '@devsecops-scorecard/plugin-devsecops-common';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/*
 * Issue 15: a criterion or control with a real source is never met by a typed claim. POST
 * /v1/facts refuses those names with a 400 naming the source, writes nothing, and a claim an
 * older version accepted is not evidence.
 */
describe.each(databases.eachSupportedId())('facts with their own source on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend?.stop());

  const postFacts = (facts: object[]) =>
    request(backend.server).post('/api/devsecops/v1/facts').set('Authorization', ciHeader()).send({ entityRef: 'payments-api', facts });
  const card = async () =>
    (await request(backend.server).get('/api/devsecops/v1/scorecards?entity=payments-api').set('Authorization', mockCredentials.user.header()).expect(200)).body;
  const criterion = (c: any, id: string) => c.maturity.stages.flatMap((s: any) => s.criteria).find((x: any) => x.id === id);
  const control = (c: any, id: string) => c.controls.find((x: any) => x.controlId === id);

  it.each([
    ['evidence.exported', true, 'an audit package exported from the portal (GET /v1/audit-packages)'],
    ['control_failure_review.cadence_days', 14, "POST /v1/human-attestations with kind 'control-failure-review'"],
    ['platform_templates.feedback', true, "POST /v1/human-attestations with kind 'template-feedback'"],
    ['exercise.cloud_account_abuse', true, "POST /v1/exercises with scenario 'cloud-account-abuse'"],
    ['cloud_audit_logs.enabled', true, "POST /v1/runtime-signals with kind 'heartbeat' and monitors ['cloud-audit-logs']"],
    ['openssf.token-permissions.score', 10, 'an OpenSSF Scorecard result uploaded as a report'],
  ])('refuses %s with a 400 naming its source, and writes nothing of the call', async (fact, value, source) => {
    const response = await postFacts([
      { fact: 'branch_protection.enabled', value: true, source: 'ci' },
      { fact, value, source: 'ci' },
    ]);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(`facts[1].fact '${fact}' is not accepted as a claim: it is recorded from ${factWithOwnSource(fact)!.source}`);
    expect(response.body.error.message).toContain(source);
    const [{ count }] = await backend.knex('devsecops_control_facts').count({ count: '*' });
    expect(Number(count)).toBe(0);
  });

  it('still records what a pipeline observes', async () => {
    await postFacts([
      { fact: 'pre_commit.enabled', value: true, source: 'ci' },
      { fact: 'ci.least_privilege_tokens', value: true, source: 'stepsecurity' },
    ]).expect(201);
    expect(control(await card(), 'pre-commit-checks').state).toBe('passing');
  });

  it('ignores the claims an older version accepted: criteria and runtime controls read only their sources', async () => {
    const legacy = (fact: string, value: unknown) => ({
      entity_ref: 'component:default/payments-api',
      fact,
      value: JSON.stringify(value),
      source: 'ci',
      observed_at: new Date(),
      recorded_by: 'external:test-service',
      recorded_at: new Date(),
    });
    await backend.knex('devsecops_control_facts').insert([
      legacy('evidence.exported', true),
      legacy('control_failure_review.cadence_days', 7),
      legacy('platform_templates.feedback', true),
      legacy('exercise.leaked_secrets', true),
      legacy('workload_telemetry.enabled', true),
    ]);
    // A real fact too, so the scorecard is refreshed from the stored rows.
    await postFacts([{ fact: 'branch_protection.enabled', value: true, source: 'ci' }]).expect(201);
    const c = await card();
    expect(criterion(c, 'evidence-export')).toMatchObject({ met: false, reason: 'No audit package covering it was exported from the portal' });
    expect(criterion(c, 'failure-review')).toMatchObject({ met: false, reason: 'No control-failure review recorded by a person (or the last one expired)' });
    expect(criterion(c, 'feedback-into-templates')).toMatchObject({ met: false });
    expect(criterion(c, 'tabletop-exercises').reason).toContain('No leaked-secrets exercise recorded');
    expect(control(c, 'workload-telemetry').state).toBe('not_reported');

    // The real source turns each on: a heartbeat for the runtime control …
    await request(backend.server)
      .post('/api/devsecops/v1/runtime-signals')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', kind: 'heartbeat', monitors: ['workload-telemetry'], source: 'datadog' })
      .expect(201);
    // … an audit package exported from the portal for the criterion.
    await request(backend.server).get('/api/devsecops/v1/audit-packages?entity=payments-api').set('Authorization', mockCredentials.user.header()).expect(200);
    const after = await card();
    expect(control(after, 'workload-telemetry')).toMatchObject({ state: 'passing', reason: expect.stringContaining('datadog heartbeat') });
    expect(criterion(after, 'evidence-export')).toMatchObject({ met: true, reason: expect.stringContaining('exported by user:default/mock') });
  });
});
