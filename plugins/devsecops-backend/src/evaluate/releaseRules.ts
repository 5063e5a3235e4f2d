import { ControlDefinition, ControlRule, EvidenceRef } from '@devsecops-scorecard/plugin-devsecops-common';
import { EntityEvidence } from './types';
import { notReported, staleness, Verdict } from './verdict';

/**
 * The release controls: what the newest deployment, gate decision or signature verification of an
 * environment says.
 */

type RuleOf<T extends ControlRule['type']> = Extract<ControlRule, { type: T }>;

/** `deployment-approval`: the environment's latest deployment approved by a catalog User other than the deployer. */
export function decideDeploymentApproval(
  control: ControlDefinition,
  rule: RuleOf<'deployment-approval'>,
  evidence: EntityEvidence,
  now: Date,
): Verdict {
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

/** `gate-decision`: the environment's latest release-gate decision allowed its artifact. */
export function decideGateDecision(
  control: ControlDefinition,
  rule: RuleOf<'gate-decision'>,
  evidence: EntityEvidence,
  now: Date,
): Verdict {
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

/** `signature`: the artifact of the environment's latest deployment has a verified signature. */
export function decideSignature(
  control: ControlDefinition,
  rule: RuleOf<'signature'>,
  evidence: EntityEvidence,
  now: Date,
): Verdict {
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
