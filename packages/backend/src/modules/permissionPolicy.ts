import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRevokePermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createDevsecopsExceptionConditionalDecision,
  devsecopsExceptionConditions,
} from '@devsecops-scorecard/plugin-devsecops-node';

/**
 * The demo portal's permission policy, an example for adopters:
 * - deciding an exception: only its named risk owner (or members of the named group);
 * - revoking: the risk owner, or the team that owns the entity;
 * - everything else: allowed to signed-in users (the catalog and devsecops reads).
 * The devsecops backend enforces separation of duties on top: a requester never decides.
 */
export class DevsecopsDemoPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isPermission(request.permission, devsecopsExceptionDecidePermission)) {
      return createDevsecopsExceptionConditionalDecision(request.permission, {
        anyOf: [devsecopsExceptionConditions.isExceptionRiskOwner({ claims })],
      });
    }
    if (isPermission(request.permission, devsecopsExceptionRevokePermission)) {
      return createDevsecopsExceptionConditionalDecision(request.permission, {
        anyOf: [
          devsecopsExceptionConditions.isExceptionRiskOwner({ claims }),
          devsecopsExceptionConditions.isExceptionEntityOwner({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'devsecops-demo-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DevsecopsDemoPolicy());
      },
    });
  },
});
