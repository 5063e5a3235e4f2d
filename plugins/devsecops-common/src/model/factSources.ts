/**
 * Facts that a claim cannot stand in for. Each has a source that proves it — a verification, an
 * act of the portal, a named person, a monitor heard from, a scanner's result — so `POST /v1/facts`
 * (and `devsecops facts`) refuses these names, naming where the evidence comes from instead, and
 * the evaluation reads only that source. Everything else a pipeline or the GitHub provider
 * observes (`branch_protection.*`, `pre_commit.enabled`, …) stays a fact.
 */

/** @public */
export interface FactSource {
  /** Where the evidence comes from, as the refusal names it. */
  source: string;
  /** The report format whose uploads record these facts (their `source`), when one does. */
  format?: string;
}

/** Exact fact names and the evidence that replaces them. @public */
export const FACTS_WITH_OWN_SOURCE: Readonly<Record<string, FactSource>> = {
  artifact_signature: {
    source: 'POST /v1/attestations (devsecops attest) with the signed bundle or attestation, which the backend verifies',
  },
  'evidence.exported': {
    source: 'an audit package exported from the portal (GET /v1/audit-packages), recorded for every entity it covers',
  },
  'control_failure_review.cadence_days': {
    source: "POST /v1/human-attestations with kind 'control-failure-review', recorded by the person who held the review",
  },
  'platform_templates.feedback': {
    source: "POST /v1/human-attestations with kind 'template-feedback', recorded by the person who changed the template",
  },
  'exercise.leaked_secrets': { source: "POST /v1/exercises with scenario 'leaked-secrets'" },
  'exercise.compromised_ci_token': { source: "POST /v1/exercises with scenario 'compromised-ci-token'" },
  'exercise.dependency_compromise': { source: "POST /v1/exercises with scenario 'dependency-compromise'" },
  'exercise.cloud_account_abuse': { source: "POST /v1/exercises with scenario 'cloud-account-abuse'" },
  'cloud_audit_logs.enabled': {
    source: "POST /v1/runtime-signals with kind 'heartbeat' and monitors ['cloud-audit-logs'] from the audit-log forwarder",
  },
  'workload_telemetry.enabled': {
    source: "POST /v1/runtime-signals with kind 'heartbeat' and monitors ['workload-telemetry'] from the telemetry forwarder",
  },
  'vulnerability_monitoring.enabled': {
    source: "POST /v1/runtime-signals with kind 'heartbeat' and monitors ['vulnerability-monitoring'] from the monitor",
  },
};

/** Name prefixes whose facts only a report format states. @public */
export const FACT_PREFIXES_WITH_OWN_SOURCE: Readonly<Record<string, FactSource>> = {
  'openssf.': {
    source: 'an OpenSSF Scorecard result uploaded as a report (scorecard --format json, then devsecops upload results.json)',
    format: 'openssf-scorecard',
  },
};

/**
 * The evidence that replaces a fact of this name, when a claim cannot stand in for it; undefined
 * for a fact that may be recorded through `POST /v1/facts`.
 * @public
 */
export function factWithOwnSource(fact: string): FactSource | undefined {
  if (Object.prototype.hasOwnProperty.call(FACTS_WITH_OWN_SOURCE, fact)) return FACTS_WITH_OWN_SOURCE[fact];
  const prefix = Object.keys(FACT_PREFIXES_WITH_OWN_SOURCE).find(p => fact.startsWith(p));
  return prefix ? FACT_PREFIXES_WITH_OWN_SOURCE[prefix] : undefined;
}

/**
 * Whether a recorded fact counts as evidence: any fact without its own source does; one with its
 * own source only when its report format recorded it. A row of such a name that an older version
 * accepted as a claim through `POST /v1/facts` is not evidence and is left out of evaluation.
 * @public
 */
export function factCounts(fact: { fact: string; source: string }): boolean {
  const own = factWithOwnSource(fact.fact);
  return !own || (own.format !== undefined && fact.source === own.format);
}
