import { Knex } from 'knex';
import type { RollupPartial } from '../evaluate/rollup';

const OWNER_ROLLUPS = 'devsecops_owner_rollups';

interface OwnerRollupRow {
  owner_ref: string;
  version: number | string;
  computed_version: number | string | null;
  /** JSON: StoredPartials. */
  partials: string | null;
}

/** One owner's roll-up partials as stored: for which counted kinds, and per lifecycle ('' = none). */
export interface StoredPartials {
  kinds: string;
  byLifecycle: Record<string, RollupPartial>;
}

/** An owner's row: fresh iff computedVersion === version. */
export interface OwnerRollup {
  /** '' for the summaries without an owner. */
  ownerRef: string;
  version: number;
  computedVersion?: number;
  partials?: StoredPartials;
}

/**
 * Owns devsecops_owner_rollups: per owning team, the roll-up partials of its summaries and the
 * version that says whether they are still current (roll-ups merge these instead of reading every
 * summary; scorecard/RollupPartials).
 *
 * Kept current without transactions, safe across instances:
 * - a summary write bumps the version of every owner it touches AFTER writing the summary (bump);
 * - a recompute reads the version v FIRST, then the owner's summaries, then stores its partials
 *   at v unless a newer computation is already stored (store).
 * A write whose bump produced a version ≤ v finished before that bump, so before the recompute
 * read v, so before it read the summaries: the partials include it. A write the recompute did
 * not see bumps the version past v afterwards, so the row stays (or becomes) stale and the next
 * roll-up recomputes it. Two instances recomputing at once both store a result that is correct
 * for the version they read, and an older one never replaces a newer one.
 */
export class OwnerRollupStore {
  constructor(private readonly knex: Knex) {}

  /** Marks these owners' partials stale (undefined or null: the summaries without an owner). */
  async bump(ownerRefs: Array<string | null | undefined>): Promise<void> {
    for (const ownerRef of new Set(ownerRefs.map(o => o ?? ''))) {
      await this.knex<OwnerRollupRow>(OWNER_ROLLUPS)
        .insert({ owner_ref: ownerRef, version: 1 })
        .onConflict('owner_ref')
        .merge({ version: this.knex.raw('?? + 1', [`${OWNER_ROLLUPS}.version`]) as unknown as number });
    }
  }

  /** The rows of these owners (undefined: every owner), partials parsed. */
  async read(ownerRefs?: string[]): Promise<OwnerRollup[]> {
    const rows: OwnerRollupRow[] = [];
    if (!ownerRefs) rows.push(...(await this.knex<OwnerRollupRow>(OWNER_ROLLUPS).select('*')));
    for (let i = 0; ownerRefs && i < ownerRefs.length; i += 500) {
      rows.push(...(await this.knex<OwnerRollupRow>(OWNER_ROLLUPS).select('*').whereIn('owner_ref', ownerRefs.slice(i, i + 500))));
    }
    return rows.map(r => ({
      ownerRef: r.owner_ref,
      version: Number(r.version),
      computedVersion: r.computed_version === null ? undefined : Number(r.computed_version),
      partials: r.partials ? JSON.parse(r.partials) : undefined,
    }));
  }

  /**
   * Stores partials computed from summaries read after the owner's version was `version`, unless
   * the row holds a computation of a later version (see the class comment). Returns whether stored.
   */
  async store(ownerRef: string, version: number, partials: StoredPartials): Promise<boolean> {
    const updated = await this.knex<OwnerRollupRow>(OWNER_ROLLUPS)
      .where({ owner_ref: ownerRef })
      .where(q => q.whereNull('computed_version').orWhere('computed_version', '<=', version))
      .update({ computed_version: version, partials: JSON.stringify(partials) });
    return updated > 0;
  }
}
