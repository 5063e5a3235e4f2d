import { ControlState, EntityMetrics, EntityScorecard, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { EntitySummary, fromRow, SUMMARIES, SUMMARY_COLUMNS, SummaryRow, toRow } from './summaryRows';
import { GoalMarkRow, goalMarks, goalStates, snapshotDailyCounts, StoredCondition } from './goalMarks';
import { fromDbTime, toDbTime } from './time';
import { OwnerRollupStore } from './OwnerRollupStore';
import { entityList, summariesIn, SummaryScope } from './rollupQueries';

export type { EntitySummary } from './summaryRows';

const SNAPSHOTS = 'devsecops_entity_snapshots';

/** What a summary keeps of its catalog entity. */
export interface CatalogColumns {
  ownerRef?: string;
  systemRef?: string;
  domainRef?: string;
  type?: string;
  lifecycle?: string;
}

/** A stored scorecard as JSON text (sent as it is), with the owner it was evaluated for. */
export interface StoredScorecard {
  json: string;
  ownerRef?: string;
}

/** A stored scorecard whose validity ends soon: the refresh job evaluates what follows it. */
export interface ExpiringScorecard {
  entityRef: string;
  validUntil: Date;
  /** Identifies the evaluation: a write after it makes the job's result moot. */
  evaluatedAt: string;
}

/** A row of devsecops_entity_snapshots: one summary per entity and day. */
interface SnapshotRow {
  entity_ref: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  stage: number | string;
  control_states: string;
  metrics: string;
  production_gate: 'allow' | 'deny' | null;
}
/** A summary as campaigns read it (goalStates). */
export type GoalSummary = Pick<EntitySummary, 'entityRef' | 'ownerRef' | 'systemRef' | 'lifecycle' | 'stage' | 'controlStates'>;

export interface EntitySnapshot {
  day: string;
  stage: number;
  controlStates: Record<string, ControlState>;
  metrics: EntityMetrics;
  productionGate?: 'allow' | 'deny';
}

/** Owns the per-entity summaries (kept current on every write) and the daily snapshots. */
export class SummaryStore {
  /** Per-owner roll-up partials, bumped after every summary write here. */
  readonly ownerRollups: OwnerRollupStore;

  constructor(private readonly knex: Knex) {
    this.ownerRollups = new OwnerRollupStore(knex);
  }

  /**
   * Stores the summary and the whole scorecard, which reads serve until `validUntil` (undefined:
   * it never changes without new evidence). A scorecard computed ahead for the old one is dropped.
   */
  async upsert(summary: EntitySummary, scorecard?: EntityScorecard, validUntil?: Date): Promise<void> {
    const row = {
      ...toRow(summary),
      scorecard: scorecard ? JSON.stringify(scorecard) : null,
      valid_until: validUntil ? toDbTime(validUntil) : null,
      next_scorecard: null,
      next_valid_until: null,
    };
    // The owner the row leaves must be bumped too (OwnerRollupStore): compare-and-set on it, so a
    // concurrent owner change cannot slip between the read and the write unbumped. One
    // transaction, for one commit (the bump still follows the write; correctness needs no more).
    await this.knex.transaction(async tx => {
      for (let attempt = 0; ; attempt++) {
        let before = await this.ownerOf(tx, summary.entityRef);
        if (!before) {
          await tx<SummaryRow>(SUMMARIES).insert(row).onConflict('entity_ref').ignore();
          before = await this.ownerOf(tx, summary.entityRef);
        }
        const updated = await tx<SummaryRow>(SUMMARIES)
          .where({ entity_ref: summary.entityRef })
          .where(q => (typeof before?.owner_ref === 'string' ? q.where('owner_ref', before.owner_ref) : q.whereNull('owner_ref')))
          .update(row);
        if (updated > 0 || attempt >= 5) {
          await this.ownerRollups.bump([before?.owner_ref, row.owner_ref], tx);
          return;
        }
      }
    });
  }

  private ownerOf(tx: Knex, entityRef: string): Promise<Pick<SummaryRow, 'owner_ref'> | undefined> {
    return tx<SummaryRow>(SUMMARIES).select('owner_ref').where({ entity_ref: entityRef }).first();
  }

  /**
   * The entity's scorecard at `now` as stored: the current one until its valid_until, then the
   * one the refresh job stored ahead for the time after it. If the job has fallen behind, the
   * newest stored one is served (reads never evaluate) and the job catches up.
   */
  async storedScorecard(entityRef: string, now: Date): Promise<StoredScorecard | undefined> {
    const row = await this.knex<SummaryRow>(SUMMARIES)
      .select('owner_ref', 'scorecard', 'valid_until', 'next_scorecard')
      .where({ entity_ref: entityRef })
      .first();
    if (!row?.scorecard) return undefined;
    const current = row.valid_until === null || now.getTime() < Date.parse(fromDbTime(row.valid_until));
    const json = !current && row.next_scorecard ? row.next_scorecard : row.scorecard;
    return { json, ownerRef: row.owner_ref ?? undefined };
  }

  /** Stored scorecards that change before `before` and have nothing stored ahead yet. */
  async expiringBefore(before: Date, limit: number): Promise<ExpiringScorecard[]> {
    const rows = await this.knex<SummaryRow>(SUMMARIES)
      .select('entity_ref', 'valid_until', 'evaluated_at')
      .whereNotNull('valid_until')
      .where('valid_until', '<', toDbTime(before))
      .whereNull('next_scorecard')
      .orderBy('valid_until', 'asc')
      .limit(limit);
    return rows.map(r => ({
      entityRef: r.entity_ref,
      validUntil: new Date(fromDbTime(r.valid_until!)),
      evaluatedAt: fromDbTime(r.evaluated_at),
    }));
  }

  /**
   * Stores the scorecard that follows `expiring` from its valid_until on, unless a write
   * re-evaluated the entity meanwhile (then the row's evaluation is newer and this one is moot).
   */
  async storeAhead(expiring: ExpiringScorecard, next: EntityScorecard, nextValidUntil?: Date): Promise<boolean> {
    const updated = await this.knex<SummaryRow>(SUMMARIES)
      .where({ entity_ref: expiring.entityRef })
      .where('valid_until', toDbTime(expiring.validUntil))
      .where('evaluated_at', toDbTime(new Date(expiring.evaluatedAt)))
      .whereNull('next_scorecard')
      .update({
        next_scorecard: JSON.stringify(next),
        next_valid_until: nextValidUntil ? toDbTime(nextValidUntil) : null,
      });
    return updated > 0;
  }

  /**
   * Nothing changes at `expiring`'s instant after all (the instants are a superset): the stored
   * scorecard stays valid until `validUntil` (undefined: never), unless a write came in between.
   */
  async extendValidity(expiring: ExpiringScorecard, validUntil?: Date): Promise<boolean> {
    const updated = await this.knex<SummaryRow>(SUMMARIES)
      .where({ entity_ref: expiring.entityRef })
      .where('valid_until', toDbTime(expiring.validUntil))
      .where('evaluated_at', toDbTime(new Date(expiring.evaluatedAt)))
      .whereNull('next_scorecard')
      .update({ valid_until: validUntil ? toDbTime(validUntil) : null });
    return updated > 0;
  }

  /** The entity left the catalog: its stored scorecard no longer comes due. */
  async keepAsIs(entityRef: string): Promise<void> {
    await this.knex<SummaryRow>(SUMMARIES).where({ entity_ref: entityRef }).update({ valid_until: null });
  }

  /**
   * Makes the scorecards stored ahead current once their time has come (`now` ≥ valid_until),
   * summary columns included, so roll-ups count them too; returns how many moved. Each one this
   * call moved (the conditional update decides: two instances never both move one) is passed to
   * `onPromoted` with the scorecard it replaced.
   */
  async promoteDue(
    now: Date,
    limit: number,
    onPromoted?: (before: EntityScorecard | undefined, after: EntityScorecard) => Promise<void>,
  ): Promise<number> {
    const rows = await this.knex<SummaryRow>(SUMMARIES)
      .select('entity_ref', 'owner_ref', 'valid_until', 'scorecard', 'next_scorecard', 'next_valid_until')
      .whereNotNull('next_scorecard')
      .where('valid_until', '<=', toDbTime(now))
      .orderBy('valid_until', 'asc')
      .limit(limit);
    let moved = 0;
    for (const row of rows) {
      const next: EntityScorecard = JSON.parse(row.next_scorecard!);
      const updated = await this.knex<SummaryRow>(SUMMARIES)
        .where({ entity_ref: row.entity_ref })
        .where('valid_until', row.valid_until!)
        .whereNotNull('next_scorecard')
        .update({
          ...scorecardColumns(next),
          scorecard: row.next_scorecard,
          valid_until: row.next_valid_until,
          next_scorecard: null,
          next_valid_until: null,
        });
      moved += updated;
      if (updated === 1) await this.ownerRollups.bump([row.owner_ref]);
      if (updated === 1 && onPromoted) await onPromoted(row.scorecard ? JSON.parse(row.scorecard) : undefined, next);
    }
    return moved;
  }

  /** Today's snapshot of an entity; writing it again the same day replaces it (idempotent). */
  async snapshot(summary: EntitySummary, day: string): Promise<void> {
    await this.knex<SnapshotRow>(SNAPSHOTS)
      .insert({
        entity_ref: summary.entityRef,
        day,
        stage: summary.stage,
        control_states: JSON.stringify(summary.controlStates),
        metrics: JSON.stringify(summary.metrics),
        production_gate: summary.productionGate ?? null,
      })
      .onConflict(['entity_ref', 'day'])
      .merge();
  }

  /**
   * Per day since `sinceDay`, how many of the entities had a snapshot and how many of those met
   * the condition (evaluate/campaigns goalCondition), counted by the database (store/goalMarks).
   */
  dailyCounts(entityRefs: string[], sinceDay: string, condition: StoredCondition): Promise<Map<string, { inScope: number; done: number }>> {
    return snapshotDailyCounts(this.knex, SNAPSHOTS, entityRefs, sinceDay, condition);
  }

  /** Every entity with a stored summary, by ref (the daily stale-evidence warnings page through them). */
  async entityRefs(): Promise<string[]> {
    return (await this.knex<SummaryRow>(SUMMARIES).select('entity_ref').orderBy('entity_ref')).map(r => r.entity_ref);
  }

  /** The stored scorecards of some entities, however old (campaign pages read their next steps). */
  async storedScorecards(entityRefs: string[]): Promise<Map<string, EntityScorecard>> {
    const out = new Map<string, EntityScorecard>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.knex<SummaryRow>(SUMMARIES)
        .select('entity_ref', 'scorecard')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .whereNotNull('scorecard');
      for (const row of rows) out.set(row.entity_ref, JSON.parse(row.scorecard!));
    }
    return out;
  }

  /** The catalog columns of the stored summaries of these entities (one query, no JSON read). */
  async catalogColumns(entityRefs: string[]): Promise<Map<string, CatalogColumns>> {
    const out = new Map<string, CatalogColumns>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.knex<SummaryRow>(SUMMARIES)
        .select('entity_ref', 'owner_ref', 'system_ref', 'domain_ref', 'type', 'lifecycle')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500));
      for (const r of rows) {
        out.set(r.entity_ref, {
          ownerRef: r.owner_ref ?? undefined,
          systemRef: r.system_ref ?? undefined,
          domainRef: r.domain_ref ?? undefined,
          type: r.type ?? undefined,
          lifecycle: r.lifecycle ?? undefined,
        });
      }
    }
    return out;
  }

  /**
   * The day's snapshot of these entities, copied from their stored summaries as they are (the
   * JSON columns are not parsed): one read and one upsert per 500 entities. Returns how many.
   */
  async snapshotStored(entityRefs: string[], day: string): Promise<number> {
    let count = 0;
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.knex<SummaryRow>(SUMMARIES)
        .select('entity_ref', 'stage', 'control_states', 'metrics', 'production_gate')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500));
      if (rows.length === 0) continue;
      // 7 columns per row: well under SQLite's 32,766 bound variables.
      await this.knex<SnapshotRow>(SNAPSHOTS)
        .insert(rows.map(r => ({ ...r, day })))
        .onConflict(['entity_ref', 'day'])
        .merge();
      count += rows.length;
    }
    return count;
  }

  async get(entityRefs: string[]): Promise<EntitySummary[]> {
    const out: EntitySummary[] = [];
    // Bounded IN lists keep SQLite under its variable limit for org-wide roll-ups.
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.knex<SummaryRow>(SUMMARIES)
        .select(SUMMARY_COLUMNS)
        .whereIn('entity_ref', entityRefs.slice(i, i + 500));
      out.push(...rows.map(fromRow));
    }
    return out;
  }

  /**
   * What campaigns read of every summary (or of some): where each entity stands (stage, control
   * states) and what scopes it (owner, system, lifecycle), without the metrics (store/goalMarks).
   */
  goalStates(entityRefs?: string[]): Promise<GoalSummary[]> {
    return goalStates(this.knex, SUMMARIES, entityRefs);
  }

  /** Every summary's scoping columns and its standing against a goal (store/goalMarks). */
  goalMarks(met: StoredCondition, excepted: StoredCondition): Promise<GoalMarkRow[]> {
    return goalMarks(this.knex, SUMMARIES, met, excepted);
  }

  /** The summaries in a roll-up's scope (store/rollupQueries). */
  summariesIn(scope: SummaryScope): Promise<EntitySummary[]> {
    return summariesIn(this.knex, scope);
  }

  /** A scope's entity list from the light columns, in entity ref order, paged (store/rollupQueries). */
  entityList(scope: SummaryScope, page?: { after?: string; limit?: number }): Promise<Rollup['entities']> {
    return entityList(this.knex, scope, page);
  }

  async all(): Promise<EntitySummary[]> {
    return (await this.knex<SummaryRow>(SUMMARIES).select(SUMMARY_COLUMNS)).map(fromRow);
  }

  async history(entityRef: string, sinceDay: string): Promise<EntitySnapshot[]> {
    const rows = await this.knex<SnapshotRow>(SNAPSHOTS)
      .where({ entity_ref: entityRef })
      .where('day', '>=', sinceDay)
      .orderBy('day', 'asc');
    return rows.map(toSnapshot);
  }

  /** Snapshots of many entities since a day, grouped by day, for roll-up trends. */
  async historyOf(
    entityRefs: string[],
    sinceDay: string,
  ): Promise<Map<string, Array<EntitySnapshot & { entityRef: string }>>> {
    const byDay = new Map<string, Array<EntitySnapshot & { entityRef: string }>>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.knex<SnapshotRow>(SNAPSHOTS)
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .where('day', '>=', sinceDay);
      for (const row of rows) {
        const list = byDay.get(row.day) ?? [];
        list.push({ entityRef: row.entity_ref, ...toSnapshot(row) });
        byDay.set(row.day, list);
      }
    }
    return byDay;
  }
}

function toSnapshot(r: SnapshotRow): EntitySnapshot {
  return {
    day: r.day,
    stage: Number(r.stage),
    controlStates: JSON.parse(r.control_states),
    metrics: JSON.parse(r.metrics),
    productionGate: r.production_gate ?? undefined,
  };
}

/** The summary columns an evaluation decides (the catalog's columns stay as they are). */
function scorecardColumns(scorecard: EntityScorecard) {
  return {
    stage: scorecard.maturity.stage,
    control_states: JSON.stringify(Object.fromEntries(scorecard.controls.map(c => [c.controlId, c.state]))),
    metrics: JSON.stringify(scorecard.metrics),
    production_gate: scorecard.latestGateDecisions.find(d => d.environment === 'production')?.decision ?? null,
    evaluated_at: toDbTime(new Date(scorecard.evaluatedAt)),
  };
}

