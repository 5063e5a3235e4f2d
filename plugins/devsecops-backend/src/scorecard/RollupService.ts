import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Rollup, RollupHistory } from '@devsecops-scorecard/plugin-devsecops-common';
import { aggregate } from '../evaluate/rollup';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { snapshotAll } from './dailySnapshot';
import { ScorecardService } from './ScorecardService';

export interface RollupQuery {
  group?: string;
  system?: string;
  domain?: string;
  /** Only entities in this catalog lifecycle (production, experimental, …). */
  lifecycle?: string;
}

/** Where a group's subtree starts: the group and every group below it (cycles tolerated). */
export function subtree(groups: Map<string, string[]>, root: string): Set<string> {
  const out = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (out.has(current)) continue; // cycles in the catalog must not hang us
    out.add(current);
    stack.push(...(groups.get(current) ?? []));
  }
  return out;
}

/** What scoping reads of a summary: campaigns pass lighter rows (store/SummaryStore goalStates). */
export type ScopedSummary = Pick<EntitySummary, 'entityRef' | 'ownerRef' | 'systemRef' | 'lifecycle'>;

const ownedBy = <S extends ScopedSummary>(summaries: S[], owners: Set<string>) =>
  summaries.filter(s => s.ownerRef && owners.has(s.ownerRef));

/**
 * Roll-ups read the per-entity summaries (kept current on every write and refreshed daily);
 * only the group hierarchy and a domain's systems come from the catalog.
 */
export class RollupService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      summaries: SummaryStore;
      scorecards: ScorecardService;
      controlIds: string[];
      logger: LoggerService;
    },
  ) {}

  async rollup(query: RollupQuery): Promise<Rollup> {
    const { scope, summaries, groups } = await this.scoped(query);
    const rollup = aggregate(scope, summaries, this.options.controlIds) as Rollup;
    const byOwner = new Map<string, EntitySummary[]>();
    for (const summary of summaries) {
      if (!summary.ownerRef) continue;
      const owned = byOwner.get(summary.ownerRef);
      if (owned) owned.push(summary);
      else byOwner.set(summary.ownerRef, [summary]);
    }
    rollup.owners = [...byOwner.keys()].sort().map(owner => {
      const { entities: _entities, ...rest } = aggregate(
        { kind: 'group', ref: owner },
        byOwner.get(owner)!,
        this.options.controlIds,
      );
      return rest;
    });
    if (groups && scope.ref) {
      rollup.children = (groups.get(scope.ref) ?? []).map(child => {
        const { entities: _entities, ...rest } = aggregate(
          { kind: 'group', ref: child },
          ownedBy(summaries, subtree(groups, child)),
          this.options.controlIds,
        );
        return rest;
      });
    }
    return rollup;
  }

  /**
   * The same roll-up for each day of the last `days` with snapshots, oldest first, over the
   * entities in scope today (a service that changed owner counts for its new team throughout).
   */
  async history(query: RollupQuery, days: number, now = new Date()): Promise<RollupHistory> {
    const { scope, summaries } = await this.scoped(query);
    const since = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const byDay = await this.options.summaries.historyOf(summaries.map(s => s.entityRef), since);
    const points = [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, snapshots]) => {
        const { entities: _entities, scope: _scope, ...rest } = aggregate(
          scope,
          snapshots,
          this.options.controlIds,
        );
        return { day, ...rest };
      });
    return { scope, lifecycle: query.lifecycle, days: points };
  }

  /**
   * The summaries a query selects: one of group (recursive), system, domain or all; then lifecycle.
   * Campaigns resolve many scopes at once and pass the summaries and group tree loaded once.
   */
  async scoped<S extends ScopedSummary = EntitySummary>(
    query: RollupQuery,
    loaded?: { all: S[]; groups: () => Promise<Map<string, string[]>> },
  ): Promise<{
    scope: Rollup['scope'];
    summaries: S[];
    groups?: Map<string, string[]>;
  }> {
    const given = [query.group, query.system, query.domain].filter(Boolean);
    if (given.length > 1) {
      throw new InputError('Roll up by one of group, system or domain, not several');
    }
    // Only the counted kinds (devsecops.scorecard.entityKinds), whatever rows an older version
    // stored for other kinds.
    const all = (loaded?.all ?? ((await this.options.summaries.all()) as unknown as S[])).filter(
      s => this.options.scorecards.counts(s.entityRef) && (!query.lifecycle || s.lifecycle === query.lifecycle),
    );
    if (query.group) {
      const ref = this.ref(query.group, 'group');
      const groups = await (loaded?.groups ?? (() => this.groups()))();
      if (!groups.has(ref)) throw new NotFoundError(`No catalog group ${ref}`);
      return { scope: { kind: 'group', ref }, summaries: ownedBy(all, subtree(groups, ref)), groups };
    }
    if (query.system) {
      const ref = this.ref(query.system, 'system');
      await this.mustExist(ref);
      return { scope: { kind: 'system', ref }, summaries: all.filter(s => s.systemRef === ref) };
    }
    if (query.domain) {
      const ref = this.ref(query.domain, 'domain');
      await this.mustExist(ref);
      const { items: systems } = await this.options.catalog.getEntities(
        { filter: { kind: 'System', 'spec.domain': parseEntityRef(ref).name }, fields: ['kind', 'metadata.name', 'metadata.namespace'] },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      const systemRefs = new Set(systems.map(s => stringifyEntityRef(s)));
      return {
        scope: { kind: 'domain', ref },
        summaries: all.filter(s => s.systemRef && systemRefs.has(s.systemRef)),
      };
    }
    return { scope: { kind: 'org' }, summaries: all };
  }

  /** Group ref → direct child group refs, from spec.children and spec.parent. */
  async groups(): Promise<Map<string, string[]>> {
    const { items } = await this.options.catalog.getEntities(
      { filter: { kind: 'Group' }, fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.parent', 'spec.children'] },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const children = new Map<string, Set<string>>();
    const refOf = (value: string, e: Entity) =>
      stringifyEntityRef(parseEntityRef(value, { defaultKind: 'group', defaultNamespace: e.metadata.namespace ?? 'default' }));
    for (const group of items) {
      const ref = stringifyEntityRef(group);
      if (!children.has(ref)) children.set(ref, new Set());
      const spec = (group.spec ?? {}) as { parent?: string; children?: string[] };
      for (const child of spec.children ?? []) children.get(ref)!.add(refOf(child, group));
      if (spec.parent) {
        const parent = refOf(spec.parent, group);
        if (!children.has(parent)) children.set(parent, new Set());
        children.get(parent)!.add(ref);
      }
    }
    return new Map([...children].map(([k, v]) => [k, [...v].sort()]));
  }

  private ref(value: string, kind: string): string {
    try {
      return stringifyEntityRef(parseEntityRef(value, { defaultKind: kind, defaultNamespace: 'default' }));
    } catch (error) {
      throw new InputError(`Malformed ${kind} ref '${value}': ${(error as Error).message}`);
    }
  }

  private async mustExist(ref: string) {
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (!entity) throw new NotFoundError(`No catalog entity ${ref}`);
  }

  /**
   * Today's snapshot of every counted catalog entity (devsecops.scorecard.entityKinds), copied
   * set-based from the stored summaries (dailySnapshot.ts); run daily (once across instances).
   * Re-running the same day replaces that day's snapshot, so it is idempotent.
   */
  async snapshotAll(now: Date): Promise<number> {
    return (await snapshotAll(this.options, now)).count;
  }
}
