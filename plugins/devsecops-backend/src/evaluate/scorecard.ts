import { EntityScorecard, GateDecision, responsibilityFor } from '@devsecops-scorecard/plugin-devsecops-common';
import { evaluateControls } from './controls';
import { evaluateMaturity } from './maturity';
import { computeMetrics } from './metrics';
import { EntityEvidence, EvaluationConfig } from './types';

/** The whole scorecard of one entity, from its evidence, the configuration and the time. Pure. */
export function evaluateEntity(
  evidence: EntityEvidence,
  config: EvaluationConfig,
  now: Date,
): EntityScorecard {
  const capabilities = new Map(config.controls.map(c => [c.id, c.capability]));
  // Who acts (the owner), provides and decides (configured groups) for each control.
  const controls = evaluateControls(config.controls, evidence, now).map(result => {
    const capability = capabilities.get(result.controlId);
    return capability
      ? { ...result, responsibility: responsibilityFor(capability, evidence.entity.ownerRef, config.responsibility ?? {}) }
      : result;
  });
  const metrics = computeMetrics(evidence, config.severityPolicy, now, config.metricTargets.windowDays);
  const maturity = evaluateMaturity({ evidence, controls, metrics, config, now });
  return {
    entityRef: evidence.entity.entityRef,
    ownerRef: evidence.entity.ownerRef,
    type: evidence.entity.type,
    evaluatedAt: now.toISOString(),
    controls,
    maturity,
    metrics,
    latestGateDecisions: evidence.gateDecisions as GateDecision[],
  };
}
