import { ReportFormatError, jsonTypeOf } from '../errors';
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
 * KICS JSON (`kics scan --report-formats json`, FORMATS.md §8).
 *
 * Shape: `{kics_version?, files_scanned, …, queries[{query_name, query_id, severity, platform,
 * category, description, files[{file_name, similarity_id, line, resource_type, resource_name,
 * issue_type, search_key, expected_value, actual_value}]}], severity_counters, total_counter}`.
 * Each `queries[].files[]` entry is one finding. `queries: null` or `[]` is a clean scan.
 * `bill_of_materials` (TRACE inventory, not problems) is ignored. `null`, `{}` and an empty body
 * are not KICS output and are refused.
 *
 * Severity: CRITICAL/HIGH/MEDIUM/LOW/INFO map directly, TRACE → info; a missing severity → medium
 * with originalSeverity `unset`, any other label → medium keeping the label (on purpose: KICS
 * failed the query but its rating is unreadable).
 *
 * Never copied: `actual_value`, `expected_value`, `search_value`, `value` (for the "Passwords And
 * Secrets" queries they can echo the secret), nor `search_key`.
 *
 * Fingerprint: stableFingerprint('kics', query_id, similarity_id) — KICS's similarity id is a
 * sha256 of the query, file and search key, stable across line moves. When KICS could not compute
 * it (`queries_failed_to_compute_similarity_id`), the fallback is stableFingerprint('kics',
 * query_id, path, resource_type, resource_name, search_key) (hashed, never shown).
 * Paths: Windows backslashes become '/', a leading './' is dropped.
 */

const FORMAT_TITLE = 'KICS JSON';

const SEVERITIES: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'critical'],
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['info', 'info'],
  ['trace', 'info'],
]);

function isKicsReport(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    'queries' in value &&
    (value.queries === null || Array.isArray(value.queries)) &&
    (typeof value.kics_version === 'string' ||
      (isObject(value.severity_counters) &&
        ('files_scanned' in value || 'queries_total' in value)))
  );
}

function normalizeQuery(
  value: unknown,
  path: string,
  findings: NormalizedFinding[],
): void {
  const query = expectObject(FORMAT_TITLE, path, value);
  const queryId =
    optionalString(query.query_id)?.trim() ??
    optionalString(query.query_name)?.trim();
  if (queryId === undefined) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.query_id`,
      `must be a non-empty string (got ${jsonTypeOf(query.query_id)})`,
    );
  }
  const title = optionalString(query.query_name)?.trim() ?? queryId;
  const { severity, originalSeverity } = tableSeverity(SEVERITIES, query.severity);
  if (query.files === null || query.files === undefined) return;
  const files = expectArray(FORMAT_TITLE, `${path}.files`, query.files);
  files.forEach((entry, i) => {
    const filePath = `${path}.files[${i}]`;
    const file = expectObject(FORMAT_TITLE, filePath, entry);
    const nameRaw = file.file_name;
    if (
      nameRaw !== undefined &&
      nameRaw !== null &&
      typeof nameRaw !== 'string'
    ) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${filePath}.file_name`,
        `must be a string (got ${jsonTypeOf(nameRaw)})`,
      );
    }
    const nameText = optionalString(nameRaw);
    const name = nameText === undefined ? undefined : normalizeRepoPath(nameText);
    const similarityId = optionalString(file.similarity_id)?.trim();
    const fingerprint =
      similarityId !== undefined
        ? stableFingerprint('kics', queryId, similarityId.toLowerCase())
        : stableFingerprint(
            'kics',
            queryId,
            name,
            optionalString(file.resource_type),
            optionalString(file.resource_name),
            optionalString(file.search_key),
          );
    const finding: NormalizedFinding = {
      kind: 'iac',
      control: controlForKind('iac'),
      ruleId: queryId,
      title,
      severity,
      originalSeverity,
      fingerprint,
    };
    if (name !== undefined) {
      finding.location = { path: name };
      const line = positiveInteger(file.line);
      if (line !== undefined) finding.location.startLine = line;
    }
    findings.push(finding);
  });
}

/** KICS JSON reports. @public */
export const kicsNormalizer: ReportNormalizer = {
  id: 'kics',
  title: FORMAT_TITLE,
  // FORMATS.md §8: the "Passwords And Secrets" queries echo values here.
  secretFields: ['actual_value', 'expected_value'],

  detect(report: ParsedReport): boolean {
    return report.shape === 'json' && isKicsReport(report.value);
  },

  normalize(report: ParsedReport): NormalizedReport {
    if (report.shape !== 'json') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be a KICS JSON report (got ${describeShape(report)})`,
      );
    }
    const doc = expectObject(FORMAT_TITLE, '$', report.value);
    const result: NormalizedReport = {
      format: 'kics',
      tool: 'KICS',
      controls: ['iac-lint'],
      findings: [],
    };
    const version = optionalString(doc.kics_version);
    if (version !== undefined) result.toolVersion = version;
    if (!('queries' in doc)) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$.queries',
        'is missing (a KICS report lists its failed queries there)',
      );
    }
    if (doc.queries === null) return result;
    const queries = expectArray(FORMAT_TITLE, '$.queries', doc.queries);
    queries.forEach((query, i) =>
      normalizeQuery(query, `$.queries[${i}]`, result.findings),
    );
    return result;
  },
};
