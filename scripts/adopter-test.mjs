// Adopter test (issue 16): installs this commit's packed packages into a new Backstage 1.55 app
// the way a platform team would, following only the package READMEs, and checks that it works.
//
//  1. builds and packs the six packages (scripts/pack-packages.mjs), or takes the tarballs of
//     `--packages <dir>`;
//  2. scaffolds an app with @backstage/create-app@0.9.2 in a temporary directory outside the
//     repository (the template's allow-all permission policy, guest sign-in, SQLite, its example
//     catalog; no demo modules) and adapts the yarn template to npm workspaces
//     (../shared/docs/platform-notes.md: `link:` → `*`, resolutions → overrides, allowScripts,
//     `before=` in .npmrc);
//  3. installs the template's dependencies, or restores them from
//     ~/.cache/devsecops-scorecard/adopter-app/<hash of the package.json files and .npmrc>
//     (hard links, so a warm run takes seconds);
//  4. applies the READMEs' adopter steps, and nothing else: every fenced block preceded by
//     `<!-- adopter-step: KIND -->` in the package READMEs (KIND `shell`: commands run in the app
//     root, this repository's package names replaced by their tarballs; `backend-index`: lines
//     added to packages/backend/src/index.ts before `backend.start()`; `app-config`: YAML merged
//     into app-config.yaml). A README step removed makes this test fail;
//  5. builds the frontend and starts the backend serving it (port 7117, its own config file
//     app-config.adopter-test.yaml with the port and the CI token's value);
//  6. uploads a real report (fixtures/trivy/image-alpine-310.json) with the CLI installed from its
//     tarball, and opens the component's Security tab in headless Chromium (/usr/bin/chromium,
//     playwright-core), signed in as guest: the uploaded findings must show.
//
//   node scripts/adopter-test.mjs [--packages <dir>] [--keep] [--port 7117]
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { parseDocument, stringify } from 'yaml';
import {
  buildPackages,
  packPackages,
  publishablePackages,
  root,
  run,
} from './pack-packages.mjs';

const arg = name => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const KEEP = process.argv.includes('--keep');
const PORT = Number(arg('--port') ?? 7117);
const BASE_URL = `http://localhost:${PORT}`;
const CREATE_APP = '@backstage/create-app@0.9.2';
const NPM_BEFORE = '2026-11-01';
const ENTITY = 'component:default/example-website';
const SECURITY_TAB = '/catalog/default/component/example-website/security';
const FIXTURE = join(root, 'fixtures', 'trivy', 'image-alpine-310.json');
const README_DIRS = [
  'devsecops-backend',
  'devsecops',
  'devsecops-backend-module-github',
  'devsecops-common',
  'devsecops-node',
  'devsecops-cli',
];
const cacheRoot = join(homedir(), '.cache', 'devsecops-scorecard');
const artifacts = join(root, '.ci', 'artifacts');
const started = Date.now();
const timings = [];

async function step(name, fn) {
  const t0 = Date.now();
  console.log(`::: adopter: ${name}`);
  const result = await fn();
  timings.push(`${name.padEnd(40)} ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return result;
}

const work = mkdtempSync(join(tmpdir(), 'devsecops-adopter-'));
const appDir = join(work, 'adopter-app');
let backend;
let browser;

function cleanup() {
  if (backend && backend.exitCode === null) {
    try {
      process.kill(-backend.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  if (!KEEP) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${appDir}`);
}

try {
  mkdirSync(artifacts, { recursive: true });

  // ------------------------------------------------------------------------------ packages
  const packed = await step('build and pack the packages', () => {
    const dir = arg('--packages');
    if (dir) {
      const files = readdirSync(resolve(dir)).filter(f => f.endsWith('.tgz'));
      return publishablePackages().map(p => {
        const prefix = `${p.name.replace('@', '').replace('/', '-')}-${p.version}.tgz`;
        if (!files.includes(prefix))
          throw new Error(`${dir} has no ${prefix} (run scripts/pack-packages.mjs)`);
        return { ...p, tarball: join(resolve(dir), prefix) };
      });
    }
    buildPackages();
    return packPackages(join(work, 'packages'));
  });

  // ------------------------------------------------------------------------------ scaffold
  await step(`scaffold with ${CREATE_APP}`, () => {
    // create-app checks for a yarn binary before it writes anything; npm installs everything else.
    const yarnPrefix = join(cacheRoot, 'yarn1');
    if (!existsSync(join(yarnPrefix, 'node_modules', '.bin', 'yarn'))) {
      run('npm', ['install', '--prefix', yarnPrefix, 'yarn@1', '--no-audit', '--no-fund'], {
        cwd: work,
      });
    }
    run('npx', ['--yes', CREATE_APP, '--skip-install'], {
      cwd: work,
      env: {
        ...process.env,
        BACKSTAGE_APP_NAME: 'adopter-app',
        PATH: `${join(yarnPrefix, 'node_modules', '.bin')}:${process.env.PATH}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    npmifyTemplate(appDir);
  });

  // ------------------------------------------------------------------------------ install
  await step('install the template (cached)', () => installTemplate(appDir));

  // ------------------------------------------------------------------------------ README steps
  const token = randomBytes(24).toString('hex');
  await step('apply the READMEs’ adopter steps', () =>
    applyReadmeSteps(appDir, packed),
  );
  writeFileSync(
    join(appDir, 'app-config.adopter-test.yaml'),
    stringify({
      app: { baseUrl: BASE_URL },
      backend: {
        baseUrl: BASE_URL,
        listen: { port: PORT },
        cors: { origin: BASE_URL },
      },
    }),
  );

  // ------------------------------------------------------------------------------ build, start
  await step('build the frontend', () =>
    run('npx', ['backstage-cli', 'package', 'build'], {
      cwd: join(appDir, 'packages', 'app'),
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const log = [];
  await step('start the backend', async () => {
    backend = spawn(
      'npx',
      [
        'backstage-cli',
        'package',
        'start',
        '--config',
        '../../app-config.yaml',
        '--config',
        '../../app-config.adopter-test.yaml',
      ],
      {
        cwd: join(appDir, 'packages', 'backend'),
        env: { ...process.env, DEVSECOPS_CI_TOKEN: token, CI: 'true' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [backend.stdout, backend.stderr]) {
      stream.on('data', chunk => {
        log.push(chunk.toString());
        if (log.length > 4000) log.shift();
      });
    }
    // A backend that answers 404 there runs without the plugin (a README step not applied).
    let notFound = 0;
    await waitFor(
      async () => {
        const res = await fetch(`${BASE_URL}/api/devsecops/health`).catch(() => undefined);
        notFound = res?.status === 404 ? notFound + 1 : 0;
        if (notFound >= 5) {
          throw new Error(
            `${BASE_URL}/api/devsecops/health answers 404: the backend runs without the devsecops plugin`,
          );
        }
        return res?.status === 200;
      },
      240_000,
      () => `the backend did not answer ${BASE_URL}/api/devsecops/health`,
      () => backend.exitCode !== null,
    );
    // the catalog reads the template's examples/entities.yaml shortly after start
    await waitFor(
      async () => {
        const guest = await guestToken().catch(() => undefined);
        const res = await fetch(
          `${BASE_URL}/api/catalog/entities/by-name/component/default/example-website`,
          { headers: { authorization: `Bearer ${guest}` } },
        ).catch(() => undefined);
        return res?.status === 200;
      },
      120_000,
      () => `the catalog has no ${ENTITY}`,
    );
  }).catch(error => {
    writeFileSync(join(artifacts, 'adopter-backend.log'), log.join(''));
    throw error;
  });

  // ------------------------------------------------------------------------------ CLI upload
  const expected = await step('upload a report with the packed CLI', () => {
    const out = run(
      'npx',
      ['--no-install', 'devsecops', 'upload', FIXTURE, '--entity', ENTITY],
      {
        cwd: appDir,
        capture: true,
        env: { ...process.env, DEVSECOPS_URL: BASE_URL, DEVSECOPS_TOKEN: token },
      },
    );
    console.log(out.trim());
    const report = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const ids = report.Results.flatMap(r =>
      (r.Vulnerabilities ?? []).map(v => v.VulnerabilityID),
    );
    if (!ids.length) throw new Error(`${FIXTURE} has no vulnerabilities`);
    return [...new Set(ids)];
  });

  // ------------------------------------------------------------------------------ browser
  await step('open the Security tab in Chromium', async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    try {
      await page.goto(`${BASE_URL}${SECURITY_TAB}`);
      // the template's sign-in page offers the guest provider
      const enter = page.getByRole('button', { name: /^enter$/i });
      await enter.waitFor({ timeout: 60_000 });
      await enter.click();
      await page.getByText(expected[0]).first().waitFor({ timeout: 90_000 });
      const text = await page.locator('body').innerText();
      const missing = expected.filter(id => !text.includes(id));
      if (missing.length) {
        throw new Error(`the Security tab does not show ${missing.join(', ')}`);
      }
      console.log(
        `the Security tab of ${ENTITY} shows the uploaded vulnerabilities: ${expected.join(', ')}`,
      );
      await page.screenshot({ path: join(artifacts, 'adopter-security-tab.png'), fullPage: true });
    } catch (error) {
      await page.screenshot({ path: join(artifacts, 'adopter-failure.png'), fullPage: true });
      writeFileSync(join(artifacts, 'adopter-backend.log'), log.join(''));
      if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
      throw error;
    }
  });

  console.log('\n::: adopter test timings');
  for (const t of timings) console.log(`  ${t}`);
  console.log(`  ${'total'.padEnd(40)} ${((Date.now() - started) / 1000).toFixed(0)}s`);
  console.log('ADOPTER TEST PASSED');
} catch (error) {
  console.error(`\nADOPTER TEST FAILED: ${error.message}`);
  console.error(`(artifacts in ${artifacts}: adopter-failure.png, adopter-backend.log)`);
  process.exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  cleanup();
}
// (the backend's output pipes may still hold the event loop)
process.exit(process.exitCode ?? 0);

// ================================================================================ helpers

/** Polls check() every 2 s; an error it throws ends the wait at once. */
async function waitFor(check, timeoutMs, message, gaveUp = () => false) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (gaveUp()) throw new Error(`${message()} (the backend exited)`);
    if (Date.now() > deadline) throw new Error(`${message()} within ${timeoutMs / 1000}s`);
    await new Promise(r => setTimeout(r, 2_000));
  }
}

async function guestToken() {
  const res = await fetch(`${BASE_URL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  return (await res.json()).backstageIdentity.token;
}

/** The yarn 4 template as an npm-workspaces app (../shared/docs/platform-notes.md). */
function npmifyTemplate(dir) {
  const readJson = p => JSON.parse(readFileSync(join(dir, p), 'utf8'));
  const writeJson = (p, v) => writeFileSync(join(dir, p), `${JSON.stringify(v, null, 2)}\n`);
  const rootPkg = readJson('package.json');
  delete rootPkg.packageManager;
  rootPkg.overrides = {
    ...rootPkg.resolutions,
    react: '^18.3.1',
    'react-dom': '^18.3.1',
  };
  delete rootPkg.resolutions;
  rootPkg.allowScripts = {
    'better-sqlite3': true,
    esbuild: true,
    '@swc/core': true,
    'core-js': false,
    'core-js-pure': false,
    msw: false,
    protobufjs: false,
    ssh2: false,
    'cpu-features': false,
    keytar: false,
    '@scarf/scarf': false,
  };
  writeJson('package.json', rootPkg);
  for (const ws of ['packages/app', 'packages/backend']) {
    const pkg = readJson(`${ws}/package.json`);
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
        if (String(spec).startsWith('link:')) pkg[field][name] = '*';
      }
    }
    if (ws === 'packages/app') {
      pkg.devDependencies['@testing-library/dom'] = '^10.0.0';
      pkg.devDependencies['@testing-library/react'] = '^16.0.0';
    }
    writeJson(`${ws}/package.json`, pkg);
  }
  for (const p of ['.yarn', '.yarnrc.yml', 'yarn.lock']) {
    rmSync(join(dir, p), { recursive: true, force: true });
  }
  writeFileSync(
    join(dir, '.npmrc'),
    `before=${NPM_BEFORE}\nfund=false\naudit=false\nupdate-notifier=false\n`,
  );
}

/**
 * `npm install` of the template, cached by the hash of what decides its result. A warm run links
 * the cached tree in (cp -l); npm replaces, never rewrites, installed files, except its own
 * node_modules/.package-lock.json, which is copied.
 */
function installTemplate(dir) {
  const inputs = ['package.json', 'packages/app/package.json', 'packages/backend/package.json', '.npmrc'];
  const hash = createHash('sha256');
  for (const p of inputs) hash.update(`${p}\n${readFileSync(join(dir, p), 'utf8')}\n`);
  hash.update(`node ${process.versions.node.split('.')[0]}`);
  const key = hash.digest('hex').slice(0, 16);
  const cache = join(cacheRoot, 'adopter-app', key);
  const trees = ['node_modules', 'packages/app/node_modules', 'packages/backend/node_modules'];
  if (existsSync(join(cache, 'complete'))) {
    console.log(`restoring the template's node_modules from ${cache}`);
    for (const t of trees) {
      if (!existsSync(join(cache, t))) continue;
      run('cp', ['-al', join(cache, t), join(dir, t)]);
    }
    rmSync(join(dir, 'node_modules', '.package-lock.json'), { force: true });
    cpSync(join(cache, 'node_modules', '.package-lock.json'), join(dir, 'node_modules', '.package-lock.json'));
    cpSync(join(cache, 'package-lock.json'), join(dir, 'package-lock.json'));
    return;
  }
  console.log(`installing the template (cache miss: ${key})`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd: dir });
  // keep older caches out of the way: one key is enough
  rmSync(join(cacheRoot, 'adopter-app'), { recursive: true, force: true });
  const staging = `${cache}.partial`;
  mkdirSync(join(staging, 'packages', 'app'), { recursive: true });
  mkdirSync(join(staging, 'packages', 'backend'), { recursive: true });
  for (const t of trees) {
    if (existsSync(join(dir, t))) run('cp', ['-al', join(dir, t), join(staging, t)]);
  }
  rmSync(join(staging, 'node_modules', '.package-lock.json'), { force: true });
  cpSync(join(dir, 'node_modules', '.package-lock.json'), join(staging, 'node_modules', '.package-lock.json'));
  cpSync(join(dir, 'package-lock.json'), join(staging, 'package-lock.json'));
  writeFileSync(join(staging, 'complete'), `${new Date().toISOString()}\n`);
  renameSync(staging, cache);
}

/** The fenced blocks preceded by `<!-- adopter-step: KIND -->` in a README, in order. */
export function readmeSteps(markdown) {
  const steps = [];
  const re = /<!--\s*adopter-step:\s*([\w-]+)\s*-->\s*\n```[\w-]*\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(re)) steps.push({ kind: m[1], body: m[2] });
  return steps;
}

function applyReadmeSteps(dir, packed) {
  const tarballOf = new Map(packed.map(p => [p.name, p.tarball]));
  const applied = [];
  const installedDirectly = new Set();
  const steps = README_DIRS.flatMap(d => {
    const readme = join(root, 'plugins', d, 'README.md');
    return readmeSteps(readFileSync(readme, 'utf8')).map(s => ({ ...s, readme: `plugins/${d}/README.md` }));
  });
  // Packages the READMEs do not install directly (common, node) come with the others; from a
  // registry npm would fetch them, here root overrides point them at their tarballs.
  for (const s of steps.filter(x => x.kind === 'shell')) {
    for (const name of tarballOf.keys()) if (s.body.includes(name)) installedDirectly.add(name);
  }
  const rootPkgPath = join(dir, 'package.json');
  const rootPkg = JSON.parse(readFileSync(rootPkgPath, 'utf8'));
  for (const [name, tarball] of tarballOf) {
    if (!installedDirectly.has(name)) rootPkg.overrides[name] = `file:${tarball}`;
  }
  writeFileSync(rootPkgPath, `${JSON.stringify(rootPkg, null, 2)}\n`);

  for (const s of steps) {
    if (s.kind === 'shell') {
      for (const raw of s.body.split('\n')) {
        const line = raw.replace(/\s+#.*$/, '').trim();
        if (!line || line.startsWith('#')) continue;
        const words = line.split(/\s+/).map(w => tarballOf.get(w) ?? w);
        // (the template's install filled npm's cache: no need to revalidate what it holds)
        const quiet =
          words[0] === 'npm'
            ? ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error']
            : [];
        run(words[0], [...words.slice(1), ...quiet], { cwd: dir });
        applied.push(`${s.readme}: ${line}`);
      }
    } else if (s.kind === 'backend-index') {
      const index = join(dir, 'packages', 'backend', 'src', 'index.ts');
      const code = s.body
        .split('\n')
        .filter(l => !l.trim().startsWith('//'))
        .join('\n');
      const src = readFileSync(index, 'utf8');
      if (!src.includes('backend.start();')) throw new Error(`${index} has no backend.start()`);
      writeFileSync(index, src.replace('backend.start();', `${code}\n\nbackend.start();`));
      applied.push(`${s.readme}: packages/backend/src/index.ts += ${code.trim()}`);
    } else if (s.kind === 'app-config') {
      const file = join(dir, 'app-config.yaml');
      const doc = parseDocument(readFileSync(file, 'utf8'));
      const add = parseDocument(s.body).toJS();
      mergeInto(doc, [], add);
      writeFileSync(file, doc.toString());
      applied.push(`${s.readme}: app-config.yaml += ${Object.keys(add).join(', ')}`);
    } else {
      throw new Error(`${s.readme}: unknown adopter-step kind "${s.kind}"`);
    }
  }
  for (const a of applied) console.log(`  ${a}`);
  if (!applied.length) throw new Error('the READMEs have no adopter steps');
}

function mergeInto(doc, path, value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) mergeInto(doc, [...path, k], v);
  } else {
    doc.setIn(path, value);
  }
}
