import { InputError } from '@backstage/errors';
import { Deployment, GateDecision } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { createHash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { ReleaseGateService } from '../gate/ReleaseGateService';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { ArtifactStore } from '../store/ArtifactStore';
import { DeploymentStore } from '../store/DeploymentStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { parseObservedTime } from '../validation/inputTimes';
import { parseClaimedOwner } from '../validation/owners';

export interface DeploymentInput extends EntityLookup {
  environment: string;
  artifactDigest: string;
  sourceCommit?: string;
  deployer: string;
  approver?: string;
  changeRef?: string;
  result?: Deployment['result'];
  deployedAt?: string;
  /** The owner the pipeline believes it deploys for; compared with the catalog's. */
  claimedOwner?: string;
}

export interface DeploymentRecorded {
  deployment: Deployment;
  duplicate: boolean;
  /** The release gate's judgement, when the environment has a release policy (new deployments only). */
  gateDecision?: GateDecision;
}

// A deploy more than a day ahead of the server clock is a clock or input error.
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/**
 * Records a deployment (with its evidence-log record and the artifact sighting), judges it under
 * its environment's release policy when there is one, then refreshes the entity's scorecard.
 */
export class DeploymentService {
  constructor(
    private readonly options: {
      knex: Knex;
      entities: EntityResolver;
      deployments: DeploymentStore;
      artifacts: ArtifactStore;
      evidenceLog: EvidenceLogStore;
      gate: ReleaseGateService;
      onEvidenceChanged: OnEvidenceChanged;
      now?: () => Date;
    },
  ) {}

  async record(input: DeploymentInput, writer: EvidenceWriter): Promise<DeploymentRecorded> {
    const result = await this.insert(input, writer);
    if (result.duplicate) return result;
    // Every recorded deployment to an environment with a release policy is judged by it.
    const { deployment } = result;
    const gateDecision = this.options.gate.policyFor(deployment.environment)
      ? await this.options.gate.judge({
          entityRef: deployment.entityRef,
          artifactDigest: deployment.artifactDigest,
          environment: deployment.environment,
          claimedOwner: deployment.claimedOwnerRef,
          requestedBy: `deployment:${writer.name}`,
          writer,
          deploymentId: deployment.id,
        })
      : undefined;
    await this.options.onEvidenceChanged([deployment.entityRef]);
    return { ...result, gateDecision };
  }

  private async insert(
    input: DeploymentInput,
    writer: EvidenceWriter,
  ): Promise<{ deployment: Deployment; duplicate: boolean }> {
    const digest = normalizeDigest(input.artifactDigest);
    if (!digest) {
      throw new InputError(
        `Malformed artifactDigest '${input.artifactDigest}': use algorithm:hex, e.g. sha256:<64 hex characters>`,
      );
    }
    if (input.sourceCommit && !/^[0-9a-fA-F]{7,64}$/.test(input.sourceCommit)) {
      throw new InputError(
        `Malformed sourceCommit '${input.sourceCommit}': use the hexadecimal commit id`,
      );
    }
    const now = this.options.now?.() ?? new Date();
    const deployedAt =
      input.deployedAt === undefined
        ? now
        : parseObservedTime('deployedAt', input.deployedAt, now, MAX_FUTURE_MS);
    const claimedOwnerRef = input.claimedOwner
      ? parseClaimedOwner(input.claimedOwner)
      : undefined;
    const resolved = await this.options.entities.resolveForWrite(input, writer);
    const recordedBy = writer.name;

    const dedupKey = createHash('sha256')
      .update(
        JSON.stringify([
          resolved.entityRef,
          input.environment,
          digest,
          deployedAt.toISOString(),
          input.result ?? 'succeeded',
        ]),
      )
      .digest('hex');

    return this.options.knex.transaction(async tx => {
      const stored = await this.options.deployments.insert(tx, {
        id: randomUUID(),
        entityRef: resolved.entityRef,
        ownerRef: resolved.ownerRef,
        claimedOwnerRef,
        environment: input.environment,
        artifactDigest: digest,
        sourceCommit: input.sourceCommit?.toLowerCase(),
        deployer: input.deployer,
        approver: input.approver,
        changeRef: input.changeRef,
        result: input.result ?? 'succeeded',
        deployedAt,
        recordedBy,
        recordedAt: now,
        dedupKey,
      });
      if (!stored.duplicate) {
        await this.options.evidenceLog.append(tx, {
          kind: 'deployment.recorded',
          entityRef: resolved.entityRef,
          subjectId: stored.deployment.id,
          actor: recordedBy,
          at: now,
          payload: stored.deployment,
        });
        await this.options.artifacts.recordSighting(tx, {
          digest,
          entityRef: resolved.entityRef,
          sourceCommit: input.sourceCommit?.toLowerCase(),
          seenAt: now,
        });
      }
      return stored;
    });
  }
}
