import { ReportFormatError, jsonTypeOf } from '../errors';
import {
  controlForKind,
  expectObject,
  isObject,
  optionalString,
  stableFingerprint,
} from '../helpers';
import {
  NormalizeContext,
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
} from '../types';
import { normalizeRepoPath, positiveInteger } from './shared';

/*
 * Gitleaks JSON (FORMATS.md §6).
 *
 * Shapes read:
 *  - v8: a top-level array of `{RuleID, Description, StartLine, …, Match, Secret, File, Commit, …}`.
 *  - legacy v7 / v6 (and older): an array of `{line, lineNumber?, offender, commit, rule, file, …}`.
 *  - `[]`, `null` (DefectDojo's `no_findings`) and an empty body: a clean scan, zero findings. These
 *    are only accepted when the uploader names the format (detection refuses them as ambiguous).
 *
 * Secrets and PII: only RuleID/rule, Description, File/file and the line numbers are copied. `Secret`,
 * `Match`, `Fragment`, `requiredFindings`, legacy `line` and `offender` carry the secret;
 * `Author`, `Email`, `Message`, `commitMessage` are personal data. None of them is copied.
 *
 * Severity: gitleaks has no severity and no verification of secrets, so every finding is `high`
 * (`originalSeverity` stays unset: the tool gave none).
 *
 * Fingerprint: stableFingerprint('gitleaks', ruleId, file, context.secretFingerprint(secret)) —
 * the keyed hash of the secret is the identity, so the same secret found on another line or in
 * another commit of the same file is the same finding. When the report was written with `--redact`
 * (`REDACTED`, `****…`, or the `--redact=N` partial form ending in `...`), there is no secret to hash;
 * the identity then is stableFingerprint('gitleaks', ruleId, file, 'redacted', commit): gitleaks
 * reports a secret once, in the commit that added it, so (rule, file, commit) is stable between two
 * scans of the same history. Several redacted secrets of one rule added to one file by one commit
 * share a fingerprint (they are indistinguishable once redacted); a redacted and an unredacted report
 * of the same secret do not share one. A partially redacted value is treated as redacted on
 * purpose, so the fingerprint does not depend on the redaction percentage.
 */

const FORMAT_TITLE = 'Gitleaks JSON';

/** Values gitleaks writes instead of the secret when run with `--redact[=N]`. */
function isRedactedSecret(value: string): boolean {
  const v = value.trim();
  return (
    v === '' || /^redacted$/i.test(v) || /^\*+$/.test(v) || v.endsWith('...')
  );
}

function isV8Finding(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    typeof value.RuleID === 'string' &&
    'File' in value &&
    ('Secret' in value || 'Match' in value || 'StartLine' in value)
  );
}

function isLegacyFinding(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    typeof value.rule === 'string' &&
    ('offender' in value || 'line' in value) &&
    ('file' in value || 'commit' in value)
  );
}

function fingerprintFor(
  context: NormalizeContext,
  ruleId: string,
  file: string | undefined,
  secret: unknown,
  commit: unknown,
): string {
  // The secret is hashed first, before anything else looks at the finding.
  if (typeof secret === 'string' && !isRedactedSecret(secret)) {
    return stableFingerprint(
      'gitleaks',
      ruleId,
      file,
      context.secretFingerprint(secret),
    );
  }
  return stableFingerprint(
    'gitleaks',
    ruleId,
    file,
    'redacted',
    optionalString(commit),
  );
}

function normalizeEntry(
  entry: unknown,
  path: string,
  context: NormalizeContext,
): NormalizedFinding {
  const item = expectObject(FORMAT_TITLE, path, entry);
  // v8 writes PascalCase fields, v7 and older lowercase ones with `offender` as the secret.
  const v8 = typeof item.RuleID === 'string';
  if (!v8 && typeof item.rule !== 'string') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.RuleID`,
      `must be a string (got ${jsonTypeOf(
        item.RuleID,
      )}; legacy reports use "rule")`,
    );
  }
  const ruleKey = v8 ? 'RuleID' : 'rule';
  const fileKey = v8 ? 'File' : 'file';
  const ruleId = String(item[ruleKey]).trim();
  if (ruleId === '') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.${ruleKey}`,
      'must not be empty',
    );
  }
  const fileRaw = item[fileKey];
  if (
    fileRaw !== undefined &&
    fileRaw !== null &&
    typeof fileRaw !== 'string'
  ) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.${fileKey}`,
      `must be a string (got ${jsonTypeOf(fileRaw)})`,
    );
  }
  const fileText = optionalString(fileRaw);
  const file = fileText === undefined ? undefined : normalizeRepoPath(fileText);

  const fingerprint = fingerprintFor(
    context,
    ruleId,
    file,
    v8 ? item.Secret : item.offender,
    v8 ? item.Commit : item.commit,
  );

  const finding: NormalizedFinding = {
    kind: 'secret',
    control: controlForKind('secret'),
    ruleId,
    // Legacy reports have no description; their rule is already a readable name.
    title:
      (v8 ? optionalString(item.Description)?.trim() : undefined) || ruleId,
    severity: 'high',
    fingerprint,
  };
  if (file !== undefined) {
    const startLine = positiveInteger(v8 ? item.StartLine : item.lineNumber);
    const endLine = v8 ? positiveInteger(item.EndLine) : undefined;
    finding.location = { path: file };
    if (startLine !== undefined) {
      finding.location.startLine = startLine;
      if (endLine !== undefined && endLine >= startLine) {
        finding.location.endLine = endLine;
      }
    }
  }
  return finding;
}

/** Gitleaks JSON reports (v8 array and legacy v7/v6 arrays). @public */
export const gitleaksNormalizer: ReportNormalizer = {
  id: 'gitleaks',
  title: FORMAT_TITLE,
  // FORMATS.md §6: Secret and Match (the secret with context), Fragment (the whole file content),
  // requiredFindings (nested findings with their own Secret/Match), legacy v7 `offender`; GitHub's
  // secret-scanning alerts name the literal value `secret` as well.
  secretFields: ['Secret', 'Match', 'Fragment', 'requiredFindings', 'offender'],
  // Legacy v7 `line` is the line of code holding the secret (other formats write numbers there).
  secretStringFields: ['line'],

  detect(report: ParsedReport): boolean {
    if (report.shape !== 'json' || !Array.isArray(report.value)) return false;
    const entries = report.value;
    return (
      entries.length > 0 &&
      entries.every(e => isV8Finding(e) || isLegacyFinding(e))
    );
  },

  normalize(report: ParsedReport, context: NormalizeContext): NormalizedReport {
    const result: NormalizedReport = {
      format: 'gitleaks',
      tool: 'gitleaks',
      controls: ['secret-scanning'],
      findings: [],
    };
    if (report.shape === 'empty') return result;
    if (report.shape !== 'json') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be a JSON array of findings (got ${
          report.shape === 'ndjson' ? 'JSON lines' : 'text'
        })`,
      );
    }
    const doc = report.value;
    if (doc === null) return result;
    if (!Array.isArray(doc)) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be an array of findings (got ${jsonTypeOf(doc)})`,
      );
    }
    result.findings = doc.map((entry, i) =>
      normalizeEntry(entry, `$[${i}]`, context),
    );
    return result;
  },
};
