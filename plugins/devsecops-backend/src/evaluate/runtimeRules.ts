import {
  ControlDefinition,
  EvidenceRef,
  FindingSeverity,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { factHolds } from './factRules';
import { atLeast } from './severity';
import { newest } from './time';
import { EntityEvidence } from './types';
import { MAX_EVIDENCE_REFS, staleness, Verdict } from './verdict';

/**
 * Monitoring is on when the runtime source was heard from within the control's window: a heartbeat
 * for the control or a signal of its kinds. It stands in for a missing or stale "on" fact; a fact
 * that says monitoring is off (or is malformed) is never overruled, so that ageing or removing a
 * heartbeat can only make the result worse, never better.
 */
export function withMonitoring(
  control: ControlDefinition,
  rule: { fact: string; equals?: string | number | boolean; atLeast?: number; failOnOpenSignals?: string[] },
  verdict: Verdict,
  evidence: EntityEvidence,
  now: Date,
): Verdict {
  if (verdict.state === 'passing') return verdict;
  const fact = evidence.facts.find(f => f.fact === rule.fact);
  if (fact) {
    let holds = false;
    try {
      holds = factHolds(fact.value, rule);
    } catch {
      holds = false;
    }
    if (!holds) return verdict;
  }
  const kinds = rule.failOnOpenSignals ?? [];
  const heard: Array<{ at: string; ref: EvidenceRef; what: string }> = [
    ...(evidence.runtimeMonitors ?? [])
      .filter(m => m.control === control.id)
      .map(m => ({
        at: m.lastSeenAt,
        ref: { kind: 'runtime-signal' as const, id: `heartbeat:${m.control}:${m.source}`, at: m.lastSeenAt },
        what: `${m.source} heartbeat`,
      })),
    ...(evidence.runtimeSignals ?? [])
      .filter(s => kinds.includes(s.kind))
      .map(s => ({ at: s.detectedAt, ref: { kind: 'runtime-signal' as const, id: s.id, at: s.detectedAt }, what: `${s.source} ${s.kind}` })),
  ];
  if (heard.length === 0) return verdict;
  const latest = heard.reduce((a, b) => (Date.parse(b.at) > Date.parse(a.at) ? b : a));
  const stale = staleness(control, latest.at, now, [latest.ref]);
  if (stale) return verdict.state === 'not_reported' ? stale : verdict;
  return {
    state: 'passing',
    reason: `Monitoring on: ${latest.what} received ${latest.at.slice(0, 16).replace('T', ' ')} UTC (within ${control.freshnessDays} days)`,
    lastEvidenceAt: latest.at,
    evidence: [latest.ref],
  };
}

/**
 * A control whose monitoring is on still fails while something it watches is open: a runtime
 * signal of the given kinds at or above the severity that is not remediated yet.
 */
export function withOpenSignals(
  verdict: Verdict,
  kinds: string[],
  failOn: FindingSeverity,
  evidence: EntityEvidence,
): Verdict {
  const open = (evidence.runtimeSignals ?? []).filter(
    s => !s.remediatedAt && kinds.includes(s.kind) && atLeast(s.severity, failOn),
  );
  if (open.length === 0 || verdict.state === 'not_applicable') return verdict;
  const refs: EvidenceRef[] = open
    .slice(0, MAX_EVIDENCE_REFS)
    .map(s => ({ kind: 'runtime-signal' as const, id: s.id, at: s.detectedAt }));
  const examples = open
    .slice(0, 3)
    .map(s => `${s.severity} ${s.kind} '${s.summary}' detected ${s.detectedAt.slice(0, 10)}${s.containedAt ? ', contained' : ''}`);
  const lastAt = newest([...(verdict.lastEvidenceAt ? [verdict.lastEvidenceAt] : []), ...open.map(s => s.detectedAt)]);
  return {
    state: 'failing',
    reason: `${open.length} open runtime signal(s) at ${failOn} or above not remediated: ${examples.join('; ')}${open.length > examples.length ? '; …' : ''}${verdict.state === 'passing' ? '' : ` (and ${verdict.reason})`}`,
    lastEvidenceAt: lastAt,
    evidence: [...verdict.evidence, ...refs],
  };
}
