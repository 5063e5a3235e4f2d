import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('the responsibility model through the API on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      config: { devsecops: { responsibility: { platformTeam: 'platform-team', securityOwner: 'group:default/security-compliance' } } },
    });
  });
  afterEach(() => backend?.stop());

  const get = (path: string, auth = mockCredentials.user.header()) =>
    request(backend.server).get(`/api/devsecops${path}`).set('Authorization', auth);

  it('serves the matrix with the configured groups, and only to signed-in callers', async () => {
    const matrix = (await get('/v1/responsibility').expect(200)).body;
    expect(matrix.groups).toEqual({ platformTeam: 'group:default/platform-team', securityOwner: 'group:default/security-compliance' });
    const cicd = matrix.capabilities.find((c: any) => c.id === 'ci-cd-controls');
    expect(cicd).toMatchObject({ title: 'CI/CD controls', acts: 'Fix findings and own exceptions', decides: 'Define required controls' });
    expect(cicd.items).toContainEqual({ kind: 'control', id: 'secret-scanning', title: 'Secret scanning', stage: 'commit' });
    expect(cicd.items).toContainEqual({ kind: 'criterion', id: 'reusable-workflows', title: 'Move onto reusable CI/CD workflows', stage: 2 });
    await request(backend.server).get('/api/devsecops/v1/responsibility').expect(401);
  });

  it("names the entity's owner as who acts on each failing item, the configured groups as who provides and decides", async () => {
    await request(backend.server)
      .post('/api/devsecops/v1/facts')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', facts: [{ fact: 'pre_commit.enabled', value: false, source: 'ci' }] })
      .expect(201);
    const card = (await get('/v1/scorecards?entity=payments-api').expect(200)).body;
    const preCommit = card.controls.find((c: any) => c.controlId === 'pre-commit-checks');
    expect(preCommit.state).toBe('failing');
    expect(preCommit.responsibility).toEqual({
      capability: 'ci-cd-controls',
      acts: 'group:default/team-payments',
      provides: 'group:default/platform-team',
      decides: 'group:default/security-compliance',
    });
    // Another team's service: its own owner acts.
    const checkout = (await get('/v1/scorecards?entity=checkout-web').expect(200)).body;
    expect(checkout.maturity.nextSteps[0].responsibility.acts).toBe('group:default/team-checkout');
  });
});
