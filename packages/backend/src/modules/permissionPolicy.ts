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
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  devsecopsExerciseRecordPermission,
  devsecopsHumanAttestationPermissions,
  devsecopsRuntimeUpdatePermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createDevsecopsEntityConditionalDecision,
  createDevsecopsExceptionConditionalDecision,
  devsecopsEntityConditions,
  devsecopsExceptionConditions,
} from '@devsecops-scorecard/plugin-devsecops-node';

/** The demo organisation's security/compliance owner and platform team (examples/org.yaml). */
export const SECURITY_GROUP = 'group:default/security-compliance';
export const PLATFORM_GROUP = 'group:default/platform-team';

/**
 * The demo portal's permission policy, an example for adopters, after the operating model's
 * responsibility model (product teams own their exceptions and incidents; the platform team
 * supports infrastructure recovery; security/compliance coordinates incidents and exercises and
 * approves risky exceptions):
 * - requesting (and renewing) an exception: the owners of the entity (IS_ENTITY_OWNER);
 * - deciding an exception: only its named risk owner (or members of the named group);
 * - revoking: the risk owner, or the team that owns the entity;
 * - a runtime signal's containment/remediation: the entity's owners, the platform team and the
 *   security group;
 * - recording an exercise: members of the scope group or of a group above it (for an entity
 *   scope, its owners), never a team below it; and the security group, for any scope;
 * - named human attestations, by the responsibility model: a control-failure review or a
 *   threat-model review by the owning team (members of the scope group or a group above it) or
 *   the security/compliance owner; feedback of recurring findings into a platform template by
 *   the platform team only (it maintains the templates);
 * - everything else: allowed to signed-in users (the catalog and devsecops reads).
 * The devsecops backend enforces separation of duties and risk-owner eligibility on top.
 */
export class DevsecopsDemoPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isPermission(request.permission, devsecopsExceptionRequestPermission)) {
      return createDevsecopsEntityConditionalDecision(
        request.permission,
        devsecopsEntityConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(request.permission, devsecopsRuntimeUpdatePermission)) {
      if (claims.includes(SECURITY_GROUP) || claims.includes(PLATFORM_GROUP)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createDevsecopsEntityConditionalDecision(
        request.permission,
        devsecopsEntityConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(request.permission, devsecopsExerciseRecordPermission)) {
      if (claims.includes(SECURITY_GROUP)) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(
        request.permission,
        devsecopsEntityConditions.isEntityOwner({ claims, transitive: false, ancestors: true }),
      );
    }
    const attestation = devsecopsHumanAttestationPermissions;
    if (isPermission(request.permission, attestation['template-feedback'])) {
      return { result: claims.includes(PLATFORM_GROUP) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      isPermission(request.permission, attestation['control-failure-review']) ||
      isPermission(request.permission, attestation['threat-model-review'])
    ) {
      if (claims.includes(SECURITY_GROUP)) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(
        request.permission,
        devsecopsEntityConditions.isEntityOwner({ claims, transitive: false, ancestors: true }),
      );
    }
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
