/*
 * Where one stored scorecard read's CPU goes (issue 21 item 3): `GET /v1/scorecards?entity=`
 * profiled in a real backend (bench/readProfile/backend.ts: catalog, guest sign-in, permission
 * backend with the demo policy, this plugin; SQLite in a temporary directory, NODE_ENV=production).
 *
 *   cd plugins/devsecops-backend && source ../../scripts/use-node24.sh
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/readProfile.ts \
 *     [--entities 300] [--requests 3000] [--clients 20] [--reps 3] [--top 25] [--no-profile]
 *
 * Seeds N components (bench:scorecard's organisation and evidence generator, 40 findings and 4
 * deployments per entity) and reads each once with the service token, so every one has a stored
 * scorecard. Then, for a static service token and for a user token (guest sign-in, the demo
 * policy decides devsecops.read), sequential and `--clients` concurrent reads of random
 * entities: `--reps` unprofiled runs of `--requests` reads give the backend's CPU ms per request
 * (process.cpuUsage in the backend, median printed), then one run under the V8 CPU profiler
 * (inspector, 200 µs sampling) gives the top self-time entries grouped by package and the top
 * functions, in CPU µs per request. /proc/loadavg is printed before each scenario: the machine is
 * shared, so wall times move with everyone else's work; CPU per request much less.
 * Profiles are kept in $TMPDIR/devsecops-read-profile/<scenario>.cpuprofile (open in Chrome DevTools);
 * `bench/readProfile.ts --summarise <file> <requests> [top]` prints a kept one's tables again.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';

interface Options { entities: number; requests: number; clients: number; reps: number; top: number; profile: boolean; port: number }

function parseArgs(argv: string[]): Options {
  const o: Options = { entities: 300, requests: 3000, clients: 20, reps: 3, top: 25, profile: true, port: 7093 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => Number(argv[++i]);
    if (a === '--entities') o.entities = num();
    else if (a === '--requests') o.requests = num();
    else if (a === '--clients') o.clients = num();
    else if (a === '--reps') o.reps = num();
    else if (a === '--top') o.top = num();
    else if (a === '--port') o.port = num();
    else if (a === '--no-profile') o.profile = false;
    else throw new Error(`Unknown option ${a}`);
  }
  if (!(o.entities >= 10 && o.requests >= 100 && o.clients >= 1 && o.reps >= 1)) throw new Error('--entities ≥ 10, --requests ≥ 100, --clients ≥ 1, --reps ≥ 1');
  return o;
}

const log = (text: string) => process.stderr.write(`${text}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

/** One request to the backend child over IPC, answered once. */
async function ask(child: ChildProcess, message: object): Promise<{ cpuMs?: number }> {
  // The backend sends messages of its own on the channel: only ours (readProfile: true) answer.
  const answer = await new Promise<{ ok: boolean; cpuMs?: number; error?: string }>(resolve => {
    const listener = (m: any) => {
      if (!m?.readProfile) return;
      child.off('message', listener);
      resolve(m);
    };
    child.on('message', listener);
    child.send(message);
  });
  if (!answer.ok) throw new Error(`The backend's profiler: ${answer.error}`);
  return answer;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  process.env.DEVSECOPS_BENCH_FINDINGS ??= String(o.entities * 40);
  process.env.DEVSECOPS_BENCH_DEPLOYMENTS ??= String(o.entities * 4);
  const { buildOrg, generate } = require('./scorecardBenchmark') as typeof import('./scorecardBenchmark');
  const { applyMigrations } = require('../src/store/migrations') as typeof import('../src/store/migrations');
  const work = mkdtempSync(join(tmpdir(), 'devsecops-read-profile-'));
  const profiles = join(tmpdir(), 'devsecops-read-profile');
  mkdirSync(profiles, { recursive: true });
  const base = `http://localhost:${o.port}`;
  const serviceToken = randomBytes(24).toString('hex');

  const org = buildOrg(o.entities);
  const user = { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'bench-user', namespace: 'default' }, spec: { memberOf: ['division-1-dept-1-team-1'] } };
  writeFileSync(join(work, 'org.yaml'), [...org.groups, user, ...org.components].map(e => `---\n${JSON.stringify(e)}\n`).join(''));
  writeFileSync(join(work, 'app-config.json'), JSON.stringify({
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port: o.port },
      database: { client: 'better-sqlite3', connection: { directory: work } },
      auth: { externalAccess: [{ type: 'static', options: { token: serviceToken, subject: 'read-profile' } }] },
    },
    permission: { enabled: true },
    auth: { environment: 'development', providers: { guest: { userEntityRef: 'user:default/bench-user', dangerouslyAllowOutsideDevelopment: true } } },
    catalog: { rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }], locations: [{ type: 'file', target: join(work, 'org.yaml') }] },
    devsecops: { secretFingerprintKey: randomBytes(32).toString('hex') },
  }));

  log(`Generating ${o.entities} entities' evidence …`);
  const seed = knexFactory({ client: 'better-sqlite3', connection: { filename: join(work, 'devsecops.sqlite') }, useNullAsDefault: true });
  await applyMigrations(seed);
  await generate(seed, org, Date.now());
  await seed.destroy();

  const backendLog = join(profiles, 'backend.log');
  log(`Backend output: ${backendLog}`);
  let child: ChildProcess | undefined;
  try {
    child = fork(join(__dirname, 'readProfile', 'backend.ts'), ['--config', join(work, 'app-config.json')], {
      cwd: join(__dirname, '..'),
      execArgv: ['--require', '@backstage/cli/config/nodeTransform.cjs'],
      env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      stdio: ['ignore', openSync(backendLog, 'w'), openSync(backendLog, 'a'), 'ipc'],
    });
    const headers = (token: string) => ({ Authorization: `Bearer ${token}` });
    await waitFor('the backend', async () => (await fetch(`${base}/api/devsecops/health`)).ok, 300);
    await waitFor(`${o.entities} components in the catalog`, async () => {
      const r = await fetch(`${base}/api/catalog/entities/by-query?filter=kind=component&limit=1`, { headers: headers(serviceToken) });
      return r.ok && (await r.json()).totalItems >= o.entities;
    }, 600);
    const names = org.components.map(c => c.metadata.name);
    const path = (name: string) => `${base}/api/devsecops/v1/scorecards?entity=component:default/${name}`;
    log('Storing every entity\'s scorecard (one read each) …');
    for (const name of names) {
      const r = await fetch(path(name), { headers: headers(serviceToken) });
      if (!r.ok) throw new Error(`${name}: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    }
    const guest = await fetch(`${base}/api/auth/guest/refresh`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    const userToken = (await guest.json()).backstageIdentity.token as string;
    const sample = await (await fetch(path(names[0]), { headers: headers(userToken) })).text();
    log(`A scorecard is ${(sample.length / 1024).toFixed(1)} KB.`);

    /** `requests` reads of random entities by `clients` loops; throws on any non-200. */
    const drive = async (token: string, clients: number) => {
      let left = o.requests;
      const loop = async () => {
        while (left-- > 0) {
          const r = await fetch(path(names[Math.floor(Math.random() * names.length)]), { headers: headers(token) });
          if (r.status !== 200) throw new Error(`${r.status}: ${(await r.text()).slice(0, 300)}`);
          await r.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: clients }, loop));
    };

    for (const [who, token] of [['service', serviceToken], ['user', userToken]] as const) {
      for (const clients of [1, o.clients]) {
        const scenario = `${who}-${clients === 1 ? 'sequential' : `${clients}-clients`}`;
        await drive(token, clients); // warm-up, not counted
        const cpu: number[] = [];
        const loads: string[] = [];
        for (let rep = 0; rep < o.reps; rep++) {
          loads.push(loadavg());
          await ask(child, { cmd: 'start' });
          const started = performance.now();
          await drive(token, clients);
          const wall = performance.now() - started;
          const { cpuMs } = await ask(child, { cmd: 'stop' });
          cpu.push(cpuMs! / o.requests);
          log(`  ${scenario} rep ${rep + 1}: ${(cpuMs! / o.requests).toFixed(3)} ms CPU/req, ${((o.requests / wall) * 1000).toFixed(0)} req/s (load ${loads[rep]})`);
        }
        console.log(`\n## ${scenario}: ${median(cpu).toFixed(3)} ms CPU per request (median of ${o.reps} × ${o.requests}; runs ${cpu.map(c => c.toFixed(3)).join(', ')}); /proc/loadavg ${loads.join(' | ')}`);
        if (o.profile) {
          const file = join(profiles, `${scenario}.cpuprofile`);
          await ask(child, { cmd: 'start', profile: true });
          await drive(token, clients);
          await ask(child, { cmd: 'stop', file });
          summarise(JSON.parse(readFileSync(file, 'utf8')), o.requests, o.top);
        }
      }
    }
  } finally {
    child?.kill('SIGTERM');
    await sleep(500);
    rmSync(work, { recursive: true, force: true });
  }
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** The package a script belongs to: the last node_modules/<name> in its path, ours, or Node's own. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  if (url.startsWith('node:')) return 'node:internal';
  const at = url.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = url.slice(at + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const ours = /\/plugins\/(devsecops-[a-z]+)\//.exec(url) ?? /\/plugins\/(devsecops)\//.exec(url);
  if (ours) return `ours (${ours[1]})`;
  return url.includes('/packages/backend/') ? 'ours (packages/backend)' : url;
}

/** The issue's groups over packages, for the headline line. */
const GROUPS: Array<[string, RegExp]> = [
  ['express/http', /^(express|body-parser|router|finalhandler|send|on-finished|raw-body|qs|content-type|type-is|mime.*|accepts|negotiator|cookie.*|compression|helmet|cors|morgan|fresh|etag|proxy-addr|depd|http-errors|statuses|parseurl|path-to-regexp|@backstage\/backend-app-api|@backstage\/backend-defaults|node:internal)$/],
  ['openapi validation', /^(@backstage\/backend-openapi-utils|express-openapi-validator|ajv.*|openapi.*|@apidevtools\/.*|json-schema.*|lodash.*)$/],
  ['auth/jose', /^(jose|@backstage\/plugin-auth-node|jwt-decode|luxon)$/],
  ['knex/sqlite', /^(knex|better-sqlite3|tarn|pg.*)$/],
  ['permission client', /^(@backstage\/plugin-permission-.*|zod|cross-fetch|node-fetch)$/],
  ['ours', /^ours /],
  ['GC/V8/program', /^\((garbage collector|program|native\/V8)\)$/],
];

export function summarise(profile: Profile, requests: number, top: number) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (url: string) => (url.includes('node_modules') ? packageOf(url, '') : url.replace(/^.*\/(plugins|packages)\//, ''));
  /** A native frame's nearest JavaScript caller, to tell whose `write` or `stringify` it is. */
  const caller = (id: number) => {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const { functionName, url, lineNumber } = byId.get(p)!.callFrame;
      if (url) return ` ← ${functionName || '(anonymous)'} ${label(url)}:${lineNumber + 1}`;
    }
    return '';
  };
  // Samples under the profiler's own start and stop (an inspector post) are not the requests' cost.
  const underProfiler = (id: number): boolean => {
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const { url } = byId.get(p)!.callFrame;
      if (url === 'node:inspector' || url.endsWith('/bench/readProfile/backend.ts')) return true;
    }
    return false;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (!underProfiler(id)) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    // (idle), and the profiler's own start and stop (inspector post) are not the requests' cost.
    if (functionName === '(idle)' || url === 'node:inspector') continue;
    total += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${label(url)}:${lineNumber + 1}${url ? '' : caller(id)}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const per = (us: number) => `${(us / requests).toFixed(0)} µs/req (${((us / total) * 100).toFixed(1)} %)`;
  const groups = new Map<string, number>();
  for (const [pkg, us] of byPackage) {
    const group = GROUPS.find(([, re]) => re.test(pkg))?.[0] ?? 'other';
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  console.log(`profiled: ${(total / requests / 1000).toFixed(3)} ms sampled CPU per request (not idle)`);
  console.log(`groups: ${[...groups].sort((a, b) => b[1] - a[1]).map(([g, us]) => `${g} ${(us / requests).toFixed(0)} µs`).join(', ')}`);
  console.log('\n| package | self time |\n|---|---|');
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${pkg} | ${per(us)} |`);
  console.log('\n| function | self time |\n|---|---|');
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${fn} | ${per(us)} |`);
}

async function waitFor(what: string, ready: () => Promise<boolean>, seconds: number) {
  const until = Date.now() + seconds * 1000;
  log(`Waiting for ${what} …`);
  while (Date.now() < until) {
    try {
      if (await ready()) return;
    } catch {
      // not up yet
    }
    await sleep(1000);
  }
  throw new Error(`${what} not ready after ${seconds} s`);
}

if (require.main === module && process.argv[2] === '--summarise') {
  // Re-reads a kept profile: --summarise <file.cpuprofile> <requests> [top]
  summarise(JSON.parse(readFileSync(process.argv[3], 'utf8')), Number(process.argv[4]), Number(process.argv[5] ?? 25));
} else if (require.main === module) {
  main().catch(error => {
    console.error(String(error?.stack ?? error).slice(0, 4000));
    process.exit(1);
  });
}
