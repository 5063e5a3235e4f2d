import { assertReportDepth } from './errors';
import { builtInNormalizers } from './formats';
import { ParsedReport, ReportNormalizer } from './types';

/*
 * Which fields carry secrets is part of each format's contract: every normaliser declares its own
 * `secretFields` (and `secretStringFields`) next to its parser, per fixtures/FORMATS.md.
 *
 * Decision: a stored body is redacted with the union of the fields of every format the registry
 * knows (the built-in ones always included), not only those of the format that read it. A key
 * that carries a secret in one tool's output is treated as secret-bearing wherever it appears
 * (gitleaks 7 writes `offender` into SARIF properties, GitHub's secret-scanning alerts write
 * `secret` like gitleaks does, a module's `secretValue` may show up in another tool's SARIF):
 * redacting too much costs a field of evidence, redacting too little leaks a credential. The
 * reading normaliser's own `redact` function, if any, runs afterwards on its bodies only.
 */

/** The lowercased secret-bearing keys of a set of normalisers. */
interface SecretKeys {
  always: ReadonlySet<string>;
  whenString: ReadonlySet<string>;
}

function secretKeysOf(normalizers: Iterable<ReportNormalizer>): SecretKeys {
  const always = new Set<string>();
  const whenString = new Set<string>();
  for (const normalizer of normalizers) {
    for (const key of normalizer.secretFields ?? []) always.add(key.toLowerCase());
    for (const key of normalizer.secretStringFields ?? []) {
      whenString.add(key.toLowerCase());
    }
  }
  return { always, whenString };
}

/** What replaces a removed value in the evidence copy. @public */
export const REDACTION_MARKER = '[REDACTED by devsecops]';

function isSecretBearing(keys: SecretKeys, key: string, item: unknown): boolean {
  const lower = key.toLowerCase();
  return (
    keys.always.has(lower) ||
    (keys.whenString.has(lower) && typeof item === 'string')
  );
}

/** Whether any secret-bearing field occurs, without copying anything (the common case is no). */
function hasSecretBearingField(keys: SecretKeys, value: unknown): boolean {
  if (Array.isArray(value)) return value.some(v => hasSecretBearingField(keys, v));
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (isSecretBearing(keys, key, item) || hasSecretBearingField(keys, item)) {
        return true;
      }
    }
  }
  return false;
}

function redactValue(
  keys: SecretKeys,
  value: unknown,
): { value: unknown; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map(item => {
      const r = redactValue(keys, item);
      changed ||= r.changed;
      return r.value;
    });
    return { value: out, changed };
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a `__proto__` key of the document stays a key of the copy.
    const set = (key: string, item: unknown) =>
      Object.defineProperty(out, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    for (const [key, item] of Object.entries(value)) {
      if (isSecretBearing(keys, key, item)) {
        set(key, REDACTION_MARKER);
        changed = true;
      } else {
        const r = redactValue(keys, item);
        changed ||= r.changed;
        set(key, r.value);
      }
    }
    return { value: out, changed };
  }
  return { value, changed: false };
}

/** @public */
export interface RedactOptions {
  /**
   * The formats whose secret fields are redacted (the registry passes every registered one); the
   * built-in formats' fields are always included.
   */
  normalizers?: Iterable<ReportNormalizer>;
  /** The normaliser that read the body: its `redact` function runs after the field redaction. */
  reader?: ReportNormalizer;
}

/**
 * A copy of a parsed report with every secret-bearing field replaced by a marker, for keeping as
 * evidence. `changed` tells whether anything was removed (then the stored body is this copy,
 * not the original bytes).
 * @public
 */
export function redactReport(
  report: ParsedReport,
  options: RedactOptions = {},
): {
  report: ParsedReport;
  changed: boolean;
} {
  // The walks below are recursive: a document must be within the nesting limit (parseReportBody
  // checks it; a ParsedReport built elsewhere is checked here).
  if (report.shape === 'json') assertReportDepth(report.value);
  if (report.shape === 'ndjson') report.values.forEach(v => assertReportDepth(v));
  const keys = secretKeysOf([
    ...builtInNormalizers,
    ...(options.normalizers ?? []),
    ...(options.reader ? [options.reader] : []),
  ]);
  const byFields = redactFields(keys, report);
  const custom = options.reader?.redact;
  if (!custom) return byFields;
  const after = custom.call(options.reader, byFields.report);
  return {
    report: after,
    changed: byFields.changed || after !== byFields.report,
  };
}

function redactFields(
  keys: SecretKeys,
  report: ParsedReport,
): { report: ParsedReport; changed: boolean } {
  const documents = report.shape === 'ndjson' ? report.values : [];
  if (report.shape === 'json') documents.push(report.value);
  if (!hasSecretBearingField(keys, documents)) return { report, changed: false };
  switch (report.shape) {
    case 'json': {
      const r = redactValue(keys, report.value);
      return { report: { shape: 'json', value: r.value }, changed: r.changed };
    }
    case 'ndjson': {
      const r = redactValue(keys, report.values);
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
