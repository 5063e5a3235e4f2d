import {
  ControlChangedEvent,
  EntityScorecard,
  GateDecidedEvent,
  StageChangedEvent,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { parseEntityRef } from '@backstage/catalog-model';

/** The entity's Security tab in the portal, optionally at an anchor. */
export function securityTabLink(entityRef: string, anchor?: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/security${anchor ? `#${anchor}` : ''}`;
}

export interface ScorecardChanges {
  controls: ControlChangedEvent[];
  stage?: StageChangedEvent;
  gates: GateDecidedEvent[];
}

/**
 * What changed between the stored scorecard before a write and the one evaluated after it: each
 * control whose state moved, the stage if it moved, and each gate decision not there before.
 * Without a stored scorecard before, every control and the stage count as changed.
 */
export function scorecardChanges(before: EntityScorecard | undefined, after: EntityScorecard): ScorecardChanges {
  const { entityRef, ownerRef, evaluatedAt: at } = after;
  const owner = ownerRef ? { ownerRef } : {};
  const was = new Map((before?.controls ?? []).map(c => [c.controlId, c.state]));
  const controls: ControlChangedEvent[] = after.controls
    .filter(c => was.get(c.controlId) !== c.state)
    .map(c => ({
      entityRef,
      ...owner,
      controlId: c.controlId,
      ...(was.has(c.controlId) ? { from: was.get(c.controlId) } : {}),
      to: c.state,
      reason: c.reason,
      at,
      link: securityTabLink(entityRef, `control-${c.controlId}`),
    }));
  const stage: StageChangedEvent | undefined =
    before?.maturity.stage === after.maturity.stage
      ? undefined
      : {
          entityRef,
          ...owner,
          ...(before ? { from: before.maturity.stage } : {}),
          to: after.maturity.stage,
          nextSteps: after.maturity.nextSteps.map(s => s.id),
          at,
          link: securityTabLink(entityRef),
        };
  const known = new Set((before?.latestGateDecisions ?? []).map(d => d.id));
  const gates: GateDecidedEvent[] = after.latestGateDecisions
    .filter(d => !known.has(d.id))
    .map(d => ({
      decisionId: d.id,
      entityRef: d.entityRef,
      ...owner,
      environment: d.environment,
      policy: d.policy,
      artifactDigest: d.artifactDigest,
      decision: d.decision,
      failedRequirements: d.requirements.filter(r => !r.passed).map(r => r.requirement),
      decidedAt: d.decidedAt,
      requestedBy: d.requestedBy,
      link: securityTabLink(d.entityRef),
    }));
  return { controls, ...(stage ? { stage } : {}), gates };
}
