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
  /** Partials this instance parsed or stored, by owner, with the version they were computed at. */
  private readonly parsed = new Map<string, { computedVersion: number; partials: StoredPartials }>();

  constructor(private readonly knex: Knex) {}

  /**
   * Marks these owners' partials stale (undefined or null: the summaries without an owner); in
   * `tx` when given (SummaryStore.upsert), owners in one order so two writers never deadlock.
   */
  async bump(ownerRefs: Array<string | null | undefined>, tx: Knex = this.knex): Promise<void> {
    for (const ownerRef of [...new Set(ownerRefs.map(o => o ?? ''))].sort()) {
      await tx<OwnerRollupRow>(OWNER_ROLLUPS)
        .insert({ owner_ref: ownerRef, version: 1 })
        .onConflict('owner_ref')
        .merge({ version: tx.raw('?? + 1', [`${OWNER_ROLLUPS}.version`]) as unknown as number });
    }
  }

  /**
   * The rows of these owners (undefined: every owner), with the partials of the fresh ones. The
   * versions are read first, in one small query; the partials text (a few KB per owner) only of
   * fresh rows this instance has not parsed at that computed version yet (parsed ones are kept),
   * so a roll-up with nothing written since reads a few bytes per team.
   */
  async read(ownerRefs?: string[]): Promise<OwnerRollup[]> {
    const rows = await this.select(['owner_ref', 'version', 'computed_version'], ownerRefs);
    const out: OwnerRollup[] = rows.map(r => ({
      ownerRef: r.owner_ref,
      version: Number(r.version),
      computedVersion: r.computed_version === null ? undefined : Number(r.computed_version),
    }));
    const unparsed = out.filter(r => r.computedVersion === r.version && this.parsed.get(r.ownerRef)?.computedVersion !== r.version);
    if (unparsed.length > 0) {
      for (const r of await this.select(['owner_ref', 'computed_version', 'partials'], unparsed.map(u => u.ownerRef))) {
        if (r.partials === null || r.computed_version === null) continue;
        this.parsed.set(r.owner_ref, { computedVersion: Number(r.computed_version), partials: JSON.parse(r.partials) });
      }
    }
    for (const row of out) {
      const parsed = this.parsed.get(row.ownerRef);
      // Another computation may have been stored in between: then the row counts as stale.
      if (parsed && parsed.computedVersion === row.computedVersion) row.partials = parsed.partials;
    }
    return out;
  }

  private async select(columns: Array<keyof OwnerRollupRow>, ownerRefs?: string[]): Promise<OwnerRollupRow[]> {
    if (!ownerRefs) return this.knex<OwnerRollupRow>(OWNER_ROLLUPS).select(columns);
    const rows: OwnerRollupRow[] = [];
    for (let i = 0; i < ownerRefs.length; i += 500) {
      rows.push(...(await this.knex<OwnerRollupRow>(OWNER_ROLLUPS).select(columns).whereIn('owner_ref', ownerRefs.slice(i, i + 500))));
    }
    return rows;
  }

  /**
   * Stores partials computed from summaries read after the owner's version was `version`, unless
   * the row holds a computation of a later version (see the class comment); several owners in one
   * transaction (one commit instead of one per owner; each update still decides on its own).
   * Returns the owners stored.
   */
  async store(computed: Array<{ ownerRef: string; version: number; partials: StoredPartials }>): Promise<string[]> {
    const stored: string[] = [];
    await this.knex.transaction(async tx => {
      for (const { ownerRef, version, partials } of computed) {
        const updated = await tx<OwnerRollupRow>(OWNER_ROLLUPS)
          .where({ owner_ref: ownerRef })
          .where(q => q.whereNull('computed_version').orWhere('computed_version', '<=', version))
          .update({ computed_version: version, partials: JSON.stringify(partials) });
        if (updated > 0) stored.push(ownerRef);
      }
    });
    for (const { ownerRef, version, partials } of computed) {
      if (stored.includes(ownerRef)) this.parsed.set(ownerRef, { computedVersion: version, partials });
    }
    return stored;
  }
}
