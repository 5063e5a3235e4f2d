import { ControlDefinition, EvidenceRef, FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';
import { coveringException } from './exceptions';
import { countedUnderPolicy, describeExploitability, exploitableCondition, notExploitableNote } from './exploitability';
import { atLeast } from './severity';
import { newest } from './time';
import { EntityEvidence } from './types';
import { MAX_EVIDENCE_REFS, notReported, staleness, Verdict } from './verdict';

/**
 * A findings-based control (rule type `findings`): the newest report that evidences it must be
 * fresh, and no open finding at or above the severity may be left without an exception.
 */
export function decideFindings(
  control: ControlDefinition,
  failOn: FindingSeverity,
  evidence: EntityEvidence,
  now: Date,
): Verdict {
  const reports = evidence.reports.filter(r => r.controls.includes(control.id));
  const lastAt = newest(reports.map(r => r.scannedAt));
  if (!lastAt) {
    return notReported(`No report evidences ${control.title.toLowerCase()} yet`);
  }
  const latest = reports.find(r => r.scannedAt === lastAt)!;
  const reportRef: EvidenceRef = { kind: 'report', id: latest.id, at: latest.scannedAt };
  const stale = staleness(control, lastAt, now, [reportRef]);
  if (stale) return stale;

  const exploitable = control.rule.type === 'findings' ? control.rule.exploitable : undefined;
  const { counted: failing, notExploitable } = countedUnderPolicy(
    evidence.openFindings.filter(f => f.control === control.id && atLeast(f.severity, failOn)),
    exploitable,
  );
  // "at critical or above" / "at critical or above and exploitable (in KEV or EPSS ≥ 0.1)"
  const condition = exploitable ? `${failOn} or above and ${exploitableCondition(exploitable.epssThreshold)}` : `${failOn} or above`;
  if (failing.length === 0) {
    const unexploited = notExploitableNote(notExploitable, `at ${failOn} or above`, 3);
    return {
      state: 'passing',
      reason: `No open findings at ${condition}${unexploited}`,
      lastEvidenceAt: lastAt,
      evidence: [reportRef],
    };
  }
  const uncovered = failing.filter(f => !coveringException(evidence.exceptions, f, now));
  const refs: EvidenceRef[] = [
    reportRef,
    ...(uncovered.length > 0 ? uncovered : failing)
      .slice(0, MAX_EVIDENCE_REFS)
      .map(f => ({ kind: 'finding' as const, id: f.id, at: f.firstSeenAt })),
  ];
  if (uncovered.length === 0) {
    const used = new Set(
      failing.map(f => coveringException(evidence.exceptions, f, now)!.id),
    );
    return {
      state: 'excepted',
      reason: `${failing.length} open finding(s) at ${condition}, all covered by approved exceptions`,
      lastEvidenceAt: lastAt,
      evidence: [...refs, ...[...used].map(id => ({ kind: 'exception' as const, id }))],
    };
  }
  const examples = [
    ...new Set(uncovered.map(f => (exploitable ? `${f.vulnerabilityId ?? f.ruleId} (${describeExploitability(f)})` : f.vulnerabilityId ?? f.ruleId))),
  ].slice(0, 3);
  return {
    state: 'failing',
    reason: `${uncovered.length} open finding(s) at ${condition} without an exception (${examples.join(', ')}${uncovered.length > examples.length ? ', …' : ''})`,
    lastEvidenceAt: lastAt,
    evidence: refs,
  };
}
