/**
 * DevSecOps scorecard backend module that pulls repository security state from GitHub.
 *
 * @packageDocumentation
 */
export { devsecopsModuleGithub as default } from './module';
export { readPavedRoadWorkflows, readSchedule } from './module';
export * from './GithubPullProvider';
export * from './mapping';
export * from './sync';
export * from './repositoryContents';
export {
  devsecopsGithubIssuesModule,
  readGithubIssuesConfig,
} from './issues/issuesModule';
export type { GithubIssuesConfig } from './issues/issuesModule';
export * from './issues/ControlIssues';
export * from './issues/GithubIssuesClient';
export { httpScorecardReader } from './issues/scorecardReader';
