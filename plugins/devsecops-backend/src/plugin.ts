import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader, JsonObject } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionReadPermission,
  devsecopsExceptionRevokePermission,
  devsecopsPermissions,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  devsecopsExceptionResourceRef,
  devsecopsExceptionRules,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { ExceptionNotifier } from './exceptions/ExceptionNotifier';
import { ExceptionService } from './exceptions/ExceptionService';
import { ExceptionStore } from './store/ExceptionStore';
import { EvidenceLogStore } from './store/EvidenceLogStore';
import { EvidenceChainService } from './evidence/EvidenceChainService';
import { AuditPackageService } from './evidence/AuditPackageService';
import { AuditExportQueries } from './store/AuditExportQueries';
import { DEFAULT_CONTROL_MAP } from './config/controlMap';
import { AttestationService, readSignatureConfig } from './attest/AttestationService';
import { SignatureVerifier } from './attest/SignatureVerifier';
import {
  builtInNormalizers,
  devsecopsNormalizersExtensionPoint,
  NormalizerRegistry,
  ReportNormalizer,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { createHmac, randomBytes } from 'node:crypto';
import { readDevsecopsConfig } from './config/readDevsecopsConfig';
import { readScorecardConfig } from './config/readScorecardConfig';
import { RollupService } from './scorecard/RollupService';
import { ScorecardService } from './scorecard/ScorecardService';
import { GateDecisionStore } from './store/GateDecisionStore';
import { SummaryStore } from './store/SummaryStore';
import { EntityResolver } from './catalog/EntityResolver';
import { EvidenceRecorder } from './ingest/EvidenceRecorder';
import { ReportIngestService } from './ingest/ReportIngestService';
import { createRouter } from './router/createRouter';
import { ArtifactStore } from './store/ArtifactStore';
import { DeploymentStore } from './store/DeploymentStore';
import { FactStore } from './store/FactStore';
import { FindingStore } from './store/FindingStore';
import { applyMigrations } from './store/migrations';
import { ReportStore } from './store/ReportStore';
import { SettingsStore } from './store/SettingsStore';
import { RuntimeSignalStore } from './store/RuntimeSignalStore';
import { ExerciseStore } from './store/ExerciseStore';
import { RuntimeService } from './runtime/RuntimeService';

/**
 * A scheduled job's schedule: the shipped one, or `devsecops.schedules.<job>` over it, with any of
 * `frequency`, `timeout` and `initialDelay` in the usual Backstage forms (`{ hours: 24 }`, `PT1H`,
 * `{ cron: '0 3 * * *' }`). Jobs: `dailySnapshot`, `exceptionLifecycle`, `reportBodyRetention`.
 * The scope stays global, so one instance runs each window whatever the configuration. Tests use
 * it to start the jobs within seconds (an initial delay is waited out by each instance before it
 * looks at the schedule, so triggering a task cannot shorten it).
 */
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
      }) {
        const settings = readDevsecopsConfig(config);
        // An invalid control, policy or stage stops the backend here, naming the bad key.
        const scorecardSettings = readScorecardConfig(config);
        const signatureVerifier = new SignatureVerifier(readSignatureConfig(config));
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }

        const normalizers = new NormalizerRegistry();
        normalizers.add(...builtInNormalizers, ...addedNormalizers);

        const secretKey =
          settings.secretFingerprintKey ??
          (await new SettingsStore(knex).getOrCreate(
            'secret-fingerprint-key',
            () => randomBytes(32).toString('hex'),
          ));

        const entities = new EntityResolver(catalog, auth);
        const reports = new ReportStore(knex);
        const findings = new FindingStore(knex);
        const artifacts = new ArtifactStore(knex);
        const deployments = new DeploymentStore(knex);
        const facts = new FactStore(knex);
        const decisions = new GateDecisionStore(knex);
        const exceptionStore = new ExceptionStore(knex);
        const evidenceLog = new EvidenceLogStore(knex);
        const summaries = new SummaryStore(knex);
        const runtimeSignals = new RuntimeSignalStore(knex);
        const exerciseStore = new ExerciseStore(knex);
        const scorecards = new ScorecardService({
          logger,
          settings: scorecardSettings,
          entities,
          reports,
          findings,
          facts,
          deployments,
          artifacts,
          decisions,
          summaries,
          // Only approved, unexpired exceptions change evaluations, from the moment they change.
          exceptions: exceptionStore,
          evidenceLog,
          runtimeSignals,
          exercises: exerciseStore,
        });
        const rollups = new RollupService({
          catalog,
          auth,
          summaries,
          scorecards,
          controlIds: scorecardSettings.evaluation.controls.map(c => c.id),
          logger,
        });

        const reportIngest = new ReportIngestService({
          knex,
          logger,
          normalizers,
          entities,
          reports,
          findings,
          artifacts,
          evidenceLog,
          maxReportBytes: settings.maxReportBytes,
          normalizeContext: {
            secretFingerprint: secret =>
              createHmac('sha256', secretKey).update(secret).digest('hex'),
          },
        });
        const evidence = new EvidenceRecorder({
          knex,
          entities,
          deployments,
          facts,
          artifacts,
          evidenceLog,
        });

        const exceptions = new ExceptionService({
          knex,
          logger,
          store: exceptionStore,
          evidenceLog,
          entities,
          permissions,
          userInfo,
          auditor,
          notifier: new ExceptionNotifier({
            notifications,
            store: exceptionStore,
            logger,
            warnDaysBeforeExpiry: settings.exceptionWarnDaysBeforeExpiry,
          }),
          controlIds: scorecardSettings.evaluation.controls.map(c => c.id),
          maxDurationDays: settings.exceptionMaxDurationDays,
          scopeMatches: (entityRef, scope) => findings.scopeMatches(entityRef, scope),
          principalExists: async ref =>
            !!(await catalog.getEntityByRef(ref, {
              credentials: await auth.getOwnServiceCredentials(),
            })),
          onChange: async entityRef => {
            try {
              await scorecards.refresh(entityRef);
            } catch (error) {
              logger.warn(`Could not refresh ${entityRef} after an exception change: ${error}`);
            }
          },
        });

        permissionsRegistry.addPermissions(devsecopsPermissions);
        permissionsRegistry.addResourceType({
          resourceRef: devsecopsExceptionResourceRef,
          permissions: [
            devsecopsExceptionReadPermission,
            devsecopsExceptionDecidePermission,
            devsecopsExceptionRevokePermission,
          ],
          rules: Object.values(devsecopsExceptionRules),
          getResources: refs => Promise.all(refs.map(id => exceptionStore.get(id))),
        });

        httpRouter.use(
          await createRouter({
            knex,
            logger,
            httpAuth,
            permissions,
            normalizers,
            entities,
            reportIngest,
            evidence,
            reports,
            findings,
            artifacts,
            deployments,
            facts,
            decisions,
            summaries,
            scorecards,
            rollups,
            controls: scorecardSettings.evaluation.controls,
            exceptions,
            evidenceLog,
            evidenceChains: new EvidenceChainService({
              entities,
              deployments,
              artifacts,
              reports,
              facts,
              decisions,
              evidenceLog,
            }),
            auditPackages: new AuditPackageService({
              entities,
              rollups,
              summaries,
              queries: new AuditExportQueries(knex),
              evidenceLog,
              auditor,
              controlMap: {
                ...DEFAULT_CONTROL_MAP,
                ...(config.getOptional<Record<string, Record<string, string[]>>>('devsecops.controlMap') ?? {}),
              },
            }),
            attestations: new AttestationService(signatureVerifier, evidence),
            runtime: new RuntimeService({
              knex,
              entities,
              signals: runtimeSignals,
              exercises: exerciseStore,
              evidenceLog,
            }),
            runtimeSignals,
            exerciseStore,
            maxReportBytes: settings.maxReportBytes,
          }),
        );
        // Load balancers and CD probe health without a Backstage token; it reveals no data.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

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
