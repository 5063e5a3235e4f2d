import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the scorecard, findings and evidence of entities.
 * @public
 */
export const devsecopsReadPermission = createPermission({
  name: 'devsecops.read',
  attributes: { action: 'read' },
});

/** The resource type of exceptions, for conditional permission decisions. @public */
export const DEVSECOPS_EXCEPTION_RESOURCE_TYPE = 'devsecops-exception';

/**
 * Request an exception (or its renewal) for an entity's failing control or finding.
 * @public
 */
export const devsecopsExceptionRequestPermission = createPermission({
  name: 'devsecops.exception.request',
  attributes: { action: 'create' },
});

/**
 * Read exceptions.
 * @public
 */
export const devsecopsExceptionReadPermission = createPermission({
  name: 'devsecops.exception.read',
  attributes: { action: 'read' },
  resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
});

/**
 * Approve or reject a requested exception. On top of this permission, only the named risk owner
 * (or a member of the named group) may decide, and never the requester.
 * @public
 */
export const devsecopsExceptionDecidePermission = createPermission({
  name: 'devsecops.exception.decide',
  attributes: { action: 'update' },
  resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
});

/**
 * Revoke an approved exception before it expires.
 * @public
 */
export const devsecopsExceptionRevokePermission = createPermission({
  name: 'devsecops.exception.revoke',
  attributes: { action: 'delete' },
  resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
});

/** @public */
export const devsecopsPermissions = [
  devsecopsReadPermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionReadPermission,
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRevokePermission,
];
