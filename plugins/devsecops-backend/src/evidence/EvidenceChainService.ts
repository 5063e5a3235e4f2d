import { InputError, NotFoundError } from '@backstage/errors';
import { Deployment, EvidenceChain } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { EntityResolver } from '../catalog/EntityResolver';
import { signaturesFromFacts, SIGNATURE_FACT } from '../scorecard/EvidenceLoader';
import { ArtifactStore } from '../store/ArtifactStore';
import { DeploymentStore } from '../store/DeploymentStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { FactStore } from '../store/FactStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { ReportStore } from '../store/ReportStore';

export class EvidenceChainService {
  constructor(
    private readonly o: {
      entities: EntityResolver;
      deployments: DeploymentStore;
      artifacts: ArtifactStore;
      reports: ReportStore;
      facts: FactStore;
      decisions: GateDecisionStore;
      evidenceLog: EvidenceLogStore;
    },
  ) {}

  /**
   * By deployment id, by artifact digest (of an entity), or the entity's latest release to an
   * environment (default production); an entity without such a release gets a chain without
   * artifact whose gap says so.
   */
  async chain(query: { deployment?: string; artifact?: string; entityRef?: string; repository?: string; environment?: string }): Promise<EvidenceChain> {
    let deployment: Deployment | undefined;
    let entityRef: string;
    let digest: string;
    if (query.deployment) {
      deployment = await this.o.deployments.get(query.deployment);
      if (!deployment) throw new NotFoundError(`No deployment ${query.deployment}`);
      entityRef = deployment.entityRef;
      digest = deployment.artifactDigest;
    } else {
      if (!query.entityRef && !query.repository) {
        throw new InputError('Pass deployment, or entity (with artifact or environment)');
      }
      entityRef = (await this.o.entities.resolve({ entityRef: query.entityRef, repository: query.repository })).entityRef;
      if (query.artifact) {
        const normalized = normalizeDigest(query.artifact);
        if (!normalized) throw new InputError(`Malformed artifact digest '${query.artifact}': use algorithm:hex`);
        digest = normalized;
        const page = await this.o.deployments.list({ entityRef, artifactDigest: digest, limit: 1, offset: 0 });
        deployment = page.items[0];
      } else {
        const environment = query.environment ?? 'production';
        const page = await this.o.deployments.list({ entityRef, environment, limit: 1, offset: 0 });
        deployment = page.items[0];
        // Not an error: an entity that has not been released yet has a chain with one gap.
        if (!deployment) return noRelease(entityRef, environment);
        digest = deployment.artifactDigest;
      }
    }

    const [artifact] = await this.o.artifacts.get(digest, entityRef);
    const [sbom, scans, signatureFacts, gateDecision, logRecords] = await Promise.all([
      this.o.artifacts.getSbom(entityRef, digest),
      this.o.reports.list({ entityRef, artifactDigest: digest, limit: 100, offset: 0 }),
      this.o.facts.observations(entityRef, SIGNATURE_FACT),
      deployment ? this.o.decisions.forDeployment(deployment) : Promise.resolve(undefined),
      deployment ? this.o.evidenceLog.list({ subjectId: deployment.id, limit: 10 }) : Promise.resolve([]),
    ]);
    const signature = signaturesFromFacts(signatureFacts).find(s => s.digest === digest);
    const commit = deployment?.sourceCommit ?? artifact?.sourceCommit;
    const ownerMatches =
      deployment?.claimedOwnerRef && deployment.ownerRef ? deployment.claimedOwnerRef === deployment.ownerRef : undefined;

    const gaps: string[] = [];
    if (!artifact) gaps.push(`unknown artifact: nothing was reported for ${digest}`);
    if (!commit) gaps.push('no source commit for this artifact');
    if (!sbom) gaps.push('no SBOM for this digest');
    if (!scans.items.some(r => r.controls.includes('container-scan'))) gaps.push('no container scan of this digest');
    if (!signature) gaps.push('no signature verification recorded for this digest');
    else if (!signature.verified) gaps.push(`signature not verified: ${signature.reason}`);
    if (!deployment) gaps.push('no deployment of this artifact recorded');
    else {
      if (!deployment.approver) gaps.push('no approver recorded for the deployment');
      if (!gateDecision) gaps.push('no release-gate decision for this deployment');
      else if (gateDecision.decision === 'deny') gaps.push('the release gate denied this artifact');
      if (!deployment.ownerRef) gaps.push('no runtime owner: the entity had no owner in the catalog');
      if (ownerMatches === false) {
        gaps.push(`deployer claimed ${deployment.claimedOwnerRef}, the catalog owner was ${deployment.ownerRef}`);
      }
    }

    return {
      entityRef,
      environment: deployment?.environment,
      artifactDigest: digest,
      deployment,
      source: { commit, branch: artifact?.branch },
      artifact,
      sbom: sbom ? { reportId: sbom.reportId, components: sbom.components.length } : undefined,
      scans: scans.items,
      signature: signature && { verified: signature.verified, reason: signature.reason, at: signature.at },
      approval: deployment && { approver: deployment.approver, changeRef: deployment.changeRef },
      gateDecision,
      runtimeOwner: deployment && {
        ownerRef: deployment.ownerRef,
        claimedOwnerRef: deployment.claimedOwnerRef,
        matches: ownerMatches,
      },
      evidenceLog: logRecords.map(r => ({ seq: r.seq, kind: r.kind, hash: r.hash, at: r.at })),
      gaps,
    };
  }
}

/** The chain of an entity never deployed to `environment`: every link missing, the gap named. */
function noRelease(entityRef: string, environment: string): EvidenceChain {
  return {
    entityRef,
    environment,
    source: {},
    scans: [],
    evidenceLog: [],
    gaps: [
      `no ${environment} deployment of ${entityRef} recorded: CD records one with devsecops deploy --environment ${environment} (POST /v1/deployments)`,
    ],
  };
}
