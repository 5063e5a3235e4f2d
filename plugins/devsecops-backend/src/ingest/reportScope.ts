import { InputError } from '@backstage/errors';
import { ReportSummary } from '@devsecops-scorecard/plugin-devsecops-common';
import { NormalizedReport } from '@devsecops-scorecard/plugin-devsecops-node';
import { createHash } from 'node:crypto';
import { ReportStream } from '../store/ReportStore';

/**
 * What a report is the truth for: the controls it evidences (as normalised, overridden by the
 * upload's control or narrowed to its scanners), the streams it feeds, and its repeat key.
 */

/** Controls whose findings belong to a built artifact rather than to the source tree. */
const ARTIFACT_SCOPED_CONTROLS = new Set(['container-scan', 'sbom']);

/** The controls a normalised report evidences once the upload's control or scanners are applied. */
export function reportControls(
  normalized: NormalizedReport,
  control: string | undefined,
  scanners: string[] | undefined,
): NormalizedReport {
  return withEveryControl(applyScanners(applyControlOverride(normalized, control), scanners));
}

/** The slices of findings this report is the truth for: one per control (entity, control, tool, artifact). */
export function reportStreams(
  report: NormalizedReport,
  entityRef: string,
  artifactDigest: string | undefined,
): ReportStream[] {
  return report.controls.map(scanControl => ({
    entityRef,
    control: scanControl,
    tool: report.tool,
    scopeDigest: ARTIFACT_SCOPED_CONTROLS.has(scanControl) ? artifactDigest ?? '' : '',
  }));
}

/** What makes an upload a repeat of the newest report of a stream: the same body, sent the same way. */
export function uploadDedupKey(upload: {
  entityRef: string;
  format: string;
  control?: string;
  sourceCommit?: string;
  branch?: string;
  artifactDigest?: string;
  bodySha256: string;
  scanners?: string[];
  scannedAt?: Date;
}): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        upload.entityRef,
        upload.format,
        upload.control ?? '',
        upload.sourceCommit ?? '',
        upload.branch ?? '',
        upload.artifactDigest ?? '',
        upload.bodySha256,
        // Which scanners the uploader said ran changes what the report resolves.
        ...(upload.scanners === undefined ? [] : [`scanners:${[...upload.scanners].sort().join(',')}`]),
        // The same body scanned again later is a new scan (it keeps the control fresh); a
        // retry of one upload sends the same scannedAt and stays a repeat.
        ...(upload.scannedAt === undefined ? [] : [upload.scannedAt.toISOString()]),
      ]),
    )
    .digest('hex');
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

export function summarize(report: NormalizedReport): ReportSummary {
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
