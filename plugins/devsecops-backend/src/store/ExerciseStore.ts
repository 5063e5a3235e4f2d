import { Exercise } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbTime } from './rowTypes';
import { fromDbTime } from './time';

const TABLE = 'devsecops_exercises';

/** A row of devsecops_exercises. */
interface ExerciseRow {
  id: string;
  scenario: Exercise['scenario'];
  /** YYYY-MM-DD */
  held_on: string;
  scope_ref: string;
  /** JSON array of names or refs. */
  participants: string;
  /** JSON [{title, recurring?}] */
  findings: string;
  /** JSON [{action, owner, due, done?}] */
  follow_ups: string;
  recorded_by: string;
  recorded_at: DbTime;
}

/** Owns devsecops_exercises: tabletop exercises with their findings and follow-ups. */
export class ExerciseStore {
  constructor(private readonly knex: Knex) {}

  async insert(tx: Knex.Transaction, exercise: Exercise): Promise<Exercise> {
    await tx<ExerciseRow>(TABLE).insert({
      id: exercise.id,
      scenario: exercise.scenario,
      held_on: exercise.heldOn,
      scope_ref: exercise.scopeRef,
      participants: JSON.stringify(exercise.participants),
      findings: JSON.stringify(exercise.findings),
      follow_ups: JSON.stringify(exercise.followUps),
      recorded_by: dbText(exercise.recordedBy, 255),
      recorded_at: exercise.recordedAt,
    });
    const row = await tx<ExerciseRow>(TABLE).where({ id: exercise.id }).first();
    return toExercise(row!);
  }

  async get(id: string): Promise<Exercise | undefined> {
    const row = await this.knex<ExerciseRow>(TABLE).where({ id }).first();
    return row ? toExercise(row) : undefined;
  }

  /**
   * Marks follow-up `index` done (with when and by whom) or not done, inside the caller's
   * transaction; the row is locked on PostgreSQL so two completions of one exercise both stay.
   */
  async setFollowUpDone(
    tx: Knex.Transaction,
    id: string,
    index: number,
    done: { doneAt: string; doneBy: string } | undefined,
  ): Promise<Exercise> {
    const query = tx<ExerciseRow>(TABLE).where({ id }).first();
    if (tx.client.config.client === 'pg') query.forUpdate();
    const exercise = toExercise((await query)!);
    const followUps = exercise.followUps.map((f, i) => {
      if (i !== index) return f;
      const { doneAt: _at, doneBy: _by, ...rest } = f;
      return done ? { ...rest, done: true, ...done } : { ...rest, done: false };
    });
    await tx<ExerciseRow>(TABLE).where({ id }).update({ follow_ups: JSON.stringify(followUps) });
    return { ...exercise, followUps };
  }

  /** Exercises held for any of the scopes on or after a day (YYYY-MM-DD), newest first. */
  async heldFor(scopeRefs: string[], since?: string): Promise<Exercise[]> {
    if (scopeRefs.length === 0) return [];
    const rows = await this.knex<ExerciseRow>(TABLE)
      .whereIn('scope_ref', scopeRefs)
      .andWhere(b => {
        if (since) b.where('held_on', '>=', since);
      })
      .orderBy([
        { column: 'held_on', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(1000);
    return rows.map(toExercise);
  }

  async list(filter: { scopeRefs?: string[]; scenario?: string; limit: number; offset: number }) {
    const query = this.knex<ExerciseRow>(TABLE).where(b => {
      if (filter.scopeRefs) b.whereIn('scope_ref', filter.scopeRefs);
      if (filter.scenario) b.where('scenario', filter.scenario);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .clone()
      .select('*')
      .orderBy([
        { column: 'held_on', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { items: rows.map(toExercise), totalCount: Number(count), limit: filter.limit, offset: filter.offset };
  }
}

function toExercise(row: ExerciseRow): Exercise {
  return {
    id: row.id,
    scenario: row.scenario,
    heldOn: String(row.held_on),
    scopeRef: row.scope_ref,
    participants: JSON.parse(row.participants),
    findings: JSON.parse(row.findings),
    followUps: JSON.parse(row.follow_ups),
    recordedBy: row.recorded_by,
    recordedAt: fromDbTime(row.recorded_at),
  };
}
