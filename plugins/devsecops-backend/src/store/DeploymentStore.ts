import { Deployment, Page } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

const TABLE = 'devsecops_deployments';

/** A row of devsecops_deployments. */
interface DeploymentRow {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  claimed_owner_ref: string | null;
  environment: string;
  artifact_digest: string;
  source_commit: string | null;
  deployer: string;
  approver: string | null;
  change_ref: string | null;
  result: Deployment['result'];
  deployed_at: DbTime;
  recorded_by: string;
  recorded_at: DbTime;
  dedup_key: string;
}

export interface NewDeployment extends Omit<Deployment, 'deployedAt' | 'recordedAt'> {
  deployedAt: Date;
  recordedAt: Date;
  dedupKey: string;
}

/** Owns devsecops_deployments: what CD reported it deployed. */
export class DeploymentStore {
  constructor(private readonly knex: Knex) {}

  /** Inserts the deployment unless the same one was recorded before; returns the stored one. */
  async insert(
    tx: Knex.Transaction,
    deployment: NewDeployment,
  ): Promise<{ deployment: Deployment; duplicate: boolean }> {
    const inserted = await tx<DeploymentRow>(TABLE)
      .insert({
        id: deployment.id,
        entity_ref: deployment.entityRef,
        owner_ref: deployment.ownerRef ?? null,
        claimed_owner_ref: deployment.claimedOwnerRef ?? null,
        environment: deployment.environment,
        artifact_digest: deployment.artifactDigest,
        source_commit: deployment.sourceCommit ?? null,
        deployer: dbText(deployment.deployer, 255),
        approver: dbText(deployment.approver, 255),
        change_ref: dbText(deployment.changeRef, 512),
        result: deployment.result,
        deployed_at: toDbTime(deployment.deployedAt),
        recorded_by: deployment.recordedBy,
        recorded_at: toDbTime(deployment.recordedAt),
        dedup_key: deployment.dedupKey,
      })
      .onConflict('dedup_key')
      .ignore()
      .returning('id');
    const row = (await tx<DeploymentRow>(TABLE).where({ dedup_key: deployment.dedupKey }).first())!;
    return {
      deployment: toDeployment(row),
      duplicate: inserted.length === 0 || row.id !== deployment.id,
    };
  }

  async get(id: string): Promise<Deployment | undefined> {
    const row = await this.knex<DeploymentRow>(TABLE).where({ id }).first();
    return row ? toDeployment(row) : undefined;
  }

  /** When the entity was last deployed anywhere. */
  async newestDeploymentAt(entityRef: string): Promise<string | undefined> {
    const row = await this.knex<DeploymentRow>(TABLE)
      .where({ entity_ref: entityRef })
      .max({ newest: 'deployed_at' })
      .first();
    return row?.newest ? fromDbTime(row.newest) : undefined;
  }

  /** The newest deployment of an entity to each environment. */
  async latestPerEnvironment(entityRef: string): Promise<Deployment[]> {
    const rows = await this.knex<DeploymentRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'deployed_at', order: 'desc' },
        { column: 'recorded_at', order: 'desc' },
      ])
      .limit(500);
    const latest = new Map<string, Deployment>();
    for (const row of rows) {
      if (!latest.has(row.environment)) latest.set(row.environment, toDeployment(row));
    }
    return [...latest.values()];
  }

  async list(filter: {
    entityRef?: string;
    /** Only these entities' deployments (a caller's read scope); empty: none. */
    entityRefs?: readonly string[];
    environment?: string;
    artifactDigest?: string;
    limit: number;
    offset: number;
  }): Promise<Page<Deployment>> {
    const query = this.knex<DeploymentRow>(TABLE).where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.entityRefs) builder.whereIn('entity_ref', [...filter.entityRefs]);
      if (filter.environment) builder.where('environment', filter.environment);
      if (filter.artifactDigest)
        builder.where('artifact_digest', filter.artifactDigest);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .clone()
      .select('*')
      .orderBy([
        { column: 'deployed_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return {
      items: rows.map(toDeployment),
      totalCount: Number(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }
}

function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref ?? undefined,
    claimedOwnerRef: row.claimed_owner_ref ?? undefined,
    environment: row.environment,
    artifactDigest: row.artifact_digest,
    sourceCommit: row.source_commit ?? undefined,
    deployer: row.deployer,
    approver: row.approver ?? undefined,
    changeRef: row.change_ref ?? undefined,
    result: row.result,
    deployedAt: fromDbTime(row.deployed_at),
    recordedBy: row.recorded_by,
    recordedAt: fromDbTime(row.recorded_at),
  };
}
