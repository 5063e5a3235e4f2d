import { InputError } from '@backstage/errors';
import { UnsupportedFormatError, jsonTypeOf } from './errors';
import { isObject } from './helpers';
import { redactReport } from './redact';
import { ParsedReport, ReportNormalizer } from './types';

/**
 * Formats we recognise on purpose and refuse, so the uploader learns what they sent instead of
 * "unknown format".
 */
function recogniseRefused(report: ParsedReport): string | undefined {
  if (report.shape === 'text') {
    if (/^SPDXVersion:\s*SPDX-/m.test(report.text)) {
      return 'SPDX tag-value (convert it to SPDX 2.3 JSON, e.g. `syft convert` or `spdx-tools`)';
    }
    return undefined;
  }
  if (report.shape === 'json' && isObject(report.value)) {
    const doc = report.value;
    if ('@context' in doc && JSON.stringify(doc['@context']).includes('spdx')) {
      return 'SPDX 3 JSON-LD (export SPDX 2.3 JSON instead)';
    }
  }
  return undefined;
}

/**
 * The formats the backend (and the CLI) understand, in the order detection tries them.
 * @public
 */
export class NormalizerRegistry {
  private readonly normalizers = new Map<string, ReportNormalizer>();

  add(...normalizers: ReportNormalizer[]): void {
    for (const normalizer of normalizers) {
      if (!/^[a-z][a-z0-9-]*$/.test(normalizer.id)) {
        throw new InputError(
          `Report format id '${normalizer.id}' is invalid: use lowercase letters, digits and dashes`,
        );
      }
      for (const key of [
        ...(normalizer.secretFields ?? []),
        ...(normalizer.secretStringFields ?? []),
      ]) {
        if (typeof key !== 'string' || key.trim() === '') {
          throw new InputError(
            `Report format '${normalizer.id}' declares a secret field that is not a non-empty string`,
          );
        }
      }
      if (this.normalizers.has(normalizer.id)) {
        throw new InputError(
          `Report format '${normalizer.id}' is registered twice`,
        );
      }
      this.normalizers.set(normalizer.id, normalizer);
    }
  }

  list(): ReportNormalizer[] {
    return [...this.normalizers.values()];
  }

  get(id: string): ReportNormalizer | undefined {
    return this.normalizers.get(id);
  }

  /**
   * A copy of a body fit to keep as evidence: the secret fields of every registered format (and of
   * the built-in ones) replaced by a marker, then the reading format's own `redact`, if any.
   */
  redact(
    report: ParsedReport,
    reader?: ReportNormalizer,
  ): { report: ParsedReport; changed: boolean } {
    return redactReport(report, { normalizers: this.list(), reader });
  }

  /**
   * A named format must match the body: the body is of that format (its detector, or its looser
   * `acceptsNamed` check when no other format claims the body) or empty. Otherwise 415 naming
   * what the body looks like — a Grype report named `trivy` would be read as a clean Trivy scan
   * and resolve every open finding.
   */
  private assertNamedFormat(named: ReportNormalizer, report: ParsedReport): void {
    if (safely(() => named.detect(report))) return;
    if (isEmptyBody(report)) return;
    const other = this.detect(report);
    const notIt = `The body is not a${/^[aeiou]/i.test(named.title) ? 'n' : ''} ${named.title} report`;
    if (other) {
      throw new UnsupportedFormatError(
        `${notIt} (it looks like a${/^[aeiou]/i.test(other.title) ? 'n' : ''} ${other.title} report; format '${other.id}')`,
      );
    }
    if (named.acceptsNamed && safely(() => named.acceptsNamed!(report))) return;
    const refused = recogniseRefused(report);
    let what: string;
    if (refused) what = `it is ${refused}`;
    else if (report.shape === 'json') {
      what = `it matches no known format: ${describeJson(report.value)}`;
    } else if (report.shape === 'ndjson') what = 'it is JSON lines of no known format';
    else what = 'it is text that is not JSON';
    throw new UnsupportedFormatError(`${notIt} (${what})`);
  }

  /** The first registered format whose detector accepts the document. */
  detect(report: ParsedReport): ReportNormalizer | undefined {
    return this.list().find(n => safely(() => n.detect(report)));
  }

  /**
   * The normaliser for a body: the named format when given (it must exist), else the detected one.
   * Throws an error naming what was detected and what is supported.
   */
  resolve(report: ParsedReport, formatId?: string): ReportNormalizer {
    const supported = this.list()
      .map(n => n.id)
      .join(', ');
    if (formatId) {
      const named = this.get(formatId);
      if (!named) {
        throw new UnsupportedFormatError(
          `Unknown report format '${formatId}'. Supported formats: ${supported}`,
        );
      }
      this.assertNamedFormat(named, report);
      return named;
    }
    const refused = recogniseRefused(report);
    if (refused) {
      throw new UnsupportedFormatError(
        `Detected ${refused}, which is not supported. Supported formats: ${supported}`,
      );
    }
    if (report.shape === 'empty') {
      throw new UnsupportedFormatError(
        `The report is empty, so its format cannot be detected; name it with the format parameter. Supported formats: ${supported}`,
      );
    }
    const detected = this.detect(report);
    if (!detected) {
      let what = `JSON (${
        report.shape === 'json' ? describeJson(report.value) : ''
      }) of no known format`;
      if (report.shape === 'text') what = 'text that is not JSON';
      if (report.shape === 'ndjson') what = 'JSON lines of no known format';
      throw new UnsupportedFormatError(
        `Detected ${what}. Supported formats: ${supported}`,
      );
    }
    return detected;
  }
}

/** Keys named back to the uploader: short identifiers, not token-like (a key may be a secret). */
const NAMEABLE_KEY = /^[A-Za-z_$@][A-Za-z0-9_$@.-]{0,23}$/;
const TOKEN_LIKE = /\d{4}|[A-Z0-9]{10}/;

function safely(check: () => boolean): boolean {
  try {
    return check() === true;
  } catch {
    return false;
  }
}

/** `""`, `null`, `[]`, `{}`: every format decides itself whether that is a clean scan. */
function isEmptyBody(report: ParsedReport): boolean {
  if (report.shape === 'empty') return true;
  if (report.shape !== 'json') return false;
  const value = report.value;
  return (
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

function describeJson(value: unknown): string {
  if (isObject(value)) {
    const all = Object.keys(value);
    if (all.length === 0) return 'an empty object';
    const keys = all
      .filter(k => NAMEABLE_KEY.test(k) && !TOKEN_LIKE.test(k))
      .slice(0, 5);
    if (keys.length === 0) return `an object with ${all.length} keys`;
    return `an object with keys ${keys.join(', ')}`;
  }
  return `a top-level ${jsonTypeOf(value)}`;
}
