import {
  coreServices,
  createBackendModule,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  GITHUB_SLUG_ANNOTATION,
  GithubPullProvider,
} from './GithubPullProvider';
import { httpWriter, syncEntity } from './sync';

/**
 * `devsecops.github.schedule`: a duration object, a cron string, or `manual` (the pull runs only
 * when something calls `scheduler.triggerTask('devsecops-github-pull')`); default every 6 hours.
 */
export function readSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const key = 'devsecops.github.schedule';
  let frequency: SchedulerServiceTaskScheduleDefinition['frequency'] = {
    hours: 6,
  };
  if (config.getOptional(key) === 'manual') {
    // No initial delay: the scheduler would run a manual task once that delay has passed.
    return { frequency: { trigger: 'manual' }, timeout: { hours: 1 }, scope: 'global' };
  }
  if (typeof config.getOptional(key) === 'string') {
    frequency = { cron: config.getString(key) };
  } else if (config.has(key)) {
    frequency = readDurationFromConfig(config.getConfig(key));
  }
  return {
    frequency,
    timeout: { hours: 1 },
    initialDelay: { minutes: 1 },
    scope: 'global',
  };
}

/** `devsecops.github.pavedRoadWorkflows`: the organisation's reusable workflows (`owner/repo/.github/workflows/file.yml`). */
export function readPavedRoadWorkflows(config: Config): string[] {
  const workflows =
    config.getOptionalStringArray('devsecops.github.pavedRoadWorkflows') ?? [];
  for (const workflow of workflows) {
    const parts = workflow.split('/');
    if (parts.length < 3 || parts.some(p => p === '') || workflow.includes('@')) {
      throw new Error(
        `Invalid devsecops.github.pavedRoadWorkflows entry "${workflow}": expected owner/repo/.github/workflows/file.yml without @ref`,
      );
    }
  }
  return workflows;
}

/**
 * Pulls branch protection, rulesets, security settings, repository contents (pre-commit
 * configuration, workflows, CODEOWNERS) and open code scanning, Dependabot and
 * secret scanning alerts of every catalog Component with a `github.com/project-slug` annotation
 * into the DevSecOps scorecard, through its API.
 */
export const devsecopsModuleGithub = createBackendModule({
  pluginId: 'devsecops',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, scheduler, auth, discovery, catalog }) {
        // Opt-in: a portal without `devsecops.github` (the local demo, air-gapped installs) never
        // calls GitHub.
        if (!config.has('devsecops.github')) {
          logger.info('GitHub pull is off; configure devsecops.github to turn it on');
          return;
        }
        const providers = GithubPullProvider.fromConfig(config, { logger });
        const pavedRoadWorkflows = readPavedRoadWorkflows(config);
        const writer = httpWriter({
          baseUrl: () => discovery.getBaseUrl('devsecops'),
          token: async () =>
            (
              await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'devsecops',
              })
            ).token,
        });

        await scheduler.scheduleTask({
          id: 'devsecops-github-pull',
          ...readSchedule(config),
          fn: async () => {
            let cursor: string | undefined;
            let synced = 0;
            let failed = 0;
            do {
              const credentials = await auth.getOwnServiceCredentials();
              const page = await catalog.queryEntities(
                cursor
                  ? { cursor, limit: 100 }
                  : { filter: { kind: 'Component' }, limit: 100 },
                { credentials },
              );
              for (const entity of page.items) {
                if (!entity.metadata.annotations?.[GITHUB_SLUG_ANNOTATION])
                  continue;
                try {
                  if (await syncEntity(entity, providers, writer, { pavedRoadWorkflows })) synced++;
                } catch (error) {
                  failed++;
                  logger.warn(
                    `GitHub pull for ${entity.metadata.name} failed: ${error}`,
                  );
                }
              }
              cursor = page.pageInfo.nextCursor;
            } while (cursor);
            logger.info(
              `GitHub pull: ${synced} entities updated, ${failed} failed`,
            );
          },
        });
      },
    });
  },
});
