import {
  ControlDefinition,
  ControlFact,
  ControlResult,
  EvidenceRef,
  FactCondition,
  FindingSeverity,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { controlException, coveringException } from './exceptions';
import { atLeast } from './severity';
import { daysBetween, newest } from './time';
import { EntityEvidence, ExceptionCover } from './types';

// Enough to act on; the findings API has the rest.
const MAX_EVIDENCE_REFS = 20;

type Verdict = Omit<ControlResult, 'controlId' | 'stage' | 'title'>;

/** Evaluates every control for one entity. Pure: same input, same output. */
export function evaluateControls(
  controls: ControlDefinition[],
  evidence: EntityEvidence,
  now: Date,
): ControlResult[] {
  return controls.map(control => ({
    controlId: control.id,
    stage: control.stage,
    title: control.title,
    ...evaluateControl(control, evidence, now),
  }));
}

export function evaluateControl(
  control: ControlDefinition,
  evidence: EntityEvidence,
  now: Date,
): Verdict {
  const type = evidence.entity.type;
  if (control.appliesToTypes && !(type && control.appliesToTypes.includes(type))) {
    return {
      state: 'not_applicable',
      reason: `Does not apply to ${type ? `a ${type}` : 'an entity without a type'} (applies to ${control.appliesToTypes.join(', ')})`,
      evidence: [],
    };
  }
  try {
    const verdict = decide(control, evidence, now);
    return withException(control, verdict, evidence.exceptions, now);
  } catch (error) {
    return {
      state: 'error',
      reason: `Could not evaluate: ${(error as Error).message}`,
      evidence: [],
    };
  }
}

function decide(control: ControlDefinition, evidence: EntityEvidence, now: Date): Verdict {
  const rule = control.rule;
  switch (rule.type) {
    case 'findings':
      return decideFindings(control, rule.failOnSeverity, evidence, now);
    case 'fact': {
      const fromFact = decideFact(control, rule, evidence.facts, now);
      const monitored = rule.monitoredBySignals ? withMonitoring(control, rule, fromFact, evidence, now) : fromFact;
      const verdict = withObservedConditions(monitored, rule.whenObserved, evidence.facts);
      return rule.failOnOpenSignals ? withOpenSignals(verdict, rule.failOnOpenSignals, 'high', evidence) : verdict;
    }
    case 'runtime-signals': {
      const failOn = rule.failOnSeverity ?? 'high';
      const verdict = withOpenSignals(
        { state: 'passing', reason: `No open ${rule.kinds.join(' or ')} at ${failOn} or above`, evidence: [] },
        rule.kinds,
        failOn,
        evidence,
      );
      return verdict;
    }
    case 'deployment-approval': {
      const deployment = evidence.deployments.find(d => d.environment === rule.environment);
      if (!deployment) {
        return notReported(`No ${rule.environment} deployment recorded`);
      }
      const ref: EvidenceRef = { kind: 'deployment', id: deployment.id, at: deployment.deployedAt };
      const stale = staleness(control, deployment.deployedAt, now, [ref]);
      if (stale) return stale;
      const failing = (reason: string): Verdict => ({
        state: 'failing',
        reason,
        lastEvidenceAt: deployment.deployedAt,
        evidence: [ref],
      });
      if (!deployment.approver) return failing(`Latest ${rule.environment} deployment has no approver`);
      // An approval counts only from a catalog User who is not the deployer.
      const check = evidence.approverChecks?.find(c => c.deploymentId === deployment.id);
      if (!check || check.problem || !check.userRef) {
        return failing(
          `Latest ${rule.environment} deployment's approver ${deployment.approver} does not count: ${
            check?.problem ?? 'it was not resolved to a catalog User'
          }`,
        );
      }
      return {
        state: 'passing',
        reason: `Latest ${rule.environment} deployment approved by ${check.userRef}, a catalog User other than the deployer ${deployment.deployer}`,
        lastEvidenceAt: deployment.deployedAt,
        evidence: [ref],
      };
    }
    case 'gate-decision': {
      const decision = evidence.gateDecisions.find(d => d.environment === rule.environment);
      if (!decision) {
        return notReported(`No ${rule.environment} release-gate decision recorded`);
      }
      const ref: EvidenceRef = { kind: 'gate-decision', id: decision.id, at: decision.decidedAt };
      const stale = staleness(control, decision.decidedAt, now, [ref]);
      if (stale) return stale;
      const denied = decision.requirements.filter(r => !r.passed).map(r => r.requirement);
      return decision.decision === 'allow'
        ? {
            state: 'passing',
            reason: `Latest ${rule.environment} gate decision allowed ${decision.artifactDigest}`,
            lastEvidenceAt: decision.decidedAt,
            evidence: [ref],
          }
        : {
            state: 'failing',
            reason: `Latest ${rule.environment} gate decision denied: ${denied.join(', ')}`,
            lastEvidenceAt: decision.decidedAt,
            evidence: [ref],
          };
    }
    case 'signature': {
      const deployment = evidence.deployments.find(d => d.environment === rule.environment);
      if (!deployment) {
        return notReported(`No ${rule.environment} deployment recorded, so no artifact to verify`);
      }
      const signature = evidence.signatures.find(s => s.digest === deployment.artifactDigest);
      if (!signature) {
        return notReported(`No signature verification recorded for ${deployment.artifactDigest}`);
      }
      const ref: EvidenceRef = { kind: 'fact', id: signature.id, at: signature.at };
      const stale = staleness(control, signature.at, now, [ref]);
      if (stale) return stale;
      return {
        state: signature.verified ? 'passing' : 'failing',
        reason: signature.reason,
        lastEvidenceAt: signature.at,
        evidence: [ref],
      };
    }
    default:
      throw new Error(`unknown rule type ${(rule as { type: string }).type}`);
  }
}

/**
 * Monitoring is on when the runtime source was heard from within the control's window: a heartbeat
 * for the control or a signal of its kinds. It stands in for a missing or stale "on" fact; a fact
 * that says monitoring is off (or is malformed) is never overruled, so that ageing or removing a
 * heartbeat can only make the result worse, never better.
 */
function withMonitoring(
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
function withOpenSignals(
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

function decideFindings(
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

  const failing = evidence.openFindings.filter(
    f => f.control === control.id && atLeast(f.severity, failOn),
  );
  if (failing.length === 0) {
    return {
      state: 'passing',
      reason: `No open findings at ${failOn} or above`,
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
      reason: `${failing.length} open finding(s) at ${failOn} or above, all covered by approved exceptions`,
      lastEvidenceAt: lastAt,
      evidence: [...refs, ...[...used].map(id => ({ kind: 'exception' as const, id }))],
    };
  }
  const examples = [...new Set(uncovered.map(f => f.vulnerabilityId ?? f.ruleId))].slice(0, 3);
  return {
    state: 'failing',
    reason: `${uncovered.length} open finding(s) at ${failOn} or above without an exception (${examples.join(', ')}${uncovered.length > examples.length ? ', …' : ''})`,
    lastEvidenceAt: lastAt,
    evidence: refs,
  };
}

/**
 * The rule's further conditions: one whose fact is observed and does not hold fails a passing
 * control; unobserved ones are named in the reason.
 */
function withObservedConditions(
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

function decideFact(
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

function staleness(
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

function notReported(reason: string): Verdict {
  return { state: 'not_reported', reason, evidence: [] };
}

/** A failure the control's own exception covers becomes excepted, visibly. */
function withException(
  control: ControlDefinition,
  verdict: Verdict,
  exceptions: ExceptionCover[],
  now: Date,
): Verdict {
  if (verdict.state !== 'failing') return verdict;
  const exception = controlException(exceptions, control.id, now);
  if (!exception) return verdict;
  return {
    ...verdict,
    state: 'excepted',
    reason: `${verdict.reason}; excepted until ${exception.expiresAt.slice(0, 10)}`,
    evidence: [...verdict.evidence, { kind: 'exception', id: exception.id }],
  };
}
