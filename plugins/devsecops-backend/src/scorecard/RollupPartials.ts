import { mergePartials, partialOf, RollupPartial } from '../evaluate/rollup';
import { StoredPartials } from '../store/OwnerRollupStore';
import { SummaryStore } from '../store/SummaryStore';

/** Owner ref ('' for none) → lifecycle ('' for none) → the roll-up partial of its counted summaries. */
export type PartialsByOwner = Map<string, Record<string, RollupPartial>>;

/**
 * The current roll-up partials of these owners (undefined: every owner). Fresh rows are used as
 * stored; the stale ones (a summary of theirs was written since) are recomputed from their
 * summaries in one read and stored (store/OwnerRollupStore explains why this is safe across
 * instances). With no write since the last call, no summary is read at all.
 */
export async function ownerPartials(summaries: SummaryStore, kinds: string[], owners?: string[]): Promise<PartialsByOwner> {
  // The partials count the counted kinds of when they were computed: other kinds make them stale.
  const kindsKey = kinds.map(k => k.toLowerCase()).sort().join(',');
  const out: PartialsByOwner = new Map();
  // The versions are read first, the summaries after (the order the safety argument needs).
  const rows = await summaries.ownerRollups.read(owners);
  const stale = rows.filter(row => {
    const fresh = row.partials && row.computedVersion === row.version && row.partials.kinds === kindsKey;
    if (fresh) out.set(row.ownerRef, row.partials!.byLifecycle);
    return !fresh;
  });
  if (stale.length === 0) return out;
  const byOwner = new Map<string, Map<string, Parameters<typeof partialOf>[0]>>();
  for (const s of await summaries.summariesIn({ kinds, owners: stale.map(r => r.ownerRef) })) {
    const owner = s.ownerRef || '';
    const byLifecycle = byOwner.get(owner) ?? new Map();
    byOwner.set(owner, byLifecycle);
    const lifecycle = s.lifecycle || '';
    const list = byLifecycle.get(lifecycle);
    if (list) list.push(s);
    else byLifecycle.set(lifecycle, [s]);
  }
  const computed = stale.map(row => ({
    ownerRef: row.ownerRef,
    version: row.version,
    partials: {
      kinds: kindsKey,
      byLifecycle: Object.fromEntries([...(byOwner.get(row.ownerRef) ?? [])].map(([l, list]) => [l, partialOf(list)])),
    } as StoredPartials,
  }));
  await summaries.ownerRollups.store(computed);
  for (const { ownerRef, partials } of computed) out.set(ownerRef, partials.byLifecycle);
  return out;
}

// An owner's partials are kept parsed while current (OwnerRollupStore), so their merge over all
// lifecycles is kept with them (nothing mutates a partial once computed).
const allLifecycles = new WeakMap<Record<string, RollupPartial>, RollupPartial>();

/** An owner's partial for a lifecycle filter (undefined: all lifecycles). */
export function partialFor(byLifecycle: Record<string, RollupPartial>, lifecycle?: string): RollupPartial | undefined {
  if (lifecycle) return byLifecycle[lifecycle];
  let all = allLifecycles.get(byLifecycle);
  if (!all) {
    all = mergePartials(Object.values(byLifecycle));
    allLifecycles.set(byLifecycle, all);
  }
  return all;
}
