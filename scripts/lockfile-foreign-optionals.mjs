// The npm registry reachable here serves only some platform builds of packages such as @swc/core
// and @rollup/rollup-*; npm then leaves the other platforms' optional dependencies out of
// package-lock.json, and `npm ci` refuses the lock as "out of sync". This adds the missing
// optional entries (version only, no tarball) so `npm ci` accepts the lock; npm skips optional
// packages it cannot fetch. Idempotent; runs after every install (root postinstall).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'package-lock.json',
);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

// Node's resolution: the nearest node_modules/<name> from the dependant's folder upwards.
function isResolvable(fromPath, name) {
  let base = fromPath;
  for (;;) {
    if (packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
    if (!base) return false;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent >= 0 ? base.slice(0, parent) : '';
  }
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!isResolvable(path, name)) {
      packages[`${path ? `${path}/` : ''}node_modules/${name}`] = {
        version: range.replace(/^[\^~=]/, ''),
        optional: true,
      };
      added++;
    }
  }
}
if (added > 0) {
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${added} optional platform entries`);
}
