import { EntityScorecard, GateDecision } from '@devsecops-scorecard/plugin-devsecops-common';
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
  const controls = evaluateControls(config.controls, evidence, now);
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
