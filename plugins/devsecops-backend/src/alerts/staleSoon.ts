import { parseEntityRef } from '@backstage/catalog-model';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { securityTabLink } from '../events/scorecardChanges';
import type { RegressionCause } from './RegressionAlerts';

const DAY = 86_400_000;
/** The cause of a passing control whose evidence is about to go stale. */
export const STALE_SOON = 'stale-soon:';

/**
 * The passing controls of a stored scorecard whose newest evidence leaves its freshness window
 * within `warnDays` (pure): one cause each, `stale-soon:<control>`, with the day it goes stale.
 */
export function staleSoonCauses(
  scorecard: EntityScorecard,
  freshnessDays: (controlId: string) => number | undefined,
  now: Date,
  warnDays: number,
): RegressionCause[] {
  const name = parseEntityRef(scorecard.entityRef).name;
  const out: RegressionCause[] = [];
  for (const control of scorecard.controls) {
    const days = freshnessDays(control.controlId);
    if (control.state !== 'passing' || !control.lastEvidenceAt || !days) continue;
    const staleAt = Date.parse(control.lastEvidenceAt) + days * DAY;
    if (Number.isNaN(staleAt) || now.getTime() >= staleAt || now.getTime() < staleAt - warnDays * DAY) continue;
    const left = Math.max(1, Math.ceil((staleAt - now.getTime()) / DAY));
    out.push({
      cause: `${STALE_SOON}${control.controlId}`,
      alert: {
        topic: 'devsecops-evidence-stale-soon',
        title: `${name}: ${control.title} evidence goes stale in ${left} day${left === 1 ? '' : 's'}`,
        description: `The newest evidence is from ${control.lastEvidenceAt.slice(0, 10)}; ${control.title} counts it for ${days} days, until ${new Date(staleAt).toISOString().slice(0, 10)}. New evidence before then keeps it passing.`,
        link: securityTabLink(scorecard.entityRef, `control-${control.controlId}`),
        severity: 'normal',
      },
    });
  }
  return out;
}
