import { Page, Report, ReportSummary } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { REPORT_COLUMNS, REPORTS, ReportListRow, ReportRow, toReport } from './reportRows';
import * as streams from './reportStreams';
import { fromDbTime, toDbTime } from './time';

// The reports aggregate's parts: reportRows (tables, rows, row → Report), reportStreams (the
// newest report per stream and per control, the upload lock); this class lists and keeps bodies.
export type { ReportStream } from './reportStreams';

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

/**
 * Owns devsecops_reports (accepted uploads and their redacted, compressed bodies) and, through
 * reportStreams, devsecops_control_evidence and devsecops_report_streams.
 */
export class ReportStore {
  constructor(private readonly knex: Knex) {}

  async insert(tx: Knex.Transaction, report: NewReport): Promise<void> {
    await tx<ReportRow>(REPORTS).insert({
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
  async recordControlEvidence(tx: Knex.Transaction, report: Parameters<typeof streams.recordControlEvidence>[1]): Promise<void> {
    return streams.recordControlEvidence(tx, report);
  }

  /** Serialises uploads per entity and control for the rest of `tx` (see reportStreams.lockControls). */
  async lockControls(
    tx: Knex.Transaction,
    entityRef: string,
    controls: string[],
    placeholder: Parameters<typeof streams.lockControls>[3],
  ): Promise<Map<string, string>> {
    return streams.lockControls(tx, entityRef, controls, placeholder);
  }

  /** The newest report of each of these streams (missing for a stream with no report yet). */
  async streamHeads(tx: Knex.Transaction, heads: streams.ReportStream[]): ReturnType<typeof streams.streamHeads> {
    return streams.streamHeads(tx, heads);
  }

  /** Makes this report the newest of its streams. Call under `lockControls`. */
  async recordStreams(
    tx: Knex.Transaction,
    fed: streams.ReportStream[],
    report: { id: string; dedupKey: string; scannedAt: Date },
  ): Promise<void> {
    return streams.recordStreams(tx, fed, report);
  }

  /**
   * When the newest recorded scan of any of these controls ran: a report whose scan ran earlier
   * would rewind the findings, so it is refused.
   */
  async newestScanOf(entityRef: string, controls?: string[]): Promise<string | undefined> {
    return streams.newestScanOf(this.knex, entityRef, controls);
  }

  /** The newest report of each control of an entity. */
  async latestPerControl(
    entityRef: string,
  ): Promise<Array<{ id: string; controls: string[]; scannedAt: string; artifactDigest?: string }>> {
    return streams.latestPerControl(this.knex, entityRef);
  }

  /** Reports of one control for one artifact digest, newest first. */
  async forArtifact(
    entityRef: string,
    artifactDigest: string,
    control: string,
  ): Promise<Array<{ id: string; controls: string[]; scannedAt: string; artifactDigest?: string }>> {
    const rows = await this.knex<ReportRow>(REPORTS)
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
    const row: ReportListRow | undefined = await this.knex(REPORTS)
      .select([...REPORT_COLUMNS, this.bodyStoredColumn()])
      .where({ id })
      .first();
    return row ? toReport(row) : undefined;
  }

  /** The kept body (gzip), or undefined when the report is unknown or past retention. */
  async getBody(
    id: string,
  ): Promise<{ gzip: Buffer; redacted: boolean } | undefined> {
    const row = await this.knex<ReportRow>(REPORTS)
      .select('body_gzip', 'body_redacted')
      .where({ id })
      .first();
    if (!row?.body_gzip) return undefined;
    return { gzip: Buffer.from(row.body_gzip), redacted: !!row.body_redacted };
  }

  async list(filter: ReportFilter): Promise<Page<Report>> {
    // Untyped: the selected columns include a raw expression; the rows are typed below.
    const query = this.knex(REPORTS).where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.entityRefs) builder.whereIn('entity_ref', [...filter.entityRefs]);
      if (filter.control) builder.where('control', filter.control);
      if (filter.artifactDigest)
        builder.where('artifact_digest', filter.artifactDigest);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows: ReportListRow[] = await query
      .clone()
      .select([...REPORT_COLUMNS, this.bodyStoredColumn()])
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
    return this.knex<ReportRow>(REPORTS)
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
