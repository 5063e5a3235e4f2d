/*
 * Property tests of the evaluation core (issue #9): adding a failure never raises a maturity
 * stage, never turns a release-gate deny into allow, and never turns a failing-like control
 * (failing, stale, not reported, error) into a passing one.
 *
 * The generator builds arbitrary but valid evidence for one entity — findings of any severity,
 * control and age, reports per control with freshness, facts (also of the wrong type), the
 * production deployment, gate decisions, signature verifications, exceptions in every status
 * and expiry (revoked ones with their revocation time), runtime signals, exercises, runtime
 * monitors' heartbeats, audit-package exports, named human attestations — under an
 * arbitrary valid configuration read through readScorecardConfig (the shipped stages and
 * production_release policy, with overridden freshness windows, failure severities, metric
 * targets and policy variants). Each property applies one kind of worsening and compares before
 * and after. Fixed seed and bounded runs, so the file is reproducible and quick; a failure
 * prints fast-check's counterexample and seed.
 *
 * What it found: an approved exception expiring or being revoked could raise the stage, through
 * the stage 4 exception-age target alone, because the mean age counted active exceptions only:
 * a lapse dropped an old exception from the measure. Exception age now also counts every
 * exception that lapsed within the metrics window, with the age it reached when it lapsed (the
 * evidence carries them as lapsedExceptions, as ExceptionStore.lapsedSince returns them), and
 * the lapse property checks stages with the target on. It lapses exceptions at NOW: an expiry or
 * revocation further back is another history, an exception held for less time, whose lower age
 * the measure rightly rewards (the last test shows both; it began as the shrunk counterexample).
 * Everything holds, also with ten times the runs and other seeds.
 */
import { ConfigReader, JsonObject } from '@backstage/config';
import {
  ControlFact,
  ControlState,
  Deployment,
  EXERCISE_SCENARIOS,
  Exercise,
  ExerciseScenario,
  ExceptionStatus,
  FindingSeverity,
  GateDecision,
  HumanAttestation,
  HumanAttestationKind,
  RUNTIME_SIGNAL_KINDS,
  RuntimeMonitor,
  RuntimeSignal,
  RuntimeSignalKind,
} from '@devsecops-scorecard/plugin-devsecops-common';
// fast-check is hoisted from the workspace (a dev dependency of plugin-devsecops-node).
import fc from 'fast-check';
import { readScorecardConfig, ScorecardSettings } from '../config/readScorecardConfig';
import { evaluateControls } from './controls';
import { evaluateGate, GateInput } from './gate';
import { evaluateEntity } from './scorecard';
import { EntityEvidence, ExceptionCover, LapsedException, OpenFinding, ReportSighting } from './types';

const SEED = 20261128;
const RUNS = 1500;
const params = { seed: SEED, numRuns: RUNS };

const NOW = new Date('2026-11-28T12:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const at = (ageHours: number) => new Date(NOW.getTime() - ageHours * HOUR_MS).toISOString();

const ENTITY = 'component:default/payments-api';
const OWNER = 'group:default/team-payments';
const OTHER_OWNER = 'group:default/team-checkout';
const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

const SEVERITIES: FindingSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];
const FINDINGS_CONTROLS = ['secret-scanning', 'iac-lint', 'sast', 'dependency-scan', 'sbom', 'container-scan'];
const ALL_CONTROLS = [
  ...FINDINGS_CONTROLS,
  'pre-commit-checks',
  'code-review',
  'dependency-diff',
  'policy-as-code',
  'production-approval',
  'signed-artifact-verification',
  'cloud-audit-logs',
  'workload-telemetry',
  'vulnerability-monitoring',
];
const EXCEPTION_STATUSES: ExceptionStatus[] = ['requested', 'approved', 'rejected', 'revoked', 'expired'];
const RULE_IDS = ['R1', 'R2', 'CVE-2026-0001'];
const VULN_IDS = ['CVE-2026-0001', 'CVE-2026-0002'];
const FINGERPRINTS = ['fp-0', 'fp-1', 'fp-2', 'fp-3'];

/** What each fact the shipped controls, stages and gate read has to be to pass. */
type Expectation = { equals: boolean | string } | { atLeast: number } | { atMost: number };
const FACTS: Record<string, Expectation> = {
  'branch_protection.enabled': { equals: true },
  'branch_protection.required_reviews': { atLeast: 1 },
  'branch_protection.branch': { equals: 'main' },
  'pre_commit.enabled': { equals: true },
  'dependency_review.enabled': { equals: true },
  'dependency_alerts.enabled': { equals: true },
  'ci.reusable_workflow': { equals: true },
};

/** The runtime controls monitored through heartbeats, and the human attestations the stages read. */
const MONITORED = ['cloud-audit-logs', 'workload-telemetry', 'vulnerability-monitoring'];
const ATTESTED: HumanAttestationKind[] = ['control-failure-review', 'template-feedback'];

function holds(value: unknown, e: Expectation): boolean {
  if ('equals' in e) return value === e.equals;
  if (typeof value !== 'number') return false;
  return 'atLeast' in e ? value >= e.atLeast : value <= e.atMost;
}

function passingValue(e: Expectation): unknown {
  if ('equals' in e) return e.equals;
  return 'atLeast' in e ? e.atLeast : e.atMost;
}

function failingValue(e: Expectation): unknown {
  if ('equals' in e) return typeof e.equals === 'boolean' ? !e.equals : 'develop';
  return 'atLeast' in e ? e.atLeast - 1 : e.atMost + 1;
}

// ---------------------------------------------------------------------------------------------
// The model: evidence with ages in hours before NOW, turned into the core's input by build().

interface ReportM { id: string; controls: string[]; ageH: number; digest?: string }
interface FindingM {
  control: string;
  severity: FindingSeverity;
  ruleId: string;
  vulnerabilityId?: string;
  fingerprint: string;
  digest?: string;
  ageH: number;
}
interface FactM { fact: string; value: unknown; ageH: number }
interface DeploymentM { digest: string; commit: boolean; approver: boolean; owner: boolean; ageH: number }
interface DecisionM { allow: boolean; ageH: number }
interface SignatureM { digest: string; verified: boolean; ageH: number }
interface ExceptionM {
  status: ExceptionStatus;
  control: string;
  ruleId?: string;
  vulnerabilityId?: string;
  fingerprint?: string;
  digest?: string;
  approvedAgeH: number;
  /** Hours from NOW to the expiry; zero or less: expired. */
  expiresInH: number;
  /** Revoked ones: hours before NOW it was revoked (after its approval). */
  revokedAgeH?: number;
}
interface SignalM { kind: RuntimeSignalKind; severity: FindingSeverity; ageH: number; remediated: boolean }
interface ResolvedM { kind: string; severity: FindingSeverity; tookH: number; resolvedAgeH: number }

interface Model {
  /** The `devsecops` app-config section, read by readScorecardConfig. */
  config: JsonObject;
  type?: string;
  owned: boolean;
  reports: ReportM[];
  findings: FindingM[];
  resolved: ResolvedM[];
  facts: FactM[];
  deployment?: DeploymentM;
  decision?: DecisionM;
  signatures: SignatureM[];
  exceptions: ExceptionM[];
  signals: SignalM[];
  exercises: Array<{ scenario: ExerciseScenario; ageD: number }>;
  /** Heartbeats per runtime control, the newest audit-package export, human attestations. */
  monitors: Array<{ control: string; ageH: number }>;
  exported?: { ageH: number };
  attestations: Array<{ kind: HumanAttestationKind; ageH: number }>;
  gate: { digest: string; claimedOwner?: string; buildRecorded: boolean };
}

/*
 * Each model is generated at a level of care: the percentage of its evidence that is present,
 * fresh and in order. Careless models sit at stage 0 and are denied; careful ones reach stage 4
 * and are allowed; everything in between is covered too (the last test counts it).
 */
const CARE_LEVELS = [50, 80, 93, 98];

const digest = fc.oneof({ weight: 4, arbitrary: fc.constant(D1) }, { weight: 1, arbitrary: fc.constant(D2) });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const SEVERITY = fc.constantFrom(...SEVERITIES);

function arbitraries(care: number) {
  /** True with the care level's probability. */
  const likely = fc.integer({ min: 1, max: 100 }).map(n => n <= care);
  const present = <T>(arb: fc.Arbitrary<T>) => fc.tuple(likely, arb).map(([p, v]) => (p ? v : undefined));
  /** Ages in hours: mostly within a week, otherwise up to 500 days. */
  const ageH = fc.oneof(
    { weight: care, arbitrary: fc.integer({ min: 0, max: 7 * 24 }) },
    { weight: 100 - care, arbitrary: fc.integer({ min: 0, max: 500 * 24 }) },
  );

  const config: fc.Arbitrary<JsonObject> = fc
    .record({
      severityPolicy: present(fc.constant({ slaDays: { critical: 7 } })),
      metricTargets: maybe(
        fc.record(
          {
            meanTimeToPatchDays: fc.integer({ min: 1, max: 60 }),
            meanTimeToRotateDays: fc.integer({ min: 1, max: 10 }),
            meanExceptionAgeDays: fc.integer({ min: 1, max: 200 }),
            windowDays: fc.integer({ min: 30, max: 365 }),
          },
          { requiredKeys: [] },
        ),
      ),
      controls: fc.dictionary(
        fc.constantFrom(...ALL_CONTROLS),
        fc.record({ freshnessDays: fc.integer({ min: 1, max: 120 }), failOnSeverity: maybe(SEVERITY) }),
        { maxKeys: 3 },
      ),
      policies: maybe(
        fc.record({
          production_release: fc.record({
            requires: fc.constantFrom<JsonObject[]>(
              [
                { branch_protection: 'main' },
                { artifact_signature: 'verified' },
                { sbom: 'generated' },
                { secrets_scan: 'passed' },
                { container_critical_vulns: 'none' },
                { deployment_owner: 'service_catalog_match' },
              ],
              [{ secrets_scan: 'passed' }, { container_critical_vulns: 'none_or_approved_exception' }],
            ),
          }),
        }),
      ),
    })
    .map(({ severityPolicy, metricTargets, controls, policies }) => ({
      ...(severityPolicy ? { severityPolicy } : {}),
      ...(metricTargets ? { metricTargets } : {}),
      // failOnSeverity is valid only for controls decided by findings.
      controls: Object.fromEntries(
        Object.entries(controls).map(([id, { freshnessDays, failOnSeverity }]) => [
          id,
          FINDINGS_CONTROLS.includes(id) && failOnSeverity ? { freshnessDays, failOnSeverity } : { freshnessDays },
        ]),
      ),
      ...(policies ? { policies } : {}),
    }));

  const reports: fc.Arbitrary<ReportM[]> = fc
    .tuple(
      // One report per findings control, mostly present …
      fc.tuple(...FINDINGS_CONTROLS.map(control => present(fc.record({ ageH, digest: maybe(digest) }).map(r => ({ ...r, controls: [control] }))))),
      // … and some more, each evidencing one or two controls.
      fc.array(
        fc.record({ controls: fc.subarray(FINDINGS_CONTROLS, { minLength: 1, maxLength: 2 }), ageH, digest: maybe(digest) }),
        { maxLength: 3 },
      ),
    )
    .map(([primary, extra]) =>
      [...primary.filter((r): r is NonNullable<typeof r> => !!r), ...extra].map((r, i) => ({ ...r, id: `r-${i}` })),
    );

  const finding: fc.Arbitrary<FindingM> = fc.record({
    control: fc.constantFrom(...FINDINGS_CONTROLS, 'license'),
    severity: SEVERITY,
    ruleId: fc.constantFrom(...RULE_IDS),
    vulnerabilityId: maybe(fc.constantFrom(...VULN_IDS)),
    fingerprint: fc.constantFrom(...FINGERPRINTS),
    digest: maybe(digest),
    ageH,
  });

  const rightValue = (e: Expectation): fc.Arbitrary<unknown> => {
    if ('equals' in e) return likely.map(ok => (ok ? e.equals : failingValue(e)));
    if ('atLeast' in e) {
      return likely.chain(ok => (ok ? fc.integer({ min: e.atLeast, max: e.atLeast + 2 }) : fc.constant(e.atLeast - 1)));
    }
    return likely.chain(ok =>
      ok ? fc.integer({ min: e.atMost - 25, max: e.atMost }) : fc.integer({ min: e.atMost + 1, max: e.atMost + 30 }),
    );
  };
  const factValue = (e: Expectation): fc.Arbitrary<unknown> => {
    const right = rightValue(e);
    // Facts are any JSON a provider sent: now and then of the wrong type.
    return fc.oneof({ weight: 40, arbitrary: right }, { weight: 1, arbitrary: fc.constantFrom<unknown>('yes', null, 1, 'true') });
  };
  const facts: fc.Arbitrary<FactM[]> = fc
    .tuple(...Object.entries(FACTS).map(([fact, e]) => present(fc.record({ fact: fc.constant(fact), value: factValue(e), ageH }))))
    .map(list => list.filter((f): f is FactM => !!f));

  const exception: fc.Arbitrary<ExceptionM> = fc
    .record({
      status: fc.oneof({ weight: 4, arbitrary: fc.constant<ExceptionStatus>('approved') }, { weight: 3, arbitrary: fc.constantFrom(...EXCEPTION_STATUSES) }),
      control: fc.constantFrom(...ALL_CONTROLS),
      ruleId: maybe(fc.constantFrom(...RULE_IDS)),
      vulnerabilityId: maybe(fc.constantFrom(...VULN_IDS)),
      fingerprint: maybe(fc.constantFrom(...FINGERPRINTS)),
      digest: maybe(digest),
      approvedAgeH: fc.integer({ min: 1, max: 400 * 24 }),
      // devsecops.exceptions.maxDurationDays may be up to 730.
      durationH: fc.integer({ min: 1, max: 730 * 24 }),
      /** Where between its approval and NOW a revoked one was revoked. */
      revokedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      narrow: fc.boolean(),
    })
    .map(({ durationH, revokedShare, narrow, ...e }) => ({
      ...e,
      // A whole-control exception (no narrower scope) half the time.
      ...(narrow ? {} : { ruleId: undefined, vulnerabilityId: undefined, fingerprint: undefined, digest: undefined }),
      // Only the expiry job marks an exception expired, so a marked one's expiry has passed.
      expiresInH: (e.status === 'expired' ? Math.min(durationH, e.approvedAgeH) : durationH) - e.approvedAgeH,
      // An approved exception can be revoked until it is marked expired, so also past its expiry.
      ...(e.status === 'revoked' ? { revokedAgeH: Math.floor(revokedShare * (e.approvedAgeH - 1)) } : {}),
    }));

  const exerciseAgeD = fc.oneof(
    { weight: care, arbitrary: fc.integer({ min: 0, max: 300 }) },
    { weight: 100 - care, arbitrary: fc.integer({ min: 0, max: 500 }) },
  );
  const model: fc.Arbitrary<Model> = fc.record({
    config,
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('service') },
      { weight: 1, arbitrary: fc.constantFrom('website', 'library', undefined) },
    ),
    owned: likely,
    reports,
    findings: fc.array(finding, { maxLength: 5 }),
    resolved: fc.array(
      fc.record({
        kind: fc.constantFrom('sca', 'secret', 'sast'),
        severity: SEVERITY,
        tookH: fc.oneof({ weight: care, arbitrary: fc.integer({ min: 0, max: 48 }) }, { weight: 100 - care, arbitrary: fc.integer({ min: 0, max: 60 * 24 }) }),
        resolvedAgeH: fc.integer({ min: 0, max: 120 * 24 }),
      }),
      { maxLength: 3 },
    ),
    facts,
    deployment: present(fc.record({ digest, commit: likely, approver: likely, owner: likely, ageH })),
    decision: present(fc.record({ allow: likely, ageH })),
    signatures: fc.array(fc.record({ digest, verified: likely, ageH }), { maxLength: 3 }),
    exceptions: fc.array(exception, { maxLength: 4 }),
    signals: fc.array(fc.record({ kind: fc.constantFrom(...RUNTIME_SIGNAL_KINDS), severity: SEVERITY, ageH, remediated: fc.boolean() }), {
      maxLength: 2,
    }),
    // A careful team holds its exercises within the year; a careless one now and then misses it.
    exercises: fc
      .tuple(...EXERCISE_SCENARIOS.map(scenario => present(fc.record({ scenario: fc.constant(scenario), ageD: exerciseAgeD }))))
      .map(list => list.filter((e): e is { scenario: ExerciseScenario; ageD: number } => !!e)),
    monitors: fc
      .tuple(...MONITORED.map(control => present(fc.record({ control: fc.constant(control), ageH }))))
      .map(list => list.filter((m): m is { control: string; ageH: number } => !!m)),
    exported: present(fc.record({ ageH })),
    attestations: fc
      .tuple(...ATTESTED.map(kind => present(fc.record({ kind: fc.constant(kind), ageH }))))
      .map(list => list.filter((a): a is { kind: HumanAttestationKind; ageH: number } => !!a)),
    gate: fc.record({
      digest,
      claimedOwner: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(OWNER, OTHER_OWNER) }),
      buildRecorded: fc.boolean(),
    }),
  });
  return { model, finding };
}

const modelArb: fc.Arbitrary<Model> = fc.constantFrom(...CARE_LEVELS).chain(care => arbitraries(care).model);
/** Any new finding: of any control, severity, scope and age. */
const findingArb = fc.constantFrom(...CARE_LEVELS).chain(care => arbitraries(care).finding);

// ---------------------------------------------------------------------------------------------
// From the model to the core's input, and the outcome compared before and after.

const settingsCache = new WeakMap<object, ScorecardSettings>();
function settingsOf(model: Model): ScorecardSettings {
  let settings = settingsCache.get(model.config);
  if (!settings) {
    settings = readScorecardConfig(new ConfigReader({ devsecops: model.config }));
    settingsCache.set(model.config, settings);
  }
  return settings;
}

/** Hours before NOW an approved exception stopped being in force; undefined while it still is, or if never approved. */
function lapsedAgeHOf(e: ExceptionM): number | undefined {
  const expiredAgeH = -e.expiresInH;
  switch (e.status) {
    case 'approved':
      return e.expiresInH <= 0 ? expiredAgeH : undefined;
    case 'expired':
      return expiredAgeH;
    case 'revoked':
      return Math.max(e.revokedAgeH!, expiredAgeH);
    default:
      return undefined;
  }
}

function sighting(r: ReportM): ReportSighting {
  return { id: r.id, controls: r.controls, scannedAt: at(r.ageH), artifactDigest: r.digest };
}

function build(model: Model): { settings: ScorecardSettings; evidence: EntityEvidence; gate: GateInput } {
  const settings = settingsOf(model);
  const entity = { entityRef: ENTITY, kind: 'component', type: model.type, ownerRef: model.owned ? OWNER : undefined, lifecycle: 'production' };
  const byNewest = <T extends { ageH: number }>(items: T[]) => [...items].sort((a, b) => a.ageH - b.ageH);

  const openFindings: OpenFinding[] = model.findings.map((f, i) => ({
    id: `f-${i}`,
    control: f.control,
    severity: f.severity,
    ruleId: f.ruleId,
    vulnerabilityId: f.vulnerabilityId,
    fingerprint: f.fingerprint,
    artifactDigest: f.digest,
    kind: f.control === 'secret-scanning' ? 'secret' : 'sca',
    firstSeenAt: at(f.ageH),
  }));
  const facts: ControlFact[] = model.facts.map(f => ({
    entityRef: ENTITY,
    fact: f.fact,
    value: f.value,
    source: 'test',
    observedAt: at(f.ageH),
    recordedBy: 'test',
    recordedAt: at(f.ageH),
  }));
  const deployments: Deployment[] = model.deployment
    ? [
        {
          id: 'd-prod',
          entityRef: ENTITY,
          ownerRef: model.deployment.owner ? OWNER : undefined,
          environment: 'production',
          artifactDigest: model.deployment.digest,
          sourceCommit: model.deployment.commit ? '0123abcd' : undefined,
          deployer: 'ci-bot',
          approver: model.deployment.approver ? 'user:default/alice' : undefined,
          result: 'succeeded',
          deployedAt: at(model.deployment.ageH),
          recordedBy: 'ci-bot',
          recordedAt: at(model.deployment.ageH),
        },
      ]
    : [];
  const gateDecisions: GateDecision[] = model.decision
    ? [
        {
          id: 'g-prod',
          policy: 'production_release',
          environment: 'production',
          entityRef: ENTITY,
          artifactDigest: D1,
          decision: model.decision.allow ? 'allow' : 'deny',
          requirements: model.decision.allow
            ? []
            : [{ requirement: 'sbom', expected: 'generated', passed: false, reason: 'No SBOM', evidence: [] }],
          decidedAt: at(model.decision.ageH),
          requestedBy: 'ci-bot',
        },
      ]
    : [];
  // Evaluation receives approved exceptions; past-expiry ones the expiry job has not marked yet included.
  const exceptions: ExceptionCover[] = model.exceptions.flatMap((e, i) =>
    e.status === 'approved'
      ? [
          {
            id: `x-${i}`,
            control: e.control,
            ruleId: e.ruleId,
            vulnerabilityId: e.vulnerabilityId,
            fingerprint: e.fingerprint,
            artifactDigest: e.digest,
            approvedAt: at(e.approvedAgeH),
            expiresAt: at(-e.expiresInH),
          },
        ]
      : [],
  );
  // … and, as ExceptionStore.lapsedSince returns them, the approved ones that lapsed within the
  // metrics window: at their expiry, or at their revocation when that came first.
  const windowH = settings.evaluation.metricTargets.windowDays * 24;
  const lapsedExceptions: LapsedException[] = model.exceptions.flatMap((e, i) => {
    const lapsedAgeH = lapsedAgeHOf(e);
    return lapsedAgeH !== undefined && lapsedAgeH <= windowH
      ? [{ id: `x-${i}`, approvedAt: at(e.approvedAgeH), lapsedAt: at(lapsedAgeH) }]
      : [];
  });
  const runtimeSignals: RuntimeSignal[] = model.signals.map((s, i) => ({
    id: `s-${i}`,
    entityRef: ENTITY,
    kind: s.kind,
    severity: s.severity,
    summary: `${s.kind} ${i}`,
    detectedAt: at(s.ageH),
    remediatedAt: s.remediated ? at(Math.floor(s.ageH / 2)) : undefined,
    source: 'test',
    recordedBy: 'test',
    recordedAt: at(s.ageH),
  }));
  const exercises: Exercise[] = model.exercises.map((e, i) => ({
    id: `e-${i}`,
    scenario: e.scenario,
    heldOn: at(e.ageD * 24).slice(0, 10),
    scopeRef: ENTITY,
    participants: [],
    findings: [],
    followUps: [],
    recordedBy: 'test',
    recordedAt: at(e.ageD * 24),
  }));
  const runtimeMonitors: RuntimeMonitor[] = model.monitors.map(m => ({
    entityRef: ENTITY,
    control: m.control,
    source: 'test-monitor',
    firstSeenAt: at(m.ageH + 24),
    lastSeenAt: at(m.ageH),
    recordedBy: 'test',
    recordedAt: at(m.ageH),
  }));
  // Held on the day of the observation, in force for the kind's validity (90 / 180 days).
  const humanAttestations: HumanAttestation[] = model.attestations.map((a, i) => ({
    id: `h-${i}`,
    kind: a.kind,
    scopeRef: ENTITY,
    date: at(a.ageH).slice(0, 10),
    details: {},
    expiresAt: at(a.ageH - (a.kind === 'template-feedback' ? 180 : 90) * 24),
    recordedBy: 'user:default/alice',
    recordedAt: at(a.ageH),
  }));
  const evidence: EntityEvidence = {
    entity,
    reports: model.reports.map(sighting),
    openFindings,
    resolvedFindings: model.resolved.map(r => ({
      kind: r.kind,
      severity: r.severity,
      firstSeenAt: at(r.resolvedAgeH + r.tookH),
      resolvedAt: at(r.resolvedAgeH),
    })),
    facts,
    deployments,
    gateDecisions,
    exceptions,
    lapsedExceptions,
    signatures: byNewest(model.signatures).map((s, i) => ({
      digest: s.digest,
      verified: s.verified,
      reason: s.verified ? 'verified' : 'signature does not verify',
      at: at(s.ageH),
      id: `sig-${i}`,
    })),
    runtimeSignals,
    exercises,
    runtimeMonitors,
    humanAttestations,
    ...(model.exported
      ? { lastExport: { at: at(model.exported.ageH), actor: 'user:default/alice', from: at(90 * 24), to: at(model.exported.ageH), scope: ENTITY } }
      : {}),
  };

  // The gate's input, as ScorecardService.decide assembles it from the same evidence.
  const policy = settings.policies.find(p => p.environment === 'production')!;
  const d = model.gate.digest;
  const forArtifact = (control: string) =>
    byNewest(model.reports.filter(r => r.controls.includes(control) && r.digest === d)).map(sighting);
  const signature = evidence.signatures.find(s => s.digest === d);
  const gate: GateInput = {
    requires: policy.requires,
    entity,
    artifactDigest: d,
    artifactKnown:
      model.gate.buildRecorded || model.reports.some(r => r.digest === d) || model.signatures.some(s => s.digest === d),
    sbomReports: forArtifact('sbom'),
    containerScans: forArtifact('container-scan'),
    containerFindings: openFindings.filter(f => f.control === 'container-scan' && f.artifactDigest === d),
    secretScanning: evaluateControls(settings.evaluation.controls.filter(c => c.id === 'secret-scanning'), evidence, NOW)[0],
    facts,
    signature: signature && { verified: signature.verified, reason: signature.reason, evidence: [{ kind: 'fact', id: signature.id, at: signature.at }], at: signature.at },
    claimedOwnerRef: model.gate.claimedOwner,
    exceptions,
    freshnessDays: { branch_protection: 30, artifact_signature: 30, container_critical_vulns: 14 },
    now: NOW,
  };
  return { settings, evidence, gate };
}

interface Outcome {
  stage: number;
  gate: 'allow' | 'deny';
  controls: Record<string, ControlState>;
  /** Unmet criteria of the first stage not reached. */
  nextSteps: Array<{ id: string; reason: string }>;
}

function outcome(model: Model): Outcome {
  const { settings, evidence, gate } = build(model);
  const card = evaluateEntity(evidence, settings.evaluation, NOW);
  return {
    stage: card.maturity.stage,
    gate: evaluateGate(gate).decision,
    controls: Object.fromEntries(card.controls.map(c => [c.controlId, c.state])),
    nextSteps: card.maturity.nextSteps.map(c => ({ id: c.id, reason: c.reason })),
  };
}

/** passing > excepted > everything failing-like; not_applicable never changes here. */
const RANK: Record<ControlState, number> = {
  passing: 3,
  excepted: 2,
  failing: 1,
  stale: 1,
  not_reported: 1,
  error: 1,
  not_applicable: 0,
};

// ---------------------------------------------------------------------------------------------
// Worsenings: each returns the worse model, or undefined when it has nothing to act on.

type Worsening = (model: Model, pick: number, extra: any) => Model | undefined;
const nth = <T>(items: T[], pick: number): T | undefined => (items.length ? items[pick % items.length] : undefined);
const without = <T>(items: T[], item: T) => items.filter(i => i !== item);
const replace = <T>(items: T[], item: T, by: T) => items.map(i => (i === item ? by : i));

/** Every freshness window the configuration has, and the stages' fact windows. */
function windowsDays(model: Model): number[] {
  return [...new Set([...settingsOf(model).evaluation.controls.map(c => c.freshnessDays), 90, 180, 365])];
}

const WORSENINGS: Record<string, { worsen: Worsening; extra: fc.Arbitrary<any> }> = {
  'add an open finding': {
    extra: findingArb,
    worsen: (model, _pick, finding: FindingM) => ({ ...model, findings: [...model.findings, finding] }),
  },
  'make a passing fact failing': {
    extra: fc.constant(0),
    worsen: (model, pick) => {
      const fact = nth(model.facts.filter(f => holds(f.value, FACTS[f.fact])), pick);
      return fact && { ...model, facts: replace(model.facts, fact, { ...fact, value: failingValue(FACTS[fact.fact]) }) };
    },
  },
  'drop a report': {
    extra: fc.constant(0),
    worsen: (model, pick) => {
      const report = nth(model.reports, pick);
      return report && { ...model, reports: without(model.reports, report) };
    },
  },
  'age evidence past a freshness window': {
    extra: fc.tuple(fc.nat(), fc.integer({ min: 1, max: 60 * 24 })),
    worsen: (model, pick, [windowPick, beyondH]: [number, number]) => {
      const targetH = nth(windowsDays(model), windowPick)! * 24 + beyondH;
      // The observation happened earlier, and so did everything before it in the same series:
      // the series keeps its order (aging a failed verification alone would make an older
      // passing one the newest, which is a different history, not an older one).
      const shifted = <T extends { ageH: number }>(item: T, series: T[], all: T[]) => {
        const shift = Math.max(0, targetH - item.ageH);
        return all.map(i => (series.includes(i) && i.ageH >= item.ageH ? { ...i, ageH: i.ageH + shift } : i));
      };
      const items: Array<() => Model> = [
        ...model.reports.map(r => () => ({
          ...model,
          reports: shifted(r, model.reports.filter(o => o.controls.some(c => r.controls.includes(c))), model.reports),
        })),
        ...model.facts.map(f => () => ({ ...model, facts: shifted(f, [f], model.facts) })),
        ...model.signatures.map(s => () => ({
          ...model,
          signatures: shifted(s, model.signatures.filter(o => o.digest === s.digest), model.signatures),
        })),
        ...(model.deployment ? [() => ({ ...model, deployment: shifted(model.deployment!, [model.deployment!], [model.deployment!])[0] })] : []),
        ...(model.decision ? [() => ({ ...model, decision: shifted(model.decision!, [model.decision!], [model.decision!])[0] })] : []),
        ...model.monitors.map(m => () => ({ ...model, monitors: shifted(m, [m], model.monitors) })),
        ...model.attestations.map(a => () => ({ ...model, attestations: shifted(a, [a], model.attestations) })),
        ...(model.exported ? [() => ({ ...model, exported: shifted(model.exported!, [model.exported!], [model.exported!])[0] })] : []),
      ];
      return nth(items, pick)?.();
    },
  },
  'expire or revoke an approved exception': {
    extra: fc.tuple(fc.constantFrom('expires, not yet marked', 'marked expired', 'revoked'), fc.boolean()),
    worsen: (model, pick, [how, every]: [string, boolean]) => {
      const inForce = model.exceptions.filter(e => e.status === 'approved' && e.expiresInH > 0);
      const lapsing = every ? inForce : [nth(inForce, pick)].filter((e): e is ExceptionM => !!e);
      if (!lapsing.length) return undefined;
      // It lapses now: the same history, one event later. (An expiry or revocation earlier than
      // NOW would be a different history, an exception held for a shorter time, whose lower age
      // is what the measure rewards; see the last test.)
      const lapse = (e: ExceptionM): ExceptionM =>
        how === 'revoked'
          ? { ...e, status: 'revoked', revokedAgeH: 0 }
          : { ...e, status: how === 'marked expired' ? 'expired' : 'approved', expiresInH: 0 };
      return { ...model, exceptions: model.exceptions.map(e => (lapsing.includes(e) ? lapse(e) : e)) };
    },
  },
  'silence a monitor, or drop an export or a human attestation': {
    extra: fc.constant(0),
    worsen: (model, pick) => {
      const items: Array<() => Model> = [
        ...model.monitors.map(m => () => ({ ...model, monitors: without(model.monitors, m) })),
        ...model.attestations.map(a => () => ({ ...model, attestations: without(model.attestations, a) })),
        ...(model.exported ? [() => ({ ...model, exported: undefined })] : []),
      ];
      return nth(items, pick)?.();
    },
  },
  'remove a signature verification': {
    extra: fc.boolean(),
    worsen: (model, pick, everyOfDigest: boolean) => {
      const signature = nth(model.signatures.filter(s => s.verified), pick);
      if (!signature) return undefined;
      return {
        ...model,
        signatures: everyOfDigest
          ? model.signatures.filter(s => s.digest !== signature.digest)
          : without(model.signatures, signature),
      };
    },
  },
};

function describeChange(before: Outcome, after: Outcome) {
  const controls = Object.keys(before.controls)
    .filter(id => before.controls[id] !== after.controls[id])
    .map(id => `${id}: ${before.controls[id]} → ${after.controls[id]}`);
  return `stage ${before.stage} → ${after.stage}; gate ${before.gate} → ${after.gate}; ${controls.join(', ') || 'no control changed'}`;
}

describe('evaluation monotonicity: adding a failure never helps', () => {
  it.each(Object.keys(WORSENINGS))('%s: stage never rises, deny stays deny, no failing-like control passes', name => {
    const { worsen, extra } = WORSENINGS[name];
    let applied = 0;
    let bit = 0;
    fc.assert(
      fc.property(modelArb, fc.nat(), extra, (model, pick, x) => {
        const worse = worsen(model, pick, x);
        if (!worse) return;
        applied++;
        const before = outcome(model);
        const after = outcome(worse);
        const change = describeChange(before, after);
        if (before.gate === 'deny' && after.gate === 'allow') throw new Error(`deny became allow: ${change}`);
        for (const id of Object.keys(before.controls)) {
          if (RANK[after.controls[id]] > RANK[before.controls[id]]) throw new Error(`${id} improved: ${change}`);
        }
        if (after.stage > before.stage) throw new Error(`stage rose: ${change}`);
        if (
          after.stage < before.stage ||
          after.gate !== before.gate ||
          Object.keys(before.controls).some(id => after.controls[id] !== before.controls[id])
        ) {
          bit++;
        }
      }),
      params,
    );
    // Not vacuous: the worsening had something to act on, and changed the outcome now and then.
    expect(applied).toBeGreaterThan(RUNS / 3);
    expect(bit).toBeGreaterThan(RUNS / 100);
  });

  it('generates inputs at every stage, with both gate outcomes and every control state', () => {
    const stages = new Map<number, number>();
    const gates = new Map<string, number>();
    const states = new Map<string, number>();
    let withLapsed = 0;
    const count = (map: Map<any, number>, key: unknown) => map.set(key, (map.get(key) ?? 0) + 1);
    for (const model of fc.sample(modelArb, { seed: SEED, numRuns: RUNS })) {
      if (build(model).evidence.lapsedExceptions?.length) withLapsed++;
      const o = outcome(model);
      count(stages, o.stage);
      count(gates, o.gate);
      Object.values(o.controls).forEach(s => count(states, s));
    }
    for (const stage of [0, 1, 2, 3, 4]) expect(stages.get(stage) ?? 0).toBeGreaterThan(RUNS / 100);
    expect(gates.get('allow') ?? 0).toBeGreaterThan(RUNS / 100);
    expect(gates.get('deny') ?? 0).toBeGreaterThan(RUNS / 100);
    for (const state of ['passing', 'failing', 'excepted', 'stale', 'not_reported', 'not_applicable', 'error']) {
      expect(states.get(state) ?? 0).toBeGreaterThan(0);
    }
    // Exceptions that expired or were revoked within the metrics window, for exception age.
    expect(withLapsed).toBeGreaterThan(RUNS / 20);
  });

  it('revoking an old exception adds a failure and never raises the stage: its age stays in the measure', () => {
    // Everything of stages 1–4 in order, an open high secret finding under a 100-day-old exception
    // (valid with devsecops.exceptions.maxDurationDays ≥ 130), so the mean exception age is over 90.
    // Before exception age counted lapsed exceptions, revoking it raised the stage from 3 to 4.
    const facts = Object.entries(FACTS).map(([fact, e]) => ({
      fact,
      value: passingValue(e),
      ageH: 1,
    }));
    const model: Model = {
      config: { severityPolicy: { slaDays: {} } },
      type: 'service',
      owned: true,
      reports: FINDINGS_CONTROLS.map((control, i) => ({ id: `r-${i}`, controls: [control], ageH: 1, digest: D1 })),
      findings: [{ control: 'secret-scanning', severity: 'high', ruleId: 'R1', fingerprint: 'fp-0', ageH: 200 }],
      resolved: [{ kind: 'sca', severity: 'critical', tookH: 48, resolvedAgeH: 24 }],
      facts,
      deployment: { digest: D1, commit: true, approver: true, owner: true, ageH: 2 },
      decision: { allow: true, ageH: 2 },
      signatures: [{ digest: D1, verified: true, ageH: 2 }],
      exceptions: [{ status: 'approved', control: 'secret-scanning', approvedAgeH: 100 * 24, expiresInH: 30 * 24 }],
      signals: [],
      exercises: EXERCISE_SCENARIOS.map(scenario => ({ scenario, ageD: 30 })),
      monitors: MONITORED.map(control => ({ control, ageH: 1 })),
      exported: { ageH: 24 },
      attestations: ATTESTED.map(kind => ({ kind, ageH: 24 })),
      gate: { digest: D1, claimedOwner: OWNER, buildRecorded: true },
    };
    const revoked: Model = { ...model, exceptions: [{ ...model.exceptions[0], status: 'revoked', revokedAgeH: 0 }] };

    const before = outcome(model);
    const after = outcome(revoked);
    expect(before.controls['secret-scanning']).toBe('excepted');
    expect(before.gate).toBe('allow');
    expect(before.stage).toBe(3);
    expect(before.nextSteps).toEqual([{ id: 'metrics', reason: 'mean exception age 100 d > 90 d' }]);
    // The failure counts again: the control fails and the gate denies …
    expect(after.controls['secret-scanning']).toBe('failing');
    expect(after.gate).toBe('deny');
    // … and the stage holds: the revoked exception still counts, with the 100 days it reached.
    expect(after.stage).toBe(3);
    expect(after.nextSteps).toEqual(before.nextSteps);
    expect(build(revoked).evidence.lapsedExceptions).toEqual([
      { id: 'x-0', approvedAt: at(100 * 24), lapsedAt: NOW.toISOString() },
    ]);

    // An exception held for a shorter time is a different history, and a younger one: revoked
    // 20 days ago it reached 80 days, under the target. That is the measure working (shorter
    // exceptions are better), not a lapse helping: at the moment of any lapse the mean is unchanged.
    const heldShorter: Model = { ...model, exceptions: [{ ...model.exceptions[0], status: 'revoked', revokedAgeH: 20 * 24 }] };
    expect(outcome(heldShorter).stage).toBe(4);
    // It leaves the measure once its lapse is older than the window (180 days by default).
    const longAgo: Model = {
      ...model,
      exceptions: [{ ...model.exceptions[0], approvedAgeH: 300 * 24, expiresInH: -181 * 24, status: 'expired' }],
    };
    expect(build(longAgo).evidence.lapsedExceptions).toEqual([]);
  });
});
