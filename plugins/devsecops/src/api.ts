import { createApiRef } from '@backstage/core-plugin-api';
import { DevsecopsApi } from '@devsecops-scorecard/plugin-devsecops-common';

/**
 * The devsecops backend API, registered by both the legacy plugin and the `/alpha` plugin.
 * @public
 */
export const devsecopsApiRef = createApiRef<DevsecopsApi>({
  id: 'plugin.devsecops.service',
});
