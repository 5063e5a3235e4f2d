import { FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When an open finding is due under the severity SLA: first seen + the SLA days of its severity
 * (`devsecops.severityPolicy.slaDays`). The one definition the findings API shows and the past-SLA
 * metric counts with.
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
