import { FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';
import { SeverityPolicy } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The entity annotation that names its tier (`devsecops.severityPolicy.byTier`). */
export const TIER_ANNOTATION = 'devsecops.io/tier';

/** What decides an entity's SLA days besides severity: its `spec.lifecycle` and tier annotation. */
export interface SlaProfile {
  lifecycle?: string;
  tier?: string;
}

/**
 * The SLA days of one entity, per severity: `devsecops.severityPolicy.slaDays`, overridden by
 * `byLifecycle[spec.lifecycle]`, overridden by `byTier[devsecops.io/tier]` (each per severity; a
 * severity an override does not name keeps the days below it).
 */
export function slaDaysFor(
  policy: Pick<SeverityPolicy, 'slaDays' | 'byLifecycle' | 'byTier'>,
  entity: SlaProfile | undefined,
): Record<FindingSeverity, number> {
  const byLifecycle = entity?.lifecycle ? policy.byLifecycle?.[entity.lifecycle] : undefined;
  const byTier = entity?.tier ? policy.byTier?.[entity.tier] : undefined;
  if (!byLifecycle && !byTier) return policy.slaDays;
  return { ...policy.slaDays, ...byLifecycle, ...byTier };
}

/**
 * When an open finding is due: first seen + the SLA days of its severity for its entity
 * (`slaDaysFor`). The one definition the findings API shows and the past-SLA metric counts with.
 */
export function findingDueAt(
  finding: { firstSeenAt: string; severity: FindingSeverity },
  slaDays: Record<FindingSeverity, number>,
): string {
  return new Date(new Date(finding.firstSeenAt).getTime() + slaDays[finding.severity] * DAY_MS).toISOString();
}

/** Past its due date at `now`. */
export function isPastDue(
  finding: { firstSeenAt: string; severity: FindingSeverity },
  slaDays: Record<FindingSeverity, number>,
  now: Date,
): boolean {
  return now.getTime() > new Date(findingDueAt(finding, slaDays)).getTime();
}
