import { SbomComponentRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { SbomComponent } from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbBigInt, DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

const ARTIFACTS = 'devsecops_artifacts';
const COMPONENTS = 'devsecops_sbom_components';
const BATCH_ROWS = 500;

/** A row of devsecops_artifacts. */
interface ArtifactRow {
  digest: string;
  entity_ref: string;
  name: string | null;
  source_commit: string | null;
  branch: string | null;
  /** JSON (from provenance); not read here. */
  build_info: string | null;
  first_seen_at: DbTime;
  last_seen_at: DbTime;
}

/** A row of devsecops_sbom_components. */
interface SbomComponentRow {
  id: DbBigInt;
  report_id: string;
  entity_ref: string;
  artifact_digest: string;
  name: string;
  version: string | null;
  purl: string | null;
  type: string | null;
  /** JSON array of SPDX ids or expressions. */
  licenses: string;
}

export interface ArtifactSighting {
  digest: string;
  entityRef: string;
  name?: string;
  sourceCommit?: string;
  branch?: string;
  seenAt: Date;
}

export interface ArtifactRecord {
  digest: string;
  entityRef: string;
  name?: string;
  sourceCommit?: string;
  branch?: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Owns devsecops_artifacts and the SBOM components listed for each artifact. */
export class ArtifactStore {
  constructor(private readonly knex: Knex) {}

  /** Records that an artifact was seen; later sightings fill in what earlier ones lacked. */
  async recordSighting(
    tx: Knex.Transaction,
    sighting: ArtifactSighting,
  ): Promise<void> {
    const seenAt = toDbTime(sighting.seenAt);
    const key = { digest: sighting.digest, entity_ref: sighting.entityRef };
    const existing = await tx<ArtifactRow>(ARTIFACTS).where(key).first();
    if (!existing) {
      await tx<ArtifactRow>(ARTIFACTS)
        .insert({
          ...key,
          name: dbText(sighting.name, 512),
          source_commit: sighting.sourceCommit ?? null,
          branch: dbText(sighting.branch, 255),
          first_seen_at: seenAt,
          last_seen_at: seenAt,
        })
        .onConflict(['digest', 'entity_ref'])
        .ignore();
      return;
    }
    await tx<ArtifactRow>(ARTIFACTS)
      .where(key)
      .update({
        name: existing.name ?? dbText(sighting.name, 512),
        source_commit: existing.source_commit ?? sighting.sourceCommit ?? null,
        branch: existing.branch ?? dbText(sighting.branch, 255),
        last_seen_at: seenAt,
      });
  }

  /** The SBOM of an artifact (or of the entity's source when digest is ''): the latest replaces. */
  async replaceComponents(
    tx: Knex.Transaction,
    scope: { entityRef: string; artifactDigest: string; reportId: string },
    components: SbomComponent[],
  ): Promise<void> {
    await tx<SbomComponentRow>(COMPONENTS)
      .where({
        entity_ref: scope.entityRef,
        artifact_digest: scope.artifactDigest,
      })
      .delete();
    const rows = components.map(c => ({
      report_id: scope.reportId,
      entity_ref: scope.entityRef,
      artifact_digest: scope.artifactDigest,
      name: dbText(c.name, 512),
      version: dbText(c.version, 255),
      purl: dbText(c.purl),
      type: dbText(c.type, 64),
      licenses: dbText(JSON.stringify(c.licenses ?? [])),
    }));
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      await tx<SbomComponentRow>(COMPONENTS).insert(rows.slice(i, i + BATCH_ROWS));
    }
  }

  async get(digest: string, entityRef?: string): Promise<ArtifactRecord[]> {
    const rows: ArtifactRow[] = await this.knex<ArtifactRow>(ARTIFACTS)
      .where({ digest })
      .modify(q => {
        if (entityRef) q.where({ entity_ref: entityRef });
      })
      .orderBy('entity_ref');
    return rows.map(toArtifact);
  }

  async getSbom(
    entityRef: string,
    artifactDigest: string,
  ): Promise<{ reportId: string; components: SbomComponentRecord[] } | undefined> {
    const rows = await this.knex<SbomComponentRow>(COMPONENTS)
      .where({ entity_ref: entityRef, artifact_digest: artifactDigest })
      .orderBy(['name', 'version', 'id']);
    if (rows.length === 0) return undefined;
    return {
      reportId: rows[0].report_id,
      components: rows.map(r => ({
        name: r.name,
        version: r.version ?? undefined,
        purl: r.purl ?? undefined,
        type: r.type ?? undefined,
        licenses: JSON.parse(r.licenses),
      })),
    };
  }
}

function toArtifact(row: ArtifactRow): ArtifactRecord {
  return {
    digest: row.digest,
    entityRef: row.entity_ref,
    name: row.name ?? undefined,
    sourceCommit: row.source_commit ?? undefined,
    branch: row.branch ?? undefined,
    firstSeenAt: fromDbTime(row.first_seen_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
  };
}
