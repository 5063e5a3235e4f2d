/**
 * CSV for people's spreadsheets (org exports in the portal, audit packages): RFC 4180 quoting,
 * and a cell that starts like a formula (=, +, -, @, tab, carriage return) is prefixed with `'`
 * so a spreadsheet shows it instead of running it — scanner titles and reasons are untrusted text.
 */

/** One cell: empty for null/undefined, objects as JSON. @public */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV document: the header row, then one line per row, newline-terminated. @public */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return `${[header, ...rows].map(row => row.map(csvCell).join(',')).join('\n')}\n`;
}
