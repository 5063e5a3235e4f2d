import { InputError } from '@backstage/errors';
import { assertReportDepth } from './errors';
import { ParsedReport } from './types';

/**
 * Reads an upload body: JSON, JSON lines (TruffleHog writes one object per line, sometimes with
 * log lines between them), empty, or other text (SPDX tag-value, …) left for detection to reject.
 * @public
 */
export function parseReportBody(body: Buffer | string): ParsedReport {
  const text = (typeof body === 'string' ? body : body.toString('utf8'))
    .replace(/^\uFEFF/, '')
    .trim();
  if (text === '') return { shape: 'empty' };
  if (text[0] === '{' || text[0] === '[' || text === 'null') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Several JSON objects one per line is NDJSON; anything else is broken JSON.
      const values = parseJsonLines(text);
      if (values) {
        values.forEach(v => assertReportDepth(v));
        return { shape: 'ndjson', values };
      }
      throw new InputError(
        `The report is not valid JSON: ${(error as Error).message}`,
      );
    }
    // Every walk over the document (redaction, nested SBOM components, …) stays within this.
    assertReportDepth(value);
    return { shape: 'json', value };
  }
  return { shape: 'text', text };
}

function parseJsonLines(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed[0] !== '{') continue; // interleaved log output
    try {
      values.push(JSON.parse(trimmed));
    } catch {
      return undefined;
    }
  }
  return values.length > 0 ? values : undefined;
}
