import {
  BuiltInControlId,
  CapabilityId,
  ControlDefinition,
  ControlRule,
  FindingSeverity,
  GateRequirement,
  PIPELINE_CONTROLS,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { MetricTargets, StageDefinition } from '../evaluate/types';

/** Artifact-bound controls do not apply to libraries: nothing of theirs is deployed. */
const DEPLOYABLE = ['service', 'website'];

/**
 * The evidence rule and freshness window of each built-in control. Keyed by the literal id union,
 * so a built-in control added to `PIPELINE_CONTROLS` without its rule here (or a rule for a control
 * that is not built in) does not compile. Controls added by configuration get theirs from
 * `devsecops.controls` (readScorecardConfig).
 */
const RULES: Record<
  BuiltInControlId,
  { rule: ControlRule; freshnessDays: number; appliesToTypes?: string[]; capability: CapabilityId }
> = {
  'secret-scanning': { rule: { type: 'findings', failOnSeverity: 'high' }, freshnessDays: 30, capability: 'ci-cd-controls' },
  'pre-commit-checks': { rule: { type: 'fact', fact: 'pre_commit.enabled' }, freshnessDays: 90, capability: 'ci-cd-controls' },
  'code-review': {
    // Required reviews, and — where observed (the GitHub provider observes both) — required status
    // checks and code owner review (CODEOWNERS + require_code_owner_reviews): "PR review and check status".
    rule: {
      type: 'fact',
      fact: 'branch_protection.required_reviews',
      atLeast: 1,
      whenObserved: [
        { fact: 'branch_protection.required_status_checks', atLeast: 1 },
        { fact: 'code_review.owner_review', equals: true },
      ],
    },
    freshnessDays: 30,
    capability: 'ci-cd-controls',
  },
  'dependency-diff': { rule: { type: 'fact', fact: 'dependency_review.enabled' }, freshnessDays: 30, capability: 'dependency-security' },
  'iac-lint': { rule: { type: 'findings', failOnSeverity: 'high' }, freshnessDays: 30, capability: 'cloud-iac-policy' },
  sast: { rule: { type: 'findings', failOnSeverity: 'high' }, freshnessDays: 30, capability: 'ci-cd-controls' },
  'dependency-scan': { rule: { type: 'findings', failOnSeverity: 'critical' }, freshnessDays: 14, capability: 'dependency-security' },
  sbom: { rule: { type: 'findings', failOnSeverity: 'critical' }, freshnessDays: 30, capability: 'compliance-evidence' },
  'container-scan': {
    rule: { type: 'findings', failOnSeverity: 'critical' },
    freshnessDays: 14,
    appliesToTypes: DEPLOYABLE,
    capability: 'dependency-security',
  },
  'policy-as-code': {
    rule: { type: 'gate-decision', environment: 'production' },
    freshnessDays: 30,
    appliesToTypes: DEPLOYABLE,
    capability: 'cloud-iac-policy',
  },
  'production-approval': {
    rule: { type: 'deployment-approval', environment: 'production' },
    freshnessDays: 90,
    appliesToTypes: DEPLOYABLE,
    capability: 'ci-cd-controls',
  },
  'signed-artifact-verification': {
    rule: { type: 'signature', environment: 'production' },
    freshnessDays: 30,
    appliesToTypes: DEPLOYABLE,
    capability: 'ci-cd-controls',
  },
  'cloud-audit-logs': {
    rule: {
      type: 'fact',
      fact: 'cloud_audit_logs.enabled',
      failOnOpenSignals: ['audit-log-alert', 'suspicious-control-plane-action'],
      monitoredBySignals: true,
    },
    freshnessDays: 30,
    appliesToTypes: DEPLOYABLE,
    capability: 'incident-response',
  },
  'workload-telemetry': {
    rule: { type: 'fact', fact: 'workload_telemetry.enabled', failOnOpenSignals: ['incident'], monitoredBySignals: true },
    freshnessDays: 30,
    appliesToTypes: DEPLOYABLE,
    capability: 'incident-response',
  },
  'vulnerability-monitoring': {
    rule: {
      type: 'fact',
      fact: 'vulnerability_monitoring.enabled',
      failOnOpenSignals: ['vulnerability-alert'],
      monitoredBySignals: true,
    },
    freshnessDays: 30,
    appliesToTypes: DEPLOYABLE,
    capability: 'incident-response',
  },
};

/**
 * The seed's pipeline control stack with the evidence rule and freshness window of each control:
 * the shipped default catalogue, which `devsecops.controls` in app-config extends or changes.
 */
export const DEFAULT_CONTROLS: ControlDefinition[] = PIPELINE_CONTROLS.map(control => ({
  id: control.id,
  stage: control.stage,
  title: control.title,
  ...RULES[control.id],
}));

export const DEFAULT_SLA_DAYS: Record<FindingSeverity, number> = {
  critical: 7,
  high: 30,
  medium: 90,
  low: 180,
  info: 365,
};

export const DEFAULT_METRIC_TARGETS: MetricTargets = {
  meanTimeToPatchDays: 30,
  meanTimeToRotateDays: 2,
  meanExceptionAgeDays: 90,
  windowDays: 180,
};

/** The seed's `production_release` policy, verbatim. */
export const DEFAULT_POLICIES: Record<string, { environment: string; requires: GateRequirement[] }> = {
  production_release: {
    environment: 'production',
    requires: [
      { branch_protection: 'main' },
      { artifact_signature: 'verified' },
      { sbom: 'generated' },
      { secrets_scan: 'passed' },
      { container_critical_vulns: 'none_or_approved_exception' },
      { deployment_owner: 'service_catalog_match' },
    ],
  },
};

const FRESH = ['passing', 'failing', 'excepted'];
const HEALTHY = ['passing', 'excepted'];

/** The seed's maturity path: four stages, each a list of criteria. */
export const DEFAULT_STAGES: StageDefinition[] = [
  {
    stage: 1,
    title: 'Stabilize the basics',
    criteria: [
      {
        id: 'branch-protection',
        capability: 'ci-cd-controls',
        title: 'Enforce branch protection and required reviews',
        rule: {
          type: 'all',
          rules: [
            { type: 'fact', fact: 'branch_protection.enabled', equals: true },
            { type: 'controls', controls: ['code-review'], states: ['passing'] },
          ],
        },
      },
      {
        id: 'secret-scanning-and-dependency-alerts',
        capability: 'ci-cd-controls',
        title: 'Turn on secret scanning and dependency alerts',
        rule: {
          type: 'all',
          rules: [
            { type: 'controls', controls: ['secret-scanning'], states: FRESH },
            { type: 'fact', fact: 'dependency_alerts.enabled', equals: true },
          ],
        },
      },
      { id: 'ownership', capability: 'compliance-evidence', title: 'Establish ownership for production repositories', rule: { type: 'owner' } },
      { id: 'severity-policy', capability: 'dependency-security', title: 'Create a vulnerability severity policy', rule: { type: 'severity-policy' } },
    ],
  },
  {
    stage: 2,
    title: 'Standardize secure delivery',
    criteria: [
      {
        id: 'reusable-workflows',
        capability: 'ci-cd-controls',
        title: 'Move onto reusable CI/CD workflows',
        rule: { type: 'fact', fact: 'ci.reusable_workflow', equals: true },
      },
      {
        id: 'iac-and-container-scanning',
        capability: 'cloud-iac-policy',
        title: 'Add IaC scanning and container scanning to the pipeline',
        rule: { type: 'controls', controls: ['iac-lint', 'container-scan'], states: FRESH },
      },
      {
        id: 'sboms',
        capability: 'compliance-evidence',
        title: 'Generate SBOMs for production artifacts',
        rule: { type: 'controls', controls: ['sbom'], states: HEALTHY },
      },
      {
        id: 'exception-records',
        capability: 'cloud-iac-policy',
        title: 'Define exception records with owner, risk, and expiration date',
        rule: { type: 'exception-records' },
      },
    ],
  },
  {
    stage: 3,
    title: 'Automate evidence',
    criteria: [
      {
        id: 'traceable-deployments',
        capability: 'compliance-evidence',
        title: 'Link source commit, artifact digest, deployment, and runtime service',
        rule: { type: 'traceable-deployment', environment: 'production' },
      },
      {
        id: 'evidence-export',
        capability: 'compliance-evidence',
        title: 'Export CI/CD and access evidence for customer security reviews',
        // An audit package exported from the portal (recorded per covered entity in the evidence
        // log); POST /v1/facts refuses an `evidence.exported` claim (factSources).
        rule: { type: 'evidence-export', withinDays: 180 },
      },
      {
        id: 'policy-as-code',
        capability: 'cloud-iac-policy',
        title: 'Add policy-as-code for cloud and Kubernetes controls',
        rule: { type: 'controls', controls: ['policy-as-code'], states: HEALTHY },
      },
      {
        id: 'failure-review',
        capability: 'incident-response',
        title: 'Review control failures in the same cadence as reliability incidents',
        // A review a named person recorded (POST /v1/human-attestations), never a posted number.
        rule: { type: 'human-attestation', kind: 'control-failure-review', withinDays: 90 },
      },
    ],
  },
  {
    stage: 4,
    title: 'Improve through exercises',
    criteria: [
      {
        id: 'tabletop-exercises',
        capability: 'incident-response',
        title: 'Run tabletop exercises for leaked secrets, compromised CI tokens, dependency compromise, and cloud account abuse',
        // Recorded exercises (POST /v1/exercises), one per scenario within a year.
        rule: {
          type: 'all',
          rules: ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse'].map(
            scenario => ({ type: 'exercise' as const, scenario, withinDays: 365 }),
          ),
        },
      },
      {
        id: 'metrics',
        capability: 'dependency-security',
        title: 'Measure mean time to rotate, mean time to patch, and exception age',
        rule: { type: 'metrics' },
      },
      {
        id: 'feedback-into-templates',
        capability: 'ci-cd-controls',
        title: 'Feed recurring findings back into platform templates',
        rule: { type: 'human-attestation', kind: 'template-feedback', withinDays: 180 },
      },
    ],
  },
];
