import { TicketService } from './tickets';
import { createStores } from './store/createStores';
import {
  AuditorService,
  AuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { EventsService } from '@backstage/plugin-events-node';
import { DevsecopsEvents, refreshPublishingChanges } from './events/DevsecopsEvents';
import { RegressionAlerts } from './alerts/RegressionAlerts';
import { catalogFollowers } from './alerts/followers';
import { StaleSoonWarnings } from './alerts/StaleSoonWarnings';
import { RegressionAlertStore } from './store/RegressionAlertStore';
import {
  builtInNormalizers,
  NormalizerRegistry,
  ReportNormalizer,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { createHmac, randomBytes } from 'node:crypto';
import { AttestationService } from './attest/AttestationService';
import { CampaignSettings } from './campaigns/campaignInput';
import { CampaignService } from './campaigns/CampaignService';
import { DigestService } from './digest/DigestService';
import { DigestStore } from './store/DigestStore';
import { SignatureVerifier } from './attest/SignatureVerifier';
import { CatalogReadIndex } from './catalog/catalogReadIndex';
import { EntityResolver } from './catalog/EntityResolver';
import { ControlCatalog } from './config/ControlCatalog';
import { DevsecopsConfig } from './config/readDevsecopsConfig';
import { ScorecardSettings } from './config/readScorecardConfig';
import { DeploymentService } from './deploy/DeploymentService';
import { AuditPackageService } from './evidence/AuditPackageService';
import { EvidenceChainService } from './evidence/EvidenceChainService';
import { ExceptionNotifier } from './exceptions/ExceptionNotifier';
import { ExceptionService } from './exceptions/ExceptionService';
import { RiskOwnerPolicy } from './exceptions/RiskOwnerPolicy';
import { ReleaseGateService } from './gate/ReleaseGateService';
import { FeedService, FeedSettings } from './feeds/FeedService';
import { FindingDueDates } from './scorecard/FindingDueDates';
import { OsvMatchService } from './feeds/OsvMatchService';
import { AdvisoryMatchQueries } from './store/AdvisoryMatchQueries';
import { EvidenceRecorder } from './ingest/EvidenceRecorder';
import { ReportIngestService } from './ingest/ReportIngestService';
import { DEFAULT_VEX_MAX_AGE_DAYS } from './vex/vexConfig';
import { VexService } from './vex/VexService';
import { VexStore } from './vex/VexStore';
import { ReadScopes } from './permissions/readScope';
import { RuntimeService } from './runtime/RuntimeService';
import { EvidenceLoader } from './scorecard/EvidenceLoader';
import { OnEvidenceChanged } from './scorecard/onEvidenceChanged';
import { RollupService } from './scorecard/RollupService';
import { ScorecardService } from './scorecard/ScorecardService';
import { AuditExportQueries } from './store/AuditExportQueries';
import { HumanAttestationService } from './humanAttestations/HumanAttestationService';
import { ControlFailureReviewService } from './reviews/ControlFailureReviewService';
import { RecurringFindingsService } from './reviews/RecurringFindingsService';
import { DEFAULT_REVIEW_SETTINGS } from './reviews/reviewSettings';
import { responsibilityMatrix } from './responsibility/responsibilityMatrix';
import { ChecklistService } from './checklist/ChecklistService';
import { RecurringFindingQueries } from './store/RecurringFindingQueries';
import { SnapshotRunQueries } from './store/SnapshotRunQueries';
import { SettingsStore } from './store/SettingsStore';

/** Everything the plugin's services are built from; every field is required. */
export interface DevsecopsServiceDeps {
  knex: Knex;
  logger: LoggerService;
  /** `readDevsecopsConfig(config)`: limits, retention, the secret-fingerprint key. */
  settings: DevsecopsConfig;
  /** `readScorecardConfig(config)`: controls, release policies, stages, targets. */
  scorecardSettings: ScorecardSettings;
  /** `readCampaignSettings(config)`: reminder offsets and the campaigns declared in configuration. */
  campaignSettings: CampaignSettings;
  /** Framework mapping of the audit package: the shipped map with `devsecops.controlMap` over it. */
  controlMap: Record<string, Record<string, string[]>>;
  signatureVerifier: SignatureVerifier;
  /** `readFeedSettings(config)`: where the scheduled job fetches the KEV / EPSS feeds, size bounds. */
  feedSettings: FeedSettings;
  /** Formats added by modules (the built-in ones are always registered first). */
  addedNormalizers: ReportNormalizer[];
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  notifications: NotificationService;
  /** Backstage's events service: the plugin publishes devsecops.* topics on it (docs/events.md). */
  events: EventsService;
  /**
   * Whether each write refreshes the scorecards it changes (the plugin: true). Only a benchmark
   * that times the write and the refresh apart passes false.
   */
  refreshAfterWrites: boolean;
}

export type DevsecopsServices = Awaited<ReturnType<typeof createDevsecopsServices>>;

/**
 * The one composition root: stores and services built from their dependencies. `plugin.ts`, the
 * benchmarks and (through the plugin) the test backend use it.
 */
export async function createDevsecopsServices(deps: DevsecopsServiceDeps) {
  const { knex, logger, settings, scorecardSettings, catalog, auth } = deps;

  const normalizers = new NormalizerRegistry();
  normalizers.add(...builtInNormalizers, ...deps.addedNormalizers);
  const secretKey =
    settings.secretFingerprintKey ??
    (await new SettingsStore(knex).getOrCreate('secret-fingerprint-key', () =>
      randomBytes(32).toString('hex'),
    ));

  const controls = ControlCatalog.fromSettings(scorecardSettings);
  const entities = new EntityResolver(catalog, auth);
  const stores = createStores(knex);
  const { reports, findings, artifacts, deployments, facts, decisions, evidenceLog, summaries } = stores;
  // VEX statements apply to every scanner's findings when they are evaluated and listed.
  const vex = new VexService(knex, new VexStore(knex), settings.vexMaxAgeDays ?? DEFAULT_VEX_MAX_AGE_DAYS);

  const evidenceSources = {
    settings: scorecardSettings,
    entities,
    reports,
    findings,
    facts,
    deployments,
    decisions,
    // Only approved, unexpired exceptions change evaluations, from the moment they change.
    exceptions: stores.exceptions,
    runtimeSignals: stores.runtimeSignals,
    runtimeMonitors: stores.runtimeMonitors,
    exercises: stores.exercises,
    humanAttestations: stores.humanAttestations,
    tickets: stores.tickets, // closed rotation tickets of secret findings (mean time to rotate)
    // The portal's own acts: audit-package exports recorded per covered entity.
    evidenceLog,
    vex,
  };
  // Reads by entity ref find the entity and its owner here instead of one catalog call each.
  const readIndex = new CatalogReadIndex({ catalog, auth, kinds: scorecardSettings.entityKinds });
  const scorecards = new ScorecardService({ ...evidenceSources, logger, summaries, readIndex });
  const events = new DevsecopsEvents({ events: deps.events, logger });
  // The owning team hears of a control turned failing, a dropped stage, a denied gate: once per cause.
  const regressionAlerts = new RegressionAlerts({
    store: new RegressionAlertStore(knex),
    notifications: deps.notifications,
    logger,
    // ...and the users and groups the entity's devsecops.io/followers annotation names.
    followers: catalogFollowers({ catalog, auth, logger }),
  });
  // Each write refreshes the scorecards it changes and publishes what moved (controls, stage, gate).
  const onEvidenceChanged: OnEvidenceChanged = deps.refreshAfterWrites
    ? refreshPublishingChanges(scorecards, summaries, [events, regressionAlerts], logger)
    : async () => {};
  // Time alone changes scorecards too (an exception expiring, evidence going stale): the refresh
  // job tells the same listeners when it makes the next scorecard current.
  scorecards.publishClockChangesTo([events, regressionAlerts]);
  const rollups = new RollupService({
    catalog,
    auth,
    summaries,
    scorecards,
    controlIds: controls.ids(),
    logger,
  });
  const gate = new ReleaseGateService({
    logger,
    settings: scorecardSettings,
    entities,
    evidence: new EvidenceLoader(evidenceSources),
    reports,
    findings,
    artifacts,
    decisions,
    evidenceLog,
    onEvidenceChanged,
    vex,
  });

  const reportIngest = new ReportIngestService({
    knex,
    logger,
    normalizers,
    entities,
    reports,
    findings,
    artifacts,
    facts,
    evidenceLog,
    controls,
    onEvidenceChanged,
    vex: { store: vex.store, maxAgeDays: vex.maxAgeDays },
    maxReportBytes: settings.maxReportBytes,
    normalizeContext: {
      secretFingerprint: secret => createHmac('sha256', secretKey).update(secret).digest('hex'),
    },
  });
  const evidence = new EvidenceRecorder({ knex, entities, facts, evidenceLog, onEvidenceChanged });
  const deploymentService = new DeploymentService({
    knex,
    entities,
    deployments,
    artifacts,
    evidenceLog,
    gate,
    onEvidenceChanged,
  });
  const exceptions = new ExceptionService({
    knex,
    logger,
    store: stores.exceptions,
    evidenceLog,
    entities,
    permissions: deps.permissions,
    userInfo: deps.userInfo,
    auditor: deps.auditor,
    notifier: new ExceptionNotifier({
      notifications: deps.notifications,
      store: stores.exceptions,
      logger,
      warnDaysBeforeExpiry: settings.exceptionWarnDaysBeforeExpiry,
    }),
    controlIds: controls.ids(),
    maxDurationDays: settings.exceptionMaxDurationDays,
    scopeMatches: (entityRef, scope) => findings.scopeMatches(entityRef, scope),
    riskOwners: new RiskOwnerPolicy(settings.riskOwners, entities, controls.ids()),
    onEvidenceChanged,
    events,
  });
  const runtime = new RuntimeService({
    knex,
    entities,
    permissions: deps.permissions,
    signals: stores.runtimeSignals,
    monitors: stores.runtimeMonitors,
    exercises: stores.exercises,
    evidenceLog,
    summaries,
    onEvidenceChanged,
  });
  const humanAttestations = new HumanAttestationService({
    knex,
    entities,
    permissions: deps.permissions,
    store: stores.humanAttestations,
    evidenceLog,
    summaries,
    onEvidenceChanged,
    validity: settings.humanAttestationValidity,
  });
  const evidenceChains = new EvidenceChainService({
    entities,
    deployments,
    artifacts,
    reports,
    facts,
    decisions,
    evidenceLog,
  });
  const reviewSettings = settings.reviews ?? DEFAULT_REVIEW_SETTINGS;
  const controlFailureReviews = new ControlFailureReviewService({
    rollups,
    summaries,
    attestations: stores.humanAttestations,
    controls,
    catalog,
    auth,
    snapshots: new SnapshotRunQueries(knex),
    windowDays: reviewSettings.controlFailureWindowDays,
  });
  const recurringFindings = new RecurringFindingsService({
    rollups,
    queries: new RecurringFindingQueries(knex),
    defaultMinServices: reviewSettings.recurringMinServices,
    catalog,
    auth,
  });
  // devsecops.entity.read: whose findings, reports, chains and audit packages a caller reads.
  const readScopes = new ReadScopes({
    permissions: deps.permissions,
    catalog,
    auth,
    transitiveOwnershipByDefault: settings.transitiveOwnership,
  });
  const auditPackages = new AuditPackageService({
    entities,
    rollups,
    summaries,
    queries: new AuditExportQueries(knex),
    evidenceLog,
    auditor: deps.auditor,
    controlMap: deps.controlMap,
    onEvidenceChanged,
  });
  const campaigns = new CampaignService({
    store: stores.campaigns,
    settings: deps.campaignSettings,
    summaries,
    rollups,
    catalog,
    auth,
    permissions: deps.permissions,
    notifications: deps.notifications,
    controls,
    stages: scorecardSettings.evaluation.stages,
    entityKinds: scorecardSettings.entityKinds,
    logger,
  });
  const feedService = new FeedService({
    knex,
    logger,
    feeds: stores.feeds,
    findings,
    settings: deps.feedSettings,
    onEvidenceChanged,
  });
  const osvMatches = new OsvMatchService({
    knex,
    logger,
    feeds: stores.feeds,
    findings,
    queries: new AdvisoryMatchQueries(knex),
    maxBytes: deps.feedSettings.maxBytes,
    onEvidenceChanged,
  });
  // Facts recorded for verified signatures refresh the entity through the evidence recorder.
  const attestations = new AttestationService(deps.signatureVerifier, evidence);

  return {
    knex,
    logger,
    maxReportBytes: settings.maxReportBytes,
    transitiveOwnership: settings.transitiveOwnership,
    bodyRetentionDays: settings.bodyRetentionDays,
    databaseHealthCheckTimeoutMs: settings.databaseHealthCheckTimeoutMs,
    permissions: deps.permissions,
    stores,
    controls,
    normalizers,
    entities,
    scorecards,
    rollups,
    gate,
    reportIngest,
    evidence,
    deployments: deploymentService,
    exceptions,
    runtime,
    humanAttestations,
    tickets: new TicketService({ knex, store: stores.tickets, runtimeSignals: stores.runtimeSignals, entities, permissions: deps.permissions, evidenceLog, onEvidenceChanged }),
    controlFailureReviews,
    recurringFindings,
    responsibility: { matrix: () => responsibilityMatrix(controls.list(), scorecardSettings.evaluation) },
    checklist: new ChecklistService({ ...evidenceSources, rollups }),
    campaigns,
    /** The daily warning that a passing control's evidence goes stale within 7 days. */
    staleSoon: new StaleSoonWarnings({
      summaries,
      store: new RegressionAlertStore(knex),
      alerts: regressionAlerts,
      freshnessDays: id => controls.get(id)?.freshnessDays,
      logger,
    }),
    /** The weekly team and org digests (a notification each, once per recipient and week). */
    digests: new DigestService({
      store: new DigestStore(knex),
      summaries,
      rollups,
      exceptions: stores.exceptions,
      exercises: stores.exercises,
      campaigns,
      notifications: deps.notifications,
      responsibility: scorecardSettings.evaluation.responsibility,
      logger,
    }),
    evidenceChains,
    auditPackages,
    attestations,
    readScopes,
    onEvidenceChanged,
    feeds: feedService,
    osvMatches,
    /** VEX statements applied to findings (the findings API shows the one that applies). */
    vex,
    /** The severity SLA: each finding's due date (evaluate/dueDates). */
    slaDays: scorecardSettings.evaluation.severityPolicy.slaDays,
    /** Due dates of listed findings under their entity's SLA (lifecycle, tier). */
    dueDates: new FindingDueDates({ policy: scorecardSettings.evaluation.severityPolicy, catalog, auth }),
  };
}
