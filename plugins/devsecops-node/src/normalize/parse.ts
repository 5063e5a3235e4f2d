import { InputError } from '@backstage/errors';
import { assertReportDepth } from './errors';
import { describeJsonSyntaxError } from './jsonSyntax';
import { findNulCharacter, nulCharacterMessage } from './nulCharacters';
import { ParsedReport } from './types';

export { findNulCharacter, nulCharacterMessage } from './nulCharacters';

/**
 * Reads an upload body: JSON, JSON lines (TruffleHog writes one object per line, sometimes with
 * log lines between them), empty, or other text (SPDX tag-value, …) left for detection to reject.
 * @public
 */
export function parseReportBody(body: Buffer | string): ParsedReport {
  const untrimmed = (
    typeof body === 'string' ? body : body.toString('utf8')
  ).replace(/^\uFEFF/, '');
  const text = untrimmed.trim();
  if (text === '') return { shape: 'empty' };
  if (text[0] === '{' || text[0] === '[' || text === 'null') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Several JSON objects one per line is NDJSON; anything else is broken JSON.
      const lines = parseJsonLines(untrimmed);
      if (Array.isArray(lines)) {
        lines.forEach(v => assertReportDepth(v));
        assertNoNul(lines);
        return { shape: 'ndjson', values: lines };
      }
      // The message names where and what was expected, never the text: JSON.parse's own message
      // quotes the body around the error, which is often a secret.
      throw new InputError(
        `The report is not valid JSON: ${
          lines === undefined
            ? describeJsonSyntaxError(untrimmed)
            : `line ${lines.line} (JSON lines): ${describeJsonSyntaxError(
                lines.text,
              ).replace(/ at line 1, column /, ' at column ')}`
        }`,
      );
    }
    // Every walk over the document (redaction, nested SBOM components, …) stays within this.
    assertReportDepth(value);
    assertNoNul(value);
    return { shape: 'json', value };
  }
  return { shape: 'text', text };
}

/**
 * A NUL character (`\u0000` in a JSON string or property name) anywhere in a report is refused,
 * naming where (`report/runs/0/tool/driver/name`; JSON lines: `report/<record index>/…`): the
 * normalised values end up in text columns, which cannot hold NUL on PostgreSQL.
 */
function assertNoNul(value: unknown) {
  const where = findNulCharacter(value, 'report');
  if (where) throw new InputError(nulCharacterMessage(where));
}

/**
 * The records of a JSON lines body; undefined when it is not JSON lines at all (the first JSON
 * line is broken: then the body is broken JSON), or the broken line after good ones.
 */
function parseJsonLines(
  text: string,
): unknown[] | { line: number; text: string } | undefined {
  const values: unknown[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const trimmed = lines[index].trim();
    if (trimmed === '') continue;
    if (trimmed[0] !== '{') continue; // interleaved log output
    try {
      values.push(JSON.parse(trimmed));
    } catch {
      return values.length > 0 ? { line: index + 1, text: lines[index] } : undefined;
    }
  }
  return values.length > 0 ? values : undefined;
}
