import { ReportFormatError, describeValue, jsonTypeOf } from '../errors';
import {
  controlForKind,
  expectArray,
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
 * tfsec JSON (`tfsec --format json`, FORMATS.md §8).
 *
 * Shape: `{results: [...] | null}`. Results of three generations are read:
 *  - legacy (< 0.39): `rule_id` (AWS050, GEN003), `severity` ERROR|WARNING|INFO, `passed`, `link`;
 *  - 0.5x: `rule_id` (aws-vpc-…), `legacy_rule_id`, CRITICAL|HIGH|MEDIUM|LOW, `status` "failed"|…;
 *  - 1.x: adds `long_id`, `rule_service`, `resource`, `warning`, `status` as a number
 *    (defsec: 0 failed, 1 passed, 2 ignored).
 * Passed results (`passed: true`, status "passed"/1) are skipped; ignored ones (status
 * "ignored"/2, tfsec:ignore comments) are kept with `suppressed: true`. `{results: null}` and
 * `{results: []}` are clean scans; they are accepted when the format is named, but not detected
 * (many formats have a `results` key). `null`, `{}` and an empty body are refused.
 *
 * Severity: CRITICAL/HIGH/MEDIUM/LOW map directly; legacy ERROR → high, WARNING → medium,
 * INFO → info (as `severityFromLabel` and DefectDojo read them); a missing severity → medium with
 * originalSeverity `unset`, any other label → medium keeping the label.
 *
 * Fingerprint: stableFingerprint('tfsec', rule, path, resource): rule = legacy_rule_id || rule_id
 * (so a 0.5x report keeps the fingerprints of a legacy one where tfsec says which legacy rule it
 * is); resource = `resource`, else the quoted name that starts `description` ("Resource
 * 'module.x:aws_…' …"), else the description itself. Paths are kept as written (tfsec often
 * writes absolute paths; backslashes become '/').
 */

const FORMAT_TITLE = 'tfsec JSON';

const SEVERITIES: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'critical'],
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['error', 'high'],
  ['warning', 'medium'],
  ['info', 'info'],
]);

function isTfsecResult(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.rule_id === 'string' &&
    isObject(value.location) &&
    'filename' in value.location &&
    ('severity' in value || 'description' in value)
  );
}

type Status = 'failed' | 'passed' | 'ignored';

function statusOf(result: Record<string, unknown>, path: string): Status {
  if (result.passed === true) return 'passed';
  const status = result.status;
  if (status === undefined || status === null) return 'failed';
  if (status === 0 || status === 'failed') return 'failed';
  if (status === 1 || status === 'passed') return 'passed';
  if (status === 2 || status === 'ignored') return 'ignored';
  throw new ReportFormatError(
    FORMAT_TITLE,
    `${path}.status`,
    `must be "failed", "passed", "ignored" or 0–2 (got ${describeValue(status)})`,
  );
}

/** The resource a result is about, from `resource` or tfsec's description sentence. */
function resourceOf(result: Record<string, unknown>): string | undefined {
  const resource = optionalString(result.resource);
  if (resource !== undefined) return resource;
  const description = optionalString(result.description);
  if (description === undefined) return undefined;
  const match = /^(?:Resource|Block|Provider|Module|Variable)\s+'([^']+)'/.exec(
    description,
  );
  return match ? match[1] : description;
}

function normalizeResult(
  value: unknown,
  path: string,
): NormalizedFinding | undefined {
  const result = expectObject(FORMAT_TITLE, path, value);
  const ruleId = optionalString(result.rule_id)?.trim();
  if (ruleId === undefined) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.rule_id`,
      `must be a non-empty string (got ${jsonTypeOf(result.rule_id)})`,
    );
  }
  const status = statusOf(result, path);
  if (status === 'passed') return undefined;

  let file: string | undefined;
  let startLine: number | undefined;
  let endLine: number | undefined;
  if (result.location !== undefined && result.location !== null) {
    const location = expectObject(
      FORMAT_TITLE,
      `${path}.location`,
      result.location,
    );
    const filename = location.filename;
    if (
      filename !== undefined &&
      filename !== null &&
      typeof filename !== 'string'
    ) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${path}.location.filename`,
        `must be a string (got ${jsonTypeOf(filename)})`,
      );
    }
    const text = optionalString(filename);
    file = text === undefined ? undefined : normalizeRepoPath(text);
    startLine = positiveInteger(location.start_line);
    endLine = positiveInteger(location.end_line);
  }

  const ruleKey = optionalString(result.legacy_rule_id)?.trim() ?? ruleId;
  const { severity, originalSeverity } = tableSeverity(SEVERITIES, result.severity);
  const finding: NormalizedFinding = {
    kind: 'iac',
    control: controlForKind('iac'),
    ruleId,
    title:
      optionalString(result.rule_description)?.trim() ??
      optionalString(result.description)?.trim() ??
      ruleId,
    severity,
    originalSeverity,
    fingerprint: stableFingerprint('tfsec', ruleKey, file, resourceOf(result)),
  };
  if (file !== undefined) {
    finding.location = { path: file };
    if (startLine !== undefined) {
      finding.location.startLine = startLine;
      if (endLine !== undefined && endLine >= startLine) {
        finding.location.endLine = endLine;
      }
    }
  }
  if (status === 'ignored') finding.suppressed = true;
  return finding;
}

/** tfsec `--format json` output (current and legacy). @public */
export const tfsecNormalizer: ReportNormalizer = {
  id: 'tfsec',
  title: FORMAT_TITLE,

  detect(report: ParsedReport): boolean {
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const results = report.value.results;
    return (
      Array.isArray(results) &&
      results.length > 0 &&
      results.every(isTfsecResult)
    );
  },

  acceptsNamed(report: ParsedReport): boolean {
    // `{results: null}` and `{results: []}`: clean scans, too ambiguous to detect.
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const results = report.value.results;
    return (
      results === null ||
      (Array.isArray(results) && results.every(isTfsecResult))
    );
  },

  normalize(report: ParsedReport): NormalizedReport {
    if (report.shape !== 'json') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be a tfsec JSON report (got ${describeShape(report)})`,
      );
    }
    const doc = expectObject(FORMAT_TITLE, '$', report.value);
    const result: NormalizedReport = {
      format: 'tfsec',
      tool: 'tfsec',
      controls: ['iac-lint'],
      findings: [],
    };
    if (!('results' in doc)) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$.results',
        'is missing (a tfsec report is {"results": [...]})',
      );
    }
    if (doc.results === null) return result;
    const results = expectArray(FORMAT_TITLE, '$.results', doc.results);
    results.forEach((value, i) => {
      const finding = normalizeResult(value, `$.results[${i}]`);
      if (finding) result.findings.push(finding);
    });
    return result;
  },
};
