import { EntityLookup, EntityResolver, ResolvedEntity } from './EntityResolver';

/** How long a read reuses the catalog's answer for the same lookup. */
export const ENTITY_LOOKUP_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The catalog's answer to an entity lookup, reused for a few seconds by reads (a scorecard read
 * is one stored row; without this, the catalog round trip is most of its cost) and by a batch of
 * evaluations (the daily snapshot: the same owner groups and approvers for every entity of a
 * page). Writes resolve through EntityResolver directly, always fresh. A failed lookup is not
 * reused; a catalog change (a new owner) reaches reads within the TTL.
 */
export class RecentEntityLookups {
  private readonly cache = new Map<string, { until: number; resolved: Promise<ResolvedEntity> }>();

  constructor(
    private readonly entities: Pick<EntityResolver, 'resolve'>,
    private readonly options: {
      ttlMs?: number;
      now?: () => number;
      /** Reuse "not in the catalog" as an answer too (a batch: the same missing approver for every entity). */
      keepNotFound?: boolean;
    } = {},
  ) {}

  /** As EntityResolver.resolve; `anyKind` lookups are cached apart from the others. */
  resolve(lookup: EntityLookup, options: { anyKind?: boolean } = {}): Promise<ResolvedEntity> {
    const key = JSON.stringify([lookup.entityRef ?? null, lookup.repository ?? null, !!options.anyKind]);
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.resolved;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    const resolved = options.anyKind ? this.entities.resolve(lookup, options) : this.entities.resolve(lookup);
    this.cache.set(key, { until: now + (this.options.ttlMs ?? ENTITY_LOOKUP_TTL_MS), resolved });
    resolved.catch(error => {
      if (this.options.keepNotFound && (error as Error)?.name === 'NotFoundError') return;
      if (this.cache.get(key)?.resolved === resolved) this.cache.delete(key);
    });
    return resolved;
  }
}
