import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { GateDecision } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { randomUUID } from 'node:crypto';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { DEFAULT_CONTROLS } from '../config/defaults';
import { ReleasePolicy, ScorecardSettings } from '../config/readScorecardConfig';
import { evaluateControls } from '../evaluate/controls';
import { gateExploitability } from '../feeds/exploitabilityConfig';
import { evaluateGate } from '../evaluate/gate';
import { EvidenceLoader, entityFacts } from '../scorecard/EvidenceLoader';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { ArtifactStore } from '../store/ArtifactStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { ReportStore } from '../store/ReportStore';
import { VexService } from '../vex/VexService';

export interface GateRequest extends EntityLookup {
  artifactDigest: string;
  environment: string;
  claimedOwner?: string;
  requestedBy: string;
  /** Who asks: the decision is evidence, so only a writer of the entity may record it. */
  writer: EvidenceWriter;
  deploymentId?: string;
}

export interface ReleaseGateServiceOptions {
  logger: LoggerService;
  settings: ScorecardSettings;
  entities: EntityResolver;
  evidence: EvidenceLoader;
  reports: ReportStore;
  findings: FindingStore;
  artifacts: ArtifactStore;
  decisions: GateDecisionStore;
  evidenceLog: EvidenceLogStore;
  onEvidenceChanged: OnEvidenceChanged;
  /** VEX statements: a container finding they suppress does not deny a release (absent: none apply). */
  vex?: Pick<VexService, 'withoutSuppressed'>;
  now?: () => Date;
}

/**
 * The control whose freshness window a gate requirement applies: the control that reads the same
 * evidence (the branch_protection.* facts, the signature verification, the container scan), so the
 * gate never allows on evidence the scorecard already calls stale. `devsecops.controls.<id>.
 * freshnessDays` changes both; a control switched off keeps its shipped window for the gate.
 * `sbom: generated` is not aged (an SBOM describes an immutable digest); `secrets_scan` reads the
 * secret-scanning control's verdict, which is stale past its own window.
 */
export const GATE_FRESHNESS = {
  branch_protection: 'code-review',
  artifact_signature: 'signed-artifact-verification',
  container_critical_vulns: 'container-scan',
} as const;

/**
 * Decides whether an artifact may be released to an environment under that environment's
 * release policy, from the same evidence the scorecard reads, and stores every decision as
 * evidence (decision row and evidence-log record in one transaction).
 */
export class ReleaseGateService {
  constructor(private readonly o: ReleaseGateServiceOptions) {}

  policyFor(environment: string): ReleasePolicy | undefined {
    return this.o.settings.policies.find(p => p.environment === environment);
  }

  /** Judges and records the decision, then refreshes the entity's scorecard. */
  async decide(request: GateRequest): Promise<GateDecision> {
    const decision = await this.judge(request);
    await this.o.onEvidenceChanged([decision.entityRef]);
    return decision;
  }

  /** Judges and records the decision; the caller refreshes (a deployment does once, after both). */
  async judge(request: GateRequest): Promise<GateDecision> {
    const policy = this.policyFor(request.environment);
    if (!policy) {
      throw new InputError(
        `No release policy for environment '${request.environment}'. Policies exist for: ${this.o.settings.policies
          .map(p => p.environment)
          .join(', ')}`,
      );
    }
    const digest = normalizeDigest(request.artifactDigest);
    if (!digest) {
      throw new InputError(
        `Malformed artifactDigest '${request.artifactDigest}': use algorithm:hex, e.g. sha256:<64 hex characters>`,
      );
    }
    const claimedOwnerRef = request.claimedOwner
      ? toOwnerRef(request.claimedOwner)
      : undefined;
    const resolved = await this.o.entities.resolveForWrite(request, request.writer);
    const now = this.o.now?.() ?? new Date();
    const entity = entityFacts(resolved.entity);
    const evidence = await this.o.evidence.load(entity, now);
    const { reports, findings, artifacts } = this.o;
    const [artifactRecords, sbomReports, containerScans, containerFindings] = await Promise.all([
      artifacts.get(digest, entity.entityRef),
      reports.forArtifact(entity.entityRef, digest, 'sbom'),
      reports.forArtifact(entity.entityRef, digest, 'container-scan'),
      findings
        .openForEntity(entity.entityRef, 'container-scan', digest)
        .then(open => (this.o.vex ? this.o.vex.withoutSuppressed(entity.entityRef, open, now) : open)),
    ]);
    const secretScanning = evaluateControls(
      this.o.settings.evaluation.controls.filter(c => c.id === 'secret-scanning'),
      evidence,
      now,
    )[0];
    const signature = evidence.signatures.find(s => s.digest === digest);
    const windowOf = (controlId: string) =>
      (this.o.settings.evaluation.controls.find(c => c.id === controlId) ??
        DEFAULT_CONTROLS.find(c => c.id === controlId))?.freshnessDays;
    const freshnessDays = Object.fromEntries(
      Object.entries(GATE_FRESHNESS).map(([requirement, controlId]) => [requirement, windowOf(controlId)]),
    );
    const outcome = evaluateGate({
      requires: policy.requires,
      entity,
      artifactDigest: digest,
      artifactKnown: artifactRecords.length > 0,
      sbomReports,
      containerScans,
      containerFindings,
      secretScanning,
      exploitable: gateExploitability(this.o.settings.exploitability),
      facts: evidence.facts,
      signature: signature && {
        verified: signature.verified,
        reason: signature.reason,
        evidence: [{ kind: 'fact', id: signature.id, at: signature.at }],
        at: signature.at,
      },
      claimedOwnerRef,
      exceptions: evidence.exceptions,
      freshnessDays,
      now,
    });
    const decision: GateDecision = {
      id: randomUUID(),
      policy: policy.name,
      environment: request.environment,
      entityRef: entity.entityRef,
      artifactDigest: digest,
      decision: outcome.decision,
      requirements: outcome.requirements,
      decidedAt: now.toISOString(),
      requestedBy: request.requestedBy,
      deploymentId: request.deploymentId,
    };
    // Every decision is evidence: stored and appended to the log together.
    await this.o.evidenceLog.knexTransaction(async tx => {
      await this.o.decisions.insert(decision, tx);
      await this.o.evidenceLog.append(tx, {
        kind: 'gate.decided',
        entityRef: decision.entityRef,
        subjectId: decision.id,
        actor: request.requestedBy,
        at: now,
        payload: decision,
      });
    });
    this.o.logger.info(
      `Release gate ${decision.decision} for ${decision.entityRef} ${digest} to ${decision.environment} (policy ${policy.name}, asked by ${request.requestedBy})`,
    );
    return decision;
  }
}

function toOwnerRef(owner: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(`Malformed claimedOwner '${owner}': ${(error as Error).message}`);
  }
}
