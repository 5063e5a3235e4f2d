import { Knex } from 'knex';
import type { Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { EntitySummary, fromRow, SUMMARIES, SUMMARY_COLUMNS, SummaryListRow } from './summaryRows';

/*
 * Roll-up reads of the summaries SummaryStore owns (it delegates here): the summaries of some
 * owners or systems, and the entity list of a scope page by page from the light columns.
 */

/** Which summaries a roll-up reads; absent owners/systems: any. */
export interface SummaryScope {
  /** The counted kinds (devsecops.scorecard.entityKinds), matched on the entity ref's kind. */
  kinds: string[];
  lifecycle?: string;
  /** Owner refs; '' stands for the summaries without an owner. */
  owners?: string[];
  systems?: string[];
}

/**
 * Entity refs compared and sorted in code-point order on both databases (evaluate/rollup
 * byEntityRef); on PostgreSQL whatever the database collation, with an index in that order
 * (migration 20261206233000_owner_rollups).
 */
const refColumn = (knex: Knex) => (knex.client.config.client === 'pg' ? 'entity_ref collate "C"' : 'entity_ref');

function where(knex: Knex, q: Knex.QueryBuilder, scope: SummaryScope): Knex.QueryBuilder {
  // A counted kind is a range of refs, `<kind>:` up to `<kind>;` (entity refs are stored lower-case,
  // as stringifyEntityRef writes them), so the index serves it; no kinds counts nothing.
  const ref = refColumn(knex);
  q.where(b => {
    b.whereRaw('1 = 0');
    for (const kind of scope.kinds.map(k => k.toLowerCase())) {
      b.orWhereRaw(`(${ref} >= ? and ${ref} < ?)`, [`${kind}:`, `${kind};`]);
    }
  });
  if (scope.lifecycle !== undefined) q.where('lifecycle', scope.lifecycle);
  const { owners, systems } = scope;
  if (owners) {
    const named = owners.filter(Boolean);
    q.where(b => {
      b.whereRaw('1 = 0');
      if (named.length > 0) b.orWhereIn('owner_ref', named);
      // Without an owner: null, or '' as an older write may have stored it.
      if (named.length < owners.length) b.orWhereNull('owner_ref').orWhere('owner_ref', '');
    });
  }
  if (systems) {
    if (systems.length === 0) q.whereRaw('1 = 0');
    else q.whereIn('system_ref', systems);
  }
  return q;
}

/** The summaries in scope, JSON columns parsed. */
export async function summariesIn(knex: Knex, scope: SummaryScope): Promise<EntitySummary[]> {
  const rows: SummaryListRow[] = await where(knex, knex(SUMMARIES).select(SUMMARY_COLUMNS), scope);
  return rows.map(fromRow);
}

/**
 * The entity list of a scope from the light columns (no JSON), in code-point order of entity ref,
 * after `after` if given, at most `limit` (undefined: all).
 */
export async function entityList(
  knex: Knex,
  scope: SummaryScope,
  page: { after?: string; limit?: number } = {},
): Promise<Rollup['entities']> {
  const q = where(knex, knex(SUMMARIES).select('entity_ref', 'owner_ref', 'type', 'stage', 'production_gate'), scope);
  const ref = refColumn(knex);
  if (page.after !== undefined) q.whereRaw(`${ref} > ?`, [page.after]);
  q.orderByRaw(ref);
  if (page.limit !== undefined) q.limit(page.limit);
  const rows: Array<Pick<SummaryListRow, 'entity_ref' | 'owner_ref' | 'type' | 'stage' | 'production_gate'>> = await q;
  return rows.map(r => ({
    entityRef: r.entity_ref,
    ownerRef: r.owner_ref ?? undefined,
    type: r.type ?? undefined,
    stage: Number(r.stage),
    productionGate: r.production_gate ?? undefined,
  }));
}
