import { Knex } from 'knex';
import { dbText } from './text';
import { CONTROL_EVIDENCE, ControlEvidenceRow, STREAMS, StreamRow } from './reportRows';
import { fromDbTime, toDbTime } from './time';

/**
 * The report streams and control evidence (devsecops_report_streams, devsecops_control_evidence):
 * which report is the newest of each stream and of each control, the per-control lock uploads
 * serialise on, and the repeat check. ReportStore exposes these as its methods.
 */

/** The slice of findings one report is the truth for: entity, control, tool, artifact scope. */
export interface ReportStream {
  entityRef: string;
  control: string;
  tool: string;
  /** Artifact digest for scans of a built artifact, '' for scans of the source. */
  scopeDigest: string;
}

/** Remembers this report as the newest evidence of each control it evidences. */
export async function recordControlEvidence(
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
export async function lockControls(
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
export async function streamHeads(
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
export async function recordStreams(
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
export async function newestScanOf(knex: Knex, entityRef: string, controls?: string[]): Promise<string | undefined> {
  if (controls?.length === 0) return undefined;
  const query = knex<ControlEvidenceRow>(CONTROL_EVIDENCE).where({ entity_ref: entityRef });
  if (controls) query.whereIn('control', controls);
  const row = await query.max({ newest: 'scanned_at' }).first();
  return row?.newest ? fromDbTime(row.newest) : undefined;
}

/** The newest report of each control of an entity. */
export async function latestPerControl(
  knex: Knex,
  entityRef: string,
): Promise<Array<{ id: string; controls: string[]; scannedAt: string; artifactDigest?: string }>> {
  const rows = await knex<ControlEvidenceRow>(CONTROL_EVIDENCE).where({ entity_ref: entityRef });
  return rows.map(r => ({
    id: r.report_id,
    controls: [r.control],
    scannedAt: fromDbTime(r.scanned_at ?? r.received_at),
    artifactDigest: r.artifact_digest ?? undefined,
  }));
}
