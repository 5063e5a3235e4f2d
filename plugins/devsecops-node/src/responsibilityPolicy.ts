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
import {
  devsecopsCampaignManagePermission,
  devsecopsExceptionDecidePermission,
  devsecopsFeedImportPermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  devsecopsExerciseRecordPermission,
  devsecopsHumanAttestationPermissions,
  devsecopsPermissions,
  devsecopsRuntimeUpdatePermission,
  devsecopsTicketLinkPermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createDevsecopsEntityConditionalDecision,
  createDevsecopsExceptionConditionalDecision,
  devsecopsEntityConditions,
  devsecopsExceptionConditions,
} from './permissions';

/** Options of {@link DevsecopsResponsibilityPolicy}. @public */
export interface DevsecopsResponsibilityPolicyOptions {
  /**
   * The security/compliance owner: full entity refs (`group:default/security-compliance`) whose
   * members coordinate incidents and exercises and review any entity. May be empty.
   */
  securityGroups: string[];
  /**
   * The platform team: full entity refs (`group:default/platform-team`) whose members support
   * infrastructure recovery and maintain the platform templates. May be empty (then nobody
   * records template feedback).
   */
  platformGroups: string[];
  /**
   * Decides every permission that is not one of the devsecops plugin's (the catalog's, the
   * scaffolder's, other plugins'). Default: allow.
   */
  fallback?: PermissionPolicy;
}

const ENTITY_REF = /^[^:/\s]+:[^:/\s]+\/\S+$/;

function checkRefs(option: string, refs: unknown): string[] {
  if (!Array.isArray(refs)) {
    throw new TypeError(`DevsecopsResponsibilityPolicy: ${option} must be an array of entity refs`);
  }
  for (const ref of refs) {
    if (typeof ref !== 'string' || !ENTITY_REF.test(ref)) {
      throw new TypeError(
        `DevsecopsResponsibilityPolicy: ${option} must hold full entity refs like 'group:default/platform-team', got ${JSON.stringify(ref)}`,
      );
    }
  }
  return [...refs];
}

const DEVSECOPS_PERMISSION_NAMES = new Set(devsecopsPermissions.map(p => p.name));

/**
 * A permission policy for the devsecops plugin after the operating model's responsibility model
 * (product teams own their exceptions and incidents; the platform team supports infrastructure
 * recovery and maintains the templates; security/compliance coordinates incidents and exercises
 * and approves risky exceptions). Claims are the user's `ownershipEntityRefs`.
 *
 * - `devsecops.exception.request` (and renewal): the owners of the entity (`IS_ENTITY_OWNER`);
 * - `devsecops.exception.decide`: only the exception's named risk owner or members of the named
 *   group (`IS_RISK_OWNER`);
 * - `devsecops.exception.revoke`: the risk owner, or the team that owned the entity
 *   (`IS_RISK_OWNER` or `IS_ENTITY_OWNER`);
 * - `devsecops.runtime.update`: the entity's owners, and members of the security and platform
 *   groups for any entity;
 * - `devsecops.exercise.record`: members of the scope group or of a group above it (for an entity
 *   scope, its owners), never a team below it; members of the security groups for any scope;
 * - `devsecops.attestation.control-failure-review.record` and
 *   `devsecops.attestation.threat-model-review.record`: as exercises (the owning team, or the
 *   security/compliance owner);
 * - `devsecops.attestation.template-feedback.record` and
 *   `devsecops.attestation.ci-log-redaction.record`: members of the platform groups only (they
 *   maintain the templates and provide the CI workflows and runners);
 * - `devsecops.campaign.manage` (create campaigns): members of the platform and security groups;
 * - `devsecops.feed.import` (KEV / EPSS imports, org-wide data): members of the security groups;
 * - the other devsecops permissions (`devsecops.read`, `devsecops.entity.read`,
 *   `devsecops.exception.read`): allowed;
 * - any other permission: decided by `fallback` (default: allowed).
 *
 * The devsecops backend enforces separation of duties and risk-owner eligibility on top. To
 * decide a devsecops permission differently (say, narrow `devsecops.entity.read` to owners), write
 * a policy that decides it and hands the rest to this one.
 *
 * @public
 */
export class DevsecopsResponsibilityPolicy implements PermissionPolicy {
  private readonly securityGroups: string[];
  private readonly platformGroups: string[];
  private readonly fallback?: PermissionPolicy;

  constructor(options: DevsecopsResponsibilityPolicyOptions) {
    this.securityGroups = checkRefs('securityGroups', options.securityGroups);
    this.platformGroups = checkRefs('platformGroups', options.platformGroups);
    this.fallback = options.fallback;
  }

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const { permission } = request;
    if (!DEVSECOPS_PERMISSION_NAMES.has(permission.name)) {
      return this.fallback ? this.fallback.handle(request, user) : { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    const security = this.securityGroups.some(ref => claims.includes(ref));
    const platform = this.platformGroups.some(ref => claims.includes(ref));
    const attestation = devsecopsHumanAttestationPermissions;

    // Product teams request (and renew) exceptions for what they own.
    if (isPermission(permission, devsecopsExceptionRequestPermission)) {
      return createDevsecopsEntityConditionalDecision(
        permission,
        devsecopsEntityConditions.isEntityOwner({ claims }),
      );
    }
    // Owners close their incidents and link their tickets; platform and security help with any.
    if (isPermission(permission, devsecopsRuntimeUpdatePermission) || isPermission(permission, devsecopsTicketLinkPermission)) {
      if (security || platform) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(
        permission,
        devsecopsEntityConditions.isEntityOwner({ claims }),
      );
    }
    // Exercises and reviews: members of the scope group or of a group above it (never a team
    // below: no crediting the whole organisation), the owners of an entity scope, and security.
    if (
      isPermission(permission, devsecopsExerciseRecordPermission) ||
      isPermission(permission, attestation['control-failure-review']) ||
      isPermission(permission, attestation['threat-model-review'])
    ) {
      if (security) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(
        permission,
        devsecopsEntityConditions.isEntityOwner({ claims, transitive: false, ancestors: true }),
      );
    }
    // Template feedback: the platform team, which maintains the templates. CI log redaction: the
    // platform team too, which provides the CI workflows and runners that mask secrets.
    if (isPermission(permission, attestation['template-feedback']) || isPermission(permission, attestation['ci-log-redaction'])) {
      return { result: platform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    // Campaigns are run by the platform team and the security/compliance owner.
    if (isPermission(permission, devsecopsCampaignManagePermission)) {
      return { result: security || platform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    // Exploitability feeds change every team's findings: the security/compliance owner imports them.
    if (isPermission(permission, devsecopsFeedImportPermission)) {
      return { result: security ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isPermission(permission, devsecopsExceptionDecidePermission)) {
      return createDevsecopsExceptionConditionalDecision(permission, {
        anyOf: [devsecopsExceptionConditions.isExceptionRiskOwner({ claims })],
      });
    }
    if (isPermission(permission, devsecopsExceptionRevokePermission)) {
      return createDevsecopsExceptionConditionalDecision(permission, {
        anyOf: [
          devsecopsExceptionConditions.isExceptionRiskOwner({ claims }),
          devsecopsExceptionConditions.isExceptionEntityOwner({ claims }),
        ],
      });
    }
    // devsecops.read, devsecops.entity.read, devsecops.exception.read.
    return { result: AuthorizeResult.ALLOW };
  }
}
