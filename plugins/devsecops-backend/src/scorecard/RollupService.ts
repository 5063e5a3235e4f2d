import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Rollup, RollupHistory } from '@devsecops-scorecard/plugin-devsecops-common';
import { aggregate, finalize, mergePartials, partialOf, RollupPartial } from '../evaluate/rollup';
import { SummaryScope } from '../store/rollupQueries';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { snapshotAll } from './dailySnapshot';
import { ScorecardService } from './ScorecardService';
import { ownerPartials, partialFor } from './RollupPartials';
import { encodeCursor, EntitiesPaging, parseEntitiesPaging } from './rollupEntitiesPage';

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

  /**
   * The roll-up of a scope with its entity list whole, none or one page (`paging`). A group or
   * the org merges the stored per-owner partials (only owners written since are recomputed:
   * RollupPartials), so its cost follows the number of teams, not of entities; a system or
   * domain reads the summaries of its systems only. The entity list comes from the summaries'
   * light columns, page by page in entity ref order.
   */
  async rollup(query: RollupQuery, paging: EntitiesPaging = {}): Promise<Rollup> {
    if (query.lifecycle !== undefined && typeof query.lifecycle !== 'string') {
      throw new InputError('Pass one lifecycle');
    }
    const { controlIds } = this.options;
    const target = await this.resolve(query, () => this.groups());
    const page = parseEntitiesPaging(paging);
    const sqlScope: SummaryScope = {
      kinds: this.options.scorecards.entityKinds,
      lifecycle: query.lifecycle || undefined,
      owners: target.owners && [...target.owners],
      systems: target.systems,
    };
    const teamRow = (ref: string, partial: RollupPartial) => {
      const { entities: _entities, ...rest } = finalize({ kind: 'group', ref }, partial, controlIds, []);
      return rest;
    };
    let rollup: Rollup;
    let entities: Rollup['entities'] | undefined;
    if (target.systems) {
      const summaries = await this.options.summaries.summariesIn(sqlScope);
      rollup = aggregate(target.scope, summaries, controlIds) as Rollup;
      entities = rollup.entities;
      const byOwner = new Map<string, EntitySummary[]>();
      for (const summary of summaries) {
        if (!summary.ownerRef) continue;
        const owned = byOwner.get(summary.ownerRef);
        if (owned) owned.push(summary);
        else byOwner.set(summary.ownerRef, [summary]);
      }
      rollup.owners = [...byOwner.keys()].sort().map(owner => teamRow(owner, partialOf(byOwner.get(owner)!)));
    } else {
      const inScope = new Map<string, RollupPartial>();
      for (const [owner, byLifecycle] of await ownerPartials(this.options.summaries, sqlScope.kinds, sqlScope.owners)) {
        const partial = partialFor(byLifecycle, sqlScope.lifecycle);
        if (partial && partial.entityCount > 0) inScope.set(owner, partial);
      }
      rollup = finalize(target.scope, mergePartials(inScope.values()), controlIds, []) as Rollup;
      rollup.owners = [...inScope.keys()].filter(Boolean).sort().map(owner => teamRow(owner, inScope.get(owner)!));
      const { groups, scope } = target;
      if (groups && scope.ref) {
        rollup.children = (groups.get(scope.ref) ?? []).map(child => {
          const below = subtree(groups, child);
          return teamRow(child, mergePartials([...inScope].filter(([owner]) => below.has(owner)).map(([, p]) => p)));
        });
      }
    }
    if (page.limit === undefined) {
      rollup.entities = entities ?? (await this.options.summaries.entityList(sqlScope));
      return rollup;
    }
    // One more than the page says whether another follows.
    const list = page.limit === 0 ? [] : await this.options.summaries.entityList(sqlScope, { after: page.after, limit: page.limit + 1 });
    rollup.entities = list.slice(0, page.limit);
    const last = rollup.entities[rollup.entities.length - 1];
    rollup.entitiesPage = { total: rollup.entityCount, ...(list.length > page.limit ? { nextCursor: encodeCursor(last.entityRef) } : {}) };
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
    const target = await this.resolve(query, loaded?.groups ?? (() => this.groups()));
    // Only the counted kinds (devsecops.scorecard.entityKinds), whatever rows an older version
    // stored for other kinds.
    const all = (loaded?.all ?? ((await this.options.summaries.all()) as unknown as S[])).filter(
      s => this.options.scorecards.counts(s.entityRef) && (!query.lifecycle || s.lifecycle === query.lifecycle),
    );
    const { owners } = target;
    const systems = target.systems && new Set(target.systems);
    let summaries = all;
    if (owners) summaries = ownedBy(all, owners);
    else if (systems) summaries = all.filter(s => s.systemRef && systems.has(s.systemRef));
    return { scope: target.scope, summaries, groups: target.groups };
  }

  /** What a query's scope covers: a group's subtree of owners, a system or a domain's systems, or all. */
  private async resolve(
    query: RollupQuery,
    groupsOf: () => Promise<Map<string, string[]>>,
  ): Promise<{ scope: Rollup['scope']; groups?: Map<string, string[]>; owners?: Set<string>; systems?: string[] }> {
    const given = [query.group, query.system, query.domain].filter(Boolean);
    if (given.length > 1) {
      throw new InputError('Roll up by one of group, system or domain, not several');
    }
    if (query.group) {
      const ref = this.ref(query.group, 'group');
      const groups = await groupsOf();
      if (!groups.has(ref)) throw new NotFoundError(`No catalog group ${ref}`);
      return { scope: { kind: 'group', ref }, groups, owners: subtree(groups, ref) };
    }
    if (query.system) {
      const ref = this.ref(query.system, 'system');
      await this.mustExist(ref);
      return { scope: { kind: 'system', ref }, systems: [ref] };
    }
    if (query.domain) {
      const ref = this.ref(query.domain, 'domain');
      await this.mustExist(ref);
      const { items: systems } = await this.options.catalog.getEntities(
        { filter: { kind: 'System', 'spec.domain': parseEntityRef(ref).name }, fields: ['kind', 'metadata.name', 'metadata.namespace'] },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      return { scope: { kind: 'domain', ref }, systems: [...new Set(systems.map(s => stringifyEntityRef(s)))] };
    }
    return { scope: { kind: 'org' } };
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
