import {
  DEVSECOPS_ENTITY_RESOURCE_TYPE,
  DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
  ExceptionRecord,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** Query form of exception conditions: which columns must hold which values. @public */
export type DevsecopsExceptionQuery = {
  property: 'riskOwner' | 'ownerRef' | 'requester';
  values: string[];
};

/** @public */
export const devsecopsExceptionResourceRef = createPermissionResourceRef<
  ExceptionRecord,
  DevsecopsExceptionQuery
>().with({ pluginId: 'devsecops', resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE });

const claimsSchema = z.object({
  claims: z.array(z.string()).describe('Entity refs the user is or belongs to (ownershipEntityRefs)'),
});

/** The user is the named risk owner, or belongs to the named risk-owner group. @public */
export const isExceptionRiskOwner = createPermissionRule({
  name: 'IS_RISK_OWNER',
  description: 'Allow the named risk owner, or members of the named risk-owner group',
  resourceRef: devsecopsExceptionResourceRef,
  paramsSchema: claimsSchema,
  apply: (exception, { claims }) => claims.includes(exception.riskOwner),
  toQuery: ({ claims }) => ({ property: 'riskOwner', values: claims }),
});

/** The user belongs to the group that owns the exception's entity in the catalog. @public */
export const isExceptionEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description: "Allow members of the group that owns the exception's entity",
  resourceRef: devsecopsExceptionResourceRef,
  paramsSchema: claimsSchema,
  apply: (exception, { claims }) =>
    !!exception.ownerRef && claims.includes(exception.ownerRef),
  toQuery: ({ claims }) => ({ property: 'ownerRef', values: claims }),
});

/** @public */
export const devsecopsExceptionRules = {
  isExceptionRiskOwner,
  isExceptionEntityOwner,
};

/** Condition factories and decisions for permission policies. @public */
export const {
  conditions: devsecopsExceptionConditions,
  createConditionalDecision: createDevsecopsExceptionConditionalDecision,
} = createConditionExports({
  resourceRef: devsecopsExceptionResourceRef,
  rules: devsecopsExceptionRules,
});

/**
 * A catalog entity as the `devsecops-entity` resource: what the devsecops backend's
 * `getResources` loads through the catalog for a resource ref (an entity ref).
 * @public
 */
export interface DevsecopsEntityResource {
  /** The entity ref, e.g. `component:default/payments-api` or `group:default/acme`. */
  entityRef: string;
  /** The catalog kind, lower case (`component`, `group`, …). */
  kind: string;
  /**
   * Who owns the entity: `spec.owner` as a full ref for software entities; for a group, the
   * group itself (its members own it); for a user, the user. Absent when the entity names none.
   */
  ownerRef?: string;
  /** The owner group's parents up to the root (nearest first); empty when the owner is a user. */
  ownerAncestorRefs: string[];
  /** Every group below the owner group (`spec.children`, transitively). */
  ownerDescendantRefs: string[];
  /**
   * Whether members of groups below the owner group count as owners when a condition does not
   * say (`devsecops.permissions.transitiveOwnership`, default false).
   */
  transitiveOwnershipByDefault: boolean;
}

/**
 * Query form of entity conditions, for callers that filter rows by owner instead of loading
 * each entity: the row's owner ref is one of `values`; or, with `transitive` (undefined: the
 * plugin's `devsecops.permissions.transitiveOwnership`), a group above one of them; or, with
 * `ancestors`, a group below one of them.
 * @public
 */
export type DevsecopsEntityQuery = {
  property: 'ownerRef';
  values: string[];
  transitive?: boolean;
  ancestors?: boolean;
};

/** @public */
export const devsecopsEntityResourceRef = createPermissionResourceRef<
  DevsecopsEntityResource,
  DevsecopsEntityQuery
>().with({ pluginId: 'devsecops', resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE });

/**
 * The user owns the entity: the entity's owner is one of the user's claims (the user or a group
 * they are a member of; for a group entity, the group itself). With `transitive` (default: the
 * plugin configuration `devsecops.permissions.transitiveOwnership`), membership of any group
 * below the owner group counts too, e.g. a member of a child team of the owning department.
 * With `ancestors` (default false), membership of any group above the owner group counts too,
 * e.g. the department over the owning team.
 * @public
 */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    'Allow the owner of the entity: the user or members of the owning group (for a group, its own members); transitive: members of groups below it too',
  resourceRef: devsecopsEntityResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity refs the user is or belongs to (ownershipEntityRefs)'),
    transitive: z
      .boolean()
      .optional()
      .describe('Members of groups below the owner group count as owners (default: devsecops.permissions.transitiveOwnership)'),
    ancestors: z
      .boolean()
      .optional()
      .describe('Members of groups above the owner group count as owners (default false)'),
  }),
  apply: (entity, { claims, transitive, ancestors }) => {
    if (!entity.ownerRef) return false;
    if (claims.includes(entity.ownerRef)) return true;
    if (ancestors && entity.ownerAncestorRefs.some(ref => claims.includes(ref))) return true;
    if (!(transitive ?? entity.transitiveOwnershipByDefault)) return false;
    return entity.ownerDescendantRefs.some(ref => claims.includes(ref));
  },
  toQuery: ({ claims, transitive, ancestors }) => ({ property: 'ownerRef', values: claims, transitive, ancestors }),
});

/** @public */
export const devsecopsEntityRules = { isEntityOwner };

/** Condition factories and decisions for the `devsecops-entity` resource type. @public */
export const {
  conditions: devsecopsEntityConditions,
  createConditionalDecision: createDevsecopsEntityConditionalDecision,
} = createConditionExports({
  resourceRef: devsecopsEntityResourceRef,
  rules: devsecopsEntityRules,
});
