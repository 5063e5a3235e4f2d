import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import { withBasicDecisionCache } from './basicDecisionCache';

const read = createPermission({ name: 'devsecops.read', attributes: { action: 'read' } });
const entityRead = createPermission({ name: 'devsecops.entity.read', attributes: { action: 'read' }, resourceType: 'devsecops-entity' });

function fakePolicy(answers: AuthorizeResult[]) {
  const calls: string[] = [];
  let failNext = false;
  const service = {
    authorize: jest.fn(async (requests: any[], { credentials }: any) => {
      calls.push(`${credentials.principal.userEntityRef ?? credentials.principal.subject}:${requests.map(r => r.permission.name)}`);
      if (failNext) {
        failNext = false;
        throw new Error('permission backend unreachable');
      }
      return requests.map(() => ({ result: answers[Math.min(calls.length - 1, answers.length - 1)] }));
    }),
    authorizeConditional: jest.fn(async () => [{ result: AuthorizeResult.ALLOW }]),
  };
  return { service: service as unknown as PermissionsService, calls, failOnce: () => (failNext = true) };
}

describe('withBasicDecisionCache', () => {
  it('asks the policy once per principal and basic permission within the TTL, again after it', async () => {
    let clock = 1_000;
    const policy = fakePolicy([AuthorizeResult.ALLOW, AuthorizeResult.DENY]);
    const cached = withBasicDecisionCache(policy.service, { ttlMs: 5_000, now: () => clock });
    const dana = { credentials: mockCredentials.user('user:default/dana') };
    const sam = { credentials: mockCredentials.user('user:default/sam') };
    expect((await cached.authorize([{ permission: read }], dana))[0].result).toBe(AuthorizeResult.ALLOW);
    clock += 4_999;
    expect((await cached.authorize([{ permission: read }], dana))[0].result).toBe(AuthorizeResult.ALLOW);
    expect(policy.calls).toEqual(['user:default/dana:devsecops.read']);
    // Another person is asked for separately (and here denied).
    expect((await cached.authorize([{ permission: read }], sam))[0].result).toBe(AuthorizeResult.DENY);
    clock += 1;
    // Past the TTL the policy decides again: a revoked permission lasts at most the TTL.
    expect((await cached.authorize([{ permission: read }], dana))[0].result).toBe(AuthorizeResult.DENY);
    expect(policy.calls).toHaveLength(3);
  });

  it('never reuses resource permissions, conditional decisions, anonymous callers or errors', async () => {
    const policy = fakePolicy([AuthorizeResult.ALLOW]);
    const cached = withBasicDecisionCache(policy.service, { now: () => 0 });
    const dana = { credentials: mockCredentials.user('user:default/dana') };
    await cached.authorize([{ permission: entityRead, resourceRef: 'component:default/a' }], dana);
    await cached.authorize([{ permission: entityRead, resourceRef: 'component:default/a' }], dana);
    await cached.authorize([{ permission: read }], { credentials: mockCredentials.none() });
    await cached.authorize([{ permission: read }], { credentials: mockCredentials.none() });
    await cached.authorizeConditional([{ permission: entityRead }], dana);
    await cached.authorizeConditional([{ permission: entityRead }], dana);
    expect(policy.calls).toHaveLength(4);
    expect(policy.service.authorizeConditional).toHaveBeenCalledTimes(2);

    policy.failOnce();
    await expect(cached.authorize([{ permission: read }], dana)).rejects.toThrow('unreachable');
    expect((await cached.authorize([{ permission: read }], dana))[0].result).toBe(AuthorizeResult.ALLOW);
    expect(policy.calls).toHaveLength(6);
  });
});

describe('withBasicDecisionCache: only read-only basic permissions', () => {
  const campaignManage = createPermission({ name: 'devsecops.campaign.manage', attributes: { action: 'create' } });
  const feedImport = createPermission({ name: 'devsecops.feed.import', attributes: { action: 'update' } });
  // A basic read permission of someone else's plugin is not ours to reuse either.
  const otherRead = createPermission({ name: 'catalog.entity.read.basic', attributes: { action: 'read' } });

  it.each([
    ['devsecops.campaign.manage', campaignManage],
    ['devsecops.feed.import', feedImport],
    ['a read permission not in the list', otherRead],
  ])('a revoked %s grant is refused on the next request', async (_name, permission) => {
    const policy = fakePolicy([AuthorizeResult.ALLOW, AuthorizeResult.DENY]);
    const cached = withBasicDecisionCache(policy.service, { ttlMs: 60_000, now: () => 0 });
    const paula = { credentials: mockCredentials.user('user:default/paula') };
    expect((await cached.authorize([{ permission }], paula))[0].result).toBe(AuthorizeResult.ALLOW);
    // The grant is revoked: well within the TTL, the very next request is refused.
    expect((await cached.authorize([{ permission }], paula))[0].result).toBe(AuthorizeResult.DENY);
    expect(policy.calls).toEqual([`user:default/paula:${permission.name}`, `user:default/paula:${permission.name}`]);
  });

  it('a batch mixing devsecops.read with a write permission goes to the policy every time', async () => {
    const policy = fakePolicy([AuthorizeResult.ALLOW]);
    const cached = withBasicDecisionCache(policy.service, { now: () => 0 });
    const paula = { credentials: mockCredentials.user('user:default/paula') };
    await cached.authorize([{ permission: read }, { permission: campaignManage }], paula);
    await cached.authorize([{ permission: read }, { permission: campaignManage }], paula);
    expect(policy.calls).toHaveLength(2);
    // devsecops.read alone is still reused.
    await cached.authorize([{ permission: read }], paula);
    await cached.authorize([{ permission: read }], paula);
    expect(policy.calls).toHaveLength(3);
  });
});
