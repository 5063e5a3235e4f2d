import { Knex } from 'knex';

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
