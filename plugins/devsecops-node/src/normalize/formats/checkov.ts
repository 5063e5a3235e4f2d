import { ReportFormatError, jsonTypeOf } from '../errors';
import {
  controlForKind,
  expectObject,
  isObject,
  optionalString,
  stableFingerprint,
} from '../helpers';
import {
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  Severity,
} from '../types';
import {
  describeShape,
  normalizeRepoPath,
  positiveInteger,
  tableSeverity,
} from './shared';

/*
 * Checkov JSON (`checkov -o json`, FORMATS.md §8).
 *
 * Shapes read:
 *  - one framework: `{check_type, results{passed_checks[], failed_checks[], skipped_checks[],
 *    parsing_errors[]}, summary{…, checkov_version}}`;
 *  - several frameworks: an array of those objects;
 *  - nothing scanned: a bare summary object `{passed, failed, skipped, parsing_errors,
 *    resource_count, checkov_version}` (older releases write `parsingerrors`/`resourcecount`).
 *    It is detected only when it carries `checkov_version` (else the uploader must name the
 *    format); it gives zero findings.
 *  - `[]` (no frameworks) gives zero findings when the format is named. `null`, `{}` and an empty
 *    body are not Checkov output and are refused.
 *
 * Findings: only `results.failed_checks[]`. Passed checks are not problems; skipped checks (inline
 * `checkov:skip` suppressions) are not reported, as the scorecard's brief for this format asks.
 *
 * Severity: `severity` is null unless a Bridgecrew/Prisma API key was used. null or missing →
 * `medium` with originalSeverity `unset` (Checkov failed the check but did not rate it; medium is
 * the neutral middle, on purpose). LOW/MEDIUM/HIGH/CRITICAL (any case) map directly; any other
 * label → `medium` keeping the label as originalSeverity.
 *
 * Never copied: `code_block` (may hold hard-coded credentials — CKV_AWS_46 et al.),
 * `fixed_definition`, `evaluations`, `entity_tags`.
 *
 * Fingerprint: stableFingerprint('checkov', check_id, path, resource), path = repo_file_path ||
 * file_path without Checkov's leading '/' (its paths are relative to the scanned root), no line
 * numbers.
 */

const FORMAT_TITLE = 'Checkov JSON';

function isFrameworkReport(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    typeof value.check_type === 'string' &&
    isObject(value.results) &&
    ('failed_checks' in value.results || 'passed_checks' in value.results)
  );
}

/** A bare summary `{passed, failed, …}`: what Checkov writes when it scanned nothing. */
function isSummaryShape(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.passed === 'number' &&
    typeof value.failed === 'number' &&
    !('check_type' in value) &&
    !('results' in value)
  );
}

/** A bare summary is only recognised as Checkov's when it says so. */
function isSummaryOnly(value: unknown): boolean {
  return (
    isSummaryShape(value) &&
    typeof (value as Record<string, unknown>).checkov_version === 'string'
  );
}

/** Checkov paths are relative to the scanned root, written with a leading '/'. */
function normalizePath(path: string): string {
  return normalizeRepoPath(path.replace(/\\/g, '/').replace(/^\/+/, ''));
}

const SEVERITIES: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'critical'],
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['info', 'info'],
]);

function normalizeCheck(check: unknown, path: string): NormalizedFinding {
  const item = expectObject(FORMAT_TITLE, path, check);
  const checkId = optionalString(item.check_id)?.trim();
  if (checkId === undefined) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.check_id`,
      `must be a non-empty string (got ${jsonTypeOf(item.check_id)})`,
    );
  }
  const fileText =
    optionalString(item.repo_file_path) ?? optionalString(item.file_path);
  const file = fileText === undefined ? undefined : normalizePath(fileText);
  const resource = optionalString(item.resource);
  const { severity, originalSeverity } = tableSeverity(SEVERITIES, item.severity);

  const finding: NormalizedFinding = {
    kind: 'iac',
    control: controlForKind('iac'),
    ruleId: checkId,
    title: optionalString(item.check_name)?.trim() ?? checkId,
    severity,
    originalSeverity,
    fingerprint: stableFingerprint('checkov', checkId, file, resource),
  };
  if (file !== undefined && file !== '') {
    finding.location = { path: file };
    const range = item.file_line_range;
    if (Array.isArray(range)) {
      const start = positiveInteger(range[0]);
      const end = positiveInteger(range[1]);
      if (start !== undefined) {
        finding.location.startLine = start;
        if (end !== undefined && end >= start) finding.location.endLine = end;
      }
    }
  }
  return finding;
}

function normalizeFramework(
  value: unknown,
  path: string,
  findings: NormalizedFinding[],
): string | undefined {
  const framework = expectObject(FORMAT_TITLE, path, value);
  if (isSummaryShape(framework)) {
    return optionalString(framework.checkov_version);
  }
  if (typeof framework.check_type !== 'string') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.check_type`,
      `must be a string (got ${jsonTypeOf(framework.check_type)})`,
    );
  }
  const results = expectObject(
    FORMAT_TITLE,
    `${path}.results`,
    framework.results,
  );
  const failed = results.failed_checks;
  if (failed !== undefined && failed !== null) {
    if (!Array.isArray(failed)) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${path}.results.failed_checks`,
        `must be an array (got ${jsonTypeOf(failed)})`,
      );
    }
    failed.forEach((check, i) =>
      findings.push(
        normalizeCheck(check, `${path}.results.failed_checks[${i}]`),
      ),
    );
  }
  const summary = framework.summary;
  return isObject(summary)
    ? optionalString(summary.checkov_version)
    : undefined;
}

/** Checkov `-o json` output (one framework, several, or the bare summary). @public */
export const checkovNormalizer: ReportNormalizer = {
  id: 'checkov',
  title: FORMAT_TITLE,
  // FORMATS.md §8: the failing code, which may hold hard-coded credentials (CKV_AWS_46 …).
  secretFields: ['code_block'],

  detect(report: ParsedReport): boolean {
    if (report.shape !== 'json') return false;
    const doc = report.value;
    if (Array.isArray(doc)) {
      return (
        doc.length > 0 &&
        doc.some(isFrameworkReport) &&
        doc.every(d => isFrameworkReport(d) || isSummaryOnly(d))
      );
    }
    return isFrameworkReport(doc) || isSummaryOnly(doc);
  },

  acceptsNamed(report: ParsedReport): boolean {
    // A bare summary without checkov_version, and arrays of frameworks and summaries.
    if (report.shape !== 'json') return false;
    const doc = report.value;
    if (Array.isArray(doc)) {
      return doc.every(d => isFrameworkReport(d) || isSummaryShape(d));
    }
    return isSummaryShape(doc);
  },

  normalize(report: ParsedReport): NormalizedReport {
    const result: NormalizedReport = {
      format: 'checkov',
      tool: 'Checkov',
      controls: ['iac-lint'],
      findings: [],
    };
    if (report.shape !== 'json') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be a Checkov JSON report (got ${describeShape(report)})`,
      );
    }
    const doc = report.value;
    let versions: Array<string | undefined>;
    if (Array.isArray(doc)) {
      versions = doc.map((framework, i) =>
        normalizeFramework(framework, `$[${i}]`, result.findings),
      );
    } else if (isObject(doc)) {
      if (
        !isSummaryShape(doc) &&
        !('check_type' in doc) &&
        !('results' in doc)
      ) {
        throw new ReportFormatError(
          FORMAT_TITLE,
          '$',
          'must be a Checkov report: an object with check_type and results, an array of them, or a summary with checkov_version',
        );
      }
      versions = [normalizeFramework(doc, '$', result.findings)];
    } else {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be an object or an array of framework reports (got ${jsonTypeOf(
          doc,
        )})`,
      );
    }
    const version = versions.find(v => v !== undefined);
    if (version !== undefined) result.toolVersion = version;
    return result;
  },
};
