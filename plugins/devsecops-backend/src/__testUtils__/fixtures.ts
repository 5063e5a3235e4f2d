import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Real scanner reports at the repository root (provenance in fixtures/SOURCES.md). */
// Test-only helper, never bundled.
// eslint-disable-next-line no-restricted-syntax
export const FIXTURES_DIR = resolve(__dirname, '../../../../fixtures');

export function readFixture(relativePath: string): Buffer {
  return readFileSync(join(FIXTURES_DIR, relativePath));
}
