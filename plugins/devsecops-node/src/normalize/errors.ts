import { InputError } from '@backstage/errors';

/**
 * A document that claims a format but breaks it. The message names the format and the JSON path
 * of the problem, e.g. `SARIF: $.runs[0].results must be an array (got number)`.
 * @public
 */
export class ReportFormatError extends InputError {
  constructor(format: string, path: string, problem: string) {
    super(`${format}: ${path} ${problem}`);
  }
}

/**
 * The body is in no format the backend accepts (unknown, or recognised and refused): 415, with
 * the detected format and the supported ones named in the message.
 * @public
 */
export class UnsupportedFormatError extends InputError {
  readonly statusCode = 415;
}

/** Describes a value's JSON type for error messages. @public */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** How deeply a report may nest objects and arrays (real reports stay under 20 levels). @public */
export const MAX_REPORT_DEPTH = 512;

/**
 * The report nests objects and arrays deeper than {@link MAX_REPORT_DEPTH}: a 400 naming the limit,
 * before anything walks the document.
 * @public
 */
export class ReportTooDeepError extends InputError {
  constructor() {
    super(
      `The report nests objects and arrays more than ${MAX_REPORT_DEPTH} levels deep, the most a report may have`,
    );
  }
}

/**
 * Throws ReportTooDeepError when a JSON value nests deeper than the limit. Iterative, so it is
 * safe on any input; every recursive walk over a report relies on it having passed.
 * @public
 */
export function assertReportDepth(value: unknown, limit = MAX_REPORT_DEPTH): void {
  const stack: Array<[object, number]> = [];
  if (typeof value === 'object' && value !== null) stack.push([value, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) throw new ReportTooDeepError();
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}

/**
 * A value of the report for an error message without quoting the report: short name- or
 * version-like strings (`"2.0.0"`, `"SPDX-1.2"`, `"AnotherFormat"`: at most 16 letters, digits,
 * dots, dashes or pluses) are named, anything else only by its type and length, since a field in
 * the wrong place may hold a secret.
 * @public
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return /^[A-Za-z0-9][A-Za-z0-9.+-]{0,15}$/.test(value)
      ? JSON.stringify(value)
      : `a string of ${value.length} characters`;
  }
  return jsonTypeOf(value);
}
