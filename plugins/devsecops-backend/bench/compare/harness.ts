/*
 * What the HTTP benchmarks (bench:compare, bench:scale) share: starting bench/compare/backend.ts
 * with a generated config, the guest user and static service token client, waiting, sequential
 * and concurrent (autocannon) measures with the backend's CPU time per request from /proc, the
 * backend's memory, the catalog file, and fresh PostgreSQL databases dropped afterwards.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import knexFactory, { Knex } from 'knex';
import { Entity } from '@backstage/catalog-model';

export const log = (text: string) => process.stderr.write(`${text}\n`);
export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
/** The 1-minute load average. */
export const load1 = () => loadavg()[0].toFixed(2);
/** The 1-, 5- and 15-minute load averages as /proc/loadavg has them (os.loadavg elsewhere). */
export function procLoadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return loadavg().map(l => l.toFixed(2)).join(' ');
  }
}

const TICK_MS = 1000 / (Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100);
/** A process's CPU time so far (user + system, ms), from /proc; undefined elsewhere. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}
/** A process's resident memory now and at its peak (MB), from /proc/<pid>/status. */
export function processMemoryMb(pid: number | undefined): { rss?: number; hwm?: number } {
  if (!pid) return {};
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024 || undefined;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return {};
  }
}
/** CPU ms per request over a measure, or undefined without /proc. */
const cpuPer = (pid: number | undefined, before: number | undefined, requests: number) => {
  const after = processCpuMs(pid);
  return before === undefined || after === undefined || requests === 0 ? undefined : (after - before) / requests;
};

export type Who = 'user' | 'service';
export type BenchClient = ReturnType<typeof client>;

/** Calls the backend as the guest user (after guestToken()) or with the static service token. */
export function client(base: string, serviceToken: string) {
  let user: string | undefined;
  const headers = (who: Who) => ({
    Authorization: `Bearer ${who === 'service' ? serviceToken : user}`,
    'Content-Type': 'application/json',
  });
  return {
    base,
    headers,
    get: (path: string, who: Who) => fetch(`${base}${path}`, { headers: headers(who) }),
    post: (path: string, who: Who, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: headers(who), body: JSON.stringify(body) }),
    async guestToken() {
      const r = await fetch(`${base}/api/auth/guest/refresh`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
      if (!r.ok) throw new Error(`Guest sign-in: ${r.status} ${await r.text()}`);
      user = (await r.json()).backstageIdentity.token;
      return user!;
    },
  };
}

export async function waitFor(what: string, ready: () => Promise<boolean>, seconds: number) {
  const until = Date.now() + seconds * 1000;
  log(`Waiting for ${what} …`);
  let last: unknown;
  while (Date.now() < until) {
    try {
      if (await ready()) return;
    } catch (error) {
      last = error; // not up yet
    }
    await sleep(1000);
  }
  throw new Error(`${what} not ready after ${seconds} s${last ? ` (last: ${last})` : ''}`);
}

export interface Sequential {
  calls: number;
  /** The backend's CPU time per call (ms). */
  cpuMs?: number;
  p50: number;
  p95: number;
  /** JSON size, and gzip size (what the backend's compression sends to a client that accepts it). */
  bytes: number;
  gzipBytes: number;
  load: string;
  /** The last response body. */
  body?: Buffer;
}
export interface Concurrent {
  rps: number;
  /** The backend's CPU time per request (ms): steadier than req/s on a shared machine. */
  cpuMs?: number;
  p50: number;
  p99: number;
  errors: number;
  load: string;
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Sequential calls for `seconds` (at least three); `pid` is the backend's, for CPU per call. */
export async function sequential(call: () => Promise<Response>, seconds: number, pid?: number): Promise<Sequential> {
  const load = load1();
  const times: number[] = [];
  let last = Buffer.alloc(0);
  const cpuBefore = processCpuMs(pid);
  const until = Date.now() + seconds * 1000;
  while (times.length < 3 || Date.now() < until) {
    const t = performance.now();
    const r = await call();
    const body = await r.arrayBuffer();
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(`${r.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
    last = Buffer.from(body);
  }
  const cpuMs = cpuPer(pid, cpuBefore, times.length);
  times.sort((a, b) => a - b);
  return {
    cpuMs,
    calls: times.length,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    bytes: last.byteLength,
    gzipBytes: gzipSync(last).byteLength,
    load,
    body: last,
  };
}

export interface ConcurrentOptions {
  port: number;
  clients: number;
  seconds: number;
  pid?: number;
}

/** `clients` connections for `seconds` on random entities (autocannon), after one uncounted second. */
export async function concurrent(
  o: ConcurrentOptions,
  request: (name: string) => { method: 'GET' | 'POST'; path: string; body?: string },
  headers: Record<string, string>,
  names: string[],
): Promise<Concurrent> {
  // The repository root declares autocannon (scripts/load-test.mjs); the bench borrows it.
  // eslint-disable-next-line @backstage/no-undeclared-imports
  const autocannon = require('autocannon');
  const run = (duration: number) =>
    autocannon({
      url: `http://localhost:${o.port}`,
      connections: o.clients,
      duration,
      headers,
      requests: [{ setupRequest: (req: object) => ({ ...req, ...request(names[Math.floor(Math.random() * names.length)]) }) }],
    });
  // One second not counted: connections opened, code paths warm, before the measure.
  await run(1);
  const load = load1();
  const cpuBefore = processCpuMs(o.pid);
  const result = await run(o.seconds);
  return {
    cpuMs: cpuPer(o.pid, cpuBefore, result.requests.total),
    rps: result.requests.total / o.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    load,
  };
}

/** The signed-in guest: a member of one team. */
export const BENCH_USER: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'bench-user', namespace: 'default' },
  spec: { memberOf: ['division-1-dept-1-team-1'] },
};

/** Writes the catalog file (one YAML document per entity, JSON being YAML) and returns its path. */
export function writeCatalogFile(dir: string, entities: Entity[]): string {
  const path = join(dir, 'org.yaml');
  writeFileSync(path, entities.map(e => `---\n${JSON.stringify(e)}\n`).join(''));
  return path;
}

/**
 * The configuration both benches share: the port, the database, the static service token, the
 * guest user, the permission framework on (the demo policy decides every request: without it the
 * framework answers ALLOW without asking the policy) and the catalog file. `catalog` adds keys.
 */
export function benchBackendConfig(o: {
  port: number;
  database: object;
  serviceToken: string;
  subject: string;
  catalogFile: string;
  catalog?: object;
}) {
  const base = `http://localhost:${o.port}`;
  return {
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port: o.port },
      database: o.database,
      auth: { externalAccess: [{ type: 'static', options: { token: o.serviceToken, subject: o.subject } }] },
    },
    permission: { enabled: true },
    auth: {
      environment: 'development',
      providers: { guest: { userEntityRef: 'user:default/bench-user', dangerouslyAllowOutsideDevelopment: true } },
    },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'System', 'Location'] }],
      locations: [{ type: 'file', target: o.catalogFile }],
      ...o.catalog,
    },
  };
}

/** Waits for the backend to answer, then for the catalog to hold `count` components. */
export async function waitForCatalog(api: BenchClient, count: number, seconds: number) {
  await waitFor('the backend', async () => (await fetch(`${api.base}/api/devsecops/health`)).ok, 300);
  await waitFor(`${count} components in the catalog`, async () => {
    const r = await api.get('/api/catalog/entities/by-query?filter=kind=component&limit=1', 'service');
    return r.ok && (await r.json()).totalItems >= count;
  }, seconds);
}

/** Starts bench/compare/backend.ts as deployed (NODE_ENV=production) with the config file given. */
export function startBackend(configPath: string, logPath: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['--require', '@backstage/cli/config/nodeTransform.cjs', 'bench/compare/backend.ts', '--config', configPath],
    {
      cwd: join(__dirname, '..', '..'),
      // As deployed: in development Backstage pretty-prints every res.json (2-space indent).
      env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
      stdio: ['ignore', openSync(logPath, 'w'), openSync(logPath, 'a')],
    },
  );
}

/** Creates database `name` on the server of `pgUrl` and opens it. */
export async function createPgDatabase(pgUrl: string, name: string): Promise<Knex> {
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  try {
    await admin.raw(`create database "${name}"`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 4 } });
}

/** Drops every database whose name starts with `prefix` (the backend's plugins' and the seed's). */
export async function dropPgDatabases(pgUrl: string, prefix: string): Promise<string[]> {
  if (!/^[a-z0-9_]+$/.test(prefix)) throw new Error(`Unexpected database prefix ${prefix}`);
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  try {
    const { rows } = await admin.raw(`select datname from pg_database where datname like '${prefix}%'`);
    for (const { datname } of rows) await admin.raw(`drop database if exists "${datname}" with (force)`);
    return rows.map((r: { datname: string }) => r.datname);
  } finally {
    await admin.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The backend's daily snapshot task

const SNAPSHOT_TASK = 'devsecops-daily-snapshot';

/** A scheduled task's state as the scheduler's API reports it. */
interface TaskState {
  status: 'idle' | 'running';
  startedAt?: string;
  lastRunEndedAt?: string;
  lastRunError?: unknown;
}

/** Triggers the daily snapshot and waits for the run to end; its own start → end time in seconds. */
export async function runSnapshot(
  api: BenchClient,
  timeoutS: number,
  /** Run once no run is in progress, right before the trigger. */
  beforeTrigger: () => Promise<void> = async () => {},
): Promise<{ seconds: number; wallS: number }> {
  const base = `/api/devsecops/.backstage/scheduler/v1/tasks`;
  const state = async (): Promise<TaskState> => {
    const r = await api.get(base, 'service');
    if (!r.ok) throw new Error(`Task states: ${r.status} ${await r.text()}`);
    const { tasks } = (await r.json()) as { tasks: Array<{ taskId: string; taskState?: TaskState }> };
    const task = tasks.find(t => t.taskId === SNAPSHOT_TASK);
    if (!task?.taskState) throw new Error(`${SNAPSHOT_TASK} has no state`);
    return task.taskState;
  };
  // A run in progress (the startup one) first ends: a trigger while running is refused.
  const idleBy = Date.now() + timeoutS * 1000;
  while ((await state()).status !== 'idle') {
    if (Date.now() > idleBy) throw new Error(`${SNAPSHOT_TASK} still running after ${timeoutS} s`);
    await sleep(500);
  }
  await beforeTrigger();
  const wallStart = performance.now();
  const triggeredAt = Date.now();
  const r = await api.post(`${base}/${SNAPSHOT_TASK}/trigger`, 'service', {});
  if (!r.ok) throw new Error(`Triggering ${SNAPSHOT_TASK}: ${r.status} ${await r.text()}`);
  let startedAt: number | undefined;
  const until = Date.now() + timeoutS * 1000;
  while (Date.now() < until) {
    const s = await state();
    if (s.status === 'running' && s.startedAt) startedAt = Date.parse(s.startedAt);
    const ended = s.lastRunEndedAt ? Date.parse(s.lastRunEndedAt) : 0;
    if (s.status === 'idle' && ended > triggeredAt) {
      if (s.lastRunError) throw new Error(`${SNAPSHOT_TASK} failed: ${JSON.stringify(s.lastRunError).slice(0, 500)}`);
      const wallS = (performance.now() - wallStart) / 1000;
      return { seconds: startedAt ? (ended - startedAt) / 1000 : wallS, wallS };
    }
    await sleep(500);
  }
  throw new Error(`${SNAPSHOT_TASK} did not end within ${timeoutS} s`);
}
