/**
 * Words for the machine names that evaluation reasons and release-gate requirements carry, so a
 * screen says "a dependency-compromise tabletop exercise" where the evidence says
 * `exercise.dependency_compromise`. Names without an entry are shown as they are.
 */

/** Fact names (control facts, maturity criteria) and what they mean to a reader. @public */
export const FACT_LABELS: Readonly<Record<string, string>> = {
  'branch_protection.enabled': 'branch protection',
  'branch_protection.branch': 'the protected branch',
  'branch_protection.required_reviews': 'required reviews on the protected branch',
  'branch_protection.required_status_checks': 'required status checks on the protected branch',
  'code_review.owner_review': 'code-owner review',
  'pre_commit.enabled': 'pre-commit checks',
  'dependency_review.enabled': 'dependency review on pull requests',
  'dependency_alerts.enabled': 'dependency alerts',
  'ci.reusable_workflow': 'the shared (reusable) CI workflow',
  'cloud_audit_logs.enabled': 'cloud audit logs',
  'workload_telemetry.enabled': 'workload telemetry',
  'vulnerability_monitoring.enabled': 'vulnerability monitoring',
  'evidence.exported': 'an exported audit package',
  'control_failure_review.cadence_days': 'a control-failure review (days between reviews)',
  'platform_templates.feedback': 'feedback into the platform templates',
  'exercise.leaked_secrets': 'a leaked-secrets tabletop exercise',
  'exercise.compromised_ci_token': 'a compromised-CI-token tabletop exercise',
  'exercise.dependency_compromise': 'a dependency-compromise tabletop exercise',
  'exercise.cloud_account_abuse': 'a cloud-account-abuse tabletop exercise',
  artifact_signature: 'a verified artifact signature',
};

/** The words for a fact name; the name itself when it has none. @public */
export function factLabel(fact: string): string {
  return FACT_LABELS[fact] ?? fact;
}

/** Fact-like names: two or more dotted lower-case words with underscores (`exercise.leaked_secrets`). */
const FACT_NAME = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)+\b/g;

/**
 * A reason as a sentence: known fact names replaced by their words, "not_reported"-style state
 * keys spelled out, the first letter capitalised and a full stop at the end.
 * @public
 */
export function readableReason(reason: string): string {
  const words = reason
    .replace(FACT_NAME, name => FACT_LABELS[name] ?? name)
    .replace(/\bnot_reported\b/g, 'not reported')
    .replace(/\bnot_applicable\b/g, 'not applicable')
    .trim();
  if (!words) return words;
  // A sentence starts with a capital, unless it starts with a name or value (`sha256:…`, a ref).
  const sentence = /^[a-z][a-z'-]*(?=[\s,;]|$)/.test(words) ? words[0].toUpperCase() + words.slice(1) : words;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * A release-gate requirement (the seed's policy vocabulary): what it means, and the pipeline
 * controls whose evidence it reads. A control not named by any requirement of a policy cannot
 * deny that policy's gate, which is why a failing control and an allowed gate can both be true.
 * @public
 */
export const GATE_REQUIREMENTS: Readonly<Record<string, { label: string; controls: readonly string[] }>> = {
  branch_protection: { label: 'branch protection on the release branch', controls: ['code-review'] },
  artifact_signature: { label: 'a verified artifact signature', controls: ['signed-artifact-verification'] },
  sbom: { label: 'an SBOM for the artifact', controls: ['sbom'] },
  secrets_scan: { label: 'secret scanning passing', controls: ['secret-scanning'] },
  container_critical_vulns: {
    label: 'no critical vulnerabilities in the container scan (or an approved exception)',
    controls: ['container-scan'],
  },
  deployment_owner: { label: "the deployer's owner matching the catalog", controls: [] },
};

/** The control ids a set of gate requirement names reads. @public */
export function controlsReadByGate(requirements: readonly string[]): Set<string> {
  return new Set(requirements.flatMap(r => GATE_REQUIREMENTS[r]?.controls ?? []));
}
