import { createHash } from 'node:crypto';
import { ReportFormatError, jsonTypeOf } from './errors';
import { FindingKind, Severity } from './types';

/**
 * Identity of a finding from the parts that stay put between scans (tool, rule, file or package
 * name, …), never from line numbers or a tool's unstable fingerprint. Order of parts matters;
 * undefined parts count as empty.
 * @public
 */
export function stableFingerprint(
  ...parts: Array<string | number | undefined | null>
): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map(p => (p === undefined || p === null ? '' : String(p)))))
    .digest('hex');
}

// A Map, not an object: a label such as `constructor` or `__proto__` must not find Object's own
// members (it is an unknown label like any other).
const LABELS: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'critical'],
  ['crit', 'critical'],
  ['high', 'high'],
  ['error', 'high'],
  ['medium', 'medium'],
  ['moderate', 'medium'],
  ['warning', 'medium'],
  ['low', 'low'],
  ['note', 'low'],
  ['info', 'info'],
  ['informational', 'info'],
  ['information', 'info'],
  ['negligible', 'info'],
  ['none', 'info'],
  ['trace', 'info'],
  // A scanner that could not rate a problem has still found one; "unknown" is shown as info with
  // the original value kept beside it, never dropped.
  ['unknown', 'info'],
]);

/**
 * Maps a tool's severity label (any case) onto the scorecard's scale; undefined for values it does
 * not know, so callers decide on purpose what an unknown label means.
 * @public
 */
export function severityFromLabel(label: unknown): Severity | undefined {
  if (typeof label !== 'string') return undefined;
  return LABELS.get(label.trim().toLowerCase());
}

/**
 * CVSS-style score to severity, as GitHub maps `security-severity`: ≥9 critical, ≥7 high, ≥4
 * medium, >0 low, 0 info. Undefined for anything that is not a number in 0–10.
 * @public
 */
export function severityFromScore(score: unknown): Severity | undefined {
  let value = NaN;
  if (typeof score === 'number') value = score;
  else if (typeof score === 'string' && score.trim() !== '') value = Number(score);
  if (!Number.isFinite(value) || value < 0 || value > 10) return undefined;
  if (value >= 9) return 'critical';
  if (value >= 7) return 'high';
  if (value >= 4) return 'medium';
  if (value > 0) return 'low';
  return 'info';
}

/** The pipeline control a kind of finding counts against by default. @public */
export function controlForKind(kind: FindingKind): string {
  switch (kind) {
    case 'sast':
      return 'sast';
    case 'sca':
      return 'dependency-scan';
    case 'secret':
      return 'secret-scanning';
    case 'iac':
      return 'iac-lint';
    default:
      throw new Error(`Unknown finding kind ${kind}`);
  }
}

/** Lowercase `algo:hex` digest from `sha256:ABC…` or `repo@sha256:abc…`; undefined if absent. @public */
export function normalizeDigest(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /(sha256|sha384|sha512|sha1):([0-9a-fA-F]{32,128})$/.exec(value.trim());
  return match ? `${match[1]}:${match[2].toLowerCase()}` : undefined;
}

/** Drops purl qualifiers and subpath (`?arch=…`, `#…`): the package identity used for dedup. @public */
export function purlIdentity(purl: string): string {
  return purl.split('#')[0].split('?')[0];
}

/**
 * A package's identity across versions: the purl without version, qualifiers and subpath, so the
 * same vulnerability in the same package is one finding whether or not the version was bumped.
 * @public
 */
export function packageIdentity(purl: string): string {
  const base = purlIdentity(purl);
  const at = base.lastIndexOf('@');
  return at > base.indexOf('/') ? base.slice(0, at) : base;
}

/** Small guards that throw ReportFormatError with the JSON path. @public */
export function expectArray(
  format: string,
  path: string,
  value: unknown,
): unknown[] {
  if (!Array.isArray(value)) {
    throw new ReportFormatError(
      format,
      path,
      `must be an array (got ${jsonTypeOf(value)})`,
    );
  }
  return value;
}

/** @public */
export function expectObject(
  format: string,
  path: string,
  value: unknown,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReportFormatError(
      format,
      path,
      `must be an object (got ${jsonTypeOf(value)})`,
    );
  }
  return value as Record<string, unknown>;
}

/** A string field, or undefined when absent/empty/not a string. @public */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** True for a plain JSON object. @public */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
