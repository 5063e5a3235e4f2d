import { createComponentExtension } from '@backstage/core-plugin-api';
import { devsecopsPlugin } from './plugin';

export { devsecopsStageGateColumn } from './components/StageGate';

/**
 * "My services" for a home page: the signed-in user's teams' services with stage and production
 * gate, denied first (legacy frontend system; the `/alpha` export `MyServicesCard` is the same card).
 * @public
 */
export const DevsecopsMyServicesCard = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'DevsecopsMyServicesCard',
    component: {
      lazy: () => import('./components/StageGate').then(m => m.MyServicesCard),
    },
  }),
);
