import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

// A real `scorecard --format json` result (ossf/scorecard's test data): Token-Permissions 10,
// Dangerous-Workflow 10, Branch-Protection 0, Pinned-Dependencies 8, Dependency-Update-Tool 0.
const RESULT = readFixture('scorecard/scorecard-oidc-test-results.json');

describe.each(databases.eachSupportedId())('GET /v1/checklist on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend?.stop());

  const get = (query: string, auth = mockCredentials.user.header()) =>
    request(backend.server).get(`/api/devsecops/v1/checklist${query}`).set('Authorization', auth);
  const state = (checklist: any, id: string) => checklist.items.find((i: any) => i.id === id);

  it("measures a service's items from an uploaded Scorecard result, and not before", async () => {
    const before = (await get('?entity=payments-api').expect(200)).body;
    expect(before.entityRef).toBe('component:default/payments-api');
    expect(before.items).toHaveLength(9);
    expect(state(before, 'least-privilege')).toMatchObject({ state: 'not_measured', howToMeasure: expect.stringContaining('devsecops upload results.json') });

    await request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=payments-api&scannedAt=${new Date(Date.now() - 86_400_000).toISOString()}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .serialize((data: unknown) => data as string)
      .send(RESULT)
      .expect(201);
    const after = (await get('?entity=payments-api').expect(200)).body;
    expect(state(after, 'least-privilege')).toMatchObject({ state: 'met', source: 'collected', evidence: ['openssf.token-permissions.result'] });
    expect(state(after, 'least-privilege').reason).toMatch(/^Scorecard Token-Permissions 10\/10/);
    expect(state(after, 'isolated-runners')).toMatchObject({ state: 'met', source: 'collected' });
    expect(state(after, 'protected-branches')).toMatchObject({ state: 'unmet', reason: expect.stringMatching(/^Scorecard Branch-Protection 0\/10/) });
    expect(state(after, 'ci-log-redaction').state).toBe('not_measured');
    // The same by repository.
    const byRepository = (await get('?repository=acme/payments-api').expect(200)).body;
    expect(state(byRepository, 'least-privilege').state).toBe('met');
  });

  it("counts each item over a team's services, and names how to measure what nothing measures", async () => {
    // Roll-ups count the services with a stored summary: evidence gives them one.
    for (const entityRef of ['payments-api', 'checkout-web']) {
      await request(backend.server)
        .post('/api/devsecops/v1/facts')
        .set('Authorization', ciHeader())
        .send({ entityRef, facts: [{ fact: 'branch_protection.enabled', value: true, source: 'ci' }] })
        .expect(201);
    }
    const team = (await get('?group=team-payments').expect(200)).body;
    expect(team.scope).toEqual({ kind: 'group', ref: 'group:default/team-payments' });
    expect(team.entities.map((e: any) => e.entityRef)).toEqual(['component:default/payments-api']);
    expect(state(team, 'exception-review').counts).toEqual({ met: 1, unmet: 0, not_measured: 0, not_applicable: 0 });
    expect(state(team, 'least-privilege')).toMatchObject({
      counts: { met: 0, unmet: 0, not_measured: 1, not_applicable: 0 },
      howToMeasure: expect.stringContaining('OpenSSF Scorecard'),
    });
    const org = (await get('').expect(200)).body;
    expect(org.scope).toEqual({ kind: 'org' });
    expect(org.entities.map((e: any) => e.entityRef)).toEqual(['component:default/checkout-web', 'component:default/payments-api']);
  });

  it('refuses entity and group together, an unknown group or entity, and callers without a token', async () => {
    const both = await get('?entity=payments-api&group=team-payments').expect(400);
    expect(both.body.error.message).toBe('Pass entity or repository for one service, or group for a team, not both');
    expect((await get('?group=ghosts').expect(404)).body.error.message).toBe('No catalog group group:default/ghosts');
    await get('?entity=ghost-service').expect(404);
    await request(backend.server).get('/api/devsecops/v1/checklist?entity=payments-api').expect(401);
  });
});
