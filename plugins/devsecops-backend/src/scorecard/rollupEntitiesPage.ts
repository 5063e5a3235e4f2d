import { InputError } from '@backstage/errors';
import { Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { MAX_PAGE } from '../validation/query';

/** What a roll-up request asks of its entity list: all of it (absent), none (0) or a page. */
export interface EntitiesPaging {
  /** `entitiesLimit`, 0..MAX_PAGE as text; absent: the whole list (as before paging existed). */
  entitiesLimit?: string;
  /** `entitiesCursor` from a previous page's `entitiesPage.nextCursor`. */
  entitiesCursor?: string;
}

const CURSOR_PREFIX = 'after:';

/**
 * Cuts a roll-up's entity list (sorted by entity ref) to one page: the aggregates and the team
 * rows stay whole, so a compact roll-up is `entitiesLimit=0` and the list is read page by page
 * with `entitiesCursor`. `entitiesPage` says how many there are and where the next page starts.
 */
export function pageRollupEntities(rollup: Rollup, paging: EntitiesPaging): Rollup {
  if (paging.entitiesLimit === undefined) {
    if (paging.entitiesCursor !== undefined) throw new InputError('entitiesCursor needs entitiesLimit');
    return rollup;
  }
  const limit = Number(paging.entitiesLimit);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE) {
    throw new InputError(`entitiesLimit must be between 0 and ${MAX_PAGE}`);
  }
  const after = paging.entitiesCursor === undefined ? undefined : decodeCursor(paging.entitiesCursor);
  const all = rollup.entities;
  let start = 0;
  if (after !== undefined) {
    // First entity after the cursor's ref (binary search: the list is sorted by ref).
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].entityRef.localeCompare(after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const entities = all.slice(start, start + limit);
  const more = limit > 0 && start + limit < all.length;
  return {
    ...rollup,
    entities,
    entitiesPage: {
      total: all.length,
      ...(more ? { nextCursor: encodeCursor(entities[entities.length - 1].entityRef) } : {}),
    },
  };
}

function encodeCursor(entityRef: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${entityRef}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,700}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(CURSOR_PREFIX) || text.length === CURSOR_PREFIX.length) {
    throw new InputError('entitiesCursor is not a cursor this API gave out: pass entitiesPage.nextCursor of the previous page');
  }
  return text.slice(CURSOR_PREFIX.length);
}
