import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  devsecopsExceptionReadPermission,
  ExceptionRecord,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  DevsecopsExceptionQuery,
  devsecopsExceptionRules,
} from '@devsecops-scorecard/plugin-devsecops-node';

type Caller = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

const transformConditions = createConditionTransformer(
  Object.values(devsecopsExceptionRules),
);

/** Matches no exception: a DENY decision as a query. */
const NONE: PermissionCriteria<DevsecopsExceptionQuery> = {
  property: 'riskOwner',
  values: [],
};

/**
 * `devsecops.exception.read` for a list: undefined when the caller reads every exception
 * (services; ALLOW), otherwise the decision's conditions in query form (IS_RISK_OWNER →
 * risk_owner, IS_ENTITY_OWNER → owner_ref), which the store applies in its query.
 */
export async function exceptionReadCriteria(
  permissions: PermissionsService,
  credentials: Caller,
): Promise<PermissionCriteria<DevsecopsExceptionQuery> | undefined> {
  if (credentials.principal.type !== 'user') return undefined;
  const [decision] = await permissions.authorizeConditional(
    [{ permission: devsecopsExceptionReadPermission }],
    {
      credentials: credentials as BackstageCredentials<BackstageUserPrincipal>,
    },
  );
  if (decision.result === AuthorizeResult.ALLOW) return undefined;
  if (decision.result === AuthorizeResult.DENY) return NONE;
  return transformConditions(
    (decision as ConditionalPolicyDecision).conditions as any,
  ) as PermissionCriteria<DevsecopsExceptionQuery>;
}

/**
 * `devsecops.exception.read` for one exception: the same decision's query form checked against
 * the record (as the store's query would), so single reads and lists never disagree.
 */
export async function mayReadException(
  permissions: PermissionsService,
  credentials: Caller,
  record: Pick<ExceptionRecord, 'riskOwner' | 'ownerRef' | 'requester'>,
): Promise<boolean> {
  const criteria = await exceptionReadCriteria(permissions, credentials);
  return criteria === undefined || matchesException(criteria, record);
}

function matchesException(
  criteria: PermissionCriteria<DevsecopsExceptionQuery>,
  record: Pick<ExceptionRecord, 'riskOwner' | 'ownerRef' | 'requester'>,
): boolean {
  if ('allOf' in criteria)
    return criteria.allOf.every(c => matchesException(c, record));
  if ('anyOf' in criteria)
    return criteria.anyOf.some(c => matchesException(c, record));
  if ('not' in criteria) return !matchesException(criteria.not, record);
  const value = record[criteria.property];
  return value !== undefined && criteria.values.includes(value);
}
