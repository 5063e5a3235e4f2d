import { InputError } from '@backstage/errors';
import { MAX_PAGE } from '../validation/query';

/** What a roll-up request asks of its entity list: all of it (absent), none (0) or a page. */
export interface EntitiesPaging {
  /** `entitiesLimit`, 0..MAX_PAGE as text; absent: the whole list (as before paging existed). */
  entitiesLimit?: string;
  /** `entitiesCursor` from a previous page's `entitiesPage.nextCursor`. */
  entitiesCursor?: string;
}

/** A checked EntitiesPaging: limit undefined is the whole list; `after` the last ref of the previous page. */
export interface EntitiesPage {
  limit?: number;
  after?: string;
}

const CURSOR_PREFIX = 'after:';

/**
 * Checks what a roll-up request asks of its entity list (the aggregates and the team rows stay
 * whole, so a compact roll-up is `entitiesLimit=0` and the list is read page by page with
 * `entitiesCursor`, in entity ref order). 400 for a limit out of range or a cursor not given out.
 */
export function parseEntitiesPaging(paging: EntitiesPaging): EntitiesPage {
  if (paging.entitiesLimit === undefined) {
    if (paging.entitiesCursor !== undefined) throw new InputError('entitiesCursor needs entitiesLimit');
    return {};
  }
  const limit = Number(paging.entitiesLimit);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE) {
    throw new InputError(`entitiesLimit must be between 0 and ${MAX_PAGE}`);
  }
  return { limit, after: paging.entitiesCursor === undefined ? undefined : decodeCursor(paging.entitiesCursor) };
}

/** The cursor of the page after the one ending with this entity ref. */
export function encodeCursor(entityRef: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${entityRef}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: unknown): string {
  const text = typeof cursor === 'string' && /^[A-Za-z0-9_-]{1,700}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(CURSOR_PREFIX) || text.length === CURSOR_PREFIX.length) {
    throw new InputError('entitiesCursor is not a cursor this API gave out: pass entitiesPage.nextCursor of the previous page');
  }
  return text.slice(CURSOR_PREFIX.length);
}
