// backstage-cli's backend bundling copies yarn.lock and fails without one, although this repository
// uses npm. Runs the given command with an empty yarn.lock in place and removes it afterwards
// (npm would otherwise read it on the next install).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = join(root, 'yarn.lock');
const created = !existsSync(lockFile);
if (created) writeFileSync(lockFile, '');
const [command, ...args] = process.argv.slice(2);
const result = spawnSync(command, args, { stdio: 'inherit', shell: true, cwd: root });
if (created) rmSync(lockFile, { force: true });
process.exit(result.status ?? 1);
