import { createComponentExtension } from '@backstage/core-plugin-api';
import { createCardExtension } from '@backstage/plugin-home-react';
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

/**
 * "My services" as a widget of `@backstage/plugin-home`'s customizable home page (legacy frontend
 * system: a child of `<CustomHomepageGrid>`, or render it in a static home page): the signed-in
 * user's teams' services failing first, each with stage, gate, what fails and the one next step.
 * @public
 */
export const DevsecopsMyServicesHomeWidget = devsecopsPlugin.provide(
  createCardExtension({
    name: 'DevsecopsMyServicesHomeWidget',
    title: 'My services',
    description: "Your teams' services, failing first: stage, release gate and the one next step",
    layout: { width: { minColumns: 4, defaultColumns: 6 }, height: { minRows: 4, defaultRows: 6 } },
    components: () => import('./components/StageGate').then(m => ({ Content: m.MyServicesContent })),
  }),
);
