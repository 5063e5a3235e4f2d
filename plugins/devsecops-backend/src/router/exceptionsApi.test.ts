import { mockCredentials, mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const DANA = mockCredentials.user.header('user:default/dana'); // team-payments, owns payments-api
const RITA = mockCredentials.user.header('user:default/rita'); // security-compliance (risk owners)
const SAM = mockCredentials.user.header('user:default/sam'); // security-compliance too
const OTTO = mockCredentials.user.header('user:default/otto'); // another team

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const criticalImage = JSON.stringify({
  SchemaVersion: 2,
  ArtifactName: 'registry.example.com/payments-api:3',
  ArtifactType: 'container_image',
  Results: [
    {
      Target: 'payments-api',
      Class: 'os-pkgs',
      Type: 'alpine',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2026-7777', PkgName: 'openssl', InstalledVersion: '3.0.0', Severity: 'CRITICAL' },
      ],
    },
  ],
});

describe.each(databases.eachSupportedId())('exceptions on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      features: [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })],
    });
    await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(criticalImage)
      .expect(201);
  });
  afterEach(() => backend.stop());

  const post = (path: string, who: string, body: object) =>
    request(backend.server).post(`/api/devsecops/v1${path}`).set('Authorization', who).send(body);
  const containerState = async () =>
    (
      await request(backend.server)
        .get('/api/devsecops/v1/scorecards?entity=payments-api')
        .set('Authorization', DANA)
    ).body.controls.find((c: any) => c.controlId === 'container-scan');
  const requestException = (who = DANA, over: object = {}) =>
    post('/exceptions', who, {
      entityRef: 'payments-api',
      scope: { control: 'container-scan', vulnerabilityId: 'CVE-2026-7777' },
      riskStatement: 'Not reachable: openssl is only used by the health probe',
      riskRating: 'medium',
      compensatingControls: 'WAF rule 9001',
      riskOwner: 'group:default/security-compliance',
      expiresAt: inDays(30),
      ...over,
    });

  it('runs the life cycle: request → approve → excepted → revoke → failing again, with history', async () => {
    expect((await containerState()).state).toBe('failing');
    const requested = await requestException();
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'requested', requester: 'user:default/dana', ownerRef: 'group:default/team-payments' });
    const id = requested.body.id;
    // The risk owner is told a request awaits them.
    expect(backend.notifications).toContainEqual(
      expect.objectContaining({ recipients: { type: 'entity', entityRef: ['group:default/security-compliance'] } }),
    );
    expect((await containerState()).state).toBe('failing'); // a request changes nothing

    const queue = await request(backend.server).get('/api/devsecops/v1/exceptions?riskOwner=me&status=requested').set('Authorization', RITA);
    expect(queue.body.items.map((e: any) => e.id)).toEqual([id]);

    const approved = await post(`/exceptions/${id}/approve`, RITA, { reason: 'Accepted with the WAF rule in place' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'user:default/rita' });
    const after = await containerState();
    expect(after.state).toBe('excepted');
    expect(after.evidence).toContainEqual({ kind: 'exception', id });

    const gate = await post('/gate/decisions', ciHeader(), {
      entityRef: 'payments-api',
      artifactDigest: `sha256:${'0'.repeat(64)}`,
      environment: 'production',
    });
    expect(gate.status).toBe(200);

    const revoked = await post(`/exceptions/${id}/revoke`, DANA, { reason: 'Fixed differently' });
    expect(revoked.status).toBe(200);
    expect((await containerState()).state).toBe('failing'); // at once, no job needed
    expect(revoked.body.events.map((e: any) => [e.action, e.actor])).toEqual([
      ['requested', 'user:default/dana'],
      ['approved', 'user:default/rita'],
      ['revoked', 'user:default/dana'],
    ]);

    // Everything above is in the tamper-evident evidence log, in order, and the chain holds.
    const log = await request(backend.server)
      .get('/api/devsecops/v1/evidence/log?entity=payments-api')
      .set('Authorization', DANA);
    expect(log.body.records.map((r: any) => r.kind)).toEqual([
      'report.ingested',
      'exception.requested',
      'exception.approved',
      'gate.decided',
      'exception.revoked',
    ]);
    const verify = await request(backend.server).get('/api/devsecops/v1/evidence/verify').set('Authorization', DANA);
    expect(verify.body).toMatchObject({ ok: true, records: 5, headSeq: 5 });
  });

  it('keeps a revoked exception in the exception age: revoking an old one does not improve it', async () => {
    const scorecard = async () =>
      (await request(backend.server).get('/api/devsecops/v1/scorecards?entity=payments-api').set('Authorization', DANA)).body;
    const { body } = await requestException();
    await post(`/exceptions/${body.id}/approve`, RITA, { reason: 'Accepted with the WAF rule in place' }).expect(200);
    // An old exception: approved 100 days ago (the maximum duration is checked when requesting).
    const approvedAt = new Date(Date.now() - 100 * 86_400_000);
    await backend
      .knex('devsecops_exceptions')
      .where({ id: body.id })
      .update({ requested_at: new Date(approvedAt.getTime() - 86_400_000).toISOString(), decided_at: approvedAt.toISOString() });
    // New evidence re-evaluates the entity.
    await request(backend.server)
      .post('/api/devsecops/v1/facts')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', facts: [{ fact: 'branch_protection.enabled', value: true, source: 'test' }] })
      .expect(201);
    const before = await scorecard();
    expect(before.controls.find((c: any) => c.controlId === 'container-scan').state).toBe('excepted');
    expect(before.metrics.meanExceptionAgeDays).toBe(100);

    await post(`/exceptions/${body.id}/revoke`, DANA, { reason: 'Letting it lapse' }).expect(200);
    const after = await scorecard();
    // The failure counts again, and the exception's 100 days still count towards its age.
    expect(after.controls.find((c: any) => c.controlId === 'container-scan').state).toBe('failing');
    expect(after.metrics.meanExceptionAgeDays).toBe(100);
  });

  it('never lets the requester decide, even a requester in the risk-owner group', async () => {
    // By default the requester's own team is not eligible as risk owner at all.
    const refused = await requestException(SAM, { riskOwner: 'group:default/security-compliance' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('riskOwner group:default/security-compliance is not eligible');
    // Configuration may allow it; separation of duties still holds.
    await backend.stop();
    backend = await startDevsecopsBackend(databases, databaseId, {
      config: { devsecops: { exceptions: { riskOwners: { allowRequesterTeams: true } } } },
      features: [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })],
    });
    await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(criticalImage)
      .expect(201);
    const { body } = await requestException(SAM, { riskOwner: 'group:default/security-compliance' });
    expect(body.status).toBe('requested');
    const self = await post(`/exceptions/${body.id}/approve`, SAM, { reason: 'my own' });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toBe('The requester of an exception can never decide it');
    const stranger = await post(`/exceptions/${body.id}/approve`, OTTO, { reason: 'not mine to decide' });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toContain('Only the risk owner group:default/security-compliance');
    const other = await post(`/exceptions/${body.id}/reject`, RITA, { reason: 'Needs a fix date' });
    expect(other.status).toBe(200);
    expect(other.body.status).toBe('rejected');
    const again = await post(`/exceptions/${body.id}/approve`, RITA, { reason: 'changed my mind' });
    expect(again.status).toBe(409);
  });

  it('lets exactly one of two racing decisions win; the other gets a 409', async () => {
    // Several rounds: the interleaving differs from one to the next.
    for (let round = 0; round < 6; round++) {
      const { body } = await requestException();
      const [a, b] = await Promise.all([
        post(`/exceptions/${body.id}/approve`, RITA, { reason: 'approve it' }),
        post(`/exceptions/${body.id}/reject`, SAM, { reason: 'reject it' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const final = await request(backend.server).get(`/api/devsecops/v1/exceptions/${body.id}`).set('Authorization', DANA);
      expect(final.body.events).toHaveLength(2); // requested + the one decision that won
      expect(final.body.status).toBe((a.status === 200 ? a : b).body.status);
    }
  });

  it('refuses bad requests with the problem named, leaving nothing behind', async () => {
    const cases: Array<[object, number, RegExp]> = [
      [{ expiresAt: inDays(-1) }, 400, /is in the past/],
      [{ expiresAt: inDays(400) }, 400, /more than 90 days away/],
      [{ scope: { control: 'container-scan', vulnerabilityId: 'CVE-0000-0000' } }, 400, /scope matches no finding/],
      [{ scope: { control: 'magic' } }, 400, /scope.control 'magic' is not a control/],
      [{ riskOwner: 'user:default/nobody' }, 400, /not a user or group in the catalog/],
      [{ riskOwner: 'user:default/dana' }, 400, /cannot be the requester/],
      [{ riskOwner: 'component:default/payments-api' }, 400, /must be a user or a group/],
      [{ entityRef: 'ghost' }, 404, /No catalog entity component:default\/ghost/],
      [{ riskStatement: 'short' }, 400, /riskStatement/],
    ];
    for (const [over, status, message] of cases) {
      const response = await requestException(DANA, over);
      expect([response.status, response.body.error?.message]).toEqual([status, expect.stringMatching(message)]);
    }
    const fromCi = await requestException(ciHeader());
    expect(fromCi.status).toBe(403);
    const [{ count }] = await backend.knex('devsecops_exceptions').count({ count: '*' });
    expect(Number(count)).toBe(0);
  });

  it('renews by a new request that is reviewed again', async () => {
    const { body } = await requestException();
    await post(`/exceptions/${body.id}/approve`, RITA, { reason: 'ok for now' }).expect(200);
    const renewal = await post(`/exceptions/${body.id}/renew`, DANA, { expiresAt: inDays(60) });
    expect(renewal.status).toBe(201);
    expect(renewal.body).toMatchObject({ status: 'requested', renewalOf: body.id, scope: body.scope });
    const pending = await post(`/exceptions/${body.id}/renew`, DANA, { expiresAt: inDays(60) });
    expect(pending.status).toBe(201); // the original is still approved, so it can be renewed
    const rejected = await post(`/exceptions/${renewal.body.id}/reject`, SAM, { reason: 'fix it instead' });
    expect(rejected.body.status).toBe('rejected');
    const renewRejected = await post(`/exceptions/${renewal.body.id}/renew`, DANA, { expiresAt: inDays(60) });
    expect(renewRejected.status).toBe(409);
  });

  it('refuses a decision the permission policy denies, even for the risk owner', async () => {
    await backend.stop();
    backend = await startDevsecopsBackend(databases, databaseId, {
      features: [mockServices.permissions.factory({ result: AuthorizeResult.DENY })],
    });
    const response = await requestException();
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe('The permission policy does not allow devsecops.exception.request');
  });
});
