import { AuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CrossServiceFinding, RecurringFindingsResponse, SharedByServices } from '@devsecops-scorecard/plugin-devsecops-common';
import { ReadScope } from '../permissions/readScope';
import { RollupService } from '../scorecard/RollupService';
import { organisationGroup } from './orgGroup';
import { MAX_SCOPE_ENTITIES, RecurringFindingQueries, RecurringMemberRow } from '../store/RecurringFindingQueries';

/** At most this many recurring findings are listed, most widespread first. */
const MAX_ITEMS = 100;

/**
 * Recurring findings: the same rule, CVE or misconfiguration open in at least `minServices`
 * services of a group (or the org) that the caller may read, with what those services share — the
 * base image and components of their SBOMs, the reusable workflows they call — so the platform
 * team can fix it once in a template.
 */
export class RecurringFindingsService {
  constructor(
    private readonly o: {
      rollups: RollupService;
      queries: RecurringFindingQueries;
      /** `devsecops.reviews.recurringFindings.minServices`: the default of `minServices`. */
      defaultMinServices: number;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  async list(query: { group?: string; lifecycle?: string; minServices?: string }, readScope: ReadScope): Promise<RecurringFindingsResponse> {
    const minServices = query.minServices === undefined ? this.o.defaultMinServices : Number(query.minServices);
    if (!Number.isInteger(minServices) || minServices < 2 || minServices > 1000) {
      throw new InputError('minServices must be an integer from 2 to 1000');
    }
    const { scope, summaries } = await this.o.rollups.scoped({ group: query.group, lifecycle: query.lifecycle });
    // devsecops.entity.read: only services whose findings the caller may read are counted.
    const readable = readScope.all ? undefined : new Set(readScope.entityRefs);
    const entityRefs = summaries.map(s => s.entityRef).filter(ref => !readable || readable.has(ref));
    if (entityRefs.length > MAX_SCOPE_ENTITIES) {
      throw new InputError(`The scope has ${entityRefs.length} services, more than ${MAX_SCOPE_ENTITIES}; pass a group`);
    }
    const groups = await this.o.queries.groups(entityRefs, minServices, MAX_ITEMS);
    const members = await this.o.queries.members(entityRefs, [...new Set(groups.map(g => g.key))]);
    const affected = [...new Set(members.map(m => m.entityRef))];
    const packageNames = [...new Set(members.flatMap(m => (m.packageName ? [m.packageName] : [])))];
    const components = await this.o.queries.components(affected, packageNames);
    const workflows = new Map(
      (await this.o.queries.reusableWorkflows(affected)).map(w => [w.entityRef, workflowsCalled(w.calls)]),
    );

    const items = groups.map((group): CrossServiceFinding => {
      const rows = members.filter(m => m.kind === group.kind && m.key === group.key);
      const services = new Set(rows.map(r => r.entityRef));
      const packages = new Set(rows.flatMap(r => (r.packageName ? [r.packageName] : [])));
      const mine = components.filter(c => services.has(c.entityRef));
      return {
        key: group.key,
        kind: group.kind,
        title: group.title,
        severity: group.severity,
        services: group.services,
        entityRefs: [...services].sort(),
        ownerRefs: [...new Set(rows.flatMap(r => (r.ownerRef ? [r.ownerRef] : [])))].sort(),
        controls: [...new Set(rows.map(r => r.control))].sort(),
        packages: countShared(rows.flatMap(packageOf), 1),
        firstSeenAt: group.firstSeenAt,
        shared: {
          baseImages: countShared(mine.filter(c => c.baseImage).map(c => ({ entityRef: c.entityRef, name: c.name, version: c.version }))),
          components: countShared(
            mine.filter(c => !c.baseImage && packages.has(c.name)).map(c => ({ entityRef: c.entityRef, name: c.name, version: c.version })),
          ),
          workflows: countShared(
            [...services].flatMap(entityRef => (workflows.get(entityRef) ?? []).map(name => ({ entityRef, name }))),
          ),
        },
      };
    });
    const feedbackScopeRef = scope.kind === 'group' ? scope.ref : await organisationGroup(this.o.catalog, this.o.auth);
    return {
      minServices,
      scope: scope.kind === 'group' ? { kind: 'group', ref: scope.ref } : { kind: 'org' },
      ...(feedbackScopeRef ? { feedbackScopeRef } : {}),
      items,
    };
  }
}

function packageOf(row: RecurringMemberRow) {
  return row.packageName ? [{ entityRef: row.entityRef, name: row.packageName, version: row.packageVersion }] : [];
}

/** How many distinct services have each name@version, kept when at least `atLeast` do; most first. */
function countShared(
  sightings: Array<{ entityRef: string; name: string; version?: string }>,
  atLeast = 2,
): SharedByServices[] {
  const byItem = new Map<string, { name: string; version?: string; services: Set<string> }>();
  for (const s of sightings) {
    const id = `${s.name}\u0000${s.version ?? ''}`;
    const item = byItem.get(id) ?? { name: s.name, ...(s.version ? { version: s.version } : {}), services: new Set<string>() };
    item.services.add(s.entityRef);
    byItem.set(id, item);
  }
  return [...byItem.values()]
    .filter(item => item.services.size >= atLeast)
    .map(({ services, ...item }) => ({ ...item, services: services.size }))
    .sort((a, b) => b.services - a.services || a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? ''));
}

/**
 * The reusable workflows (`owner/repo/.github/workflows/file.yml`) of a `ci.reusable_workflows`
 * fact; the ref is left out: services on different refs of one workflow share its template.
 */
function workflowsCalled(calls: unknown): string[] {
  if (!Array.isArray(calls)) return [];
  const out = new Set<string>();
  for (const call of calls) {
    if (!call || typeof call !== 'object') continue;
    const { workflow } = call as { workflow?: unknown };
    if (typeof workflow === 'string' && workflow) out.add(workflow);
  }
  return [...out];
}
