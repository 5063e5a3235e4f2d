import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CatalogColumns, SummaryStore } from '../store/SummaryStore';
import { catalogColumnsOf, ScorecardService } from './ScorecardService';

/** Catalog entities read per page, and summary rows snapshotted per statement. */
const PAGE = 500;
/** Bound on the catch-up rounds of the refresh before a snapshot (each up to PAGE entities). */
const MAX_CATCH_UP_ROUNDS = 1000;
/** The catalog fields a summary keeps (what decides whether a stored summary still describes it). */
const CATALOG_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
  'spec.system',
  'spec.domain',
  'spec.type',
  'spec.lifecycle',
];

const sameColumns = (a: CatalogColumns, b: CatalogColumns) =>
  a.ownerRef === b.ownerRef &&
  a.systemRef === b.systemRef &&
  a.domainRef === b.domainRef &&
  a.type === b.type &&
  a.lifecycle === b.lifecycle;

/**
 * Today's snapshot of every counted catalog entity, set-based. Stored summaries are current
 * (every write refreshes its entity, and the refresh job moves them across time-based changes),
 * so the snapshot copies them, one statement per page of entities, and evaluates only:
 * scorecards whose instant has passed without the job (caught up first), catalog entities with
 * no summary yet (nothing was ever recorded: they count at stage 0), and those whose catalog
 * owner, system, domain, type or lifecycle changed since their summary — a page's worth a few at a
 * time, sharing the catalog's answers (ScorecardService.evaluateMany). Memory holds one page.
 * Re-running it the same day replaces that day's snapshot.
 */
export async function snapshotAll(
  o: {
    catalog: CatalogService;
    auth: AuthService;
    summaries: SummaryStore;
    scorecards: ScorecardService;
    logger: LoggerService;
  },
  now: Date,
): Promise<{ count: number; evaluated: number }> {
  for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
    const done = await o.scorecards.refreshAhead({ ms: 0, limit: PAGE });
    if (done.promoted + done.late < PAGE) break;
  }
  const credentials = await o.auth.getOwnServiceCredentials();
  const day = now.toISOString().slice(0, 10);
  let count = 0;
  let evaluated = 0;
  let cursor: string | undefined;
  do {
    const page: { items: Entity[]; pageInfo?: { nextCursor?: string } } = await o.catalog.queryEntities(
      cursor
        ? { cursor, limit: PAGE, fields: CATALOG_FIELDS }
        : { filter: { kind: o.scorecards.entityKinds }, limit: PAGE, fields: CATALOG_FIELDS },
      { credentials },
    );
    const refs = page.items.map(e => stringifyEntityRef(e));
    const stored = await o.summaries.catalogColumns(refs);
    const ready: string[] = [];
    const toEvaluate: Entity[] = [];
    for (const entity of page.items) {
      const ref = stringifyEntityRef(entity);
      const row = stored.get(ref);
      if (row && sameColumns(row, catalogColumnsOf(entity))) ready.push(ref);
      else toEvaluate.push(entity);
    }
    if (toEvaluate.length > 0) {
      const done = await o.scorecards.evaluateMany(toEvaluate);
      for (const { entityRef, error } of done.failed) o.logger.warn(`Could not snapshot ${entityRef}: ${error}`);
      evaluated += done.evaluated.length;
      ready.push(...done.evaluated);
    }
    count += await o.summaries.snapshotStored(ready, day);
    cursor = page.pageInfo?.nextCursor;
  } while (cursor);
  return { count, evaluated };
}
