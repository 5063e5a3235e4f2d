import { InputError } from '@backstage/errors';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { ControlCatalog } from '../config/ControlCatalog';

/** The largest page any list endpoint serves. */
export const MAX_PAGE = 500;

/** `limit` (1..MAX_PAGE, default 50) and `offset` (default 0) of a list request. */
export function paging(query: { limit?: string; offset?: string }) {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (limit < 1 || limit > MAX_PAGE) {
    throw new InputError(`limit must be between 1 and ${MAX_PAGE}`);
  }
  return { limit, offset: query.offset === undefined ? 0 : Number(query.offset) };
}

/** A comma list, each value once; absent when empty. */
export function csv(value?: string): string[] | undefined {
  return value ? [...new Set(value.split(','))] : undefined;
}

/** A comma list of control ids, each a configured control; else a 400 naming the unknown one. */
export function knownControls(controls: ControlCatalog, value?: string): string[] | undefined {
  const ids = csv(value);
  if (ids) controls.assertKnown(ids);
  return ids;
}

/** An artifact digest filter in algorithm:hex form, normalised. */
export function optionalDigest(value?: string): string | undefined {
  if (value === undefined) return undefined;
  const digest = normalizeDigest(value);
  if (!digest) {
    throw new InputError(`Malformed artifact digest '${value}': use algorithm:hex`);
  }
  return digest;
}

/** `days` of a history request: 1..730, default 90. */
export function historyDays(value?: string | number): number {
  const days = value === undefined ? 90 : Number(value);
  if (days < 1 || days > 730) throw new InputError('days must be between 1 and 730');
  return days;
}
