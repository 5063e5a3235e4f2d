import { ControlDefinition, ControlResult } from '@devsecops-scorecard/plugin-devsecops-common';
import { controlException } from './exceptions';
import { decideFact, withObservedConditions } from './factRules';
import { decideFindings } from './findingsRules';
import { decideDeploymentApproval, decideGateDecision, decideSignature } from './releaseRules';
import { withMonitoring, withOpenSignals } from './runtimeRules';
import { EntityEvidence, ExceptionCover } from './types';
import { Verdict } from './verdict';

// One file per family of rules: findingsRules (reports and findings), factRules (observed facts
// and their conditions), runtimeRules (monitoring and open runtime signals), releaseRules
// (deployments, gate decisions, signatures); verdict holds what they share.
export { describeExpectation, factHolds } from './factRules';

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
    case 'deployment-approval':
      return decideDeploymentApproval(control, rule, evidence, now);
    case 'gate-decision':
      return decideGateDecision(control, rule, evidence, now);
    case 'signature':
      return decideSignature(control, rule, evidence, now);
    default:
      throw new Error(`unknown rule type ${(rule as { type: string }).type}`);
  }
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
