import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DevsecopsClient } from '@devsecops-scorecard/plugin-devsecops-common';
import { devsecopsApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The DevSecOps scorecard plugin for apps on the legacy frontend system.
 * @public
 */
export const devsecopsPlugin = createPlugin({
  id: 'devsecops',
  apis: [
    createApiFactory({
      api: devsecopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevsecopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The org overview page.
 * @public
 */
export const DevsecopsPage = devsecopsPlugin.provide(
  createRoutableExtension({
    name: 'DevsecopsPage',
    component: () =>
      import('./components/OverviewPage').then(m => m.DevsecopsPage),
    mountPoint: rootRouteRef,
  }),
);
