import { parseEntityRef } from '@backstage/catalog-model';
import { ExceptionScope, Finding } from '@devsecops-scorecard/plugin-devsecops-common';

/** The exception's own page (the notifications link here too). */
export function exceptionPath(id: string): string {
  return `/devsecops/exceptions/${encodeURIComponent(id)}`;
}

/** The Security tab of a component (exceptions are requested on components). */
export function securityTabPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/security`;
}

/** `group:default/security-compliance` reads as `security-compliance` (the full ref is the title). */
export function shortRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string | number, to: string | number): number {
  return Math.round((new Date(to).getTime() - new Date(from).getTime()) / 86_400_000);
}

/** How long ago, in words: "today", "1 day ago", "16 days ago". */
export function ago(at: string, now = Date.now()): string {
  const days = daysBetween(at, now);
  if (days <= 0) return 'today';
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/**
 * Which of the control's findings the scope names, for display: the backend's rule
 * (evaluate/exceptions.ts `covers`) — every field the scope names must match; the CVE field also
 * matches a finding whose rule id is that CVE.
 */
export function scopeNames(scope: ExceptionScope, finding: Finding): boolean {
  if (scope.control !== finding.control) return false;
  if (scope.ruleId && scope.ruleId !== finding.ruleId) return false;
  if (scope.vulnerabilityId && scope.vulnerabilityId !== finding.vulnerabilityId && scope.vulnerabilityId !== finding.ruleId) {
    return false;
  }
  if (scope.fingerprint && scope.fingerprint !== finding.fingerprint) return false;
  if (scope.artifactDigest && scope.artifactDigest !== finding.artifactDigest) return false;
  return true;
}

/** The scope in words: "container-scan · CVE-2024-1 · rule X · digest sha256:ab12…". */
export function describeScope(scope: ExceptionScope): string {
  return [
    scope.control,
    scope.vulnerabilityId,
    scope.ruleId && `rule ${scope.ruleId}`,
    scope.fingerprint && `finding ${scope.fingerprint.slice(0, 12)}…`,
    scope.artifactDigest && `artifact ${scope.artifactDigest.slice(0, 19)}…`,
  ]
    .filter(Boolean)
    .join(' · ');
}
