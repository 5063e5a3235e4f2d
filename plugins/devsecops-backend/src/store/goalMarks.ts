import { Knex } from 'knex';
import type { GoalSummary } from './SummaryStore';

/*
 * Campaign queries over the tables SummaryStore owns (it delegates here): where services stand
 * against a goal, counted by the database.
 */

/** A goal as conditions on the stored columns (evaluate/campaigns goalCondition, exceptedCondition). */
export type StoredCondition = { minStage: number } | { controls: Array<{ id: string; states: string[] }> };

/**
 * SQL for a condition on a table's `stage` and `control_states` columns, with its bindings.
 * Control states are matched in the stored JSON (`"<control>":"<state>"`, as JSON.stringify
 * writes it; control ids have no LIKE wildcards). No controls is never met.
 */
export function conditionSql(condition: StoredCondition, any = false): { sql: string; bindings: Array<string | number> } {
  if ('minStage' in condition) return { sql: 'stage >= ?', bindings: [condition.minStage] };
  if (condition.controls.length === 0) return { sql: '1 = 0', bindings: [] };
  const bindings: Array<string | number> = [];
  const parts = condition.controls.map(c => {
    for (const state of c.states) bindings.push(`%${JSON.stringify(c.id)}:${JSON.stringify(state)}%`);
    return `(${c.states.map(() => 'control_states LIKE ?').join(' OR ')})`;
  });
  return { sql: parts.join(any ? ' OR ' : ' AND '), bindings };
}

/** A summary's scoping columns and its standing against a goal, decided by the database. */
export interface GoalMarkRow {
  entityRef: string;
  ownerRef?: string;
  systemRef?: string;
  lifecycle?: string;
  met: boolean;
  excepted: boolean;
}

/**
 * Every stored summary's scoping columns and whether it meets the goal (and through an
 * exception), without reading or parsing its control states in Node: what a campaign page counts.
 */
export async function goalMarks(
  knex: Knex,
  table: string,
  met: StoredCondition,
  excepted: StoredCondition,
): Promise<GoalMarkRow[]> {
  const m = conditionSql(met);
  const e = conditionSql(excepted, true);
  const rows: Array<{
    entity_ref: string;
    owner_ref: string | null;
    system_ref: string | null;
    lifecycle: string | null;
    met: number | string | boolean;
    excepted: number | string | boolean;
  }> = await knex(table).select(
    'entity_ref',
    'owner_ref',
    'system_ref',
    'lifecycle',
    knex.raw(`CASE WHEN ${m.sql} THEN 1 ELSE 0 END AS met`, m.bindings),
    knex.raw(`CASE WHEN ${e.sql} THEN 1 ELSE 0 END AS excepted`, e.bindings),
  );
  return rows.map(r => ({
    entityRef: r.entity_ref,
    ownerRef: r.owner_ref ?? undefined,
    systemRef: r.system_ref ?? undefined,
    lifecycle: r.lifecycle ?? undefined,
    met: Number(r.met) === 1,
    excepted: Number(r.excepted) === 1,
  }));
}

/** Stage, control states and scoping columns of every summary, or of some (by ref, 500 a query). */
export async function goalStates(knex: Knex, table: string, entityRefs?: string[]): Promise<GoalSummary[]> {
  const columns = ['entity_ref', 'owner_ref', 'system_ref', 'lifecycle', 'stage', 'control_states'];
  type Row = { entity_ref: string; owner_ref: string | null; system_ref: string | null; lifecycle: string | null; stage: number | string; control_states: string };
  const rows: Row[] = [];
  if (!entityRefs) rows.push(...((await knex(table).select(columns)) as Row[]));
  else {
    for (let i = 0; i < entityRefs.length; i += 500) {
      rows.push(...((await knex(table).select(columns).whereIn('entity_ref', entityRefs.slice(i, i + 500))) as Row[]));
    }
  }
  return rows.map(r => ({
    entityRef: r.entity_ref,
    ownerRef: r.owner_ref ?? undefined,
    systemRef: r.system_ref ?? undefined,
    lifecycle: r.lifecycle ?? undefined,
    stage: Number(r.stage),
    controlStates: JSON.parse(r.control_states),
  }));
}

/**
 * Per day since `sinceDay`, how many of the entities had a snapshot and how many of those met the
 * condition: a campaign's burn-up over thousands of services reads one row per day, not one per
 * service and day.
 */
export async function snapshotDailyCounts(
  knex: Knex,
  table: string,
  entityRefs: string[],
  sinceDay: string,
  condition: StoredCondition,
): Promise<Map<string, { inScope: number; done: number }>> {
  const out = new Map<string, { inScope: number; done: number }>();
  const met = conditionSql(condition);
  for (let i = 0; i < entityRefs.length; i += 500) {
    const rows: Array<{ day: string; in_scope: number | string; done: number | string | null }> = await knex(table)
      .select('day')
      .count({ in_scope: '*' })
      .select(knex.raw(`SUM(CASE WHEN ${met.sql} THEN 1 ELSE 0 END) AS done`, met.bindings))
      .whereIn('entity_ref', entityRefs.slice(i, i + 500))
      .where('day', '>=', sinceDay)
      .groupBy('day');
    for (const row of rows) {
      const day = out.get(row.day) ?? { inScope: 0, done: 0 };
      day.inScope += Number(row.in_scope);
      day.done += Number(row.done ?? 0);
      out.set(row.day, day);
    }
  }
  return out;
}
