/**
 * Makes a string from a report safe for both databases: PostgreSQL refuses NUL characters in text
 * (real scanner output carries them), and varchar columns refuse longer values. Truncation is
 * deterministic, so identities built from truncated values stay stable.
 */
export function dbText(value: string, maxLength?: number): string;
export function dbText(value: string | undefined | null, maxLength?: number): string | null;
export function dbText(value: string | undefined | null, maxLength?: number): string | null {
  if (value === undefined || value === null) return null;
  const clean = value.split(String.fromCharCode(0)).join('');
  if (maxLength === undefined || clean.length <= maxLength) return clean;
  return `${clean.slice(0, maxLength - 1)}…`;
}
