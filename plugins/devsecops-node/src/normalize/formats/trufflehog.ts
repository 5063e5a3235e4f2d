import { ReportFormatError, jsonTypeOf } from '../errors';
import {
  controlForKind,
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
  Severity,
} from '../types';
import { normalizeRepoPath, positiveInteger } from './shared';

/*
 * TruffleHog JSON lines (FORMATS.md §7).
 *
 * Shapes read: `trufflehog … --json` writes one JSON object per line (`{shape:'ndjson'}`; a single
 * finding arrives as `{shape:'json'}` holding one object). A JSON array of the same objects is read
 * too. Records of two generations are understood:
 *  - v3: `{SourceMetadata.Data.<Source>{file,line,commit,…}, DetectorType, DetectorName, Verified,
 *    VerificationError?, Raw, RawV2?, Redacted, ExtraData, SecretParts?, …}`;
 *  - v2 (python, legacy): `{branch, commit, commitHash, date, diff, path, printDiff, reason,
 *    stringsFound[]}`.
 * JSON log records (`{level, msg, …}`, when stderr was captured with stdout) are skipped. An empty
 * body, `null` or `[]` is a clean scan (zero findings) when the uploader names the format.
 *
 * Secrets: `Raw`, `RawV2`, `Redacted` (for AWS it is the full key id), `SecretParts`, `ExtraData`
 * (account ids, ARNs), and v2 `stringsFound`, `diff`, `printDiff` are never copied. Neither are the
 * committer `email` nor v2 `commit` (the commit message).
 *
 * Severity: `Verified: true` → critical (originalSeverity `verified`); a `VerificationError` (the
 * detector could neither confirm nor disprove the secret) → high (`verification-error`); unverified
 * → high (`unverified`): an unverified match is still a committed credential-shaped value, and
 * TruffleHog's own `--only-verified` is the switch for hiding them. v2 has no verification → high,
 * no originalSeverity.
 *
 * Fingerprint: stableFingerprint('trufflehog', detector, file, context.secretFingerprint(secret)),
 * secret = RawV2 || Raw (v3) or the sorted distinct `stringsFound` joined by newlines (v2); detector
 * = DetectorName (else `detector-<DetectorType>`) or the v2 `reason`. Line and commit are left out,
 * so the same secret found again in another commit of the same file is the same finding. Older v3
 * output marshalled `Raw`/`RawV2` as base64 (`[]byte`); a value that is canonical base64 of
 * printable UTF-8 text is decoded before hashing, so upgrading TruffleHog keeps fingerprints.
 */

const FORMAT_TITLE = 'TruffleHog JSON lines';

function isV3Record(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    isObject(value.SourceMetadata) &&
    (typeof value.DetectorName === 'string' ||
      typeof value.DetectorType === 'number') &&
    ('Verified' in value || 'Raw' in value || 'RawV2' in value)
  );
}

function isV2Record(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    Array.isArray(value.stringsFound) &&
    typeof value.reason === 'string' &&
    ('path' in value || 'commitHash' in value)
  );
}

/** A JSON log line of trufflehog (zap/logr) mixed into the output. */
function isLogRecord(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.level === 'string' &&
    (typeof value.msg === 'string' || typeof value.message === 'string') &&
    !('SourceMetadata' in value) &&
    !('stringsFound' in value)
  );
}

/** The records of a body, with the JSON path used in error messages. */
function recordsOf(report: ParsedReport): unknown[] | undefined {
  if (report.shape === 'ndjson') return report.values;
  if (report.shape === 'json') {
    if (Array.isArray(report.value)) return report.value;
    if (isObject(report.value)) return [report.value];
  }
  return undefined;
}

function recordPath(report: ParsedReport, index: number): string {
  // A single object is `$`; JSON lines and arrays are addressed by record index.
  return report.shape === 'json' && !Array.isArray(report.value)
    ? '$'
    : `$[${index}]`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Old v3 output marshalled `Raw` as base64. Decode a value only when it is canonical base64 of
 * printable UTF-8 text; otherwise keep it as written. Deterministic, used only for hashing.
 */
function rawSecret(value: string): string {
  if (value.length < 8 || value.length % 4 !== 0 || !BASE64.test(value)) {
    return value;
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return value;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text)
    ? value
    : text;
}

/** `SourceMetadata.Data.<Source>`: the first source (by name) that is an object. */
function sourceData(
  record: Record<string, unknown>,
  path: string,
): Record<string, unknown> | undefined {
  const meta = record.SourceMetadata as Record<string, unknown>;
  const data = meta.Data;
  if (data === undefined || data === null) return undefined;
  if (!isObject(data)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.SourceMetadata.Data`,
      `must be an object (got ${jsonTypeOf(data)})`,
    );
  }
  for (const key of Object.keys(data).sort()) {
    if (isObject(data[key])) return data[key] as Record<string, unknown>;
  }
  return undefined;
}

function normalizeV3(
  record: Record<string, unknown>,
  path: string,
  context: NormalizeContext,
): NormalizedFinding {
  // The secret is hashed first, before anything else looks at the record.
  const secret = optionalString(record.RawV2) ?? optionalString(record.Raw);
  const secretFp =
    secret === undefined
      ? undefined
      : context.secretFingerprint(rawSecret(secret));

  const detector =
    optionalString(record.DetectorName)?.trim() ??
    (typeof record.DetectorType === 'number'
      ? `detector-${record.DetectorType}`
      : undefined);
  if (detector === undefined) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.DetectorName`,
      `must be a string (got ${jsonTypeOf(record.DetectorName)})`,
    );
  }
  if (record.Verified !== undefined && typeof record.Verified !== 'boolean') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.Verified`,
      `must be a boolean (got ${jsonTypeOf(record.Verified)})`,
    );
  }

  const source = sourceData(record, path);
  const fileText =
    source &&
    (optionalString(source.file) ??
      optionalString(source.filename) ??
      optionalString(source.path));
  const file = fileText === undefined ? undefined : normalizeRepoPath(fileText);

  let severity: Severity;
  let originalSeverity: string;
  if (record.Verified === true) {
    severity = 'critical';
    originalSeverity = 'verified';
  } else if (optionalString(record.VerificationError) !== undefined) {
    severity = 'high';
    originalSeverity = 'verification-error';
  } else {
    severity = 'high';
    originalSeverity = 'unverified';
  }

  const finding: NormalizedFinding = {
    kind: 'secret',
    control: controlForKind('secret'),
    ruleId: detector,
    title: `${detector} secret${record.Verified === true ? ' (verified)' : ''}`,
    severity,
    originalSeverity,
    fingerprint: stableFingerprint('trufflehog', detector, file, secretFp),
  };
  if (file !== undefined) {
    finding.location = { path: file };
    const line = positiveInteger(source?.line);
    if (line !== undefined) finding.location.startLine = line;
  }
  return finding;
}

function normalizeV2(
  record: Record<string, unknown>,
  path: string,
  context: NormalizeContext,
): NormalizedFinding {
  const strings = record.stringsFound as unknown[];
  const found = strings.map((s, i) => {
    if (typeof s !== 'string') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${path}.stringsFound[${i}]`,
        `must be a string (got ${jsonTypeOf(s)})`,
      );
    }
    return s;
  });
  const distinct = [...new Set(found)].sort();
  const secretFp =
    distinct.length > 0
      ? context.secretFingerprint(distinct.join('\n'))
      : undefined;

  const reason = (record.reason as string).trim();
  if (reason === '') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.reason`,
      'must not be empty',
    );
  }
  const fileText = optionalString(record.path);
  const file = fileText === undefined ? undefined : normalizeRepoPath(fileText);
  const finding: NormalizedFinding = {
    kind: 'secret',
    control: controlForKind('secret'),
    ruleId: reason,
    title: reason,
    severity: 'high',
    fingerprint: stableFingerprint('trufflehog', reason, file, secretFp),
  };
  if (file !== undefined) finding.location = { path: file };
  return finding;
}

/** TruffleHog `--json` output (v3 JSON lines, and the legacy v2 JSON lines). @public */
export const trufflehogNormalizer: ReportNormalizer = {
  id: 'trufflehog',
  title: FORMAT_TITLE,
  // FORMATS.md §7: v3 Raw, RawV2, Redacted (the full AWS key id), SecretParts, ExtraData (account
  // ids, ARNs); v2 stringsFound, diff, printDiff.
  secretFields: [
    'Raw',
    'RawV2',
    'Redacted',
    'SecretParts',
    'ExtraData',
    'stringsFound',
    'diff',
    'printDiff',
  ],

  detect(report: ParsedReport): boolean {
    const records = recordsOf(report);
    if (!records || records.length === 0) return false;
    let findings = 0;
    for (const record of records) {
      if (isV3Record(record) || isV2Record(record)) findings++;
      else if (!isLogRecord(record)) return false;
    }
    return findings > 0;
  },

  acceptsNamed(report: ParsedReport): boolean {
    // Output of a clean run with its log lines captured: nothing but log records.
    const records = recordsOf(report);
    return (
      records !== undefined &&
      records.every(r => isV3Record(r) || isV2Record(r) || isLogRecord(r))
    );
  },

  normalize(report: ParsedReport, context: NormalizeContext): NormalizedReport {
    const result: NormalizedReport = {
      format: 'trufflehog',
      tool: 'TruffleHog',
      controls: ['secret-scanning'],
      findings: [],
    };
    // No findings: trufflehog writes nothing at all.
    if (report.shape === 'empty') return result;
    if (report.shape === 'json' && report.value === null) return result;
    const records = recordsOf(report);
    if (!records) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        `must be JSON lines of TruffleHog findings (got ${
          report.shape === 'json' ? jsonTypeOf(report.value) : report.shape
        })`,
      );
    }
    records.forEach((record, i) => {
      const path = recordPath(report, i);
      if (isLogRecord(record)) return;
      if (!isObject(record)) {
        throw new ReportFormatError(
          FORMAT_TITLE,
          path,
          `must be an object (got ${jsonTypeOf(record)})`,
        );
      }
      if ('SourceMetadata' in record) {
        if (!isObject(record.SourceMetadata)) {
          throw new ReportFormatError(
            FORMAT_TITLE,
            `${path}.SourceMetadata`,
            `must be an object (got ${jsonTypeOf(record.SourceMetadata)})`,
          );
        }
        result.findings.push(normalizeV3(record, path, context));
      } else if ('stringsFound' in record) {
        if (!Array.isArray(record.stringsFound)) {
          throw new ReportFormatError(
            FORMAT_TITLE,
            `${path}.stringsFound`,
            `must be an array (got ${jsonTypeOf(record.stringsFound)})`,
          );
        }
        if (typeof record.reason !== 'string') {
          throw new ReportFormatError(
            FORMAT_TITLE,
            `${path}.reason`,
            `must be a string (got ${jsonTypeOf(record.reason)})`,
          );
        }
        result.findings.push(normalizeV2(record, path, context));
      } else {
        throw new ReportFormatError(
          FORMAT_TITLE,
          path,
          'is not a TruffleHog finding (expected SourceMetadata and DetectorName, or v2 reason and stringsFound)',
        );
      }
    });
    return result;
  },
};
