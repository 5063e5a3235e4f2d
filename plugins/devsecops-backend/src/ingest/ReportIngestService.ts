import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ReportIngestResult,
  ReportSummary,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  NormalizeContext,
  NormalizedReport,
  NormalizerRegistry,
  normalizeDigest,
  parseReportBody,
  serializeReport,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { constants as zlibConstants, gunzipSync, gzip } from 'node:zlib';
import { Knex } from 'knex';
import { ArtifactStore } from '../store/ArtifactStore';
import { FindingStore, ScanApplied } from '../store/FindingStore';
import { ReportStore, ReportStream } from '../store/ReportStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { PayloadTooLargeError } from './errors';
import { ControlCatalog } from '../config/ControlCatalog';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { parseObservedTime } from '../validation/inputTimes';

const gzipAsync = promisify(gzip);
// Evidence bodies favour speed over ratio: JSON still shrinks ~10× at level 1.
const gzipEvidence = (data: Buffer) =>
  gzipAsync(data, { level: zlibConstants.Z_BEST_SPEED });

/** Scanner clocks may run a little ahead of ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** How far back a scan may be dated: enough to import a year of history. */
const MAX_SCAN_AGE_DAYS = 400;

/** Controls whose findings belong to a built artifact rather than to the source tree. */
const ARTIFACT_SCOPED_CONTROLS = new Set(['container-scan', 'sbom']);

export interface ReportUpload {
  body: Buffer;
  lookup: EntityLookup;
  format?: string;
  control?: string;
  /**
   * The tool's own names of the scanners that ran (Trivy: vuln, misconfig, secret, license): the
   * report covers their controls, findings or not. Without it, the controls it shows evidence of.
   */
  scanners?: string[];
  sourceCommit?: string;
  branch?: string;
  artifactDigest?: string;
  /** When the scan ran (ISO-8601), if not just now: it ages the evidence and dates the findings. */
  scannedAt?: string;
  /** Who uploads: recorded as the uploader, and bound to the entities it may write for. */
  writer: EvidenceWriter;
}

export interface ReportIngestServiceOptions {
  knex: Knex;
  logger: LoggerService;
  normalizers: NormalizerRegistry;
  entities: EntityResolver;
  reports: ReportStore;
  findings: FindingStore;
  artifacts: ArtifactStore;
  evidenceLog: EvidenceLogStore;
  normalizeContext: NormalizeContext;
  maxReportBytes: number;
  /** The configured controls: an upload's `control` must be one of them. */
  controls: ControlCatalog;
  onEvidenceChanged: OnEvidenceChanged;
  now?: () => Date;
}

/** Thrown inside the upload's transaction (rolling back its locks) when the body is a repeat. */
class RepeatUpload extends Error {
  constructor(readonly reportId: string) {
    super(`Repeat of report ${reportId}`);
  }
}

/**
 * Accepts one report: decode, detect the format, normalise, resolve the entity, then write the
 * report, its findings, SBOM and artifact in one transaction, serialised per entity and control.
 * A body is a repeat only of the newest report of each stream it feeds (entity, control, tool,
 * artifact); anything else is a new scan and the new truth for its streams.
 */
export class ReportIngestService {
  private readonly now: () => Date;

  constructor(private readonly options: ReportIngestServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async ingest(upload: ReportUpload): Promise<ReportIngestResult> {
    const { normalizers, entities, maxReportBytes } = this.options;
    const body = this.decompress(upload.body, maxReportBytes);

    const control = upload.control;
    if (control !== undefined && upload.scanners !== undefined) {
      throw new InputError(
        'Give either control (all findings count for that control) or scanners (the scanners that ran, each covering its own control), not both',
      );
    }
    if (control !== undefined) this.options.controls.assertKnown([control]);
    const givenDigest = this.parseDigest(upload.artifactDigest);
    const sourceCommit = this.parseCommit(upload.sourceCommit);

    // Compress on the thread pool while this thread parses and normalises.
    const originalGzip = gzipEvidence(body);
    originalGzip.catch(() => undefined);
    const parsed = parseReportBody(body);
    const normalizer = normalizers.resolve(parsed, upload.format);
    const normalized = normalizer.normalize(parsed, this.options.normalizeContext);
    const report = withEveryControl(
      applyScanners(applyControlOverride(normalized, control), upload.scanners),
    );

    const resolved = await entities.resolveForWrite(upload.lookup, upload.writer);
    const artifactDigest = givenDigest ?? report.artifact?.digest;
    const arrivedAt = this.now();
    const givenScannedAt =
      upload.scannedAt === undefined ? undefined : this.parseScannedAt(upload.scannedAt, arrivedAt);
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const dedupKey = createHash('sha256')
      .update(
        JSON.stringify([
          resolved.entityRef,
          normalizer.id,
          control ?? '',
          sourceCommit ?? '',
          upload.branch ?? '',
          artifactDigest ?? '',
          bodySha256,
          // Which scanners the uploader said ran changes what the report resolves.
          ...(upload.scanners === undefined ? [] : [`scanners:${[...upload.scanners].sort().join(',')}`]),
          // The same body scanned again later is a new scan (it keeps the control fresh); a
          // retry of one upload sends the same scannedAt and stays a repeat.
          ...(givenScannedAt === undefined ? [] : [givenScannedAt.toISOString()]),
        ]),
      )
      .digest('hex');

    // Secrets are removed before anything of the body is kept: the fields every registered format
    // (modules' included) declares secret-bearing, then the reading format's own redaction.
    const redacted = normalizers.redact(parsed, normalizer);
    const keptGzip = redacted.changed
      ? await gzipEvidence(Buffer.from(serializeReport(redacted.report), 'utf8'))
      : await originalGzip;

    // The slices of findings this report is the truth for.
    const streams: ReportStream[] = report.controls.map(scanControl => ({
      entityRef: resolved.entityRef,
      control: scanControl,
      tool: report.tool,
      scopeDigest: ARTIFACT_SCOPED_CONTROLS.has(scanControl) ? artifactDigest ?? '' : '',
    }));
    const reportId = randomUUID();
    const summary = summarize(report);
    let counts: ScanApplied;
    try {
      counts = await this.options.knex.transaction(async tx => {
        // One upload per entity and control at a time, on every instance: what is read below is
        // what the writes build on, so scans commit in the order they ran.
        const newestByControl = await this.options.reports.lockControls(
          tx,
          resolved.entityRef,
          report.controls,
          { reportId, receivedAt: arrivedAt, scannedAt: givenScannedAt ?? arrivedAt, artifactDigest },
        );

        // A repeat only of the newest report of every stream it feeds; an older body sent again
        // is a new scan.
        const heads = await this.options.reports.streamHeads(tx, streams);
        if (heads.length === streams.length && heads.every(h => h.dedupKey === dedupKey)) {
          throw new RepeatUpload(heads[0].reportId);
        }

        const newest = [...newestByControl.values()].sort().pop();
        const receivedAt = this.now();
        let scannedAt: Date;
        if (givenScannedAt !== undefined) {
          // Findings move forward from scan to scan; an older scan would reopen what was fixed since.
          if (newest && new Date(newest) > givenScannedAt) {
            throw new ConflictError(
              `scannedAt ${givenScannedAt.toISOString()} is older than the newest scan already recorded for ${resolved.entityRef} (${newest}); upload scans in the order they ran`,
            );
          }
          scannedAt = givenScannedAt;
        } else {
          // Scanned when it arrived, and never before a scan already recorded (another instance's
          // clock may run a little ahead).
          scannedAt = newest && new Date(newest) > receivedAt ? new Date(newest) : receivedAt;
        }

        await this.options.reports.insert(tx, {
          id: reportId,
          entityRef: resolved.entityRef,
          ownerRef: resolved.ownerRef,
          control: report.controls[0],
          controls: report.controls,
          format: normalizer.id,
          tool: report.tool,
          toolVersion: report.toolVersion,
          sourceCommit: sourceCommit ?? report.artifact?.commit,
          branch: upload.branch,
          artifactDigest,
          uploader: upload.writer.name,
          receivedAt,
          scannedAt,
          summary,
          bodySha256,
          bodySize: body.length,
          bodyGzip: keptGzip,
          bodyRedacted: redacted.changed,
          dedupKey,
        });

        await this.options.reports.recordControlEvidence(tx, {
          id: reportId,
          entityRef: resolved.entityRef,
          controls: report.controls,
          receivedAt,
          scannedAt,
          artifactDigest,
        });
        await this.options.reports.recordStreams(tx, streams, { id: reportId, dedupKey, scannedAt });

        const total: ScanApplied = { new: 0, updated: 0, resolved: 0 };
        for (const stream of streams) {
          const applied = await this.options.findings.applyScan(
            tx,
            stream,
            report.findings.filter(f => f.control === stream.control),
            { reportId, ownerRef: resolved.ownerRef, seenAt: scannedAt },
          );
          total.new += applied.new;
          total.updated += applied.updated;
          total.resolved += applied.resolved;
        }

        if (report.components) {
          await this.options.artifacts.replaceComponents(
            tx,
            { entityRef: resolved.entityRef, artifactDigest: artifactDigest ?? '', reportId },
            report.components,
          );
        }
        if (artifactDigest) {
          await this.options.artifacts.recordSighting(tx, {
            digest: artifactDigest,
            entityRef: resolved.entityRef,
            name: report.artifact?.name,
            sourceCommit: sourceCommit ?? report.artifact?.commit,
            branch: upload.branch,
            seenAt: scannedAt,
          });
        }
        // The report and its evidence-log record commit together.
        await this.options.evidenceLog.append(tx, {
          kind: 'report.ingested',
          entityRef: resolved.entityRef,
          subjectId: reportId,
          actor: upload.writer.name,
          at: receivedAt,
          payload: {
            format: normalizer.id,
            tool: report.tool,
            controls: report.controls,
            bodySha256,
            artifactDigest,
            sourceCommit: sourceCommit ?? report.artifact?.commit,
            branch: upload.branch,
            ownerRef: resolved.ownerRef,
            scannedAt: scannedAt.toISOString(),
            summary,
            findings: total,
          },
        });
        return total;
      });
    } catch (error) {
      if (error instanceof RepeatUpload) {
        const existing = await this.options.reports.get(error.reportId);
        if (existing) {
          return { report: existing, duplicate: true, findings: { new: 0, updated: 0, resolved: 0 } };
        }
      }
      throw error;
    }

    this.options.logger.info(
      `Ingested ${normalizer.id} report ${reportId} for ${resolved.entityRef}: ${counts.new} new, ${counts.updated} seen again, ${counts.resolved} resolved`,
    );
    const stored = await this.options.reports.get(reportId);
    await this.options.onEvidenceChanged([resolved.entityRef]);
    return { report: stored!, duplicate: false, findings: counts };
  }

  /** Bodies may arrive gzip-compressed (the CLI sends them so); the limit applies unpacked. */
  private decompress(body: Buffer, limit: number): Buffer {
    return decompressBody(body, limit, 'Report');
  }

  private parseDigest(value?: string): string | undefined {
    if (value === undefined) return undefined;
    const digest = normalizeDigest(value);
    if (!digest) {
      throw new InputError(
        `Malformed artifact digest '${value}': use algorithm:hex, e.g. sha256:<64 hex characters>`,
      );
    }
    return digest;
  }

  /** A scan is at most a year old (history imports) and not in the future beyond clock skew. */
  private parseScannedAt(value: string | undefined, now: Date): Date {
    if (value === undefined) return now;
    const scannedAt = parseObservedTime('scannedAt', value, now, MAX_CLOCK_SKEW_MS);
    if (scannedAt.getTime() < now.getTime() - MAX_SCAN_AGE_DAYS * 86_400_000) {
      throw new InputError(
        `scannedAt '${value}' is more than ${MAX_SCAN_AGE_DAYS} days ago; such a scan says nothing about the code today`,
      );
    }
    return scannedAt > now ? now : scannedAt;
  }

  private parseCommit(value?: string): string | undefined {
    if (value === undefined) return undefined;
    if (!/^[0-9a-fA-F]{7,64}$/.test(value)) {
      throw new InputError(
        `Malformed commit '${value}': use the hexadecimal commit id`,
      );
    }
    return value.toLowerCase();
  }
}

/** An uploader may say which control a report evidences; its findings then all count there. */
function applyControlOverride(
  report: NormalizedReport,
  control: string | undefined,
): NormalizedReport {
  if (!control) return report;
  return {
    ...report,
    controls: [control],
    findings: report.findings.map(f => ({ ...f, control })),
  };
}

/**
 * The uploader names the tool's scanners that ran: the report covers their controls (a clean
 * report resolves the open findings of each) and no other, whatever its results show. Each
 * finding must belong to a named scanner.
 */
function applyScanners(report: NormalizedReport, scanners: string[] | undefined): NormalizedReport {
  if (scanners === undefined) return report;
  const known = report.scanners ?? [];
  if (known.length === 0) {
    throw new InputError(
      `scanners applies to reports of tools that run several scanners (Trivy: vuln, misconfig, secret, license; Semgrep: code, secrets, supply-chain); a ${report.format} report of this tool has none to name: leave scanners out`,
    );
  }
  const byName = new Map(known.map(s => [s.name, s.controls]));
  const valid = known.map(s => s.name).join(', ');
  const unknown = scanners.filter(name => !byName.has(name));
  if (unknown.length > 0) {
    throw new InputError(
      `Unknown scanner${unknown.length > 1 ? 's' : ''} ${unknown.map(n => `'${n}'`).join(', ')} for ${report.format} reports; valid: ${valid}`,
    );
  }
  const covered = new Set(scanners.flatMap(name => byName.get(name) ?? []));
  if (covered.size === 0) {
    const feeding = known.filter(s => s.controls.length > 0).map(s => s.name).join(', ');
    throw new InputError(
      `scanners ${scanners.join(',')} cover no control; name at least one of ${feeding}`,
    );
  }
  const outside = [...new Set(report.findings.map(f => f.control).filter(c => !covered.has(c)))];
  if (outside.length > 0) {
    const missing = known.filter(s => s.controls.some(c => outside.includes(c))).map(s => s.name);
    throw new InputError(
      `The report holds ${outside.join(', ')} findings, which scanners does not cover (it names ${scanners.join(',')}); add ${missing.length > 0 ? missing.join(',') : 'the scanner that found them'} to scanners or leave scanners out`,
    );
  }
  return { ...report, controls: [...covered].sort() };
}

/** Every control a finding counts against is evidenced by the report, whatever it declared. */
function withEveryControl(report: NormalizedReport): NormalizedReport {
  const controls = [
    ...new Set([...report.controls, ...report.findings.map(f => f.control)]),
  ];
  if (controls.length === 0) {
    throw new Error(`The ${report.format} normaliser named no control`);
  }
  return { ...report, controls };
}

function summarize(report: NormalizedReport): ReportSummary {
  const summary: ReportSummary = {
    total: report.findings.length,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    suppressed: 0,
    components: report.components?.length ?? 0,
  };
  for (const finding of report.findings) {
    if (finding.suppressed) summary.suppressed++;
    else summary.bySeverity[finding.severity]++;
  }
  return summary;
}

/**
 * Unpacks a gzip body (magic bytes 1f 8b) with its output bounded by the limit: a body over the
 * limit, packed or unpacked, is a 413; a broken gzip stream is a 400.
 */
export function decompressBody(body: Buffer, limit: number, what: string): Buffer {
  if (body.length > limit) {
    throw new PayloadTooLargeError(
      `${what} is ${body.length} bytes; the limit is ${limit} bytes (devsecops.ingest.maxReportBytes)`,
    );
  }
  if (body.length < 2 || body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /larger than/i.test((error as Error).message)) {
      throw new PayloadTooLargeError(
        `${what} decompresses to more than ${limit} bytes (devsecops.ingest.maxReportBytes)`,
      );
    }
    throw new InputError(`${what} is not valid gzip: ${(error as Error).message}`);
  }
}
