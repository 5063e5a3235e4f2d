/*
 * bench:scale (issue 21 item 6): the growth curve on PostgreSQL, over HTTP as users pay it.
 *
 *   npm run bench:scale [-- --entities 5000,20000,50000] [--seconds 10] [--seed sql|generate] [--port 7092] [--profile]
 *
 * For each N, one after the other: fresh databases (prefix devsecops_scale_<time>_<N>_, dropped
 * afterwards, also on failure); N components in the catalog (a file location; owners: 48 teams
 * under 12 departments under 4 divisions, bench:scorecard's buildOrg) and our evidence with
 * 200 findings and 20 deployments per entity (10M / 1M at 50k). `--seed sql` (default) writes
 * every per-entity row but findings and deployments with bench:scorecard's `generate` and then the
 * findings (log-normally skewed over entities, as `generate` does) and deployments set-based in
 * PostgreSQL (INSERT … SELECT over generate_series) with rows of generate's shape; `--seed generate`
 * writes all of them with `generate` (row by row in JavaScript, batched inserts).
 * Then ONE backend (bench/compare/backend.ts without Tech Insights: catalog, guest sign-in, the
 * permission backend with the demo policy, this plugin; NODE_ENV=production, permission.enabled)
 * and, each after recording /proc/loadavg:
 *   - first daily snapshot: the task triggered once the catalog holds N components (it builds
 *     every summary: the first run after install), timed by the task's own state
 *     (GET /.backstage/scheduler/v1/tasks: startedAt → lastRunEndedAt);
 *   - steady daily snapshot: today's snapshot rows deleted, the task triggered again, timed alike;
 *   - org roll-up (GET /v1/rollups?entitiesLimit=0, user token, sequential, `--seconds`);
 *   - one entity (GET /v1/scorecards?entity=, 50 clients, user token, random entities, 1 s warm-up);
 *   - ingest of one generated Trivy JSON report with 10,000 distinct vulnerabilities for one
 *     entity (POST /v1/reports, static service token);
 *   - backend VmRSS and VmHWM (/proc/<pid>/status) after the measures; the backend's CPU seconds
 *     (/proc/<pid>/stat) during each snapshot.
 * --profile: the backend runs the V8 CPU profiler (bench/compare/backend.ts); each snapshot's part is
 * printed per entity by package and function (readProfile's tables) and kept in a temp directory.
 * One table row per N (stdout), then `scale: n=<…> rollup_p95_ms=<…> …` as the last line.
 * PostgreSQL: DEVSECOPS_BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 */
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import {
  BENCH_USER,
  benchBackendConfig,
  client,
  concurrent,
  createPgDatabase,
  dropPgDatabases,
  log,
  processCpuMs,
  processMemoryMb,
  procLoadavg,
  runSnapshot,
  sequential,
  sleep,
  startBackend,
  waitForCatalog,
  writeCatalogFile,
} from './compare/harness';
import { summarise } from './readProfile';

const FINDINGS_PER_ENTITY = 200;
const DEPLOYMENTS_PER_ENTITY = 20;
const INGEST_FINDINGS = 10_000;
const DAY_MS = 86_400_000;

interface Options {
  entities: number[];
  seconds: number;
  port: number;
  clients: number;
  seed: 'sql' | 'generate';
  /** Where the backend's CPU profiles of the first and steady snapshot go (--profile); none when unset. */
  profileDir?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { entities: [5000, 20000, 50000], seconds: 10, port: 7092, clients: 50, seed: 'sql' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--entities') o.entities = next().split(',').map(Number);
    else if (a === '--seconds') o.seconds = Number(next());
    else if (a === '--port') o.port = Number(next());
    else if (a === '--clients') o.clients = Number(next());
    else if (a === '--profile') o.profileDir = mkdtempSync(join(tmpdir(), 'devsecops-bench-scale-profile-'));
    else if (a === '--seed') {
      const how = next();
      if (how !== 'sql' && how !== 'generate') throw new Error('--seed is sql or generate');
      o.seed = how;
    } else throw new Error(`Unknown option ${a} (--entities N,N,…, --seconds S, --seed sql|generate, --port P, --clients C, --profile)`);
  }
  if (!(o.entities.length > 0 && o.entities.every(n => Number.isInteger(n) && n >= 100) && o.seconds >= 1 && o.clients >= 1)) {
    throw new Error('--entities: integers ≥ 100, comma-separated; --seconds ≥ 1; --clients ≥ 1');
  }
  return o;
}

/** bench:scorecard's generator, loaded afresh: it reads its finding and deployment totals when loaded. */
function loadGenerator(findings: number, deployments: number) {
  process.env.DEVSECOPS_BENCH_FINDINGS = String(findings);
  process.env.DEVSECOPS_BENCH_DEPLOYMENTS = String(deployments);
  delete require.cache[require.resolve('./scorecardBenchmark')];
  return require('./scorecardBenchmark') as typeof import('./scorecardBenchmark');
}

// ---------------------------------------------------------------------------------------------
// Set-based seeding: findings and deployments of generate's shape, written by PostgreSQL.

/** sha256 hex of a text, as the generator's hex(seed) (first `length` characters). */
const hex = (expr: string, length = 64) => `left(encode(sha256(convert_to(${expr}, 'UTF8')), 'hex'), ${length})`;
const at = (msExpr: string) => `to_timestamp((${msExpr}) / 1000.0)`;
const DIGEST = `'sha256:' || ${hex(`entity_ref || ' current image'`)}`;

/**
 * `total` findings over the entities that have reports, skewed log-normally (sigma 1) as
 * generate's skewedCounts; each finding's control is drawn by generate's deployable shares among
 * the entity's reported finding controls and points at that control's report.
 */
async function seedFindingsSql(knex: Knex, total: number, now: number) {
  const means = `case severity when 'critical' then 6 when 'high' then 18 when 'medium' then 40 when 'low' then 60 else 80 end`;
  await knex.raw(
    `insert into devsecops_findings (entity_ref, control, tool, scope_digest, owner_ref, fingerprint, kind, severity,
       original_severity, rule_id, vulnerability_id, title, location, package_purl, package_name, package_version,
       fixed_versions, fix_available, status, first_seen_at, last_seen_at, resolved_at, first_report_id, last_report_id)
     with share(control, tool, kind, share) as (values ('container-scan', 'Trivy', 'sca', 0.4), ('dependency-scan', 'Grype', 'sca', 0.3),
         ('sast', 'Semgrep', 'sast', 0.2), ('iac-lint', 'Checkov', 'iac', 0.07), ('secret-scanning', 'Gitleaks', 'secret', 0.03)),
       rep as (select r.entity_ref, r.owner_ref, r.control, r.id as report_id, s.tool, s.kind, s.share,
           sum(s.share) over (partition by r.entity_ref order by r.control) as upto,
           sum(s.share) over (partition by r.entity_ref) as whole,
           row_number() over (partition by r.entity_ref order by r.control desc) as from_last
         from devsecops_reports r join share s on s.control = r.control),
       bounds as (select entity_ref, owner_ref, control, report_id, tool, kind, (upto - share) / whole as lo,
           case when from_last = 1 then 2 else upto / whole end as hi, ${DIGEST} as digest from rep),
       ent as (select entity_ref, exp(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) as w from bounds group by entity_ref),
       cnt0 as (select entity_ref, floor(?::float8 * w / sum(w) over ())::int as c0 from ent),
       cnt as (select entity_ref, c0 + case when row_number() over (order by entity_ref) <= ?::int - sum(c0) over () then 1 else 0 end as c
         from cnt0),
       draws as (select c.entity_ref, f, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5,
           random() as r6, random() as r7, random() as r8, random() as r9
         from cnt c, generate_series(0, c.c - 1) as f),
       rows as (select d.*, b.control, b.tool, b.kind, b.owner_ref, b.report_id, b.digest,
           case when r2 < 0.03 then 'critical' when r2 < 0.18 then 'high' when r2 < 0.58 then 'medium' when r2 < 0.88 then 'low' else 'info' end as severity,
           ?::float8 - r4 * 180 * ${DAY_MS} as first_seen,
           'package-' || floor(r6 * 3000)::int as pkg,
           (floor(r7 * 1000)::int % 5) || '.' || (floor(r7 * 1000)::int / 5 % 20) || '.' || (floor(r7 * 1000)::int / 100 % 10) as version
         from draws d join bounds b on b.entity_ref = d.entity_ref and d.r1 >= b.lo and d.r1 < b.hi),
       timed as (select *, case when r3 < 0.7 then least(?::float8 - 60000, first_seen - ln(1 - r5) * ${means} * ${DAY_MS}) end as resolved
         from rows)
     select entity_ref, control, tool, case when control = 'container-scan' then digest else '' end, owner_ref,
       ${hex(`entity_ref || ' ' || f`, 40)}, kind, severity, upper(severity),
       case when kind = 'sca' then 'CVE-2026-' || (10000 + f % 90000) else lower(tool) || '.rule-' || (f % 400) end,
       case when kind = 'sca' then 'CVE-2026-' || (10000 + f % 90000) end,
       'Synthetic ' || kind || ' finding ' || f || ' in ' || split_part(entity_ref, '/', 2),
       case when kind <> 'sca' then 'src/module-' || (f % 50) || '/file-' || (f % 13) || '.ts:' || (f % 400 + 1) end,
       case when kind = 'sca' then 'pkg:npm/' || pkg || '@' || version end,
       case when kind = 'sca' then pkg end,
       case when kind = 'sca' then version end,
       case when kind = 'sca' and r8 < 0.7 then '["' || version || '-fix"]' end,
       case when kind = 'sca' then r8 < 0.7 end,
       case when resolved is null then 'open' else 'resolved' end,
       ${at('first_seen')},
       ${at(`case when resolved is null then ?::float8 - r9 * 5 * ${DAY_MS} else resolved - 3600000 end`)},
       ${at('resolved')}, report_id, report_id
     from timed`,
    [total, total, now, now, now],
  );
}

/** `perEntity` deployments per entity over 180 days, ~40% production; the newest, and the newest production one, ship the current image. */
async function seedDeploymentsSql(knex: Knex, perEntity: number, now: number) {
  await knex.raw(
    `insert into devsecops_deployments (id, entity_ref, owner_ref, claimed_owner_ref, environment, artifact_digest, source_commit,
       deployer, approver, change_ref, result, deployed_at, recorded_by, recorded_at, dedup_key)
     with ent as (select entity_ref, min(owner_ref) as owner_ref from devsecops_reports group by entity_ref),
       draws as (select e.entity_ref, e.owner_ref, random() as t, random() as env, random() as r3, random() as r4, random() as r5
         from ent e, generate_series(1, ?) as n),
       ordered as (select *, row_number() over (partition by entity_ref order by t) - 1 as k,
           case when env < 0.4 then 'production' else 'staging' end as environment from draws),
       marked as (select *, min(case when environment = 'production' then k end) over (partition by entity_ref) as first_production,
           ?::float8 - t * 180 * ${DAY_MS} as deployed from ordered)
     select gen_random_uuid(), entity_ref, owner_ref, case when r3 < 0.98 then owner_ref else 'group:default/someone-else' end, environment,
       case when k = 0 or k = first_production then ${DIGEST} else 'sha256:' || ${hex(`entity_ref || ' ' || k || ' image'`)} end,
       ${hex(`entity_ref || ' ' || k || ' commit'`, 40)}, 'argo-cd',
       case when r4 < 0.9 then 'user:default/approver-' || (k % 7) end, 'CHG-' || (100000 + k),
       case when r5 < 0.95 then 'succeeded' when r5 < 0.98 then 'failed' else 'rolled_back' end,
       ${at('deployed')}, 'cd-pipeline', ${at('deployed + 1000')}, ${hex(`entity_ref || ' deployment ' || k`)}
     from marked`,
    [perEntity, now],
  );
}

/**
 * Runs `fill` with the tables' secondary indexes dropped and builds them again afterwards (a bulk
 * load's usual order; the indexes and constraints end as the migrations made them).
 */
async function withIndexesAfter(knex: Knex, tables: string[], fill: () => Promise<void>) {
  const { rows } = await knex.raw(
    `select indexname, indexdef from pg_indexes i
     where schemaname = current_schema() and tablename = any(?)
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [tables],
  );
  for (const { indexname } of rows) await knex.raw(`drop index "${indexname}"`);
  await fill();
  for (const { indexdef } of rows) await knex.raw(indexdef);
}

async function seed(knex: Knex, n: number, how: Options['seed']) {
  const { applyMigrations } = require('../src/store/migrations') as typeof import('../src/store/migrations');
  await applyMigrations(knex);
  const now = Date.now();
  const started = performance.now();
  const { buildOrg, generate } =
    how === 'generate'
      ? loadGenerator(n * FINDINGS_PER_ENTITY, n * DEPLOYMENTS_PER_ENTITY)
      : loadGenerator(0, 0);
  const org = buildOrg(n);
  await generate(knex, org, now);
  const generated = performance.now();
  if (how === 'sql') {
    await withIndexesAfter(knex, ['devsecops_findings', 'devsecops_deployments'], async () => {
      await seedFindingsSql(knex, n * FINDINGS_PER_ENTITY, now);
      await seedDeploymentsSql(knex, DEPLOYMENTS_PER_ENTITY, now);
    });
  }
  await knex.raw('analyze');
  const count = async (table: string) => Number((await knex(table).count({ c: '*' }))[0].c);
  return {
    org,
    generateS: (generated - started) / 1000,
    seedS: (performance.now() - started) / 1000,
    findings: await count('devsecops_findings'),
    deployments: await count('devsecops_deployments'),
  };
}

// ---------------------------------------------------------------------------------------------

/** A Trivy image report with `count` distinct vulnerabilities. */
function trivyReport(count: number, digest: string): string {
  const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/scale-bench:1.0.0',
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/scale-bench@sha256:${digest}`] },
    Results: [
      {
        Target: 'scale-bench (debian 12)',
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: Array.from({ length: count }, (_, i) => ({
          VulnerabilityID: `CVE-2099-${100000 + i}`,
          PkgName: `package-${i % 2000}`,
          InstalledVersion: `1.${i % 50}.0`,
          FixedVersion: `1.${i % 50}.1`,
          Severity: severities[i % 4],
          Title: `Synthetic vulnerability ${i} in package-${i % 2000}`,
        })),
      },
    ],
  });
}

interface Row {
  n: number;
  seed: Options['seed'];
  findings: number;
  deployments: number;
  generateS: number;
  seedS: number;
  catalogS: number;
  firstSnapshotS: number;
  /** Backend CPU during the first and steady snapshot (s), from /proc. */
  firstSnapshotCpuS?: number;
  steadySnapshotCpuS?: number;
  steadySnapshotS: number;
  rollup: { p50: number; p95: number; calls: number; kb: number; cpuMs?: number };
  scorecard: { rps: number; p50: number; p99: number; errors: number; cpuMs?: number };
  ingest: { seconds: number; bytes: number; findings: number; cpuMs?: number };
  rssMb?: number;
  hwmMb?: number;
  loads: Record<string, string>;
}

/** Backend CPU seconds since `before` (ms, from processCpuMs). */
function cpuSince(pid: number | undefined, before: number | undefined): number | undefined {
  const after = processCpuMs(pid);
  return before === undefined || after === undefined ? undefined : (after - before) / 1000;
}

/**
 * With --profile, the backend's CPU profiler (bench/compare/backend.ts) is cut at each mark: SIGUSR2
 * writes what it sampled since the last cut. `summarise` cuts and prints that part by package and
 * function, per entity (readProfile's tables). Without --profile both do nothing.
 */
function profiler(pid: number | undefined, dir: string | undefined) {
  let cuts = 0;
  const cut = async () => {
    if (!dir || !pid) return undefined;
    const file = join(dir, `${++cuts}.cpuprofile`);
    process.kill(pid, 'SIGUSR2');
    for (let i = 0; i < 600 && !existsSync(file); i++) await sleep(100);
    await sleep(500); // written in one call; let it finish
    return existsSync(file) ? file : undefined;
  };
  return {
    mark: async () => void (await cut()),
    summarise: async (what: string, entities: number) => {
      const file = await cut();
      if (!file) return;
      log(`\n### CPU profile, ${what} (${file}; per entity = per "req" below)`);
      summarise(JSON.parse(readFileSync(file, 'utf8')), Math.max(1, entities), 25);
    },
  };
}

async function measureScale(n: number, o: Options, pgUrl: string): Promise<Row> {
  const prefix = `devsecops_scale_${Date.now()}_${n}_`;
  const work = mkdtempSync(join(tmpdir(), 'devsecops-bench-scale-'));
  const base = `http://localhost:${o.port}`;
  const serviceToken = randomBytes(24).toString('hex');
  const loads: Record<string, string> = {};
  let backend: ChildProcess | undefined;
  let knex: Knex | undefined;
  try {
    log(`\n[${n}] Seeding ${n} entities (${n * FINDINGS_PER_ENTITY} findings, ${n * DEPLOYMENTS_PER_ENTITY} deployments, --seed ${o.seed}), load ${procLoadavg()} …`);
    loads.seed = procLoadavg();
    knex = await createPgDatabase(pgUrl, `${prefix}devsecops`);
    const seeded = await seed(knex, n, o.seed);
    log(`[${n}] seeded in ${seeded.seedS.toFixed(1)} s (generate ${seeded.generateS.toFixed(1)} s): ${seeded.findings} findings, ${seeded.deployments} deployments`);

    const catalogFile = writeCatalogFile(work, [...seeded.org.groups, BENCH_USER, ...seeded.org.components]);
    const config = {
      ...benchBackendConfig({
        port: o.port,
        database: { client: 'pg', connection: pgUrl, prefix },
        serviceToken,
        subject: 'bench-scale',
        catalogFile,
        // Processed once: the catalog's periodic re-processing of N entities would compete with every measure.
        catalog: { processingInterval: { hours: 24 } },
      }),
      devsecops: {
        // The scheduler's worker waits out initialDelay before it picks up any trigger, so the task
        // runs once at startup (the catalog still empty: nothing to evaluate) and the bench
        // triggers the first real run once the catalog holds every component.
        schedules: { dailySnapshot: { initialDelay: { seconds: 1 }, timeout: { hours: 4 } } },
        secretFingerprintKey: randomBytes(32).toString('hex'),
      },
    };
    writeFileSync(join(work, 'app-config.bench.json'), JSON.stringify(config));
    const backendLog = join(tmpdir(), `devsecops-bench-scale-backend-${n}.log`);
    log(`[${n}] Backend output: ${backendLog}`);
    const backendStarted = performance.now();
    backend = startBackend(
      join(work, 'app-config.bench.json'),
      backendLog,
      o.profileDir ? { DEVSECOPS_BENCH_CPU_PROFILE_DIR: o.profileDir } : {},
    );
    const pid = backend.pid;
    const api = client(base, serviceToken);
    await waitForCatalog(api, n, 3600);
    const catalogS = (performance.now() - backendStarted) / 1000;
    log(`[${n}] catalog ready after ${catalogS.toFixed(0)} s; first daily snapshot (builds every summary) …`);

    loads.firstSnapshot = procLoadavg();
    const profiled = profiler(pid, o.profileDir);
    let cpu: number | undefined;
    const first = await runSnapshot(api, 4 * 3600, async () => {
      // The startup run (initialDelay 1 s) evaluated what the catalog held by then; the first run
      // after install has nothing stored: once that run ended, what it stored goes. --profile: the
      // profile so far (start-up, catalog) is set aside.
      const built = await knex!('devsecops_entity_summaries').delete();
      await knex!('devsecops_owner_rollups').delete();
      await knex!('devsecops_entity_snapshots').delete();
      log(`[${n}] removed the ${built} summaries the startup run built while the catalog filled in`);
      await profiled.mark();
      cpu = processCpuMs(pid);
    });
    const firstSnapshotCpuS = cpuSince(pid, cpu);
    await profiled.summarise(`${n} entities: first daily snapshot`, n);
    const counted = await api.get('/api/devsecops/v1/rollups?entitiesLimit=0', 'service');
    const entityCount = counted.ok ? (await counted.json()).entityCount : -1;
    if (entityCount < n) throw new Error(`After the first snapshot the roll-up counts ${entityCount} of ${n} entities`);
    log(`[${n}] first snapshot ${first.seconds.toFixed(1)} s (wall ${first.wallS.toFixed(1)} s); steady snapshot …`);

    const today = new Date().toISOString().slice(0, 10);
    await knex('devsecops_entity_snapshots').where({ day: today }).delete();
    loads.steadySnapshot = procLoadavg();
    cpu = processCpuMs(pid);
    const steady = await runSnapshot(api, 3600);
    const steadySnapshotCpuS = cpuSince(pid, cpu);
    await profiled.summarise(`${n} entities: steady daily snapshot`, n);
    log(`[${n}] steady snapshot ${steady.seconds.toFixed(1)} s (wall ${steady.wallS.toFixed(1)} s); roll-up …`);

    await api.guestToken();
    loads.rollup = procLoadavg();
    const rollup = await sequential(() => api.get('/api/devsecops/v1/rollups?entitiesLimit=0', 'user'), o.seconds, pid);
    log(`[${n}] roll-up p50 ${rollup.p50.toFixed(1)} ms, p95 ${rollup.p95.toFixed(1)} ms; one entity, ${o.clients} clients …`);

    const names = seeded.org.components.map(c => c.metadata.name);
    loads.scorecard = procLoadavg();
    const scorecard = await concurrent(
      { port: o.port, clients: o.clients, seconds: o.seconds, pid },
      name => ({ method: 'GET', path: `/api/devsecops/v1/scorecards?entity=component:default/${name}` }),
      api.headers('user'),
      names,
    );
    log(`[${n}] ${scorecard.rps.toFixed(0)} req/s; ingest of ${INGEST_FINDINGS} findings …`);

    const body = trivyReport(INGEST_FINDINGS, randomBytes(32).toString('hex'));
    loads.ingest = procLoadavg();
    const cpuBefore = processCpuMs(pid);
    const t = performance.now();
    const posted = await fetch(
      `${base}/api/devsecops/v1/reports?entity=component:default/${names[1]}&commit=${randomBytes(20).toString('hex')}&branch=main`,
      { method: 'POST', headers: { Authorization: `Bearer ${serviceToken}`, 'Content-Type': 'application/json' }, body },
    );
    const answer = await posted.text();
    const ingestS = (performance.now() - t) / 1000;
    const cpuAfter = processCpuMs(pid);
    if (!posted.ok) throw new Error(`Ingest: ${posted.status} ${answer.slice(0, 300)}`);
    const ingested = Number(
      (await knex('devsecops_findings').where({ entity_ref: `component:default/${names[1]}` }).where('vulnerability_id', 'like', 'CVE-2099-%').count({ c: '*' }))[0].c,
    );
    if (ingested !== INGEST_FINDINGS) throw new Error(`Ingest stored ${ingested} of ${INGEST_FINDINGS} findings`);
    const memory = processMemoryMb(pid);
    loads.end = procLoadavg();
    return {
      n,
      seed: o.seed,
      findings: seeded.findings,
      deployments: seeded.deployments,
      generateS: seeded.generateS,
      seedS: seeded.seedS,
      catalogS,
      firstSnapshotS: first.seconds,
      firstSnapshotCpuS,
      steadySnapshotCpuS,
      steadySnapshotS: steady.seconds,
      rollup: { p50: rollup.p50, p95: rollup.p95, calls: rollup.calls, kb: rollup.bytes / 1024, cpuMs: rollup.cpuMs },
      scorecard: { rps: scorecard.rps, p50: scorecard.p50, p99: scorecard.p99, errors: scorecard.errors, cpuMs: scorecard.cpuMs },
      ingest: {
        seconds: ingestS,
        bytes: Buffer.byteLength(body),
        findings: ingested,
        cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
      },
      rssMb: memory.rss,
      hwmMb: memory.hwm,
      loads,
    };
  } finally {
    if (backend && backend.exitCode === null) {
      const exited = new Promise(resolve => backend!.once('exit', resolve));
      backend.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }
    await knex?.destroy();
    const dropped = await dropPgDatabases(pgUrl, prefix).catch(error => {
      log(`[${n}] dropping ${prefix}* failed: ${error}`);
      return [];
    });
    log(`[${n}] dropped ${dropped.length} databases (${prefix}*)`);
    rmSync(work, { recursive: true, force: true });
  }
}

const f = (x: number | undefined, digits = 1) => (x === undefined ? 'n/a' : x.toFixed(digits));
const HEADER = [
  '| entities | findings / deployments | seed (s) | catalog ready (s) | first snapshot (s; backend CPU) | steady snapshot (s; backend CPU) | roll-up p50 / p95 (ms), calls, KB, CPU/call | one entity, 50 clients, user token | ingest 10k findings | backend RSS / HWM (MB) | load (/proc/loadavg 1 5 15) before seed · first · steady · roll-up · scorecard · ingest · end |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
function row(r: Row): string {
  const l = r.loads;
  return `| ${r.n} | ${r.findings} / ${r.deployments} | ${f(r.seedS)} (${r.seed}${r.seed === 'sql' ? `; generate ${f(r.generateS)}` : ''}) | ${f(r.catalogS, 0)} | ${f(r.firstSnapshotS)} (${f((r.firstSnapshotS * 1000) / r.n, 0)} ms an entity; ${f(r.firstSnapshotCpuS)} s CPU) | ${f(r.steadySnapshotS)} (${f(r.steadySnapshotCpuS)} s CPU) | ${f(r.rollup.p50)} / ${f(r.rollup.p95)}, ${r.rollup.calls}, ${f(r.rollup.kb)} KB, ${f(r.rollup.cpuMs)} ms | ${f(r.scorecard.rps, 0)} req/s, p50 ${r.scorecard.p50} ms, p99 ${r.scorecard.p99} ms, ${r.scorecard.errors} errors, ${f(r.scorecard.cpuMs, 2)} ms CPU/req | ${f(r.ingest.seconds, 2)} s (${f(r.ingest.bytes / 1024 / 1024, 2)} MB, ${f(r.ingest.cpuMs === undefined ? undefined : r.ingest.cpuMs / 1000, 2)} s CPU) | ${f(r.rssMb, 0)} / ${f(r.hwmMb, 0)} | ${[l.seed, l.firstSnapshot, l.steadySnapshot, l.rollup, l.scorecard, l.ingest, l.end].join(' · ')} |`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const pgUrl = process.env.DEVSECOPS_BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
  log(`bench:scale — ${o.entities.join(', ')} entities on PostgreSQL (${new URL(pgUrl).host}), Node ${process.version}, ${cpus().length} cores`);
  const rows: Row[] = [];
  for (const n of o.entities) {
    const r = await measureScale(n, o, pgUrl);
    rows.push(r);
    // Each N's row as soon as it is measured (a long run keeps what it finished).
    log([...HEADER, row(r)].join('\n'));
  }
  console.log(
    `bench:scale — PostgreSQL, ${o.seconds} s per measure, ${o.clients} clients, --seed ${o.seed}, Node ${process.version}, ${cpus().length} cores`,
  );
  console.log(['', ...HEADER, ...rows.map(row), ''].join('\n'));
  const list = (pick: (r: Row) => number | undefined, digits = 1) => rows.map(r => f(pick(r), digits)).join(',');
  console.log(
    `scale: n=${rows.map(r => r.n).join(',')} rollup_p95_ms=${list(r => r.rollup.p95)} rollup_p50_ms=${list(r => r.rollup.p50)} scorecard_rps=${list(r => r.scorecard.rps, 0)} first_snapshot_s=${list(r => r.firstSnapshotS)} steady_snapshot_s=${list(r => r.steadySnapshotS)} ingest_10k_s=${list(r => r.ingest.seconds, 2)} rss_mb=${list(r => r.rssMb, 0)} hwm_mb=${list(r => r.hwmMb, 0)}`,
  );
}

main().catch(error => {
  console.error(String(error?.stack ?? error).slice(0, 4000));
  process.exit(1);
});
