/*
 * bench:compare (issue 21): this plugin side by side with Backstage Tech Insights, in one backend
 * process (bench/compare/backend.ts), on one database, with one auth and permission policy.
 *
 *   npm run bench:compare [-- --entities 5000] [--seconds 10] [--reps 3] [--db sqlite|postgres] [--quick]
 *
 * Tech Insights (backend 3.1.0 + jsonfc 0.10.0, pinned) is installed on demand into
 * ~/.cache/devsecops-scorecard/bench-compare with its own package.json, never into the
 * repository. The same N components (owners: 48 teams under 12 departments under 4 divisions,
 * as bench:scorecard builds them) go into the catalog; this plugin's evidence is generated
 * straight into its tables (bench:scorecard's generator: findings, deployments, facts, reports),
 * Tech Insights gets its facts from its two catalog fact retrievers (ownership, metadata) and
 * checks them with 6 JSON-rules checks. Each repetition measures, interleaved:
 *   - the whole org: Tech Insights' bulk run (POST /checks/run, all entities) against our org
 *     roll-up (GET /v1/rollups?entitiesLimit=0), sequential calls, user token;
 *   - one entity, 50 clients: POST /checks/run/:ns/:kind/:name against GET /v1/scorecards,
 *     random entities, user token and static service token.
 * The 1-minute load average is recorded before each measure, and the backend process's CPU time
 * per request (from /proc) around it: on a shared machine req/s move with everyone else's load,
 * CPU per request much less. Each concurrent measure follows one uncounted warm-up second. The
 * last roll-up body is written to $TMPDIR/devsecops-bench-compare-rollup.json. The last line is
 * `ratios: rollup=<x> scorecard_user=<y> scorecard_service=<z>` (medians over repetitions).
 * PostgreSQL: DEVSECOPS_BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 */
import { ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import {
  BENCH_USER,
  benchBackendConfig,
  BenchClient,
  client,
  Concurrent,
  concurrent,
  createPgDatabase,
  dropPgDatabases,
  load1,
  log,
  runSnapshot,
  Sequential,
  sequential,
  sleep,
  startBackend,
  waitFor,
  waitForCatalog,
  writeCatalogFile,
} from './compare/harness';

const TI_VERSIONS = {
  '@backstage-community/plugin-tech-insights-backend': '3.1.0',
  '@backstage-community/plugin-tech-insights-backend-module-jsonfc': '0.10.0',
};
const CHECKS = ['groupOwner', 'owner', 'title', 'description', 'tags', 'ownedAndDescribed'];

interface Options {
  entities: number;
  seconds: number;
  reps: number;
  db: 'sqlite' | 'postgres';
  port: number;
  clients: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { entities: 5000, seconds: 10, reps: 3, db: 'sqlite', port: 7091, clients: 50 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') Object.assign(o, { entities: 500, seconds: 4 });
    else if (a === '--entities') o.entities = Number(next());
    else if (a === '--seconds') o.seconds = Number(next());
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--port') o.port = Number(next());
    else if (a === '--db') {
      const db = next();
      if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db is sqlite or postgres');
      o.db = db;
    } else throw new Error(`Unknown option ${a} (--entities N, --seconds S, --reps R, --db sqlite|postgres, --port P, --quick)`);
  }
  if (!(o.entities >= 10 && o.seconds >= 1 && o.reps >= 1)) throw new Error('--entities ≥ 10, --seconds ≥ 1, --reps ≥ 1');
  return o;
}

/** Installs the pinned Tech Insights packages once, outside the repository. */
function ensureTechInsights(): string {
  const dir = join(homedir(), '.cache', 'devsecops-scorecard', 'bench-compare');
  const installed = Object.entries(TI_VERSIONS).every(([name, version]) => {
    const pkg = join(dir, 'node_modules', name, 'package.json');
    return existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === version;
  });
  if (installed) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'devsecops-bench-compare', private: true, dependencies: TI_VERSIONS }, null, 2),
  );
  log(`Installing Tech Insights ${Object.values(TI_VERSIONS).join(' / ')} into ${dir} …`);
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (npm.status !== 0) throw new Error(`npm install in ${dir} failed (${npm.status})`);
  return dir;
}

/** The backend process, for its CPU time per request. */
let backendPid: number | undefined;

async function main() {
  const o = parseArgs(process.argv.slice(2));
  // bench:scorecard's generator reads its sizes from the environment when it is loaded.
  process.env.DEVSECOPS_BENCH_FINDINGS ??= String(o.entities * 200);
  process.env.DEVSECOPS_BENCH_DEPLOYMENTS ??= String(o.entities * 20);
  const { buildOrg, generate } = require('./scorecardBenchmark') as typeof import('./scorecardBenchmark');
  const { applyMigrations } = require('../src/store/migrations') as typeof import('../src/store/migrations');
  const tiDir = ensureTechInsights();
  const work = mkdtempSync(join(tmpdir(), 'devsecops-bench-compare-'));
  const base = `http://localhost:${o.port}`;
  const serviceToken = randomBytes(24).toString('hex');
  const pgUrl = process.env.DEVSECOPS_BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
  const prefix = `devsecops_cmp_${Date.now()}_`;

  // The organisation, in the catalog (a YAML file location) and in our tables.
  const org = buildOrg(o.entities);
  const components = org.components.map((c, i) => ({
    ...c,
    metadata: {
      ...c.metadata,
      ...(i % 2 === 0 ? { description: `Component ${i}` } : {}),
      ...(i % 3 === 0 ? { title: `Component number ${i}` } : {}),
      ...(i % 5 === 0 ? { tags: ['java'] } : {}),
    },
  }));
  const catalogFile = writeCatalogFile(work, [...org.groups, BENCH_USER, ...components]);

  const database =
    o.db === 'sqlite'
      ? { client: 'better-sqlite3', connection: { directory: work } }
      : { client: 'pg', connection: pgUrl, prefix };
  const check = (name: string, factIds: string[], conditions: Array<[string, string]>) => ({
    type: 'json-rules-engine',
    name,
    description: name,
    factIds,
    rule: { conditions: { all: conditions.map(([fact]) => ({ fact, operator: 'equal', value: true })) } },
  });
  const config = {
    ...benchBackendConfig({ port: o.port, database, serviceToken, subject: 'bench-compare', catalogFile }),
    techInsights: {
      factRetrievers: {
        entityOwnershipFactRetriever: { cadence: '0 0 1 1 *', lifecycle: { maxItems: 1 } },
        entityMetadataFactRetriever: { cadence: '0 0 1 1 *', lifecycle: { maxItems: 1 } },
      },
      factChecker: {
        checks: {
          groupOwner: check('Group owner', ['entityOwnershipFactRetriever'], [['hasGroupOwner', '']]),
          owner: check('Owner', ['entityOwnershipFactRetriever'], [['hasOwner', '']]),
          title: check('Title', ['entityMetadataFactRetriever'], [['hasTitle', '']]),
          description: check('Description', ['entityMetadataFactRetriever'], [['hasDescription', '']]),
          tags: check('Tags', ['entityMetadataFactRetriever'], [['hasTags', '']]),
          ownedAndDescribed: check(
            'Owned and described',
            ['entityOwnershipFactRetriever', 'entityMetadataFactRetriever'],
            [['hasOwner', ''], ['hasDescription', '']],
          ),
        },
      },
    },
    // Triggered below once the catalog is in (a task's worker starts after its initial delay).
    devsecops: {
      schedules: { dailySnapshot: { initialDelay: { seconds: 1 } } },
      // Required in production (secret findings' HMAC key); one per run, never stored.
      secretFingerprintKey: randomBytes(32).toString('hex'),
    },
  };
  writeFileSync(join(work, 'app-config.bench.json'), JSON.stringify(config));

  // Our evidence, before the backend starts (it migrates again: nothing to do).
  log(`Generating ${o.entities} entities' evidence (${process.env.DEVSECOPS_BENCH_FINDINGS} findings) on ${o.db} …`);
  let seedKnex: Knex;
  if (o.db === 'sqlite') {
    seedKnex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(work, 'devsecops.sqlite') }, useNullAsDefault: true });
  } else {
    seedKnex = await createPgDatabase(pgUrl, `${prefix}devsecops`);
  }
  await applyMigrations(seedKnex);
  const started = performance.now();
  await generate(seedKnex, org, Date.now());
  log(`  generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const backendLog = join(tmpdir(), 'devsecops-bench-compare-backend.log');
  log(`Backend output: ${backendLog}`);
  let backend: ChildProcess | undefined;
  const results: Run[] = [];
  try {
    backend = startBackend(join(work, 'app-config.bench.json'), backendLog, { DEVSECOPS_BENCH_TI_DIR: tiDir });
    backendPid = backend.pid;
    const api = client(base, serviceToken);
    await waitForCatalog(api, o.entities, 900);
    log('Building our summaries (the daily snapshot task) and Tech Insights facts (its two retrievers) …');
    const trigger = async (plugin: string, task: string) => {
      const r = await api.post(`/api/${plugin}/.backstage/scheduler/v1/tasks/${task}/trigger`, 'service', {});
      if (!r.ok && r.status !== 409) throw new Error(`Triggering ${plugin} ${task}: ${r.status} ${await r.text()}`);
    };
    await trigger('tech-insights', 'entityOwnershipFactRetriever');
    await trigger('tech-insights', 'entityMetadataFactRetriever');
    // The snapshot task builds every summary; the bench waits for the task (its state, not a
    // roll-up a second: under constant writes each roll-up recomputes every team's partials and
    // on SQLite holds the one connection the build writes through). A run that started before the
    // catalog was complete leaves some out: run it again.
    for (let run = 1; ; run++) {
      const built = await runSnapshot(api, 3600);
      const r = await api.get('/api/devsecops/v1/rollups?entitiesLimit=0', 'service');
      const counted = r.ok ? (await r.json()).entityCount : -1;
      log(`  snapshot run ${run}: ${built.seconds.toFixed(1)} s, ${counted} of ${o.entities} entities counted`);
      if (counted >= o.entities) break;
      if (run === 3) throw new Error(`Our summaries: ${counted} of ${o.entities} after ${run} snapshot runs`);
    }
    await waitFor('Tech Insights facts', async () => {
      const r = await api.post('/api/tech-insights/checks/run', 'service', {
        checks: CHECKS,
        entities: [`component:default/${org.components[o.entities - 1].metadata.name}`],
      });
      const body = r.ok ? await r.json() : [];
      return body[0]?.results?.length === CHECKS.length;
    }, 900);
    const userToken = await api.guestToken();
    const names = org.components.map(c => c.metadata.name);
    for (let rep = 1; rep <= o.reps; rep++) {
      log(`Repetition ${rep} of ${o.reps} (load average ${load1()}) …`);
      results.push(await repetition(api, userToken, names, o));
    }
  } finally {
    backend?.kill('SIGTERM');
    await seedKnex.destroy();
    if (o.db === 'postgres') {
      await sleep(2000);
      await dropPgDatabases(pgUrl, prefix);
    }
    rmSync(work, { recursive: true, force: true });
  }
  report(o, results);
}

// ---------------------------------------------------------------------------------------------

interface Run {
  tiBulk: Sequential;
  rollup: Sequential;
  tiUser: Concurrent;
  oursUser: Concurrent;
  tiService: Concurrent;
  oursService: Concurrent;
}

async function repetition(api: BenchClient, userToken: string, names: string[], o: Options): Promise<Run> {
  void userToken;
  const tiBulk = await sequential(() => api.post('/api/tech-insights/checks/run', 'user', { checks: CHECKS, entities: [] }), o.seconds, backendPid);
  const rollup = await sequential(() => api.get('/api/devsecops/v1/rollups?entitiesLimit=0', 'user'), o.seconds, backendPid);
  // The roll-up as a client gets it, to look at what its size is made of.
  if (rollup.body) writeFileSync(join(tmpdir(), 'devsecops-bench-compare-rollup.json'), rollup.body);
  const ti = (name: string) => ({
    method: 'POST' as const,
    path: `/api/tech-insights/checks/run/default/component/${name}`,
    body: JSON.stringify({ checks: CHECKS }),
  });
  const ours = (name: string) => ({ method: 'GET' as const, path: `/api/devsecops/v1/scorecards?entity=component:default/${name}` });
  const at = { ...o, pid: backendPid };
  const tiUser = await concurrent(at, ti, api.headers('user'), names);
  const oursUser = await concurrent(at, ours, api.headers('user'), names);
  const tiService = await concurrent(at, ti, api.headers('service'), names);
  const oursService = await concurrent(at, ours, api.headers('service'), names);
  return { tiBulk, rollup, tiUser, oursUser, tiService, oursService };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (n: number, digits = 1) => n.toFixed(digits);
const cpu = (ms: number | undefined) => (ms === undefined ? 'CPU n/a' : `${f(ms, 2)} ms CPU/req`);

function report(o: Options, runs: Run[]) {
  console.log(
    `bench:compare — ${o.entities} components, ${o.db}, ${o.clients} clients, ${o.seconds} s per measure, ${runs.length} repetitions, Node ${process.version}, ${cpus().length} cores`,
  );
  console.log('\n| rep | measure | Tech Insights | this plugin | load avg (TI / ours) |');
  console.log('|---|---|---|---|---|');
  runs.forEach((r, i) => {
    const rep = i + 1;
    console.log(
      `| ${rep} | whole org: TI bulk run vs org roll-up (entitiesLimit=0), sequential | p50 ${f(r.tiBulk.p50, 0)} ms, p95 ${f(r.tiBulk.p95, 0)} ms (${r.tiBulk.calls} calls), ${f(r.tiBulk.bytes / 1024, 0)} KB (gzip ${f(r.tiBulk.gzipBytes / 1024, 0)} KB), ${cpu(r.tiBulk.cpuMs)} | p50 ${f(r.rollup.p50)} ms, p95 ${f(r.rollup.p95)} ms (${r.rollup.calls} calls), ${f(r.rollup.bytes / 1024)} KB (gzip ${f(r.rollup.gzipBytes / 1024)} KB), ${cpu(r.rollup.cpuMs)} | ${r.tiBulk.load} / ${r.rollup.load} |`,
    );
    for (const [label, ti, ours] of [
      ['one entity, user token', r.tiUser, r.oursUser],
      ['one entity, static service token', r.tiService, r.oursService],
    ] as const) {
      console.log(
        `| ${rep} | ${label}, ${o.clients} clients | ${f(ti.rps, 0)} req/s, p50 ${ti.p50} ms, p99 ${ti.p99} ms, ${ti.errors} errors, ${cpu(ti.cpuMs)} | ${f(ours.rps, 0)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms, ${ours.errors} errors, ${cpu(ours.cpuMs)} | ${ti.load} / ${ours.load} |`,
      );
    }
  });
  // Backend CPU per request: what a request costs whatever else the 2 cores are doing.
  const cpuRatio = (pick: (r: Run) => [number | undefined, number | undefined]) => {
    const ratios = runs.map(pick).filter(([t, u]) => t !== undefined && u !== undefined && u > 0).map(([t, u]) => t! / u!);
    return ratios.length ? f(median(ratios), 2) : 'n/a';
  };
  console.log(
    `\nbackend CPU per request (median ratio TI / ours): rollup=${cpuRatio(r => [r.tiBulk.cpuMs, r.rollup.cpuMs])} scorecard_user=${cpuRatio(r => [r.tiUser.cpuMs, r.oursUser.cpuMs])} scorecard_service=${cpuRatio(r => [r.tiService.cpuMs, r.oursService.cpuMs])}`,
  );
  const rollup = median(runs.map(r => r.tiBulk.p50 / r.rollup.p50));
  const user = median(runs.map(r => r.oursUser.rps / r.tiUser.rps));
  const service = median(runs.map(r => r.oursService.rps / r.tiService.rps));
  console.log(`\nratios: rollup=${f(rollup)} scorecard_user=${f(user, 2)} scorecard_service=${f(service, 2)}`);
}

main().catch(error => {
  console.error(String(error?.stack ?? error).slice(0, 4000));
  process.exit(1);
});
