import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { inRange, PackageQuery, purlBase } from '../portfolio/packageQuery';
import { fromDbTime } from './time';
import { DbTime } from './rowTypes';

/** One stored SBOM component of one entity's artifact, with who owns it and where it runs now. */
export interface ComponentMatch {
  entityRef: string;
  ownerRef?: string;
  /** '' for a source SBOM (no artifact). */
  artifactDigest?: string;
  name: string;
  version?: string;
  purl?: string;
  /** The environments whose newest successful deployment of the entity is this artifact. */
  deployedTo: Array<{ environment: string; deployedAt: string }>;
  reportId: string;
}

export interface ComponentSearchResult {
  items: ComponentMatch[];
  totalCount: number;
  /** Distinct entities among all matches (not just this page). */
  entityCount: number;
  limit: number;
  offset: number;
}

/** A search reads at most this many rows of one package name before the version filter. */
export const MAX_SCANNED_COMPONENTS = 50_000;

/**
 * Portfolio search over stored SBOM components (the newest SBOM of each artifact, or of the
 * entity for source SBOMs): by package name or purl, and a version range; with the owner recorded
 * at ingest and the environments each artifact is deployed to now. Reads devsecops_sbom_components
 * (by its name index), devsecops_reports (owner) and devsecops_deployments.
 */
export class ComponentSearchQueries {
  constructor(private readonly knex: Knex) {}

  async search(query: {
    package: PackageQuery;
    /** Read scope: only these entities (undefined: all). */
    entityRefs?: string[];
    limit: number;
    offset: number;
  }): Promise<ComponentSearchResult> {
    const { package: pkg } = query;
    if (query.entityRefs && query.entityRefs.length === 0) {
      return { items: [], totalCount: 0, entityCount: 0, limit: query.limit, offset: query.offset };
    }
    const rows: Array<{
      entity_ref: string;
      artifact_digest: string;
      name: string;
      version: string | null;
      purl: string | null;
      report_id: string;
      owner_ref: string | null;
    }> = await this.knex('devsecops_sbom_components as c')
      .join('devsecops_reports as r', 'r.id', 'c.report_id')
      .select('c.entity_ref', 'c.artifact_digest', 'c.name', 'c.version', 'c.purl', 'c.report_id', 'r.owner_ref')
      .where('c.name', pkg.name)
      .modify(q => {
        if (query.entityRefs) q.whereIn('c.entity_ref', query.entityRefs);
      })
      .orderBy([{ column: 'c.entity_ref' }, { column: 'c.artifact_digest' }, { column: 'c.version' }])
      .limit(MAX_SCANNED_COMPONENTS + 1);
    if (rows.length > MAX_SCANNED_COMPONENTS) {
      throw new InputError(
        `package: ${pkg.name} is in more than ${MAX_SCANNED_COMPONENTS} stored components; narrow the search with a purl or an entity`,
      );
    }
    // A purl query matches its own type and namespace only (the name index found the candidates).
    const matches = rows.filter(
      r => inRange(r.version, pkg.range) && (!pkg.purl || (r.purl !== null && purlBase(r.purl) === pkg.purl)),
    );
    // One row per entity, artifact and version (an SBOM can list a package twice).
    const unique = new Map<string, (typeof matches)[number]>();
    for (const r of matches) unique.set(`${r.entity_ref}\u0000${r.artifact_digest}\u0000${r.version ?? ''}\u0000${r.purl ?? ''}`, r);
    const all = [...unique.values()];
    const page = all.slice(query.offset, query.offset + query.limit);
    const deployed = await this.deployedNow([...new Set(page.map(r => r.entity_ref))]);
    return {
      items: page.map(r => ({
        entityRef: r.entity_ref,
        ...(r.owner_ref ? { ownerRef: r.owner_ref } : {}),
        ...(r.artifact_digest ? { artifactDigest: r.artifact_digest } : {}),
        name: r.name,
        ...(r.version ? { version: r.version } : {}),
        ...(r.purl ? { purl: r.purl } : {}),
        deployedTo: r.artifact_digest
          ? (deployed.get(r.entity_ref) ?? []).filter(d => d.digest === r.artifact_digest).map(({ environment, deployedAt }) => ({ environment, deployedAt }))
          : [],
        reportId: r.report_id,
      })),
      totalCount: all.length,
      entityCount: new Set(all.map(r => r.entity_ref)).size,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** Per entity, the newest successful deployment of each environment. */
  private async deployedNow(entityRefs: string[]) {
    const byEntity = new Map<string, Array<{ environment: string; digest: string; deployedAt: string }>>();
    if (entityRefs.length === 0) return byEntity;
    const rows: Array<{ entity_ref: string; environment: string; artifact_digest: string; deployed_at: DbTime }> =
      await this.knex('devsecops_deployments as d')
        .select('d.entity_ref', 'd.environment', 'd.artifact_digest', 'd.deployed_at')
        .whereIn('d.entity_ref', entityRefs)
        .where('d.result', 'succeeded')
        .whereNotExists(q =>
          q
            .select(this.knex.raw('1'))
            .from('devsecops_deployments as n')
            .whereRaw('n.entity_ref = d.entity_ref')
            .whereRaw('n.environment = d.environment')
            .where('n.result', 'succeeded')
            .whereRaw('n.deployed_at > d.deployed_at'),
        );
    for (const r of rows) {
      const list = byEntity.get(r.entity_ref) ?? [];
      list.push({ environment: r.environment, digest: r.artifact_digest, deployedAt: fromDbTime(r.deployed_at) });
      byEntity.set(r.entity_ref, list);
    }
    for (const list of byEntity.values()) list.sort((a, b) => a.environment.localeCompare(b.environment));
    return byEntity;
  }
}
