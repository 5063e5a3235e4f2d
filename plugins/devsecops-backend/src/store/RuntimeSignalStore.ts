import { RuntimeSignal } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbTime } from './rowTypes';
import { fromDbTime, fromDbTimeOrUndefined } from './time';

const TABLE = 'devsecops_runtime_signals';

/** A row of devsecops_runtime_signals. */
interface RuntimeSignalRow {
  id: string;
  entity_ref: string;
  kind: RuntimeSignal['kind'];
  severity: RuntimeSignal['severity'];
  summary: string;
  detected_at: DbTime;
  contained_at: DbTime | null;
  remediated_at: DbTime | null;
  source: string;
  recorded_by: string;
  recorded_at: DbTime;
}

/** Owns devsecops_runtime_signals: runtime alerts and incidents with their timeline. */
export class RuntimeSignalStore {
  constructor(private readonly knex: Knex) {}

  async insert(tx: Knex.Transaction, signal: RuntimeSignal): Promise<RuntimeSignal> {
    await tx<RuntimeSignalRow>(TABLE).insert({
      id: signal.id,
      entity_ref: signal.entityRef,
      kind: signal.kind,
      severity: signal.severity,
      summary: dbText(signal.summary),
      detected_at: signal.detectedAt,
      contained_at: signal.containedAt ?? null,
      remediated_at: signal.remediatedAt ?? null,
      source: dbText(signal.source, 255),
      recorded_by: dbText(signal.recordedBy, 255),
      recorded_at: signal.recordedAt,
    });
    return (await this.get(signal.id, tx))!;
  }

  async get(id: string, tx?: Knex.Transaction): Promise<RuntimeSignal | undefined> {
    const row = await (tx ?? this.knex)<RuntimeSignalRow>(TABLE).where({ id }).first();
    return row ? toSignal(row) : undefined;
  }

  /** Sets the containment and/or remediation time; returns the updated signal. */
  async updateTimeline(
    tx: Knex.Transaction,
    id: string,
    times: { containedAt?: string; remediatedAt?: string },
  ): Promise<RuntimeSignal> {
    const update: Partial<Pick<RuntimeSignalRow, 'contained_at' | 'remediated_at'>> = {};
    if (times.containedAt) update.contained_at = times.containedAt;
    if (times.remediatedAt) update.remediated_at = times.remediatedAt;
    await tx<RuntimeSignalRow>(TABLE).where({ id }).update(update);
    return (await this.get(id, tx))!;
  }

  /** Open signals of an entity, and those remediated since the given time. */
  async forEvaluation(entityRef: string, remediatedSince: Date): Promise<RuntimeSignal[]> {
    const rows = await this.knex<RuntimeSignalRow>(TABLE)
      .where({ entity_ref: entityRef })
      .andWhere(b =>
        b.whereNull('remediated_at').orWhere('remediated_at', '>=', remediatedSince.toISOString()),
      )
      .orderBy([
        { column: 'detected_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(1000);
    return rows.map(toSignal);
  }

  async list(filter: {
    entityRef?: string;
    /** Only these entities' signals (a caller's read scope); empty: none. */
    entityRefs?: readonly string[];
    open?: boolean;
    limit: number;
    offset: number;
  }) {
    const query = this.knex<RuntimeSignalRow>(TABLE).where(b => {
      if (filter.entityRef) b.where('entity_ref', filter.entityRef);
      if (filter.entityRefs) b.whereIn('entity_ref', [...filter.entityRefs]);
      if (filter.open === true) b.whereNull('remediated_at');
      if (filter.open === false) b.whereNotNull('remediated_at');
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .clone()
      .select('*')
      .orderBy([
        { column: 'detected_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { items: rows.map(toSignal), totalCount: Number(count), limit: filter.limit, offset: filter.offset };
  }
}

function toSignal(row: RuntimeSignalRow): RuntimeSignal {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    kind: row.kind,
    severity: row.severity,
    summary: row.summary,
    detectedAt: fromDbTime(row.detected_at),
    containedAt: fromDbTimeOrUndefined(row.contained_at),
    remediatedAt: fromDbTimeOrUndefined(row.remediated_at),
    source: row.source,
    recordedBy: row.recorded_by,
    recordedAt: fromDbTime(row.recorded_at),
  };
}
