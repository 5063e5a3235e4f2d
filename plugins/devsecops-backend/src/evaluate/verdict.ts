import { ControlDefinition, ControlResult, EvidenceRef } from '@devsecops-scorecard/plugin-devsecops-common';
import { daysBetween } from './time';

/** What one control rule decides; evaluateControls adds the control's id, stage and title. */
export type Verdict = Omit<ControlResult, 'controlId' | 'stage' | 'title'>;

// Enough to act on; the findings API has the rest.
export const MAX_EVIDENCE_REFS = 20;

export function staleness(
  control: ControlDefinition,
  at: string,
  now: Date,
  evidence: EvidenceRef[],
): Verdict | undefined {
  const age = daysBetween(at, now);
  if (age <= control.freshnessDays) return undefined;
  return {
    state: 'stale',
    reason: `Newest evidence is ${Math.floor(age)} days old; the window is ${control.freshnessDays} days`,
    lastEvidenceAt: at,
    evidence,
  };
}

export function notReported(reason: string): Verdict {
  return { state: 'not_reported', reason, evidence: [] };
}
