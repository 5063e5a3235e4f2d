/**
 * Timestamps are written as ISO-8601 UTC strings: PostgreSQL stores them in timestamptz columns,
 * SQLite as text that still sorts and compares in time order. Reads accept whatever the driver
 * returns (Date on pg, string on SQLite).
 */
export function toDbTime(date: Date): string {
  return date.toISOString();
}

export function fromDbTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  return new Date(String(value)).toISOString();
}

export function fromDbTimeOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : fromDbTime(value);
}
