import { InputError } from '@backstage/errors';
import {
  ControlFact,
  Deployment,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { createHash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ArtifactStore } from '../store/ArtifactStore';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { parseObservedTime } from '../validation/inputTimes';

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

export interface FactsInput extends EntityLookup {
  facts: Array<{
    fact: string;
    value: unknown;
    source: string;
    observedAt?: string;
  }>;
}

// Fact values are small documents (a flag, a count, a digest and a verdict); deeper is an attack.
const MAX_FACT_DEPTH = 16;

// A deploy or observation more than a day ahead of the server clock is a clock or input error.
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** Records deployments and control facts, the evidence that does not come in scanner files. */
export class EvidenceRecorder {
  constructor(
    private readonly options: {
      knex: Knex;
      entities: EntityResolver;
      deployments: DeploymentStore;
      facts: FactStore;
      artifacts: ArtifactStore;
      evidenceLog: EvidenceLogStore;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async recordDeployment(
    input: DeploymentInput,
    recordedBy: string,
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
    const now = this.now();
    const deployedAt = parseTime('deployedAt', input.deployedAt, now);
    const claimedOwnerRef = input.claimedOwner
      ? parseClaimedOwner(input.claimedOwner)
      : undefined;
    const resolved = await this.options.entities.resolve(input);

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

  async recordFacts(input: FactsInput, recordedBy: string): Promise<ControlFact[]> {
    const now = this.now();
    const facts = input.facts.map((f, index) => {
      if (f.value === undefined) {
        throw new InputError(`facts[${index}].value is missing`);
      }
      if (depthOf(f.value) > MAX_FACT_DEPTH) {
        throw new InputError(`facts[${index}].value is nested more than ${MAX_FACT_DEPTH} levels deep`);
      }
      return {
        fact: f.fact,
        value: f.value,
        source: f.source,
        observedAt: parseTime(`facts[${index}].observedAt`, f.observedAt, now).toISOString(),
      };
    });
    const resolved = await this.options.entities.resolve(input);
    const records: ControlFact[] = facts.map(f => ({
      entityRef: resolved.entityRef,
      ...f,
      recordedBy,
      recordedAt: now.toISOString(),
    }));
    await this.options.knex.transaction(async tx => {
      await this.options.facts.insert(tx, records);
      await this.options.evidenceLog.append(tx, {
        kind: 'facts.recorded',
        entityRef: resolved.entityRef,
        subjectId: `facts@${now.toISOString()}`,
        actor: recordedBy,
        at: now,
        payload: facts,
      });
    });
    return records;
  }
}

/** Nesting depth of a JSON value, without recursion (hostile values nest thousands deep). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > MAX_FACT_DEPTH) return depth;
    if (item && typeof item === 'object') {
      for (const child of Object.values(item)) stack.push([child, depth + 1]);
    }
  }
  return max;
}

function parseTime(field: string, value: string | undefined, now: Date): Date {
  return value === undefined ? now : parseObservedTime(field, value, now, MAX_FUTURE_MS);
}

/** The owner a pipeline claims: a group or a user ref (kind defaults to group). */
export function parseClaimedOwner(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, { defaultKind: 'group', defaultNamespace: 'default' });
  } catch (error) {
    throw new InputError(`Malformed claimedOwner '${value}': ${(error as Error).message}`);
  }
  // parseEntityRef reads 'a:b:c' as kind a, name b:c; an owner is a group or a user.
  if (!['group', 'user'].includes(ref.kind.toLowerCase()) || ref.name.includes(':')) {
    throw new InputError(`Malformed claimedOwner '${value}': an owner is a group or user ref, e.g. group:default/team-payments`);
  }
  return stringifyEntityRef(ref);
}
