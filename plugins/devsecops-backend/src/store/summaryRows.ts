import { ControlState, EntityMetrics } from '@devsecops-scorecard/plugin-devsecops-common';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

/* The rows of devsecops_entity_summaries and their mapping (SummaryStore and store/rollupQueries). */

export const SUMMARIES = 'devsecops_entity_summaries';

/** A row of devsecops_entity_summaries. */
export interface SummaryRow {
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
  /** JSON: the whole evaluated scorecard, served until valid_until. */
  scorecard: string | null;
  /** The first instant the scorecard can change without new evidence; null: never. */
  valid_until: DbTime | null;
  /** JSON: the scorecard from valid_until on, stored ahead of it by the refresh job. */
  next_scorecard: string | null;
  next_valid_until: DbTime | null;
}

/** What roll-ups read of a summary: everything but the stored scorecards. */
export type SummaryListRow = Omit<SummaryRow, 'scorecard' | 'valid_until' | 'next_scorecard' | 'next_valid_until'>;

// Roll-ups read these; the stored scorecard JSON is only read for one entity at a time.
export const SUMMARY_COLUMNS: Array<keyof SummaryListRow> = [
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

export function toRow(s: EntitySummary): SummaryListRow {
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

export function fromRow(r: SummaryListRow): EntitySummary {
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
