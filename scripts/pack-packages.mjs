// Builds and packs the six publishable packages of this repository into tarballs, as `npm publish`
// would ship them: `backstage-cli package build` per package (after the root `tsc`, whose
// declarations the builds roll up), then `npm pack`, whose prepack (`backstage-cli package
// prepack`) moves publishConfig into the packed package.json and whose postpack restores it.
// Used by scripts/publish-dry-run.mjs and scripts/adopter-test.mjs (issue 16).
//
//   node scripts/pack-packages.mjs [--out <dir>] [--skip-build]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Build order: a package comes after the siblings it depends on. */
const ORDER = [
  'devsecops-common',
  'devsecops-node',
  'devsecops-backend',
  'devsecops-backend-module-github',
  'devsecops-cli',
  'devsecops',
];

/** The publishable packages (every plugins/* package that is not private), in build order. */
export function publishablePackages() {
  const dirs = readdirSync(join(root, 'plugins')).filter(d => {
    try {
      const pkg = JSON.parse(
        readFileSync(join(root, 'plugins', d, 'package.json'), 'utf8'),
      );
      return !pkg.private;
    } catch {
      return false;
    }
  });
  const unknown = dirs.filter(d => !ORDER.includes(d));
  if (unknown.length) {
    throw new Error(
      `scripts/pack-packages.mjs: add ${unknown.join(', ')} to ORDER`,
    );
  }
  return ORDER.filter(d => dirs.includes(d)).map(d => {
    const dir = join(root, 'plugins', d);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { dir, name: pkg.name, version: pkg.version };
  });
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd ?? root}) exited with ${
        result.status ?? result.signal
      }`,
    );
  }
  return result.stdout;
}

/**
 * Builds every package. The root tsc runs first: the builds roll up the declarations it writes to
 * dist-types/ (it writes them despite type errors, which are `npm test`'s to report, so they only
 * warn here).
 */
export function buildPackages(packages = publishablePackages()) {
  try {
    run('npx', ['tsc'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    console.warn('pack-packages: tsc reported type errors (see `npm run tsc`)');
  }
  for (const { dir } of packages) {
    // Backend builds copy a yarn.lock; scripts/with-yarn-lock.mjs provides an empty one.
    run(
      'node',
      [
        join(root, 'scripts', 'with-yarn-lock.mjs'),
        `cd ${JSON.stringify(dir)} && npx backstage-cli package build`,
      ],
      { cwd: root },
    );
  }
}

/**
 * Packs every package into `out`; returns [{ name, version, dir, tarball, files }] where files
 * are the packed paths (relative to the package).
 */
export function packPackages(out, packages = publishablePackages()) {
  mkdirSync(out, { recursive: true });
  return packages.map(pkg => {
    const json = run(
      'npm',
      ['pack', '--json', '--pack-destination', out, '--loglevel', 'error'],
      { cwd: pkg.dir, capture: true },
    );
    // prepack scripts may print before npm's JSON
    const [packed] = JSON.parse(json.slice(json.indexOf('[')));
    return {
      ...pkg,
      tarball: join(out, packed.filename),
      files: packed.files.map(f => f.path),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const out = resolve(
    outFlag > 0 ? process.argv[outFlag + 1] : join(root, '.ci', 'artifacts', 'packages'),
  );
  if (!process.argv.includes('--skip-build')) buildPackages();
  for (const p of packPackages(out)) console.log(p.tarball);
}
