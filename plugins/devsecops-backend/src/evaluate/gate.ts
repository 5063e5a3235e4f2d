import {
  ControlFact,
  ControlResult,
  EvidenceRef,
  GateRequirement,
  GateRequirementResult,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { coveringException } from './exceptions';
import { countedUnderPolicy, describeExploitability, exploitableCondition, notExploitableNote } from './exploitability';
import { daysBetween } from './time';
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
  /** The newest verification of this digest's signature (recorded at `at`). */
  signature?: { verified: boolean; reason: string; evidence: EvidenceRef[]; at: string };
  claimedOwnerRef?: string;
  exceptions: ExceptionCover[];
  /**
   * Freshness windows, in days, of the requirements that read dated observations: the window of
   * the control that reads the same evidence (GATE_FRESHNESS in gate/ReleaseGateService). Older
   * evidence fails the requirement as stale; a requirement without a window is not aged.
   */
  freshnessDays: Partial<Record<'branch_protection' | 'artifact_signature' | 'container_critical_vulns', number>>;
  /**
   * `devsecops.exploitability` with failOn exploitable for container_critical_vulns: only
   * criticals in KEV or with EPSS at or above the threshold fail it. Absent: every critical does.
   */
  exploitable?: { epssThreshold: number };
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
      const oldest = [enabled, branch]
        .filter((f): f is ControlFact => !!f)
        .sort((a, b) => a.observedAt.localeCompare(b.observedAt))[0];
      const outdated = stale(name, expected, input, `The ${oldest.fact} observation`, oldest.observedAt, refs);
      if (outdated) return outdated;
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
      const outdated = stale(name, expected, input, `The signature verification of ${input.artifactDigest}`, input.signature.at, input.signature.evidence);
      if (outdated) return outdated;
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
      const outdated = stale(name, expected, input, `The newest container scan of ${input.artifactDigest}`, scan.scannedAt, [scanRef]);
      if (outdated) return outdated;
      const { counted: critical, notExploitable } = countedUnderPolicy(
        input.containerFindings.filter(f => f.severity === 'critical'),
        input.exploitable,
      );
      const which = input.exploitable ? `critical ${exploitableCondition(input.exploitable.epssThreshold)} ` : 'critical ';
      const unexploited = notExploitableNote(notExploitable, 'critical', 5);
      const honoursExceptions = expected === 'none_or_approved_exception';
      const uncovered = honoursExceptions
        ? critical.filter(f => !coveringException(input.exceptions, f, input.now))
        : critical;
      const refs = [scanRef, ...uncovered.slice(0, 20).map(f => ({ kind: 'finding' as const, id: f.id }))];
      if (uncovered.length > 0) {
        const ids = [
          ...new Set(uncovered.map(f => (input.exploitable ? `${f.vulnerabilityId ?? f.ruleId} (${describeExploitability(f)})` : f.vulnerabilityId ?? f.ruleId))),
        ].slice(0, 5);
        return fail(name, expected, `${uncovered.length} ${which}vulnerabilit${uncovered.length === 1 ? 'y' : 'ies'} without an approved exception: ${ids.join(', ')}`, refs);
      }
      return critical.length === 0
        ? pass(name, expected, `No ${which}vulnerabilities in the container scan${unexploited}`, refs)
        : pass(name, expected, `${critical.length} ${which}vulnerabilit${critical.length === 1 ? 'y is' : 'ies are'} covered by approved exceptions${unexploited}`, refs);
    }
    case 'deployment_owner': {
      const owner = input.entity.ownerRef;
      if (!owner) return fail(name, expected, `${input.entity.entityRef} has no owner in the catalog`);
      // A match needs a claim: without one there is nothing to compare, so it is not reported.
      if (!input.claimedOwnerRef) {
        return fail(name, expected, `No owner claimed: the deployment or gate request must name claimedOwner (the catalog says ${owner})`);
      }
      if (input.claimedOwnerRef !== owner) {
        return fail(name, expected, `Deployer claims ${input.claimedOwnerRef}, the catalog says ${owner}`);
      }
      return pass(name, expected, `Deployer's owner ${input.claimedOwnerRef} matches the catalog`);
    }
    default:
      return fail(name, String(expected), `Unknown requirement ${name}`);
  }
}

/** The stale-evidence failure of a requirement, or undefined while its evidence is in its window. */
function stale(
  requirement: keyof GateInput['freshnessDays'],
  expected: string,
  input: GateInput,
  what: string,
  observedAt: string,
  evidence: EvidenceRef[],
): GateRequirementResult | undefined {
  const window = input.freshnessDays[requirement];
  if (window === undefined) return undefined;
  const age = daysBetween(observedAt, input.now);
  if (age <= window) return undefined;
  return fail(
    requirement,
    expected,
    `${what} is stale: observed ${observedAt}, ${Math.floor(age)} days ago; the window is ${window} days`,
    evidence,
  );
}

function pass(requirement: string, expected: string, reason: string, evidence: EvidenceRef[] = []): GateRequirementResult {
  return { requirement, expected, passed: true, reason, evidence };
}

function fail(requirement: string, expected: string, reason: string, evidence: EvidenceRef[] = []): GateRequirementResult {
  return { requirement, expected, passed: false, reason, evidence };
}
