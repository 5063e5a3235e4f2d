import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { DevsecopsDemoPolicy } from './permissionPolicy';

const user = (claims: string[]) =>
  ({ identity: {}, info: { userEntityRef: claims[0], ownershipEntityRefs: claims }, credentials: {} } as any);

describe('DevsecopsDemoPolicy', () => {
  const policy = new DevsecopsDemoPolicy();
  const rita = user(['user:default/rita', 'group:default/security-compliance']);

  it('lets only the risk owner decide, as a condition the devsecops backend applies', async () => {
    const decision = await policy.handle({ permission: devsecopsExceptionDecidePermission }, rita);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'devsecops',
      resourceType: 'devsecops-exception',
      conditions: {
        anyOf: [
          {
            rule: 'IS_RISK_OWNER',
            resourceType: 'devsecops-exception',
            params: { claims: ['user:default/rita', 'group:default/security-compliance'] },
          },
        ],
      },
    });
  });

  it('lets the risk owner or the owning team revoke', async () => {
    const decision = await policy.handle({ permission: devsecopsExceptionRevokePermission }, rita);
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(JSON.stringify(decision)).toContain('IS_ENTITY_OWNER');
  });

  it('allows requests and reads', async () => {
    expect((await policy.handle({ permission: devsecopsExceptionRequestPermission }, rita)).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });
});
