import { VexStatement } from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { DbBigInt, DbTime } from '../store/rowTypes';
import { dbText } from '../store/text';
import { fromDbTime, toDbTime } from '../store/time';
import { StoredVexStatement } from './matchVex';

const TABLE = 'devsecops_vex_statements';
// Keeps every batch well under SQLite's bound-variable limit at ~19 columns a row.
const BATCH_ROWS = 500;
/** More statements than one entity plausibly has in force; reading stops there (newest first). */
const MAX_STATEMENTS_PER_ENTITY = 50_000;

interface VexRow {
  id: DbBigInt;
  entity_ref: string;
  scope_digest: string;
  vulnerability_id: string;
  aliases: string | null;
  product_name: string;
  product_purl: string | null;
  product_version: string | null;
  status: StoredVexStatement['status'];
  justification: string | null;
  impact_statement: string | null;
  action_statement: string | null;
  stated_at: DbTime;
  recorded_at: DbTime;
  expires_at: DbTime;
  document_id: string | null;
  author: string | null;
  report_id: string;
}

/** What one VEX upload records, beside its statements. */
export interface VexRecording {
  entityRef: string;
  /** The artifact the upload was made for ('' for the entity as a whole). */
  artifactDigest: string;
  reportId: string;
  documentId?: string;
  author?: string;
  recordedAt: Date;
  /** How long a statement is in force after it was made. */
  maxAgeDays: number;
}

/** Owns devsecops_vex_statements: what VEX documents state, per entity and artifact. */
export class VexStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Records a document's statements in the upload's transaction. A statement names its artifact
   * (an OCI product) or takes the upload's; its time is its own (never after it was recorded).
   */
  async insert(tx: Knex.Transaction, recording: VexRecording, statements: VexStatement[]): Promise<number> {
    const recordedAt = recording.recordedAt.getTime();
    const rows = statements.map((s): Omit<VexRow, 'id'> => {
      const stated = s.timestamp ? Date.parse(s.timestamp) : NaN;
      const statedAt = new Date(Number.isNaN(stated) ? recordedAt : Math.min(stated, recordedAt));
      return {
        entity_ref: recording.entityRef,
        scope_digest: s.artifactDigest ?? recording.artifactDigest,
        vulnerability_id: dbText(s.vulnerabilityId, 128),
        aliases: s.aliases?.length ? dbText(JSON.stringify(s.aliases)) : null,
        product_name: dbText(s.product.name, 255),
        product_purl: dbText(s.product.purl),
        product_version: dbText(s.product.version, 128),
        status: s.status,
        justification: dbText(s.justification, 128),
        impact_statement: dbText(s.impactStatement?.slice(0, 4000)),
        action_statement: dbText(s.actionStatement?.slice(0, 4000)),
        stated_at: toDbTime(statedAt),
        recorded_at: toDbTime(recording.recordedAt),
        expires_at: toDbTime(new Date(statedAt.getTime() + recording.maxAgeDays * 86_400_000)),
        document_id: dbText(recording.documentId?.slice(0, 2000)),
        author: dbText(recording.author, 255),
        report_id: recording.reportId,
      };
    });
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      await tx<VexRow>(TABLE).insert(rows.slice(i, i + BATCH_ROWS));
    }
    return rows.length;
  }

  /** Every statement recorded for an entity (any artifact), newest first. */
  async forEntity(entityRef: string): Promise<StoredVexStatement[]> {
    const rows: VexRow[] = await this.knex<VexRow>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy('stated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(MAX_STATEMENTS_PER_ENTITY);
    return rows.map(toStatement);
  }

  /** The statements of several entities (a page of findings), by entity. */
  async forEntities(entityRefs: string[]): Promise<Map<string, StoredVexStatement[]>> {
    const byEntity = new Map<string, StoredVexStatement[]>(entityRefs.map(ref => [ref, []]));
    if (entityRefs.length === 0) return byEntity;
    const rows: VexRow[] = await this.knex<VexRow>(TABLE)
      .whereIn('entity_ref', entityRefs)
      .orderBy('stated_at', 'desc')
      .limit(MAX_STATEMENTS_PER_ENTITY);
    for (const row of rows) byEntity.get(row.entity_ref)?.push(toStatement(row));
    return byEntity;
  }

  /** Whether an entity has any statement at all (the cheap case: most have none). */
  async hasAny(entityRef: string): Promise<boolean> {
    return !!(await this.knex<VexRow>(TABLE).where({ entity_ref: entityRef }).first('id'));
  }
}

function toStatement(row: VexRow): StoredVexStatement {
  return {
    id: String(row.id),
    scopeDigest: row.scope_digest,
    vulnerabilityId: row.vulnerability_id,
    aliases: row.aliases ? (JSON.parse(row.aliases) as string[]) : [],
    product: {
      name: row.product_name,
      ...(row.product_purl ? { purl: row.product_purl } : {}),
      ...(row.product_version ? { version: row.product_version } : {}),
    },
    status: row.status,
    ...(row.justification ? { justification: row.justification } : {}),
    ...(row.impact_statement ? { impactStatement: row.impact_statement } : {}),
    ...(row.action_statement ? { actionStatement: row.action_statement } : {}),
    statedAt: fromDbTime(row.stated_at),
    recordedAt: fromDbTime(row.recorded_at),
    expiresAt: fromDbTime(row.expires_at),
    ...(row.document_id ? { documentId: row.document_id } : {}),
    ...(row.author ? { author: row.author } : {}),
    reportId: row.report_id,
  };
}
