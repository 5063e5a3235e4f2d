import { ReportFormatError, jsonTypeOf } from '../errors';
import {
  expectArray,
  optionalString,
  purlIdentity,
  severityFromLabel,
} from '../helpers';
import {
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  Severity,
} from '../types';

/*
 * Helpers the built-in formats share (internal to this folder, not part of the package's API).
 */

/** A whole number above 0 (line numbers), else undefined. */
export function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? value
    : undefined;
}

/** A path as the repository writes it: Windows backslashes become '/', a leading './' is dropped. */
export function normalizeRepoPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** A string field that must be there: its text, or a ReportFormatError naming the path. */
export function requiredString(
  format: string,
  path: string,
  value: unknown,
): string {
  const text = optionalString(value);
  if (text === undefined) {
    throw new ReportFormatError(
      format,
      path,
      `must be a non-empty string (got ${jsonTypeOf(value)})`,
    );
  }
  return text;
}

/** An array field that may be absent or null (then empty). */
export function optionalArray(
  format: string,
  path: string,
  value: unknown,
): unknown[] {
  if (value === undefined || value === null) return [];
  return expectArray(format, path, value);
}

/** The non-blank strings of an array field (anything else is skipped). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}

/** How a body that is not one JSON document is named in error messages. */
export function describeShape(report: ParsedReport): string {
  return report.shape === 'ndjson' ? 'JSON lines' : report.shape;
}

/** The JSON value of a report, undefined for an empty body; JSON lines and text are refused. */
export function jsonDocument(format: string, report: ParsedReport): unknown {
  if (report.shape === 'empty') return undefined;
  if (report.shape === 'json') return report.value;
  throw new ReportFormatError(
    format,
    '$',
    `must be a JSON document (got ${describeShape(report)})`,
  );
}

/**
 * An empty body, `null`, `[]` or `{}`: a clean scan when the uploader named the format, too
 * ambiguous to be detected as any.
 */
export function isEmptyBody(report: ParsedReport): boolean {
  if (report.shape === 'empty') return true;
  if (report.shape !== 'json') return false;
  const value = report.value;
  return (
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/** The first non-blank line of a message, at most 300 characters. */
export function firstLine(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const line = value.trim().split(/\r?\n/)[0].trim();
  if (line === '') return undefined;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** A purl without version, qualifiers and subpath (a version is only after the last '/'). */
export function purlWithoutVersion(purl: string): string {
  const identity = purlIdentity(purl);
  const at = identity.lastIndexOf('@');
  return at > identity.lastIndexOf('/') ? identity.slice(0, at) : identity;
}

const ADVISORY_ID = /\b(CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})\b/i;

/** The first CVE or GHSA id inside a text, in its canonical case (`CVE-…`, `GHSA-xxxx-…`). */
export function advisoryIdIn(text: string): string | undefined {
  const match = ADVISORY_ID.exec(text)?.[1];
  if (!match) return undefined;
  return match.toUpperCase().startsWith('GHSA')
    ? `GHSA${match.slice(4).toLowerCase()}`
    : match.toUpperCase();
}

/**
 * The CVE to name a vulnerability by: its own id when that is a CVE, else the first (sorted) CVE
 * among its aliases, else its own id; and the aliases without that name (sorted, distinct).
 */
export function preferCve(
  id: string,
  aliases: Iterable<string>,
): { vulnerabilityId: string; aliases?: string[] } {
  const all = [...new Set([id, ...aliases])].sort();
  const isCve = (name: string) => /^CVE-\d{4}-\d+$/i.test(name);
  const vulnerabilityId = isCve(id) ? id : all.find(isCve) ?? id;
  const others = all.filter(name => name !== vulnerabilityId);
  return others.length > 0 ? { vulnerabilityId, aliases: others } : { vulnerabilityId };
}

/**
 * A tool's severity label through `severityFromLabel`; a label it does not know and a missing one
 * are `info` (a problem the tool could not rate is still a problem). The label is kept as written.
 */
export function labelOrInfo(value: unknown): {
  severity: Severity;
  originalSeverity?: string;
} {
  const original = optionalString(value);
  return {
    severity: severityFromLabel(original) ?? 'info',
    ...(original !== undefined ? { originalSeverity: original } : {}),
  };
}

/**
 * A label looked up in a format's own table (lowercase keys); a missing or empty value is `medium`
 * with originalSeverity `unset`, a label the table does not know `medium` keeping the label (the
 * IaC linters failed the check but their rating is unreadable: medium is the neutral middle).
 */
export function tableSeverity(
  table: ReadonlyMap<string, Severity>,
  value: unknown,
): { severity: Severity; originalSeverity: string } {
  if (value === null || value === undefined || value === '') {
    return { severity: 'medium', originalSeverity: 'unset' };
  }
  const label = String(value);
  return {
    severity: table.get(label.trim().toLowerCase()) ?? 'medium',
    originalSeverity: label,
  };
}

/**
 * A location from a path and the tool's start and end lines (whole numbers above 0); an end line
 * before the start line is dropped.
 */
export function locationAt(
  path: string,
  start: unknown,
  end: unknown,
): NonNullable<NormalizedFinding['location']> {
  const location: NonNullable<NormalizedFinding['location']> = { path };
  const startLine = positiveInteger(start);
  const endLine = positiveInteger(end);
  if (startLine !== undefined) location.startLine = startLine;
  if (
    endLine !== undefined &&
    (startLine === undefined || endLine >= startLine)
  ) {
    location.endLine = endLine;
  }
  return location;
}

/** What a report says it scanned, without the parts it does not say; undefined when it says none. */
export function artifactFrom(parts: {
  digest?: string;
  name?: string;
  commit?: string;
}): NormalizedReport['artifact'] {
  const { digest, name, commit } = parts;
  if (!digest && !name && !commit) return undefined;
  return {
    ...(digest ? { digest } : {}),
    ...(name ? { name } : {}),
    ...(commit ? { commit } : {}),
  };
}
