import { isPastDue, slaDaysFor } from './dueDates';
import { EntityMetrics } from '@devsecops-scorecard/plugin-devsecops-common';
import { isActive } from './exceptions';
import { atLeast, emptyCounts } from './severity';
import { secretRotations } from './rotation';
import { daysBetween } from './time';
import { EntityEvidence, SeverityPolicy } from './types';

const mean = (values: number[]) =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

const round = (value: number | undefined) =>
  value === undefined ? undefined : Math.round(value * 10) / 10;

/**
 * The seed's Stage 4 measures for one entity: mean time to patch (critical and high
 * vulnerabilities), mean time to rotate (secrets), exception age, mean time to remediate (runtime signals), and open findings past SLA.
 *
 * Exception age is measured over every exception in force at some time within the metrics
 * window: an active one with its age until now, one that lapsed (expired or was revoked) within
 * the window with the age it reached when it lapsed. A lapse therefore never lowers the mean at
 * the moment it happens: letting an old exception lapse does not look better than keeping it.
 * The store returns only exceptions that lapsed within the window; given `windowDays`, older
 * ones are left out here too.
 */
export function computeMetrics(
  evidence: EntityEvidence,
  policy: SeverityPolicy,
  now: Date,
  windowDays?: number,
): EntityMetrics {
  const patched = evidence.resolvedFindings.filter(
    f => f.kind === 'sca' && atLeast(f.severity, 'high'),
  );
  const rotated = secretRotations(evidence.resolvedFindings, evidence.secretTicketClosures ?? [], now, windowDays);
  const openBySeverity = emptyCounts();
  const pastSla = emptyCounts();
  for (const finding of evidence.openFindings) {
    openBySeverity[finding.severity]++;
    if (isPastDue(finding, slaDaysFor(policy, evidence.entity), now)) {
      pastSla[finding.severity]++;
    }
  }
  const remediated = (evidence.runtimeSignals ?? []).filter(s => s.remediatedAt);
  const activeExceptions = evidence.exceptions.filter(e => isActive(e, now));
  const activeIds = new Set(activeExceptions.map(e => e.id));
  const lapsedInWindow = (evidence.lapsedExceptions ?? []).filter(
    e =>
      // An exception listed as both (it cannot be, from the store) counts once, as active.
      !activeIds.has(e.id) &&
      (windowDays === undefined || daysBetween(e.lapsedAt, now) <= windowDays),
  );
  const exceptionAges = [
    ...activeExceptions.map(e => daysBetween(e.approvedAt, now)),
    ...lapsedInWindow.map(e => daysBetween(e.approvedAt, e.lapsedAt)),
  ];
  return {
    meanTimeToPatchDays: round(mean(patched.map(f => daysBetween(f.firstSeenAt, f.resolvedAt)))),
    patchedCount: patched.length,
    meanTimeToRotateDays: round(mean(rotated.map(r => daysBetween(r.firstSeenAt, r.rotatedAt)))),
    rotatedCount: rotated.length,
    // Which event rotated them: a closed ticket or the secret gone from the latest scan.
    ...(rotated.length > 0
      ? {
          rotatedBy: {
            ticketClosed: rotated.filter(r => r.by === 'ticket_closed').length,
            secretGone: rotated.filter(r => r.by === 'secret_gone').length,
          },
        }
      : {}),
    pastSla,
    openBySeverity,
    meanExceptionAgeDays: round(mean(exceptionAges)),
    meanTimeToRemediateDays: round(mean(remediated.map(s => daysBetween(s.detectedAt, s.remediatedAt!)))),
    // Absent rather than 0 when nothing was remediated, like the means.
    ...(remediated.length > 0 ? { remediatedCount: remediated.length } : {}),
  };
}
