import {
  coreServices,
  createBackendModule,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  ControlChangedEvent,
  DEVSECOPS_EVENT_TOPICS,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { GITHUB_SLUG_ANNOTATION } from '../GithubPullProvider';
import { ControlIssues } from './ControlIssues';
import { GithubIssuesClient } from './GithubIssuesClient';
import { httpScorecardReader } from './scorecardReader';

/** `devsecops.github.issues`, read and checked. */
export interface GithubIssuesConfig {
  enabled: boolean;
  openAfterDays: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** Reads `devsecops.github.issues` (opt-in `enabled`, `openAfterDays` default 7, `schedule` default every 6 hours). */
export function readGithubIssuesConfig(config: Config): GithubIssuesConfig {
  const key = 'devsecops.github.issues';
  const enabled = config.getOptionalBoolean(`${key}.enabled`) ?? false;
  const openAfterDays = config.getOptionalNumber(`${key}.openAfterDays`) ?? 7;
  if (!Number.isInteger(openAfterDays) || openAfterDays < 0 || openAfterDays > 365) {
    throw new Error(`Invalid ${key}.openAfterDays ${openAfterDays}: expected a whole number of days, 0-365`);
  }
  let frequency: SchedulerServiceTaskScheduleDefinition['frequency'] = { hours: 6 };
  if (typeof config.getOptional(`${key}.schedule`) === 'string') {
    frequency = { cron: config.getString(`${key}.schedule`) };
  } else if (config.has(`${key}.schedule`)) {
    frequency = readDurationFromConfig(config.getConfig(`${key}.schedule`));
  }
  return {
    enabled,
    openAfterDays,
    schedule: { frequency, timeout: { minutes: 30 }, initialDelay: { minutes: 2 }, scope: 'global' },
  };
}

/**
 * Example subscriber of the devsecops events: opens one GitHub issue in a Component's repository
 * (`github.com/project-slug`) for a control failing longer than `devsecops.github.issues.openAfterDays`
 * days, and closes it when the control passes again. `devsecops.control.changed` closes at once
 * (and opens at once with `openAfterDays: 0`); a scheduled check, once across instances, opens the
 * issues whose threshold has passed since (an event only arrives on a change) and closes any whose
 * passing event was missed. Off unless `devsecops.github.issues.enabled` is true.
 */
export const devsecopsGithubIssuesModule = createBackendModule({
  pluginId: 'devsecops',
  moduleId: 'github-issues',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init({ config, logger, scheduler, auth, discovery, catalog, events }) {
        const settings = readGithubIssuesConfig(config);
        if (!settings.enabled) {
          logger.info('GitHub issues for failing controls are off; set devsecops.github.issues.enabled to turn them on');
          return;
        }
        const issues = new ControlIssues({
          clients: GithubIssuesClient.fromConfig(config),
          reader: httpScorecardReader({
            baseUrl: () => discovery.getBaseUrl('devsecops'),
            token: async () =>
              (
                await auth.getPluginRequestToken({
                  onBehalfOf: await auth.getOwnServiceCredentials(),
                  targetPluginId: 'devsecops',
                })
              ).token,
          }),
          openAfterDays: settings.openAfterDays,
          appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
          logger,
        });

        await events.subscribe({
          id: 'devsecops-github-issues',
          topics: [DEVSECOPS_EVENT_TOPICS.controlChanged],
          onEvent: async ({ eventPayload }) => {
            const event = eventPayload as ControlChangedEvent;
            if (event.to !== 'failing' && event.to !== 'passing') return;
            try {
              const entity = await catalog.getEntityByRef(event.entityRef, {
                credentials: await auth.getOwnServiceCredentials(),
              });
              await issues.onControlChanged(event, entity);
            } catch (error) {
              logger.warn(`GitHub issue for ${event.entityRef} ${event.controlId} failed: ${error}`);
            }
          },
        });

        await scheduler.scheduleTask({
          id: 'devsecops-github-issues',
          ...settings.schedule,
          fn: async () => {
            let cursor: string | undefined;
            let opened = 0;
            let closed = 0;
            let failed = 0;
            do {
              const credentials = await auth.getOwnServiceCredentials();
              const page = await catalog.queryEntities(
                cursor ? { cursor, limit: 100 } : { filter: { kind: 'Component' }, limit: 100 },
                { credentials },
              );
              for (const entity of page.items) {
                if (!entity.metadata.annotations?.[GITHUB_SLUG_ANNOTATION]) continue;
                try {
                  const result = await issues.check(entity);
                  opened += result.opened;
                  closed += result.closed;
                } catch (error) {
                  failed++;
                  logger.warn(`GitHub issues check for ${entity.metadata.name} failed: ${error}`);
                }
              }
              cursor = page.pageInfo.nextCursor;
            } while (cursor);
            logger.info(`GitHub issues: ${opened} opened, ${closed} closed, ${failed} entities failed`);
          },
        });
      },
    });
  },
});
