import { ControlState } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';

const SNAPSHOTS = 'devsecops_entity_snapshots';
/** Entities read per query: bounded rows in memory, and under every database's bind limit. */
const BATCH = 500;

/** One day of an entity's control states. */
export interface ControlStatePoint {
  day: string;
  controlStates: Record<string, ControlState>;
}

/**
 * The daily snapshots' control states as runs (issue 15: the org-wide control-failure review read
 * every snapshot since the last review, 450,000 rows at 5,000 entities × 90 days): only the first
 * and last day of each run of identical states are kept, which is all an episode needs (when it
 * began, the last day it was seen, the day it ended). The database finds them (each day compared
 * with the one before and after) and returns only those rows and columns; a state string is
 * parsed once per batch, whatever the number of days and entities sharing it. Reads the snapshots table (owned by
 * SummaryStore) and writes nothing.
 */
export class SnapshotRunQueries {
  constructor(private readonly knex: Knex) {}

  /** Per entity, the run boundaries of its control states from `sinceDay` up to (not including) `beforeDay`, oldest first. */
  async controlStateRuns(entityRefs: string[], sinceDay: string, beforeDay: string): Promise<Map<string, ControlStatePoint[]>> {
    const out = new Map<string, ControlStatePoint[]>();
    const sorted = [...new Set(entityRefs)].sort();
    for (let i = 0; i < sorted.length; i += BATCH) {
      const batch = sorted.slice(i, i + BATCH);
      // Set-based: the database compares each day with the one before and after (window functions,
      // SQLite ≥ 3.25 and PostgreSQL) and returns only the run boundaries.
      const inner = this.knex(SNAPSHOTS)
        .select(
          'entity_ref',
          'day',
          'control_states',
          this.knex.raw('LAG(control_states) OVER (PARTITION BY entity_ref ORDER BY day) AS prev_states'),
          this.knex.raw('LEAD(control_states) OVER (PARTITION BY entity_ref ORDER BY day) AS next_states'),
        )
        .whereIn('entity_ref', batch)
        .where('day', '>=', sinceDay)
        .where('day', '<', beforeDay)
        .as('snapshot_days');
      const rows: Array<{ entity_ref: string; day: string; control_states: string }> = await this.knex
        .select('entity_ref', 'day', 'control_states')
        .from(inner)
        .where(q =>
          q
            .whereNull('prev_states')
            .orWhereNull('next_states')
            .orWhereRaw('prev_states <> control_states')
            .orWhereRaw('next_states <> control_states'),
        )
        .orderBy([{ column: 'entity_ref' }, { column: 'day' }]);
      const parsed = new Map<string, Record<string, ControlState>>();
      for (const row of rows) {
        let states = parsed.get(row.control_states);
        if (!states) {
          states = JSON.parse(row.control_states) as Record<string, ControlState>;
          parsed.set(row.control_states, states);
        }
        const points = out.get(row.entity_ref) ?? [];
        points.push({ day: row.day, controlStates: states });
        out.set(row.entity_ref, points);
      }
    }
    return out;
  }
}
