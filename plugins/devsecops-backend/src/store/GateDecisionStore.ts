import { GateDecision, Page } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

const TABLE = 'devsecops_gate_decisions';

/** A row of devsecops_gate_decisions. */
interface GateDecisionRow {
  id: string;
  policy: string;
  environment: string;
  entity_ref: string;
  artifact_digest: string;
  decision: GateDecision['decision'];
  /** JSON: one result per requirement. */
  requirements: string;
  decided_at: DbTime;
  requested_by: string;
  deployment_id: string | null;
}

/** Owns devsecops_gate_decisions: every release decision is evidence and is kept. */
export class GateDecisionStore {
  constructor(private readonly knex: Knex) {}

  async insert(decision: GateDecision, tx: Knex | Knex.Transaction = this.knex): Promise<void> {
    await tx<GateDecisionRow>(TABLE).insert({
      id: decision.id,
      policy: decision.policy,
      environment: decision.environment,
      entity_ref: decision.entityRef,
      artifact_digest: decision.artifactDigest,
      decision: decision.decision,
      requirements: JSON.stringify(decision.requirements),
      decided_at: toDbTime(new Date(decision.decidedAt)),
      requested_by: decision.requestedBy,
      deployment_id: decision.deploymentId ?? null,
    });
  }

  /** The decision made for a recorded deployment, or the newest one for its digest before it. */
  async forDeployment(d: { id: string; entityRef: string; environment: string; artifactDigest: string; deployedAt: string }): Promise<GateDecision | undefined> {
    const own = await this.knex<GateDecisionRow>(TABLE).where({ deployment_id: d.id }).orderBy('decided_at', 'desc').first();
    if (own) return toDecision(own);
    const asked = await this.knex<GateDecisionRow>(TABLE)
      .where({ entity_ref: d.entityRef, environment: d.environment, artifact_digest: d.artifactDigest })
      .where('decided_at', '<=', toDbTime(new Date(d.deployedAt)))
      .orderBy('decided_at', 'desc')
      .first();
    return asked ? toDecision(asked) : undefined;
  }

  /** The newest decision of an entity for each environment. */
  async latestPerEnvironment(entityRef: string): Promise<GateDecision[]> {
    const rows = await this.knex<GateDecisionRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'decided_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(500);
    const latest = new Map<string, GateDecision>();
    for (const row of rows) {
      if (!latest.has(row.environment)) latest.set(row.environment, toDecision(row));
    }
    return [...latest.values()];
  }

  async list(filter: {
    entityRef?: string;
    /** Only these entities' decisions (a caller's read scope); empty: none. */
    entityRefs?: readonly string[];
    environment?: string;
    limit: number;
    offset: number;
  }): Promise<Page<GateDecision>> {
    const query = this.knex<GateDecisionRow>(TABLE).where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.entityRefs) builder.whereIn('entity_ref', [...filter.entityRefs]);
      if (filter.environment) builder.where('environment', filter.environment);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .clone()
      .select('*')
      .orderBy([
        { column: 'decided_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { items: rows.map(toDecision), totalCount: Number(count), limit: filter.limit, offset: filter.offset };
  }
}

function toDecision(row: GateDecisionRow): GateDecision {
  return {
    id: row.id,
    policy: row.policy,
    environment: row.environment,
    entityRef: row.entity_ref,
    artifactDigest: row.artifact_digest,
    decision: row.decision,
    requirements: JSON.parse(row.requirements),
    decidedAt: fromDbTime(row.decided_at),
    requestedBy: row.requested_by,
    deploymentId: row.deployment_id ?? undefined,
  };
}
