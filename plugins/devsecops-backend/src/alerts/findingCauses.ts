import { parseEntityRef } from '@backstage/catalog-model';
import { EntityScorecard, FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';
import { securityTabLink } from '../events/scorecardChanges';
import type { RegressionCause } from './RegressionAlerts';

/** Severities whose new open findings are alerts (a new critical/high finding). */
const NEW_FINDING_SEVERITIES: FindingSeverity[] = ['critical', 'high'];
/** Severities whose findings passing their SLA due date are alerts. */
const PAST_SLA_SEVERITIES: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];
/** A count that falls by more than this releases only this many of its claims (a bound on rows). */
const MAX_RELEASED = 200;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Counted causes (pure): the open findings of a severity rose (a new critical/high finding), or
 * the findings past their SLA did. The cause names the count reached (`finding:<severity>:<n>`,
 * `sla:<severity>:<n>`), so each rise notifies once; a fall ends the causes above the new count,
 * so a later rise notifies again.
 */
export function findingCauses(before: EntityScorecard, after: EntityScorecard): RegressionCause[] {
  const name = parseEntityRef(after.entityRef).name;
  const out: RegressionCause[] = [];
  const counted = (
    kind: 'finding' | 'sla',
    severity: FindingSeverity,
    from: number,
    to: number,
  ) => {
    if (to > from) {
      const rise = to - from;
      out.push({
        cause: `${kind}:${severity}:${to}`,
        alert:
          kind === 'finding'
            ? {
                topic: 'devsecops-finding-new',
                title: `${name}: ${plural(rise, `new ${severity} finding`)}`,
                description: `${plural(to, `open ${severity} finding`)} (${from} before)`,
                link: securityTabLink(after.entityRef, 'findings'),
                severity: 'high',
              }
            : {
                topic: 'devsecops-finding-past-sla',
                title: `${name}: ${plural(rise, `${severity} finding`)} past ${rise === 1 ? 'its' : 'their'} SLA`,
                description: `${plural(to, `${severity} finding`)} open past the severity's SLA due date (${from} before)`,
                link: securityTabLink(after.entityRef, 'findings'),
                severity: severity === 'critical' || severity === 'high' ? 'high' : 'normal',
              },
      });
    }
    for (let n = from; n > to && n > from - MAX_RELEASED; n--) out.push({ cause: `${kind}:${severity}:${n}` });
  };
  for (const severity of NEW_FINDING_SEVERITIES) {
    counted('finding', severity, before.metrics?.openBySeverity?.[severity] ?? 0, after.metrics?.openBySeverity?.[severity] ?? 0);
  }
  for (const severity of PAST_SLA_SEVERITIES) {
    counted('sla', severity, before.metrics?.pastSla?.[severity] ?? 0, after.metrics?.pastSla?.[severity] ?? 0);
  }
  return out;
}
