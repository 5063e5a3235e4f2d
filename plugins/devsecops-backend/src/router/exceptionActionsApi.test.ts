import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend, testEntities } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const DANA = mockCredentials.user.header('user:default/dana'); // team-payments, owns payments-api
const RITA = mockCredentials.user.header('user:default/rita'); // security-compliance (risk owners)
const SAM = mockCredentials.user.header('user:default/sam'); // security-compliance, but the policy denies him decisions
const OTTO = mockCredentials.user.header('user:default/otto'); // another team

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/**
 * A policy that allows everything except: deciding exceptions for sam, and recording exercises
 * (and their follow-ups) for anyone outside the scope group or security-compliance.
 */
const policy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (r: { permission: { name: string }; resourceRef?: string }, credentials: any) => {
      if (credentials.principal.type !== 'user') return AuthorizeResult.ALLOW;
      const ref = credentials.principal.userEntityRef as string;
      const user = testEntities.find(e => e.kind === 'User' && `user:default/${e.metadata.name}` === ref);
      const groups = ((user?.spec?.memberOf as string[]) ?? []).map(g => `group:default/${g}`);
      if (r.permission.name === 'devsecops.exception.decide' && ref === 'user:default/sam') return AuthorizeResult.DENY;
      if (r.permission.name === 'devsecops.exercise.record') {
        const allowed = groups.includes('group:default/security-compliance') || groups.includes(r.resourceRef ?? '');
        return allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
      }
      return AuthorizeResult.ALLOW;
    };
    return {
      authorize: async (requests: any[], { credentials }: any) => requests.map(r => ({ result: decide(r, credentials) })),
      authorizeConditional: async (requests: any[], { credentials }: any) => requests.map(r => ({ result: decide(r, credentials) })),
    } as any;
  },
});

describe.each(databases.eachSupportedId())('exception actions and exercise follow-ups on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, { features: [policy] });
  });
  afterEach(() => backend.stop());

  const api = (path: string) => `/api/devsecops/v1${path}`;
  const actions = async (id: string, who: string) => {
    const response = await request(backend.server).get(api(`/exceptions/${id}/actions`)).set('Authorization', who);
    expect(response.status).toBe(200);
    return Object.fromEntries(
      (response.body.actions as Array<{ action: string; allowed: boolean; reason?: string }>).map(a => [
        a.action,
        a.allowed ? 'allowed' : a.reason,
      ]),
    );
  };

  it('offers each person exactly the actions the server would accept, with the reason for the rest', async () => {
    const requested = await request(backend.server)
      .post(api('/exceptions'))
      .set('Authorization', DANA)
      .send({
        entityRef: 'payments-api',
        scope: { control: 'sast' },
        riskStatement: 'Accepted while the rule is tuned',
        riskRating: 'low',
        riskOwner: 'group:default/security-compliance',
        expiresAt: inDays(20),
      })
      .expect(201);
    const id = requested.body.id;

    expect(await actions(id, RITA)).toEqual({
      approve: 'allowed',
      reject: 'allowed',
      revoke: 'Only approved exceptions can be revoked (this one is requested)',
      renew: 'Only approved or expired exceptions are renewed (this one is requested)',
    });
    expect((await actions(id, DANA)).approve).toBe('You requested this exception; someone else must decide');
    expect((await actions(id, OTTO)).approve).toBe(
      'Only the risk owner group:default/security-compliance (or its members) may decide',
    );
    // The policy has the last word: sam is a risk owner, but the policy denies him decisions.
    expect((await actions(id, SAM)).approve).toBe('The permission policy does not allow you devsecops.exception.decide');
    await request(backend.server).post(api(`/exceptions/${id}/approve`)).set('Authorization', SAM).send({ reason: 'fine by me' }).expect(403);

    await request(backend.server).post(api(`/exceptions/${id}/approve`)).set('Authorization', RITA).send({ reason: 'Tuning ticket SEC-12' }).expect(200);
    expect(await actions(id, DANA)).toEqual({
      approve: 'You requested this exception; someone else must decide',
      reject: 'You requested this exception; someone else must decide',
      revoke: 'allowed',
      renew: 'allowed',
    });
    expect((await actions(id, OTTO)).revoke).toBe(
      'Only the risk owner group:default/security-compliance or the owners of component:default/payments-api may revoke',
    );

    // Services have no actions; unknown ids are 404.
    await request(backend.server).get(api(`/exceptions/${id}/actions`)).set('Authorization', ciHeader()).expect(400);
    await request(backend.server)
      .get(api('/exceptions/2d7c8f5e-0b1a-4c3d-9e8f-7a6b5c4d3e2f/actions'))
      .set('Authorization', RITA)
      .expect(404);
  });

  it('gives the dialog the longest expiry it may ask for', async () => {
    const response = await request(backend.server)
      .get(api('/exceptions/risk-owners?entity=payments-api&riskRating=low'))
      .set('Authorization', DANA)
      .expect(200);
    expect(response.body.expiry.maxDurationDays).toBe(90);
    const latest = Date.parse(response.body.expiry.latest);
    expect(Math.abs(latest - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
  });

  it('marks a follow-up done for the scope team, logs it, lists overdue ones, and refuses another team', async () => {
    const recorded = await request(backend.server)
      .post(api('/exercises'))
      .set('Authorization', DANA)
      .send({
        scenario: 'leaked-secrets',
        heldOn: inDays(-40).slice(0, 10),
        scopeRef: 'group:default/team-payments',
        participants: ['user:default/dana', 'user:default/rita'],
        findings: [{ title: 'No rotation runbook' }],
        followUps: [
          { action: 'Write the rotation runbook', owner: 'user:default/dana', due: inDays(-10).slice(0, 10) },
          { action: 'Shorten token lifetime', owner: 'group:default/team-payments', due: inDays(-5).slice(0, 10) },
        ],
      })
      .expect(201);
    const id = recorded.body.id;
    const overdue = async () =>
      (await request(backend.server).get(api('/exercises')).set('Authorization', OTTO).expect(200)).body.overdueFollowUps.map(
        (f: any) => [f.action, f.index, f.daysOverdue],
      );
    expect(await overdue()).toEqual([
      ['Write the rotation runbook', 0, 10],
      ['Shorten token lifetime', 1, 5],
    ]);

    // Another team may not close team-payments' follow-ups; nothing changes.
    const refused = await request(backend.server)
      .post(api(`/exercises/${id}/follow-ups/0`))
      .set('Authorization', OTTO)
      .send({ done: true })
      .expect(403);
    expect(refused.body.error.message).toBe(
      'The permission policy does not allow devsecops.exercise.record on group:default/team-payments',
    );
    expect(await overdue()).toHaveLength(2);

    const done = await request(backend.server)
      .post(api(`/exercises/${id}/follow-ups/0`))
      .set('Authorization', DANA)
      .send({ done: true })
      .expect(200);
    expect(done.body.followUps[0]).toMatchObject({ done: true, doneBy: 'user:default/dana' });
    expect(done.body.followUps[1].done).toBeUndefined();
    expect(await overdue()).toEqual([['Shorten token lifetime', 1, 5]]);

    const log = await request(backend.server)
      .get(api('/evidence/log?limit=1000'))
      .set('Authorization', RITA);
    expect(log.status).toBe(200);
    expect(log.body.records.map((r: any) => r.kind)).toContain('exercise.follow-up-done');

    await request(backend.server).post(api(`/exercises/${id}/follow-ups/2`)).set('Authorization', DANA).send({ done: true }).expect(404);
    await request(backend.server).post(api(`/exercises/${id}/follow-ups/0`)).set('Authorization', DANA).send({ done: 'yes' }).expect(400);
    await request(backend.server).post(api(`/exercises/${id}/follow-ups/0`)).set('Authorization', ciHeader()).send({ done: true }).expect(403);
    // Reopened: overdue again.
    await request(backend.server).post(api(`/exercises/${id}/follow-ups/0`)).set('Authorization', RITA).send({ done: false }).expect(200);
    expect(await overdue()).toHaveLength(2);
  });
});
