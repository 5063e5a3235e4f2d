import { ParsedReport } from './types';

/**
 * Fields that carry secret values (or code around them) in the formats we read, per
 * fixtures/FORMATS.md: gitleaks `Secret`/`Match`/`Fragment`/`offender`/`line`, TruffleHog
 * `Raw`/`RawV2`/`Redacted`/`SecretParts`/`ExtraData`/`stringsFound`/`diff`/`printDiff`, SARIF
 * `snippet`, Trivy `Match`/`Code`, Checkov `code_block`, KICS `actual_value`/`expected_value`,
 * Semgrep `lines`, GitHub secret scanning `secret`. Compared case-insensitively.
 */
const SECRET_BEARING_KEYS = new Set(
  [
    'secret',
    'match',
    'fragment',
    'offender',
    'raw',
    'rawv2',
    'redacted',
    'secretparts',
    'extradata',
    'stringsfound',
    'diff',
    'printdiff',
    'snippet',
    'code',
    'code_block',
    'actual_value',
    'expected_value',
    'lines',
    'requiredfindings',
  ].map(k => k.toLowerCase()),
);

/** Keys whose string values are secret-bearing only in some formats (gitleaks v7 `line`). */
const SECRET_BEARING_WHEN_STRING = new Set(['line']);

/** What replaces a removed value in the evidence copy. @public */
export const REDACTION_MARKER = '[REDACTED by devsecops]';

function isSecretBearing(key: string, item: unknown): boolean {
  const lower = key.toLowerCase();
  return (
    SECRET_BEARING_KEYS.has(lower) ||
    (SECRET_BEARING_WHEN_STRING.has(lower) && typeof item === 'string')
  );
}

/** Whether any secret-bearing field occurs, without copying anything (the common case is no). */
function hasSecretBearingField(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSecretBearingField);
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (isSecretBearing(key, item) || hasSecretBearingField(item)) return true;
    }
  }
  return false;
}

function redactValue(value: unknown): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map(item => {
      const r = redactValue(item);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretBearing(key, item)) {
        out[key] = REDACTION_MARKER;
        changed = true;
      } else {
        const r = redactValue(item);
        changed ||= r.changed;
        out[key] = r.value;
      }
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

/**
 * A copy of a parsed report with every secret-bearing field replaced by a marker, for keeping as
 * evidence. `changed` tells whether anything was removed (then the stored body is this copy,
 * not the original bytes).
 * @public
 */
export function redactReport(report: ParsedReport): {
  report: ParsedReport;
  changed: boolean;
} {
  const documents = report.shape === 'ndjson' ? report.values : [];
  if (report.shape === 'json') documents.push(report.value);
  if (!hasSecretBearingField(documents)) return { report, changed: false };
  switch (report.shape) {
    case 'json': {
      const r = redactValue(report.value);
      return { report: { shape: 'json', value: r.value }, changed: r.changed };
    }
    case 'ndjson': {
      const r = redactValue(report.values);
      return {
        report: { shape: 'ndjson', values: r.value as unknown[] },
        changed: r.changed,
      };
    }
    default:
      return { report, changed: false };
  }
}

/** Serialises a (redacted) parsed report back to bytes in its own shape. @public */
export function serializeReport(report: ParsedReport): string {
  switch (report.shape) {
    case 'json':
      return JSON.stringify(report.value);
    case 'ndjson':
      return report.values.map(v => JSON.stringify(v)).join('\n');
    case 'empty':
      return '';
    default:
      return report.text;
  }
}
