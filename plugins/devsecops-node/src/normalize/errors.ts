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
