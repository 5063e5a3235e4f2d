// Checks that each of the six packages publishes as an adopter needs it (issue 16): builds and
// packs them (scripts/pack-packages.mjs), then per tarball asserts
//  - the files: dist/, README.md, LICENSE, CHANGELOG.md, the configuration schema when the package
//    declares one (config.d.ts, packed as config.schema.json named by configSchema), migrations/
//    for the backend (any package with a migrations folder), and every file package.json points
//    at (main, module, types, exports, bin, configSchema);
//  - the packed package.json: not private, and no `*`, `workspace:`, `file:` or `link:` range in
//    dependencies, peerDependencies or optionalDependencies (siblings are ^x.y.z);
// and runs `npm publish --dry-run` on it. Exit 1 with every problem listed.
//
//   node scripts/publish-dry-run.mjs [--skip-build] [--out <dir>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPackages, packPackages, publishablePackages, run } from './pack-packages.mjs';

const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : mkdtempSync(join(tmpdir(), 'devsecops-pack-'));
const started = Date.now();
const problems = [];

const packages = publishablePackages();
if (!process.argv.includes('--skip-build')) buildPackages(packages);
const packed = packPackages(out, packages);

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const LOOSE_RANGE = /^(\*|workspace:|file:|link:)|^$/;

/** Every path package.json points at, relative to the package. */
function referencedFiles(pkg) {
  const refs = [];
  for (const field of ['main', 'module', 'types', 'browser']) {
    if (typeof pkg[field] === 'string') refs.push(pkg[field]);
  }
  // (an export's `backstage` condition names the feature type, not a file)
  const walk = v => {
    if (typeof v === 'string') refs.push(v);
    else if (v && typeof v === 'object') {
      Object.entries(v).forEach(([k, x]) => k !== 'backstage' && walk(x));
    }
  };
  walk(pkg.exports);
  walk(pkg.bin);
  walk(pkg.configSchema);
  return refs.map(r => r.replace(/^\.\//, ''));
}

for (const p of packed) {
  const problem = msg => problems.push(`${p.name}: ${msg}`);
  const files = new Set(p.files);
  const has = prefix => p.files.some(f => f === prefix || f.startsWith(`${prefix}/`));
  const pkg = JSON.parse(run('tar', ['-xzOf', p.tarball, 'package/package.json'], { capture: true }));

  for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) {
    if (!files.has(required)) problem(`${required} is not in the package`);
  }
  if (!has('dist')) problem('dist/ is not in the package (was it built?)');
  // prepack compiles config.d.ts into config.schema.json and names it in configSchema
  if (existsSync(join(p.dir, 'config.d.ts')) && !files.has(pkg.configSchema)) {
    problem('its configuration schema (config.d.ts, packed as configSchema) is not in the package');
  }
  if (existsSync(join(p.dir, 'migrations')) && !has('migrations')) {
    problem('migrations/ is not in the package');
  }
  for (const ref of referencedFiles(pkg)) {
    if (!files.has(ref)) problem(`package.json points at ${ref}, which is not in the package`);
  }
  if (pkg.private) problem('the packed package.json is private');
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (LOOSE_RANGE.test(String(range))) {
        problem(`${field}.${name} is "${range}" (use a ^x.y.z range)`);
      }
    }
  }

  const publish = spawnSync(
    'npm',
    ['publish', '--dry-run', '--access', 'public', '--loglevel', 'warn', p.tarball],
    { cwd: out, encoding: 'utf8' },
  );
  if (publish.status !== 0) {
    problem(`npm publish --dry-run failed:\n${publish.stderr.trim()}`);
  } else {
    console.log(
      `${p.name}@${pkg.version}: ${p.files.length} files, npm publish --dry-run passed`,
    );
  }
}

if (outFlag < 0) rmSync(out, { recursive: true, force: true });
console.log(`(${((Date.now() - started) / 1000).toFixed(0)}s)`);
if (problems.length) {
  console.error(`\nPUBLISH DRY RUN FAILED:\n${problems.map(p => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`PUBLISH DRY RUN PASSED for ${packed.length} packages`);
