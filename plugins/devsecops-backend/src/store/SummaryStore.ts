import {
  ControlState,
  EntityMetrics,
  EntityScorecard,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

const SUMMARIES = 'devsecops_entity_summaries';
const SNAPSHOTS = 'devsecops_entity_snapshots';

/** A row of devsecops_entity_summaries. */
interface SummaryRow {
  entity_ref: string;
  owner_ref: string | null;
  system_ref: string | null;
  domain_ref: string | null;
  type: string | null;
  lifecycle: string | null;
  stage: number | string;
  /** JSON: control id → state. */
  control_states: string;
  /** JSON: EntityMetrics. */
  metrics: string;
  production_gate: 'allow' | 'deny' | null;
  evaluated_at: DbTime;
  /** JSON: the whole evaluated scorecard, served while valid. */
  scorecard: string | null;
  valid_until: DbTime | null;
}

/** What roll-ups read of a summary: everything but the stored scorecard. */
type SummaryListRow = Omit<SummaryRow, 'scorecard' | 'valid_until'>;

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
// Roll-ups read these; the stored scorecard JSON is only read for one entity at a time.
const SUMMARY_COLUMNS: Array<keyof SummaryListRow> = [
  'entity_ref',
  'owner_ref',
  'system_ref',
  'domain_ref',
  'type',
  'lifecycle',
  'stage',
  'control_states',
  'metrics',
  'production_gate',
  'evaluated_at',
];

export interface EntitySummary {
  entityRef: string;
  ownerRef?: string;
  systemRef?: string;
  domainRef?: string;
  type?: string;
  lifecycle?: string;
  stage: number;
  controlStates: Record<string, ControlState>;
  metrics: EntityMetrics;
  productionGate?: 'allow' | 'deny';
  evaluatedAt: string;
}

export interface EntitySnapshot {
  day: string;
  stage: number;
  controlStates: Record<string, ControlState>;
  metrics: EntityMetrics;
  productionGate?: 'allow' | 'deny';
}

/** Owns the per-entity summaries (kept current on every write) and the daily snapshots. */
export class SummaryStore {
  constructor(private readonly knex: Knex) {}

  /** Stores the summary and the whole scorecard, which reads serve until `validUntil`. */
  async upsert(summary: EntitySummary, scorecard?: EntityScorecard, validUntil?: Date): Promise<void> {
    await this.knex<SummaryRow>(SUMMARIES)
      .insert({
        ...toRow(summary),
        scorecard: scorecard ? JSON.stringify(scorecard) : null,
        valid_until: validUntil ? toDbTime(validUntil) : null,
      })
      .onConflict('entity_ref')
      .merge();
  }

  /** The stored scorecard of an entity if it is still valid at `now`. */
  async validScorecard(entityRef: string, now: Date): Promise<EntityScorecard | undefined> {
    const row = await this.knex<SummaryRow>(SUMMARIES)
      .select('scorecard')
      .where({ entity_ref: entityRef })
      .where('valid_until', '>', toDbTime(now))
      .first();
    return row?.scorecard ? JSON.parse(row.scorecard) : undefined;
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

function toRow(s: EntitySummary): SummaryListRow {
  return {
    entity_ref: s.entityRef,
    owner_ref: s.ownerRef ?? null,
    system_ref: s.systemRef ?? null,
    domain_ref: s.domainRef ?? null,
    type: s.type ?? null,
    lifecycle: s.lifecycle ?? null,
    stage: s.stage,
    control_states: JSON.stringify(s.controlStates),
    metrics: JSON.stringify(s.metrics),
    production_gate: s.productionGate ?? null,
    evaluated_at: toDbTime(new Date(s.evaluatedAt)),
  };
}

function fromRow(r: SummaryListRow): EntitySummary {
  return {
    entityRef: r.entity_ref,
    ownerRef: r.owner_ref ?? undefined,
    systemRef: r.system_ref ?? undefined,
    domainRef: r.domain_ref ?? undefined,
    type: r.type ?? undefined,
    lifecycle: r.lifecycle ?? undefined,
    stage: Number(r.stage),
    controlStates: JSON.parse(r.control_states),
    metrics: JSON.parse(r.metrics),
    productionGate: r.production_gate ?? undefined,
    evaluatedAt: fromDbTime(r.evaluated_at),
  };
}
