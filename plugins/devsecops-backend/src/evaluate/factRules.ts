import { ControlDefinition, ControlFact, EvidenceRef, FactCondition } from '@devsecops-scorecard/plugin-devsecops-common';
import { notReported, staleness, Verdict } from './verdict';

/** A fact-based control (rule type `fact`): the newest observation of its fact, fresh and holding. */
export function decideFact(
  control: ControlDefinition,
  rule: { fact: string; equals?: string | number | boolean; atLeast?: number },
  facts: ControlFact[],
  now: Date,
): Verdict {
  const fact = facts.find(f => f.fact === rule.fact);
  if (!fact) return notReported(`No observation of ${rule.fact} recorded`);
  const ref: EvidenceRef = { kind: 'fact', id: fact.fact, at: fact.observedAt };
  const stale = staleness(control, fact.observedAt, now, [ref]);
  if (stale) return stale;
  const ok = factHolds(fact.value, rule);
  return {
    state: ok ? 'passing' : 'failing',
    reason: `${rule.fact} is ${JSON.stringify(fact.value)} (${describeExpectation(rule)})`,
    lastEvidenceAt: fact.observedAt,
    evidence: [ref],
  };
}

/**
 * The rule's further conditions: one whose fact is observed and does not hold fails a passing
 * control; unobserved ones are named in the reason.
 */
export function withObservedConditions(
  verdict: Verdict,
  conditions: FactCondition[] | undefined,
  facts: ControlFact[],
): Verdict {
  if (!conditions?.length || verdict.state !== 'passing') return verdict;
  const failed: string[] = [];
  const unobserved: string[] = [];
  const refs: EvidenceRef[] = [];
  for (const condition of conditions) {
    const fact = facts.find(f => f.fact === condition.fact);
    if (!fact) {
      unobserved.push(condition.fact);
      continue;
    }
    refs.push({ kind: 'fact', id: fact.fact, at: fact.observedAt });
    let holds: boolean;
    try {
      holds = factHolds(fact.value, condition);
    } catch {
      holds = false;
    }
    if (!holds) failed.push(`${condition.fact} is ${JSON.stringify(fact.value)} (${describeExpectation(condition)})`);
  }
  const notObserved = unobserved.length ? `; not observed: ${unobserved.join(', ')}` : '';
  return {
    ...verdict,
    state: failed.length ? 'failing' : 'passing',
    reason: failed.length ? `${failed.join('; ')} (and ${verdict.reason})` : `${verdict.reason}; ${conditions.filter(c => !unobserved.includes(c.fact)).map(c => `${c.fact} holds`).join(', ') || 'no further condition observed'}${notObserved}`,
    evidence: [...verdict.evidence, ...refs],
  };
}

export function factHolds(
  value: unknown,
  rule: { equals?: string | number | boolean; atLeast?: number; atMost?: number },
): boolean {
  if (rule.atLeast !== undefined || rule.atMost !== undefined) {
    if (typeof value !== 'number') {
      throw new Error(`expected a number, got ${JSON.stringify(value)}`);
    }
    return (
      (rule.atLeast === undefined || value >= rule.atLeast) &&
      (rule.atMost === undefined || value <= rule.atMost)
    );
  }
  return value === (rule.equals ?? true);
}

export function describeExpectation(rule: {
  equals?: string | number | boolean;
  atLeast?: number;
  atMost?: number;
}): string {
  if (rule.atLeast !== undefined && rule.atMost !== undefined) return `expected ${rule.atLeast}–${rule.atMost}`;
  if (rule.atLeast !== undefined) return `expected at least ${rule.atLeast}`;
  if (rule.atMost !== undefined) return `expected at most ${rule.atMost}`;
  return `expected ${JSON.stringify(rule.equals ?? true)}`;
}
