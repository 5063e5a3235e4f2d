import { Knex } from 'knex';

/** A stored SBOM component an advisory may describe, with the entity's owner at ingest. */
export interface StoredComponent {
  entityRef: string;
  ownerRef?: string;
  /** '' for a source SBOM. */
  artifactDigest: string;
  name: string;
  version: string;
  purl: string;
  reportId: string;
}

const CHUNK = 500;

/**
 * What an OSV import matches against: stored SBOM components with a purl and a version, by name
 * (devsecops_sbom_components_name_idx), and which entity artifacts run somewhere now
 * (devsecops_deployments: the newest successful deployment of each environment).
 */
export class AdvisoryMatchQueries {
  constructor(private readonly knex: Knex) {}

  async componentsNamed(names: string[]): Promise<StoredComponent[]> {
    const unique = [...new Set(names)];
    const out: StoredComponent[] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows: Array<{
        entity_ref: string;
        owner_ref: string | null;
        artifact_digest: string;
        name: string;
        version: string;
        purl: string;
        report_id: string;
      }> = await this.knex('devsecops_sbom_components as c')
        .join('devsecops_reports as r', 'r.id', 'c.report_id')
        .select('c.entity_ref', 'r.owner_ref', 'c.artifact_digest', 'c.name', 'c.version', 'c.purl', 'c.report_id')
        .whereIn('c.name', unique.slice(i, i + CHUNK))
        .whereNotNull('c.purl')
        .whereNotNull('c.version');
      for (const r of rows) {
        out.push({
          entityRef: r.entity_ref,
          ...(r.owner_ref ? { ownerRef: r.owner_ref } : {}),
          artifactDigest: r.artifact_digest,
          name: r.name,
          version: r.version,
          purl: r.purl,
          reportId: r.report_id,
        });
      }
    }
    return out;
  }

  /** `entityRef\u0000digest` of every artifact that is the newest successful deployment of an environment. */
  async deployedArtifacts(entityRefs: string[]): Promise<Set<string>> {
    const deployed = new Set<string>();
    const unique = [...new Set(entityRefs)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows: Array<{ entity_ref: string; artifact_digest: string }> = await this.knex('devsecops_deployments as d')
        .select('d.entity_ref', 'd.artifact_digest')
        .whereIn('d.entity_ref', unique.slice(i, i + CHUNK))
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
      for (const r of rows) deployed.add(`${r.entity_ref}\u0000${r.artifact_digest}`);
    }
    return deployed;
  }
}
