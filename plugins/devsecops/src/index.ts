/**
 * DevSecOps scorecard frontend plugin (legacy frontend system exports; the new frontend system
 * plugin is the default export of `/alpha`).
 *
 * @packageDocumentation
 */
export {
  devsecopsPlugin,
  DevsecopsPage,
  EntitySecurityCard,
  EntitySecurityContent,
  DevsecopsExceptionsPage,
  DevsecopsExercisesPage,
  DevsecopsCampaignsPage,
  DevsecopsSearchPage,
  GroupSecurityContent,
  SystemSecurityContent,
} from './plugin';
export { devsecopsApiRef } from './api';
export { DevsecopsMyServicesCard, DevsecopsMyServicesHomeWidget, devsecopsStageGateColumn } from './stageGateExtensions';
