import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { NormalizeContext } from '../normalize/types';

/**
 * Real scanner reports copied from ../shared/fixtures (provenance in fixtures/SOURCES.md at the
 * repository root).
 */
// Test-only helper, never bundled: the fixtures sit at the repository root.
// eslint-disable-next-line no-restricted-syntax
export const FIXTURES_DIR = resolve(__dirname, '../../../../fixtures');

/** Bytes of a fixture, by path relative to the fixtures folder, e.g. `sarif/spec-minimal.sarif`. */
export function readFixture(relativePath: string): Buffer {
  return readFileSync(join(FIXTURES_DIR, relativePath));
}

/** A fixture parsed as JSON, for counting expectations independently of the normalisers. */
export function readFixtureJson<T = any>(relativePath: string): T {
  return JSON.parse(readFixture(relativePath).toString('utf8'));
}

/** Every fixture file under a folder (recursively), as paths relative to the fixtures folder. */
export function listFixtures(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(FIXTURES_DIR, full));
    }
  };
  walk(join(FIXTURES_DIR, folder));
  return out;
}

/** A NormalizeContext with a fixed test key. */
export const testNormalizeContext: NormalizeContext = {
  secretFingerprint: secret =>
    createHmac('sha256', 'test-secret-fingerprint-key')
      .update(secret)
      .digest('hex'),
};
