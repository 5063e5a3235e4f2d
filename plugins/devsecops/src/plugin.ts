import {
  createApiFactory,
  createComponentExtension,
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

/**
 * The Security tab of a component (legacy frontend system: mount it in your EntityPage).
 * @public
 */
export const EntitySecurityContent = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'EntitySecurityContent',
    component: {
      lazy: () =>
        import('./components/EntitySecurity').then(m => m.EntitySecurityContent),
    },
  }),
);

/**
 * The overview card: stage, production gate, open critical and high findings.
 * @public
 */
export const EntitySecurityCard = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'EntitySecurityCard',
    component: {
      lazy: () =>
        import('./components/EntitySecurity').then(m => m.EntitySecurityCard),
    },
  }),
);

/**
 * The risk owner's exception queue and each exception's page at `<id>` (legacy frontend system:
 * mount it at `/devsecops/exceptions/*`, where notifications link).
 * @public
 */
export const DevsecopsExceptionsPage = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'DevsecopsExceptionsPage',
    component: {
      lazy: () => import('./components/Exceptions').then(m => m.ExceptionsPage),
    },
  }),
);

/**
 * Tabletop exercises: record one, mark follow-ups done, the org's exercises and overdue
 * follow-ups (legacy frontend system: mount it at `/devsecops/exercises`).
 * @public
 */
export const DevsecopsExercisesPage = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'DevsecopsExercisesPage',
    component: {
      lazy: () => import('./components/Exercises').then(m => m.ExercisesPage),
    },
  }),
);

/**
 * Campaigns: the list with "New campaign", and each campaign's page at `<id>` with progress,
 * burn-up and next steps (legacy frontend system: mount it at `/devsecops/campaigns/*`, where
 * reminders link).
 * @public
 */
export const DevsecopsCampaignsPage = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'DevsecopsCampaignsPage',
    component: {
      lazy: () => import('./components/Campaigns').then(m => m.CampaignsPage),
    },
  }),
);

/**
 * Portfolio search: which services' stored SBOMs contain a package (`?package=log4j-core@<2.17`),
 * with owners and where each artifact is deployed, as CSV (legacy frontend system: mount it at
 * `/devsecops/search`).
 * @public
 */
export const DevsecopsSearchPage = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'DevsecopsSearchPage',
    component: {
      lazy: () => import('./components/PortfolioSearch').then(m => m.PortfolioSearchPage),
    },
  }),
);

/**
 * A group's Security tab: its services and sub-teams rolled up (legacy frontend system).
 * @public
 */
export const GroupSecurityContent = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'GroupSecurityContent',
    component: {
      lazy: () => import('./components/ScopeSecurity').then(m => m.ScopeSecurityContent),
    },
  }),
);

/**
 * A system's Security tab: its components rolled up by owning team, with trends.
 * @public
 */
export const SystemSecurityContent = devsecopsPlugin.provide(
  createComponentExtension({
    name: 'SystemSecurityContent',
    component: {
      lazy: () => import('./components/ScopeSecurity').then(m => m.ScopeSecurityContent),
    },
  }),
);
