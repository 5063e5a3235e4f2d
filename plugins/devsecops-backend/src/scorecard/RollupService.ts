import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { aggregate } from '../evaluate/rollup';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { ScorecardService } from './ScorecardService';

/** Kinds the scorecard evaluates. */
export const SCORED_KINDS = ['Component'];

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

  async rollup(query: { group?: string; system?: string; domain?: string }): Promise<Rollup> {
    const given = [query.group, query.system, query.domain].filter(Boolean);
    if (given.length > 1) {
      throw new InputError('Roll up by one of group, system or domain, not several');
    }
    const all = await this.options.summaries.all();
    if (query.group) return this.byGroup(this.ref(query.group, 'group'), all);
    if (query.system) {
      const ref = this.ref(query.system, 'system');
      await this.mustExist(ref);
      return aggregate({ kind: 'system', ref }, all.filter(s => s.systemRef === ref), this.options.controlIds);
    }
    if (query.domain) {
      const ref = this.ref(query.domain, 'domain');
      await this.mustExist(ref);
      const { items: systems } = await this.options.catalog.getEntities(
        { filter: { kind: 'System', 'spec.domain': parseEntityRef(ref).name }, fields: ['kind', 'metadata.name', 'metadata.namespace'] },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      const systemRefs = new Set(systems.map(s => stringifyEntityRef(s)));
      return aggregate({ kind: 'domain', ref }, all.filter(s => s.systemRef && systemRefs.has(s.systemRef)), this.options.controlIds);
    }
    return aggregate({ kind: 'org' }, all, this.options.controlIds);
  }

  private async byGroup(ref: string, all: EntitySummary[]): Promise<Rollup> {
    const groups = await this.groups();
    if (!groups.has(ref)) throw new NotFoundError(`No catalog group ${ref}`);
    const subtree = (root: string) => {
      const out = new Set<string>();
      const stack = [root];
      while (stack.length > 0) {
        const current = stack.pop()!;
        if (out.has(current)) continue; // cycles in the catalog must not hang us
        out.add(current);
        stack.push(...(groups.get(current) ?? []));
      }
      return out;
    };
    const owned = (refs: Set<string>) => all.filter(s => s.ownerRef && refs.has(s.ownerRef));
    const rollup = aggregate({ kind: 'group', ref }, owned(subtree(ref)), this.options.controlIds) as Rollup;
    rollup.children = (groups.get(ref) ?? []).map(child => {
      const { entities: _entities, ...rest } = aggregate(
        { kind: 'group', ref: child },
        owned(subtree(child)),
        this.options.controlIds,
      );
      return rest;
    });
    return rollup;
  }

  /** Group ref → direct child group refs, from spec.children and spec.parent. */
  private async groups(): Promise<Map<string, string[]>> {
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
   * Evaluates every scored catalog entity and writes today's snapshot; run daily (once across
   * instances). Re-running the same day replaces that day's snapshot, so it is idempotent.
   */
  async snapshotAll(now: Date): Promise<number> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const day = now.toISOString().slice(0, 10);
    let count = 0;
    let cursor: string | undefined;
    do {
      const page: any = await this.options.catalog.queryEntities(
        cursor ? { cursor, limit: 200 } : { filter: { kind: SCORED_KINDS }, limit: 200 },
        { credentials },
      );
      for (const entity of page.items as Entity[]) {
        try {
          const summary = await this.options.scorecards.summaryOf(entity);
          await this.options.summaries.snapshot(summary, day);
          count++;
        } catch (error) {
          this.options.logger.warn(`Could not snapshot ${stringifyEntityRef(entity)}: ${error}`);
        }
      }
      cursor = page.pageInfo?.nextCursor;
    } while (cursor);
    return count;
  }
}
