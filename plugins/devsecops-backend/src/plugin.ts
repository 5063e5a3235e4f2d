import { readFeedSettings } from './feeds/exploitabilityConfig';
import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader, JsonObject } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  devsecopsEntityReadPermission,
  devsecopsExceptionDecidePermission,
  devsecopsExceptionReadPermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  devsecopsExerciseRecordPermission,
  devsecopsHumanAttestationPermissions,
  devsecopsPermissions,
  devsecopsRuntimeUpdatePermission,
  devsecopsTicketLinkPermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  devsecopsEntityResourceRef,
  devsecopsEntityRules,
  devsecopsExceptionResourceRef,
  devsecopsExceptionRules,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { DEFAULT_CONTROL_MAP } from './config/controlMap';
import { readSignatureConfig } from './attest/AttestationService';
import { SignatureVerifier } from './attest/SignatureVerifier';
import {
  devsecopsNormalizersExtensionPoint,
  ReportNormalizer,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { readDevsecopsConfig } from './config/readDevsecopsConfig';
import { readCiIdentities } from './identity/ciIdentities';
import { readScorecardConfig } from './config/readScorecardConfig';
import { createRouter } from './router/createRouter';
import { applyMigrations } from './store/migrations';
import { createDevsecopsServices } from './services';
import { readCampaignSettings } from './campaigns/campaignInput';

/**
 * A scheduled job's schedule: the shipped one, or `devsecops.schedules.<job>` over it, with any of
 * `frequency`, `timeout` and `initialDelay` in the usual Backstage forms (`{ hours: 24 }`, `PT1H`,
 * `{ cron: '0 3 * * *' }`). Jobs: `dailySnapshot`, `exceptionLifecycle`, `reportBodyRetention`.
 * The scope stays global, so one instance runs each window whatever the configuration. Tests use
 * it to start the jobs within seconds (an initial delay is waited out by each instance before it
 * looks at the schedule, so triggering a task cannot shorten it).
 */
/** How far ahead of a scorecard's next change the refresh job stores the following one. */
const SCORECARD_REFRESH_LEAD_MS = 10 * 60 * 1000;

function jobSchedule(
  config: Config,
  job: string,
  shipped: Pick<SchedulerServiceTaskScheduleDefinition, 'frequency' | 'timeout' | 'initialDelay'>,
): SchedulerServiceTaskScheduleDefinition {
  const override = config.getOptionalConfig(`devsecops.schedules.${job}`);
  if (!override) return { ...shipped, scope: 'global' };
  const merged = new ConfigReader({ ...(shipped as JsonObject), ...override.get<JsonObject>() });
  return { ...readSchedulerServiceTaskScheduleDefinitionFromConfig(merged), scope: 'global' };
}

/**
 * The DevSecOps scorecard backend plugin.
 * @public
 */
export const devsecopsPlugin = createBackendPlugin({
  pluginId: 'devsecops',
  register(env) {
    // Formats contributed by modules are collected before init runs (see catalog-backend).
    const addedNormalizers: ReportNormalizer[] = [];
    env.registerExtensionPoint(devsecopsNormalizersExtensionPoint, {
      addNormalizer: (...added) => addedNormalizers.push(...added),
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        notifications: notificationService,
        events: eventsServiceRef,
      },
      async init({
        logger,
        config,
        database,
        httpRouter,
        httpAuth,
        auth,
        scheduler,
        catalog,
        permissions,
        permissionsRegistry,
        userInfo,
        auditor,
        notifications,
        events,
      }) {
        const settings = readDevsecopsConfig(config);
        // An invalid control, policy or stage stops the backend here, naming the bad key.
        const scorecardSettings = readScorecardConfig(config);
        const signatureVerifier = new SignatureVerifier(readSignatureConfig(config));
        const feedSettings = readFeedSettings(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }

        const services = await createDevsecopsServices({
          knex,
          logger,
          settings,
          scorecardSettings,
          campaignSettings: readCampaignSettings(config),
          feedSettings,
          controlMap: {
            ...DEFAULT_CONTROL_MAP,
            ...(config.getOptional<Record<string, Record<string, string[]>>>('devsecops.controlMap') ?? {}),
          },
          signatureVerifier,
          addedNormalizers,
          catalog,
          auth,
          permissions,
          userInfo,
          auditor,
          notifications,
          events,
          refreshAfterWrites: true,
        });
        const { rollups, exceptions, campaigns } = services;
        const { reports } = services.stores;

        permissionsRegistry.addPermissions(devsecopsPermissions);
        permissionsRegistry.addResourceType({
          resourceRef: devsecopsExceptionResourceRef,
          permissions: [
            devsecopsExceptionReadPermission,
            devsecopsExceptionDecidePermission,
            devsecopsExceptionRevokePermission,
          ],
          rules: Object.values(devsecopsExceptionRules),
          getResources: refs => Promise.all(refs.map(id => services.stores.exceptions.get(id))),
        });
        // Catalog entities (and the groups exercises and human attestations are made for), with their owner's ancestry
        // and descendants loaded through the catalog for IS_ENTITY_OWNER.
        permissionsRegistry.addResourceType({
          resourceRef: devsecopsEntityResourceRef,
          permissions: [
            devsecopsExceptionRequestPermission,
            devsecopsRuntimeUpdatePermission,
            devsecopsTicketLinkPermission,
            devsecopsExerciseRecordPermission,
            ...Object.values(devsecopsHumanAttestationPermissions),
            devsecopsEntityReadPermission,
          ],
          rules: Object.values(devsecopsEntityRules),
          getResources: refs =>
            Promise.all(
              refs.map(ref => services.entities.ownershipResource(ref, settings.transitiveOwnership)),
            ),
        });

        httpRouter.use(await createRouter({ services, httpAuth, ciIdentities: readCiIdentities(config) }));
        // Load balancers and CD probe health without a Backstage token; it reveals no data.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // Reads never evaluate: before a stored scorecard's next time-based change (an exception
        // expiring, evidence leaving a window, a due date) this stores the one that follows.
        await scheduler.scheduleTask({
          id: 'devsecops-scorecard-refresh',
          ...jobSchedule(config, 'scorecardRefresh', {
            frequency: { minutes: 1 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 15 },
          }),
          fn: async () => {
            const done = await services.scorecards.refreshAhead({ ms: SCORECARD_REFRESH_LEAD_MS });
            if (done.promoted || done.ahead || done.late) {
              logger.info(`Scorecards: ${done.ahead} stored ahead, ${done.promoted} made current, ${done.late} late re-evaluated`);
            }
          },
        });

        // A daily snapshot per entity for trends; it also evaluates entities nothing was ever
        // uploaded for, so roll-ups count them (at stage 0) instead of missing them.
        await scheduler.scheduleTask({
          id: 'devsecops-daily-snapshot',
          ...jobSchedule(config, 'dailySnapshot', {
            frequency: { hours: 24 },
            timeout: { minutes: 30 },
            initialDelay: { seconds: 30 },
          }),
          fn: async () => {
            const count = await rollups.snapshotAll(new Date());
            logger.info(`Snapshot of ${count} entities written`);
            // Campaign reminders and end reports read today's summaries (claimed once each).
            const notified = await campaigns.notifyDue();
            if (notified > 0) logger.info(`Campaigns: ${notified} notifications sent`);
            // Evidence about to go stale: the owning team and followers hear, once per entity and control.
            await services.staleSoon.run();
          },
        });

        // The weekly digest: each team owning services, and the org digest to the platform team
        // and the security owner (claimed per recipient and week, so each is sent once).
        await scheduler.scheduleTask({
          id: 'devsecops-weekly-digest',
          ...jobSchedule(config, 'weeklyDigest', {
            frequency: { cron: '0 8 * * 1' },
            timeout: { minutes: 30 },
          }),
          fn: async () => {
            const sent = await services.digests.sendDue();
            if (sent > 0) logger.info(`Weekly digest: ${sent} notifications sent`);
          },
        });

        // Expiry takes effect in evaluations at once (they compare with the clock); this job
        // records it, and sends the warnings and reminders, once across instances.
        await scheduler.scheduleTask({
          id: 'devsecops-exception-lifecycle',
          ...jobSchedule(config, 'exceptionLifecycle', {
            frequency: { minutes: 15 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 20 },
          }),
          fn: async () => {
            const expired = await exceptions.expireDue();
            const notified = await exceptions.notifyDue();
            if (expired || notified) {
              logger.info(`Exceptions: ${expired} expired, ${notified} notifications sent`);
            }
          },
        });

        // Exploitability feeds from their configured URLs, when online (once across instances;
        // an unchanged feed is a no-op). Without URLs, feeds arrive by upload (POST /v1/feeds/*).
        if (feedSettings.kevUrl || feedSettings.epssUrl) {
          await scheduler.scheduleTask({
            id: 'devsecops-exploitability-feeds',
            ...jobSchedule(config, 'exploitabilityFeeds', {
              frequency: { hours: 24 },
              timeout: { minutes: 15 },
              initialDelay: { minutes: 2 },
            }),
            fn: async () => {
              await services.feeds.fetchConfigured();
            },
          });
        }

        // Original bodies are evidence for a bounded time; their sha256 and findings stay.
        await scheduler.scheduleTask({
          id: 'devsecops-report-body-retention',
          ...jobSchedule(config, 'reportBodyRetention', {
            frequency: { hours: 24 },
            timeout: { minutes: 10 },
            initialDelay: { minutes: 1 },
          }),
          fn: async () => {
            const cutoff = new Date(
              Date.now() - settings.bodyRetentionDays * 24 * 60 * 60 * 1000,
            );
            const cleared = await reports.clearBodiesReceivedBefore(cutoff);
            if (cleared > 0) {
              logger.info(
                `Cleared ${cleared} report bodies older than ${settings.bodyRetentionDays} days`,
              );
            }
          },
        });
      },
    });
  },
});
