import {
  ControlResult,
  responsibilityFor,
  EntityMetrics,
  MaturityResult,
  StageCriterionResult,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { describeExpectation, factHolds } from './factRules';
import { humanAttestationHolds } from './humanAttestationRules';
import { daysBetween } from './time';
import {
  CriterionRule,
  EntityEvidence,
  EvaluationConfig,
} from './types';

interface CriterionContext {
  evidence: EntityEvidence;
  controls: ControlResult[];
  metrics: EntityMetrics;
  config: EvaluationConfig;
  now: Date;
}

/**
 * A service is at stage N when every criterion of stages 1..N holds. The next steps are the unmet
 * criteria of the first stage not reached, in the configured order.
 */
export function evaluateMaturity(context: CriterionContext): MaturityResult {
  const stages = [...context.config.stages]
    .sort((a, b) => a.stage - b.stage)
    .map(stage => {
      const criteria = stage.criteria.map(criterion => ({
        id: criterion.id,
        title: criterion.title,
        ...decide(criterion.rule, context),
        ...(criterion.capability
          ? {
              responsibility: responsibilityFor(
                criterion.capability,
                context.evidence.entity.ownerRef,
                context.config.responsibility ?? {},
              ),
            }
          : {}),
      }));
      return {
        stage: stage.stage,
        title: stage.title,
        criteria,
        met: criteria.every(c => c.met),
      };
    });
  let reached = 0;
  for (const stage of stages) {
    if (!stage.met) break;
    reached = stage.stage;
  }
  const next = stages.find(s => !s.met);
  const nextSteps: StageCriterionResult[] = next ? next.criteria.filter(c => !c.met) : [];
  return { stage: reached, stages, nextSteps };
}

function decide(rule: CriterionRule, context: CriterionContext): { met: boolean; reason: string } {
  const { evidence, controls, metrics, config, now } = context;
  switch (rule.type) {
    case 'controls': {
      const missing = rule.controls
        .map(id => controls.find(c => c.controlId === id))
        .filter(c => !c || !(rule.states.includes(c.state) || c.state === 'not_applicable'));
      return missing.length === 0
        ? { met: true, reason: `${rule.controls.join(', ')}: ${rule.states.join(' or ')}` }
        : {
            met: false,
            reason: missing
              .map(c => (c ? `${c.title} is ${c.state.replace('_', ' ')}` : 'unknown control'))
              .join('; '),
          };
    }
    case 'fact': {
      const fact = evidence.facts.find(f => f.fact === rule.fact);
      if (!fact) return { met: false, reason: `No observation of ${rule.fact}` };
      if (rule.withinDays !== undefined && daysBetween(fact.observedAt, now) > rule.withinDays) {
        return {
          met: false,
          reason: `${rule.fact} was last observed ${Math.floor(daysBetween(fact.observedAt, now))} days ago (window ${rule.withinDays} days)`,
        };
      }
      try {
        const ok = factHolds(fact.value, rule);
        return { met: ok, reason: `${rule.fact} is ${JSON.stringify(fact.value)} (${describeExpectation(rule)})` };
      } catch (error) {
        return { met: false, reason: `${rule.fact}: ${(error as Error).message}` };
      }
    }
    case 'owner':
      return evidence.entity.ownerRef
        ? { met: true, reason: `Owned by ${evidence.entity.ownerRef}` }
        : { met: false, reason: 'No owner in the catalog' };
    case 'severity-policy':
      return config.severityPolicy.configured
        ? { met: true, reason: 'Severity SLAs are configured (devsecops.severityPolicy)' }
        : { met: false, reason: 'No vulnerability severity policy configured (devsecops.severityPolicy)' };
    case 'exception-records':
      // Exceptions cannot be recorded without owner, risk statement and expiry; see the exceptions API.
      return { met: true, reason: 'Every exception carries a risk owner, a risk statement and an expiry' };
    case 'traceable-deployment': {
      const approval = controls.find(c => c.controlId === 'production-approval');
      if (approval?.state === 'not_applicable') {
        return { met: true, reason: `Not deployed by itself (${approval.reason})` };
      }
      const deployment = evidence.deployments.find(d => d.environment === rule.environment);
      if (!deployment) return { met: false, reason: `No ${rule.environment} deployment recorded` };
      const gaps = [
        !deployment.sourceCommit && 'source commit',
        !deployment.artifactDigest && 'artifact digest',
        !deployment.approver && 'approver',
        !deployment.ownerRef && 'runtime owner',
      ].filter(Boolean);
      return gaps.length === 0
        ? { met: true, reason: `Latest ${rule.environment} deployment links commit, digest, approval and owner` }
        : { met: false, reason: `Latest ${rule.environment} deployment lacks ${gaps.join(', ')}` };
    }
    case 'metrics': {
      const targets = config.metricTargets;
      const misses: string[] = [];
      if (metrics.meanTimeToPatchDays === undefined && metrics.meanTimeToRotateDays === undefined) {
        return { met: false, reason: 'No patched vulnerabilities or rotated secrets to measure yet' };
      }
      if ((metrics.meanTimeToPatchDays ?? 0) > targets.meanTimeToPatchDays) {
        misses.push(`mean time to patch ${metrics.meanTimeToPatchDays} d > ${targets.meanTimeToPatchDays} d`);
      }
      if ((metrics.meanTimeToRotateDays ?? 0) > targets.meanTimeToRotateDays) {
        misses.push(`mean time to rotate ${metrics.meanTimeToRotateDays} d > ${targets.meanTimeToRotateDays} d`);
      }
      if ((metrics.meanExceptionAgeDays ?? 0) > targets.meanExceptionAgeDays) {
        misses.push(`mean exception age ${metrics.meanExceptionAgeDays} d > ${targets.meanExceptionAgeDays} d`);
      }
      return misses.length === 0
        ? { met: true, reason: 'Mean time to patch, to rotate and exception age within targets' }
        : { met: false, reason: misses.join('; ') };
    }
    case 'exercise': {
      const window = rule.withinDays ?? 365;
      const held = (evidence.exercises ?? [])
        .filter(e => e.scenario === rule.scenario)
        .map(e => e.heldOn)
        .sort()
        .reverse()[0];
      if (!held) return { met: false, reason: `No ${rule.scenario} exercise recorded` };
      const age = daysBetween(`${held}T00:00:00Z`, now);
      return age <= window
        ? { met: true, reason: `${rule.scenario} exercise held on ${held}` }
        : { met: false, reason: `Last ${rule.scenario} exercise was ${Math.floor(age)} days ago (window ${window} days)` };
    }
    case 'evidence-export': {
      const last = evidence.lastExport;
      if (!last) return { met: false, reason: 'No audit package covering it was exported from the portal' };
      const age = daysBetween(last.at, now);
      return age <= rule.withinDays
        ? {
            met: true,
            reason: `Audit package (${last.scope}, ${last.from.slice(0, 10)} to ${last.to.slice(0, 10)}) exported by ${last.actor} on ${last.at.slice(0, 10)}`,
          }
        : {
            met: false,
            reason: `Last audit package covering it was exported ${Math.floor(age)} days ago (window ${rule.withinDays} days)`,
          };
    }
    case 'human-attestation':
      return humanAttestationHolds(rule, evidence, now);
    case 'any': {
      const parts = rule.rules.map(r => decide(r, context));
      const met = parts.find(p => p.met);
      return met ? { met: true, reason: met.reason } : { met: false, reason: parts.map(p => p.reason).join(', or ') };
    }
    case 'all': {
      const parts = rule.rules.map(r => decide(r, context));
      return { met: parts.every(p => p.met), reason: parts.map(p => p.reason).join('; ') };
    }
    default:
      return { met: false, reason: `Unknown criterion type ${(rule as { type: string }).type}` };
  }
}
