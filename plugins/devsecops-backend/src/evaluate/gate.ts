import {
  ControlFact,
  ControlResult,
  EvidenceRef,
  GateRequirement,
  GateRequirementResult,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { coveringException } from './exceptions';
import { EntityFacts, ExceptionCover, OpenFinding, ReportSighting } from './types';

/** Everything a release decision looks at, for one entity, artifact and environment. */
export interface GateInput {
  requires: GateRequirement[];
  entity: EntityFacts;
  artifactDigest: string;
  /** Whether the artifact was ever reported (scan, SBOM, attestation or build) for this entity. */
  artifactKnown: boolean;
  sbomReports: ReportSighting[];
  containerScans: ReportSighting[];
  /** Open container-scan findings of this digest. */
  containerFindings: OpenFinding[];
  secretScanning?: ControlResult;
  facts: ControlFact[];
  signature?: { verified: boolean; reason: string; evidence: EvidenceRef[] };
  claimedOwnerRef?: string;
  exceptions: ExceptionCover[];
  now: Date;
}

export interface GateOutcome {
  decision: 'allow' | 'deny';
  requirements: GateRequirementResult[];
}

/**
 * The release gate: policy-as-code over recorded evidence. An unknown artifact is always denied;
 * every requirement gets one reason, passed or not.
 */
export function evaluateGate(input: GateInput): GateOutcome {
  const requirements: GateRequirementResult[] = [
    input.artifactKnown
      ? pass('artifact_known', 'recorded', `${input.artifactDigest} is a known artifact of ${input.entity.entityRef}`)
      : fail('artifact_known', 'recorded', `Unknown artifact: nothing was ever reported for ${input.artifactDigest} on ${input.entity.entityRef}`),
    ...input.requires.map(requirement => checkRequirement(requirement, input)),
  ];
  return {
    decision: requirements.every(r => r.passed) ? 'allow' : 'deny',
    requirements,
  };
}

function checkRequirement(requirement: GateRequirement, input: GateInput): GateRequirementResult {
  const [name, expected] = Object.entries(requirement)[0] as [string, string];
  switch (name) {
    case 'branch_protection': {
      const enabled = input.facts.find(f => f.fact === 'branch_protection.enabled');
      const branch = input.facts.find(f => f.fact === 'branch_protection.branch');
      const refs = [enabled, branch]
        .filter((f): f is ControlFact => !!f)
        .map(f => ({ kind: 'fact' as const, id: f.fact, at: f.observedAt }));
      if (!enabled) return fail(name, expected, 'No branch protection observation recorded', refs);
      if (enabled.value !== true) return fail(name, expected, 'Branch protection is off', refs);
      if (!branch) {
        return fail(name, expected, `Branch protection is on, but the protected branch was not recorded (branch_protection.branch); the policy requires ${expected}`, refs);
      }
      if (branch.value !== expected) {
        return fail(name, expected, `Branch protection observed on ${JSON.stringify(branch.value)}, not ${expected}`, refs);
      }
      return pass(name, expected, `Branch protection is on for ${expected}`, refs);
    }
    case 'artifact_signature': {
      if (!input.signature) {
        return fail(name, expected, `No signature verification recorded for ${input.artifactDigest}`);
      }
      return input.signature.verified
        ? pass(name, expected, input.signature.reason, input.signature.evidence)
        : fail(name, expected, input.signature.reason, input.signature.evidence);
    }
    case 'sbom': {
      const sbom = input.sbomReports[0];
      return sbom
        ? pass(name, expected, `SBOM reported for ${input.artifactDigest}`, [
            { kind: 'report', id: sbom.id, at: sbom.scannedAt },
          ])
        : fail(name, expected, `No SBOM reported for ${input.artifactDigest}`);
    }
    case 'secrets_scan': {
      const control = input.secretScanning;
      if (!control) return fail(name, expected, 'Secret scanning is not evaluated for this entity');
      const ok = control.state === 'passing' || control.state === 'excepted';
      return ok
        ? pass(name, expected, `Secret scanning is ${control.state}: ${control.reason}`, control.evidence)
        : fail(name, expected, `Secret scanning is ${control.state.replace('_', ' ')}: ${control.reason}`, control.evidence);
    }
    case 'container_critical_vulns': {
      const scan = input.containerScans[0];
      if (!scan) return fail(name, expected, `No container scan reported for ${input.artifactDigest}`);
      const scanRef: EvidenceRef = { kind: 'report', id: scan.id, at: scan.scannedAt };
      const critical = input.containerFindings.filter(f => f.severity === 'critical');
      const honoursExceptions = expected === 'none_or_approved_exception';
      const uncovered = honoursExceptions
        ? critical.filter(f => !coveringException(input.exceptions, f, input.now))
        : critical;
      const refs = [scanRef, ...uncovered.slice(0, 20).map(f => ({ kind: 'finding' as const, id: f.id }))];
      if (uncovered.length > 0) {
        const ids = [...new Set(uncovered.map(f => f.vulnerabilityId ?? f.ruleId))].slice(0, 5);
        return fail(name, expected, `${uncovered.length} critical vulnerabilit${uncovered.length === 1 ? 'y' : 'ies'} without an approved exception: ${ids.join(', ')}`, refs);
      }
      return critical.length === 0
        ? pass(name, expected, 'No critical vulnerabilities in the container scan', refs)
        : pass(name, expected, `${critical.length} critical vulnerabilit${critical.length === 1 ? 'y is' : 'ies are'} covered by approved exceptions`, refs);
    }
    case 'deployment_owner': {
      const owner = input.entity.ownerRef;
      if (!owner) return fail(name, expected, `${input.entity.entityRef} has no owner in the catalog`);
      if (input.claimedOwnerRef && input.claimedOwnerRef !== owner) {
        return fail(name, expected, `Deployer claims ${input.claimedOwnerRef}, the catalog says ${owner}`);
      }
      return pass(
        name,
        expected,
        input.claimedOwnerRef
          ? `Deployer's owner ${input.claimedOwnerRef} matches the catalog`
          : `Runtime owner from the catalog: ${owner}`,
      );
    }
    default:
      return fail(name, String(expected), `Unknown requirement ${name}`);
  }
}

function pass(requirement: string, expected: string, reason: string, evidence: EvidenceRef[] = []): GateRequirementResult {
  return { requirement, expected, passed: true, reason, evidence };
}

function fail(requirement: string, expected: string, reason: string, evidence: EvidenceRef[] = []): GateRequirementResult {
  return { requirement, expected, passed: false, reason, evidence };
}
