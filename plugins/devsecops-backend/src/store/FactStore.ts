import { ControlFact } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbBigInt, DbTime } from './rowTypes';
import { fromDbTime } from './time';

const TABLE = 'devsecops_control_facts';

/** A row of devsecops_control_facts. */
interface FactRow {
  id: DbBigInt;
  entity_ref: string;
  fact: string;
  /** JSON value. */
  value: string;
  source: string;
  observed_at: DbTime;
  recorded_by: string;
  recorded_at: DbTime;
}

/** Owns devsecops_control_facts: every observation is kept; the latest per fact is current. */
export class FactStore {
  constructor(private readonly knex: Knex) {}

  async insert(tx: Knex.Transaction, facts: ControlFact[]): Promise<void> {
    if (facts.length === 0) return;
    await tx<FactRow>(TABLE).insert(
      facts.map(f => ({
        entity_ref: f.entityRef,
        fact: f.fact,
        value: JSON.stringify(f.value),
        source: dbText(f.source, 255),
        observed_at: f.observedAt,
        recorded_by: f.recordedBy,
        recorded_at: f.recordedAt,
      })),
    );
  }

  /** Every observation of one fact of an entity, newest first. */
  async observations(entityRef: string, fact: string, limit = 200): Promise<ControlFact[]> {
    const rows = await this.knex<FactRow>(TABLE)
      .where({ entity_ref: entityRef, fact })
      .orderBy([
        { column: 'observed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toFact);
  }

  /** When the newest observation of any fact of an entity was made. */
  async newestObservationAt(entityRef: string): Promise<string | undefined> {
    const row = await this.knex<FactRow>(TABLE)
      .where({ entity_ref: entityRef })
      .max({ newest: 'observed_at' })
      .first();
    return row?.newest ? fromDbTime(row.newest) : undefined;
  }

  /** The latest observation of each fact of an entity. */
  async current(entityRef: string): Promise<ControlFact[]> {
    const rows = await this.knex<FactRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'fact', order: 'asc' },
        { column: 'observed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const latest = new Map<string, FactRow>();
    for (const row of rows) if (!latest.has(row.fact)) latest.set(row.fact, row);
    return [...latest.values()].map(toFact);
  }
}

function toFact(row: FactRow): ControlFact {
  return {
    entityRef: row.entity_ref,
    fact: row.fact,
    value: JSON.parse(row.value),
    source: row.source,
    observedAt: fromDbTime(row.observed_at),
    recordedBy: row.recorded_by,
    recordedAt: fromDbTime(row.recorded_at),
  };
}
