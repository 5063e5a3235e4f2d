import {
  Page,
  Report,
  ReportSummary,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbBinary, DbBoolean, DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

const TABLE = 'devsecops_reports';
const CONTROL_EVIDENCE = 'devsecops_control_evidence';
const STREAMS = 'devsecops_report_streams';

/** A row of devsecops_reports. */
interface ReportRow {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  control: string;
  /** JSON array of every control the report evidences. */
  controls: string;
  format: string;
  tool: string;
  tool_version: string | null;
  source_commit: string | null;
  branch: string | null;
  artifact_digest: string | null;
  uploader: string;
  received_at: DbTime;
  /** Null only for rows written before the column existed and not backfilled. */
  scanned_at: DbTime | null;
  /** JSON counts by severity and status. */
  summary: string;
  body_sha256: string;
  body_size: number | string;
  /** Cleared after the retention period. */
  body_gzip: DbBinary | null;
  body_redacted: DbBoolean;
  dedup_key: string;
}

/** A report row as listed: everything but the body, and whether the body is still kept (1/0). */
type ReportListRow = Omit<ReportRow, 'body_gzip' | 'dedup_key'> & { body_stored: number | string };

/** A row of devsecops_control_evidence: the newest report per entity and control. */
interface ControlEvidenceRow {
  entity_ref: string;
  control: string;
  report_id: string;
  received_at: DbTime;
  scanned_at: DbTime | null;
  artifact_digest: string | null;
}

/** A row of devsecops_report_streams: the newest report per entity, control, tool and scope. */
interface StreamRow {
  entity_ref: string;
  control: string;
  tool: string;
  scope_digest: string;
  report_id: string;
  dedup_key: string;
  scanned_at: DbTime;
}

/** The slice of findings one report is the truth for: entity, control, tool, artifact scope. */
export interface ReportStream {
  entityRef: string;
  control: string;
  tool: string;
  /** Artifact digest for scans of a built artifact, '' for scans of the source. */
  scopeDigest: string;
}

export interface NewReport {
  id: string;
  entityRef: string;
  ownerRef?: string;
  control: string;
  controls: string[];
  format: string;
  tool: string;
  toolVersion?: string;
  sourceCommit?: string;
  branch?: string;
  artifactDigest?: string;
  uploader: string;
  receivedAt: Date;
  /** When the scan ran (the uploader's scannedAt), else when it arrived. */
  scannedAt: Date;
  summary: ReportSummary;
  bodySha256: string;
  bodySize: number;
  bodyGzip: Buffer;
  bodyRedacted: boolean;
  dedupKey: string;
}

export interface ReportFilter {
  entityRef?: string;
  /** Only reports of these entities (a caller's read scope); empty: none. */
  entityRefs?: readonly string[];
  control?: string;
  artifactDigest?: string;
  limit: number;
  offset: number;
}

// Everything but the body, which is only read on demand.
const COLUMNS = [
  'id',
  'entity_ref',
  'owner_ref',
  'control',
  'controls',
  'format',
  'tool',
  'tool_version',
  'source_commit',
  'branch',
  'artifact_digest',
  'uploader',
  'received_at',
  'scanned_at',
  'summary',
  'body_sha256',
  'body_size',
  'body_redacted',
];

/** Owns devsecops_reports: accepted uploads and their (redacted, compressed) bodies. */
export class ReportStore {
  constructor(private readonly knex: Knex) {}

  async insert(tx: Knex.Transaction, report: NewReport): Promise<void> {
    await tx<ReportRow>(TABLE).insert({
      id: report.id,
      entity_ref: report.entityRef,
      owner_ref: report.ownerRef ?? null,
      control: report.control,
      controls: JSON.stringify(report.controls),
      format: report.format,
      tool: dbText(report.tool, 255),
      tool_version: dbText(report.toolVersion, 128),
      source_commit: report.sourceCommit ?? null,
      branch: dbText(report.branch, 255),
      artifact_digest: report.artifactDigest ?? null,
      uploader: report.uploader,
      received_at: toDbTime(report.receivedAt),
      scanned_at: toDbTime(report.scannedAt),
      summary: JSON.stringify(report.summary),
      body_sha256: report.bodySha256,
      body_size: report.bodySize,
      body_gzip: report.bodyGzip,
      body_redacted: report.bodyRedacted,
      dedup_key: report.dedupKey,
    });
  }

  /** Remembers this report as the newest evidence of each control it evidences. */
  async recordControlEvidence(
    tx: Knex.Transaction,
    report: { id: string; entityRef: string; controls: string[]; receivedAt: Date; scannedAt: Date; artifactDigest?: string },
  ): Promise<void> {
    if (report.controls.length === 0) return;
    await tx<ControlEvidenceRow>(CONTROL_EVIDENCE)
      .insert(
        report.controls.map(control => ({
          entity_ref: report.entityRef,
          control,
          report_id: report.id,
          received_at: toDbTime(report.receivedAt),
          scanned_at: toDbTime(report.scannedAt),
          artifact_digest: report.artifactDigest ?? null,
        })),
      )
      .onConflict(['entity_ref', 'control'])
      .merge(['report_id', 'received_at', 'scanned_at', 'artifact_digest']);
  }

  /**
   * Serialises uploads per entity and control for the rest of `tx`: each control's evidence row
   * is created if missing (with `placeholder`'s values, which the upload overwrites or rolls back)
   * and locked on PostgreSQL (SELECT … FOR UPDATE, in control order so two uploads never wait on
   * each other); SQLite runs one write transaction at a time. Answers when the newest scan of
   * each control ran before this upload, as committed by every instance.
   */
  async lockControls(
    tx: Knex.Transaction,
    entityRef: string,
    controls: string[],
    placeholder: { reportId: string; receivedAt: Date; scannedAt: Date; artifactDigest?: string },
  ): Promise<Map<string, string>> {
    const sorted = [...new Set(controls)].sort();
    if (sorted.length === 0) return new Map();
    await tx<ControlEvidenceRow>(CONTROL_EVIDENCE)
      .insert(
        sorted.map(control => ({
          entity_ref: entityRef,
          control,
          report_id: placeholder.reportId,
          received_at: toDbTime(placeholder.receivedAt),
          scanned_at: toDbTime(placeholder.scannedAt),
          artifact_digest: placeholder.artifactDigest ?? null,
        })),
      )
      .onConflict(['entity_ref', 'control'])
      .ignore();
    const rows: ControlEvidenceRow[] = await tx<ControlEvidenceRow>(CONTROL_EVIDENCE)
      .where({ entity_ref: entityRef })
      .whereIn('control', sorted)
      .orderBy('control')
      .modify(q => {
        if (tx.client.config.client === 'pg') q.forUpdate();
      });
    const newest = new Map<string, string>();
    for (const row of rows) {
      if (row.report_id === placeholder.reportId) continue;
      newest.set(row.control, fromDbTime(row.scanned_at ?? row.received_at));
    }
    return newest;
  }

  /** The newest report of each of these streams (missing for a stream with no report yet). */
  async streamHeads(
    tx: Knex.Transaction,
    streams: ReportStream[],
  ): Promise<Array<ReportStream & { reportId: string; dedupKey: string; scannedAt: string }>> {
    if (streams.length === 0) return [];
    const rows: StreamRow[] = await tx<StreamRow>(STREAMS).where(builder => {
      for (const s of streams) {
        builder.orWhere(b =>
          b.where({ entity_ref: s.entityRef, control: s.control, tool: dbText(s.tool, 255), scope_digest: s.scopeDigest }),
        );
      }
    });
    return rows.map(r => ({
      entityRef: r.entity_ref,
      control: r.control,
      tool: r.tool,
      scopeDigest: r.scope_digest,
      reportId: r.report_id,
      dedupKey: r.dedup_key,
      scannedAt: fromDbTime(r.scanned_at),
    }));
  }

  /** Makes this report the newest of its streams. Call under `lockControls`. */
  async recordStreams(
    tx: Knex.Transaction,
    streams: ReportStream[],
    report: { id: string; dedupKey: string; scannedAt: Date },
  ): Promise<void> {
    if (streams.length === 0) return;
    await tx<StreamRow>(STREAMS)
      .insert(
        streams.map(s => ({
          entity_ref: s.entityRef,
          control: s.control,
          tool: dbText(s.tool, 255),
          scope_digest: s.scopeDigest,
          report_id: report.id,
          dedup_key: report.dedupKey,
          scanned_at: toDbTime(report.scannedAt),
        })),
      )
      .onConflict(['entity_ref', 'control', 'tool', 'scope_digest'])
      .merge(['report_id', 'dedup_key', 'scanned_at']);
  }

  /**
   * When the newest recorded scan of any of these controls ran: a report whose scan ran earlier
   * would rewind the findings, so it is refused.
   */
  async newestScanOf(entityRef: string, controls?: string[]): Promise<string | undefined> {
    if (controls?.length === 0) return undefined;
    const query = this.knex<ControlEvidenceRow>(CONTROL_EVIDENCE).where({ entity_ref: entityRef });
    if (controls) query.whereIn('control', controls);
    const row = await query.max({ newest: 'scanned_at' }).first();
    return row?.newest ? fromDbTime(row.newest) : undefined;
  }

  /** The newest report of each control of an entity. */
  async latestPerControl(
    entityRef: string,
  ): Promise<Array<{ id: string; controls: string[]; scannedAt: string; artifactDigest?: string }>> {
    const rows = await this.knex<ControlEvidenceRow>(CONTROL_EVIDENCE).where({ entity_ref: entityRef });
    return rows.map(r => ({
      id: r.report_id,
      controls: [r.control],
      scannedAt: fromDbTime(r.scanned_at ?? r.received_at),
      artifactDigest: r.artifact_digest ?? undefined,
    }));
  }

  /** Reports of one control for one artifact digest, newest first. */
  async forArtifact(
    entityRef: string,
    artifactDigest: string,
    control: string,
  ): Promise<Array<{ id: string; controls: string[]; scannedAt: string; artifactDigest?: string }>> {
    const rows = await this.knex<ReportRow>(TABLE)
      .select('id', 'controls', 'received_at', 'scanned_at', 'artifact_digest')
      .where({ entity_ref: entityRef, artifact_digest: artifactDigest })
      .orderBy('scanned_at', 'desc')
      .limit(200);
    return rows
      .map(r => ({
        id: r.id,
        controls: JSON.parse(r.controls) as string[],
        scannedAt: fromDbTime(r.scanned_at ?? r.received_at),
        artifactDigest: r.artifact_digest ?? undefined,
      }))
      .filter(r => r.controls.includes(control));
  }

  async get(id: string): Promise<Report | undefined> {
    const row: ReportListRow | undefined = await this.knex(TABLE)
      .select([...COLUMNS, this.bodyStoredColumn()])
      .where({ id })
      .first();
    return row ? toReport(row) : undefined;
  }

  /** The kept body (gzip), or undefined when the report is unknown or past retention. */
  async getBody(
    id: string,
  ): Promise<{ gzip: Buffer; redacted: boolean } | undefined> {
    const row = await this.knex<ReportRow>(TABLE)
      .select('body_gzip', 'body_redacted')
      .where({ id })
      .first();
    if (!row?.body_gzip) return undefined;
    return { gzip: Buffer.from(row.body_gzip), redacted: !!row.body_redacted };
  }

  async list(filter: ReportFilter): Promise<Page<Report>> {
    // Untyped: the selected columns include a raw expression; the rows are typed below.
    const query = this.knex(TABLE).where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.entityRefs) builder.whereIn('entity_ref', [...filter.entityRefs]);
      if (filter.control) builder.where('control', filter.control);
      if (filter.artifactDigest)
        builder.where('artifact_digest', filter.artifactDigest);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows: ReportListRow[] = await query
      .clone()
      .select([...COLUMNS, this.bodyStoredColumn()])
      .orderBy([
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return {
      items: rows.map(toReport),
      totalCount: Number(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /** Drops bodies received before the cutoff; the sha256 and everything derived stay. */
  async clearBodiesReceivedBefore(cutoff: Date): Promise<number> {
    return this.knex<ReportRow>(TABLE)
      .where('received_at', '<', toDbTime(cutoff))
      .whereNotNull('body_gzip')
      .update({ body_gzip: null });
  }

  private bodyStoredColumn() {
    return this.knex.raw(
      'CASE WHEN body_gzip IS NULL THEN 0 ELSE 1 END as body_stored',
    );
  }
}

function toReport(row: ReportListRow): Report {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref ?? undefined,
    control: row.control,
    controls: JSON.parse(row.controls),
    format: row.format,
    tool: row.tool,
    toolVersion: row.tool_version ?? undefined,
    sourceCommit: row.source_commit ?? undefined,
    branch: row.branch ?? undefined,
    artifactDigest: row.artifact_digest ?? undefined,
    uploader: row.uploader,
    receivedAt: fromDbTime(row.received_at),
    scannedAt: fromDbTime(row.scanned_at ?? row.received_at),
    summary: JSON.parse(row.summary),
    bodySha256: row.body_sha256,
    bodySize: Number(row.body_size),
    bodyStored: Number(row.body_stored) === 1,
    bodyRedacted: !!row.body_redacted,
  };
}
