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
