import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { ReportIngestResult } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  NormalizeContext,
  NormalizerRegistry,
  parseReportBody,
  serializeReport,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { createHash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ArtifactStore } from '../store/ArtifactStore';
import { FactStore } from '../store/FactStore';
import { FindingStore, ScanApplied } from '../store/FindingStore';
import { ReportStore } from '../store/ReportStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { ControlCatalog } from '../config/ControlCatalog';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { VexStore } from '../vex/VexStore';
import { decompressBody, gzipEvidence } from './reportBody';
import { reportFactRecords } from './reportFacts';
import { preferCveIds } from './vulnerabilityIds';
import { reportControls, reportStreams, summarize, uploadDedupKey } from './reportScope';
import { checkControlChoice, parseCommit, parseDigest, parseScannedAt } from './uploadParams';

// The upload's parts: reportBody (gzip in and out), uploadParams (the query parameters),
// reportScope (controls, streams and the repeat key); this service writes the report.
export { decompressBody } from './reportBody';

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
  /** Where the facts a report states (e.g. OpenSSF Scorecard checks) are recorded. */
  facts: FactStore;
  evidenceLog: EvidenceLogStore;
  normalizeContext: NormalizeContext;
  maxReportBytes: number;
  /** The configured controls: an upload's `control` must be one of them. */
  controls: ControlCatalog;
  onEvidenceChanged: OnEvidenceChanged;
  /** Where the statements of VEX documents (OpenVEX, standalone CycloneDX VEX) are recorded. */
  vex?: { store: VexStore; maxAgeDays: number };
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
  private readonly facts: FactStore;

  constructor(private readonly options: ReportIngestServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.facts = options.facts;
  }

  async ingest(upload: ReportUpload): Promise<ReportIngestResult> {
    const { normalizers, entities, maxReportBytes } = this.options;
    // Bodies may arrive gzip-compressed (the CLI sends them so); the limit applies unpacked.
    const body = decompressBody(upload.body, maxReportBytes, 'Report');

    const control = upload.control;
    checkControlChoice(control, upload.scanners, this.options.controls);
    const givenDigest = parseDigest(upload.artifactDigest);
    const sourceCommit = parseCommit(upload.sourceCommit);

    // Compress on the thread pool while this thread parses and normalises.
    const originalGzip = gzipEvidence(body);
    originalGzip.catch(() => undefined);
    const parsed = parseReportBody(body);
    const normalizer = normalizers.resolve(parsed, upload.format);
    // The CVE keys each finding whenever it has one (feeds join on it; a module may key by GHSA).
    const normalized = preferCveIds(normalizer.normalize(parsed, this.options.normalizeContext));
    const report = reportControls(normalized, control, upload.scanners);

    const resolved = await entities.resolveForWrite(upload.lookup, upload.writer);
    const artifactDigest = givenDigest ?? report.artifact?.digest;
    const arrivedAt = this.now();
    const givenScannedAt =
      upload.scannedAt === undefined ? undefined : parseScannedAt(upload.scannedAt, arrivedAt);
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    const dedupKey = uploadDedupKey({
      entityRef: resolved.entityRef,
      format: normalizer.id,
      control,
      sourceCommit,
      branch: upload.branch,
      artifactDigest,
      bodySha256,
      scanners: upload.scanners,
      scannedAt: givenScannedAt,
    });

    // Secrets are removed before anything of the body is kept: the fields every registered format
    // (modules' included) declares secret-bearing, then the reading format's own redaction.
    const redacted = normalizers.redact(parsed, normalizer);
    const keptGzip = redacted.changed
      ? await gzipEvidence(Buffer.from(serializeReport(redacted.report), 'utf8'))
      : await originalGzip;

    // The slices of findings this report is the truth for.
    const streams = reportStreams(report, resolved.entityRef, artifactDigest);
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
        // The facts the report states (Scorecard's checks), observed when the scan ran.
        const facts = reportFactRecords(report, {
          entityRef: resolved.entityRef,
          source: normalizer.id,
          observedAt: scannedAt,
          recordedBy: upload.writer.name,
          recordedAt: receivedAt,
        });
        await this.facts.insert(tx, facts);
        // A VEX document's statements, for the findings of every scanner (vex/VexService).
        const vexStatements =
          report.vex && this.options.vex
            ? await this.options.vex.store.insert(
                tx,
                {
                  entityRef: resolved.entityRef,
                  artifactDigest: artifactDigest ?? '',
                  reportId,
                  documentId: report.vex.documentId,
                  author: report.vex.author,
                  recordedAt: receivedAt,
                  maxAgeDays: this.options.vex.maxAgeDays,
                },
                report.vex.statements,
              )
            : 0;
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
            ...(facts.length > 0 ? { facts: facts.map(f => f.fact) } : {}),
            ...(vexStatements > 0 ? { vexStatements } : {}),
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
}
