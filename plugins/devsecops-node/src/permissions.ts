import {
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
