import { Report } from '@devsecops-scorecard/plugin-devsecops-common';
import { DbBinary, DbBoolean, DbTime } from './rowTypes';
import { fromDbTime } from './time';

/** The report tables' names, rows and the mapping of a listed row to the API's Report. */

export const REPORTS = 'devsecops_reports';
export const CONTROL_EVIDENCE = 'devsecops_control_evidence';
export const STREAMS = 'devsecops_report_streams';

/** A row of devsecops_reports. */
export interface ReportRow {
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
export type ReportListRow = Omit<ReportRow, 'body_gzip' | 'dedup_key'> & { body_stored: number | string };

/** A row of devsecops_control_evidence: the newest report per entity and control. */
export interface ControlEvidenceRow {
  entity_ref: string;
  control: string;
  report_id: string;
  received_at: DbTime;
  scanned_at: DbTime | null;
  artifact_digest: string | null;
}

/** A row of devsecops_report_streams: the newest report per entity, control, tool and scope. */
export interface StreamRow {
  entity_ref: string;
  control: string;
  tool: string;
  scope_digest: string;
  report_id: string;
  dedup_key: string;
  scanned_at: DbTime;
}

// Everything but the body, which is only read on demand.
export const REPORT_COLUMNS = [
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

export function toReport(row: ReportListRow): Report {
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
