/*
 * Control-failure review benchmark (issue 15: "the org-wide pending control-failure review reads
 * every snapshot since the last review — measure it at 5,000 entities × 90 days; if it is over
 * 500 ms, make it set-based/bounded"). A synthetic organisation written straight into the plugin's
 * tables — 5,000 components owned by 64 teams under 8 departments, a stored summary each, and 90
 * days of daily snapshots in which controls fail and recover (each control of each service flips
 * with a small daily probability, so the window holds tens of thousands of failure episodes) —
 * then the real ControlFailureReviewService on top:
 *
 *   - `GET /v1/control-failure-reviews/pending` for the org (no group; the scope never reviewed, so
 *     it looks back the whole 90-day window) and for one team, 10 runs each (median, p95, this
 *     process's CPU);
 *   - the same org read after a review signed 30 days ago (the usual case: since the last review).
 *
 *   cd plugins/devsecops-backend
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/controlFailureReviewBenchmark.ts
 *   DEVSECOPS_BENCH_PG=postgresql://postgres@127.0.0.1:5432 node --require … bench/controlFailureReviewBenchmark.ts
 *
 * DEVSECOPS_BENCH_ENTITIES, DEVSECOPS_BENCH_DAYS, DEVSECOPS_BENCH_RUNS scale it, DEVSECOPS_BENCH_FLIP sets the daily flip chance; DEVSECOPS_BENCH_SQLITE=0 skips SQLite.
 * Prints markdown on stdout.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ControlState } from '@devsecops-scorecard/plugin-devsecops-common';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ControlCatalog } from '../src/config/ControlCatalog';
import { readScorecardConfig } from '../src/config/readScorecardConfig';
import { ControlFailureReviewService } from '../src/reviews/ControlFailureReviewService';
import { RollupService } from '../src/scorecard/RollupService';
import { HumanAttestationStore } from '../src/store/HumanAttestationStore';
import { SnapshotRunQueries } from '../src/store/SnapshotRunQueries';
import { applyMigrations } from '../src/store/migrations';
import { SummaryStore } from '../src/store/SummaryStore';
import { getVoidLogger } from './voidLogger';

const ENTITIES = Number(process.env.DEVSECOPS_BENCH_ENTITIES ?? 5_000);
const DAYS = Number(process.env.DEVSECOPS_BENCH_DAYS ?? 90);
const RUNS = Number(process.env.DEVSECOPS_BENCH_RUNS ?? 10);
const DAY = 86_400_000;
const TARGET_MS = 500;
/** The chance a control changes between failing and passing on a given day. */
const FLIP = Number(process.env.DEVSECOPS_BENCH_FLIP ?? 0.02);

const settings = readScorecardConfig(new ConfigReader({}));
const controls = ControlCatalog.fromSettings(settings);
const CONTROL_IDS = controls.ids();

let seed = 20261206;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
const dayOf = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (v: number) => `${v.toFixed(0)} ms`;

function benchCatalog(entities: Entity[]): CatalogService {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  return {
    getEntityByRef: async (ref: string) => byRef.get(ref),
    getEntities: async (request: { filter?: Record<string, unknown> }) => ({
      items: entities.filter(e => String(request.filter?.kind ?? e.kind).toLowerCase() === e.kind.toLowerCase()),
    }),
  } as unknown as CatalogService;
}

/** On the first day: 10 % never reported, 9 % failing, the rest passing. */
function initialState(): ControlState {
  if (random() < 0.1) return 'not_reported';
  return random() < 0.1 ? 'failing' : 'passing';
}

/** Each control of a service: mostly passing, failing for runs of days, some never reported. */
function nextState(state: ControlState): ControlState {
  if (state === 'not_reported' || state === 'not_applicable') return state;
  if (random() >= FLIP) return state;
  if (state === 'passing') return random() < 0.15 ? 'excepted' : 'failing';
  return 'passing';
}

async function seedOrganisation(knex: Knex) {
  const groups: Entity[] = [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'acme', namespace: 'default' }, spec: { type: 'organization', children: [] } }];
  const teams: string[] = [];
  for (let d = 1; d <= 8; d++) {
    groups.push({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: `dept-${d}`, namespace: 'default' }, spec: { type: 'department', parent: 'acme', children: [] } });
    for (let t = 1; t <= 8; t++) {
      const name = `team-${d}-${t}`;
      teams.push(name);
      groups.push({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name, namespace: 'default' }, spec: { type: 'team', parent: `dept-${d}`, children: [] } });
    }
  }
  const services = Array.from({ length: ENTITIES }, (_, i) => ({
    ref: `component:default/service-${String(i).padStart(5, '0')}`,
    owner: `group:default/${pick(teams)}`,
    states: Object.fromEntries(
      CONTROL_IDS.map(id => [id, initialState()]),
    ) as Record<string, ControlState>,
  }));
  // The snapshots, oldest first; the summary is the state after the last day.
  let snapshotRows = 0;
  for (let d = DAYS; d >= 1; d--) {
    const day = dayOf(-d);
    const batch = services.map(s => {
      for (const id of CONTROL_IDS) s.states[id] = nextState(s.states[id]);
      return {
        entity_ref: s.ref,
        day,
        stage: 1,
        control_states: JSON.stringify(s.states),
        metrics: JSON.stringify({ patchedCount: 3, openBySeverity: { critical: 0, high: 1, medium: 2, low: 3, info: 0 } }),
        production_gate: null,
      };
    });
    for (let i = 0; i < batch.length; i += 500) await knex('devsecops_entity_snapshots').insert(batch.slice(i, i + 500));
    snapshotRows += batch.length;
  }
  const summaries = new SummaryStore(knex);
  for (const s of services) {
    for (const id of CONTROL_IDS) s.states[id] = nextState(s.states[id]);
    const summary = {
      entityRef: s.ref,
      ownerRef: s.owner,
      lifecycle: 'production',
      stage: 1,
      controlStates: { ...s.states },
      metrics: { patchedCount: 3 } as any,
      evaluatedAt: new Date().toISOString(),
    };
    await summaries.upsert(summary, { entityRef: s.ref, controls: [], maturity: { stage: 1, stages: [], nextSteps: [] } } as any, new Date(Date.now() + 600_000));
  }
  return { groups, snapshotRows };
}

async function run(label: string, knex: Knex) {
  await applyMigrations(knex);
  process.stderr.write(`${label}: seeding ${ENTITIES} entities and ${DAYS} days of snapshots…\n`);
  const { groups, snapshotRows } = await seedOrganisation(knex);
  const catalog = benchCatalog(groups);
  const auth = mockServices.auth();
  const summaries = new SummaryStore(knex);
  const attestations = new HumanAttestationStore(knex);
  const rollups = new RollupService({
    catalog,
    auth,
    summaries,
    scorecards: { counts: () => true, entityKinds: ['Component'] } as any,
    controlIds: CONTROL_IDS,
    logger: getVoidLogger(),
  });
  const reviews = new ControlFailureReviewService({ rollups, summaries, attestations, controls, catalog, auth, snapshots: new SnapshotRunQueries(knex), windowDays: DAYS });

  const time = async <T>(fn: () => Promise<T>) => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const value = await fn();
    const used = process.cpuUsage(cpu);
    return { value, ms: performance.now() - start, cpu: (used.user + used.system) / 1000 };
  };
  const measure = async (query: { group?: string }) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    let failures = 0;
    let entities = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await time(() => reviews.pending(query));
      wall.push(r.ms);
      cpu.push(r.cpu);
      failures = r.value.failures.length;
      entities = r.value.entityCount;
    }
    return { median: median(wall), p95: p95(wall), cpuMedian: median(cpu), failures, entities };
  };

  const never = await measure({});
  const team = await measure({ group: 'team-1-1' });
  // The org's review signed 30 days ago: the next one looks at the last 30 days.
  await knex.transaction(tx =>
    attestations.insert(tx, {
      id: randomUUID(),
      kind: 'control-failure-review',
      scopeRef: 'group:default/acme',
      date: dayOf(-30),
      details: { attendees: ['user:default/rita'], notesUrl: 'https://wiki.example.com/reviews', failuresReviewed: 0 },
      expiresAt: new Date(Date.now() + 60 * DAY).toISOString(),
      recordedBy: 'user:default/rita',
      recordedAt: new Date(Date.now() - 30 * DAY).toISOString(),
    }),
  );
  const since30 = await measure({});
  return { label, snapshotRows, never, team, since30 };
}

const HEADER =
  '| database | snapshot rows | org, never reviewed (90 days): median / p95 (CPU median) | failures listed | org, reviewed 30 days ago: median / p95 (CPU) | failures | one team: median / p95 (services) |\n|---|---|---|---|---|---|---|';

function row(r: Awaited<ReturnType<typeof run>>) {
  return `| ${r.label} | ${r.snapshotRows} | ${ms(r.never.median)} / ${ms(r.never.p95)} (${ms(r.never.cpuMedian)}) | ${r.never.failures} | ${ms(r.since30.median)} / ${ms(r.since30.p95)} (${ms(r.since30.cpuMedian)}) | ${r.since30.failures} | ${ms(r.team.median)} / ${ms(r.team.p95)} (${r.team.entities}) |`;
}

async function main() {
  const results: Array<Awaited<ReturnType<typeof run>>> = [];
  // Each database's row as soon as it is measured (a long run on a shared machine may be cut short).
  const done = (r: Awaited<ReturnType<typeof run>>) => {
    results.push(r);
    const [l1] = loadavg();
    process.stderr.write(`${row(r)} (load ${l1.toFixed(1)})\n`);
  };
  if (process.env.DEVSECOPS_BENCH_SQLITE !== '0') {
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    done(await run('SQLite', knex));
    await knex.destroy();
  }
  if (process.env.DEVSECOPS_BENCH_PG) {
    const admin = knexFactory({ client: 'pg', connection: process.env.DEVSECOPS_BENCH_PG });
    const name = `devsecops_review_bench_${Date.now()}`;
    await admin.raw(`CREATE DATABASE ${name}`);
    const knex = knexFactory({ client: 'pg', connection: `${process.env.DEVSECOPS_BENCH_PG}/${name}` });
    try {
      done(await run('PostgreSQL', knex));
    } finally {
      await knex.destroy();
      await admin.raw(`DROP DATABASE ${name}`);
      await admin.destroy();
    }
  }
  const [l1, l5, l15] = loadavg();
  console.log(`\nNode ${process.version}, ${ENTITIES} entities, ${DAYS} days of snapshots, ${RUNS} runs each, load average ${l1.toFixed(2)} / ${l5.toFixed(2)} / ${l15.toFixed(2)}\n`);
  console.log(HEADER);
  for (const r of results) console.log(row(r));
  const met = results.every(r => r.never.p95 < TARGET_MS);
  console.log(`\nTarget: org-wide pending review p95 < ${TARGET_MS} ms — ${met ? 'met' : 'NOT met'}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
