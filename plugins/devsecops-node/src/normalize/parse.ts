import { InputError } from '@backstage/errors';
import { assertReportDepth } from './errors';
import { describeJsonSyntaxError } from './jsonSyntax';
import { replaceNulCharacters } from './nulCharacters';
import { ParsedReport } from './types';

export { findNulCharacter, nulCharacterMessage, replaceNulCharacters } from './nulCharacters';

/**
 * Reads an upload body: JSON, JSON lines (TruffleHog writes one object per line, sometimes with
 * log lines between them), empty, or other text (SPDX tag-value, …) left for detection to reject.
 * A NUL character in a parsed string or property name becomes U+FFFD (PostgreSQL's text cannot
 * hold it; the body's sha256 is of the bytes as sent).
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
        return { shape: 'ndjson', values: lines.map(replaceNulCharacters) };
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
    return { shape: 'json', value: replaceNulCharacters(value) };
  }
  return { shape: 'text', text };
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
