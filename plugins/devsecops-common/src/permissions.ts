import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the scorecard, findings and evidence of entities.
 * @public
 */
export const devsecopsReadPermission = createPermission({
  name: 'devsecops.read',
  attributes: { action: 'read' },
});

/** @public */
export const devsecopsPermissions = [devsecopsReadPermission];
