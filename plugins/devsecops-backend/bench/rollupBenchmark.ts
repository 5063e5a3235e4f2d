/*
 * Roll-up benchmark (issue 21 item 4/6): the org and group roll-ups at N entities, before and
 * after per-owner partials, in one process on the same data, without HTTP:
 *
 *   - before: every summary read (summaries.all(), JSON parsed) and aggregated 1 + owners +
 *     children times, the entity list cut afterwards (the roll-up as it was until 2026-12-06);
 *   - after: RollupService.rollup — fresh per-owner partials merged, the entity list paged in SQL;
 *     also right after one summary write (one team recomputed) and with every team stale.
 *
 *   cd plugins/devsecops-backend
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/rollupBenchmark.ts
 *   DEVSECOPS_BENCH_PG=postgresql://postgres@127.0.0.1:5432 node --require … bench/rollupBenchmark.ts  # SQLite and PostgreSQL
 *
 * DEVSECOPS_BENCH_ENTITIES (default 5,000). Summaries are written straight into their table
 * (bench:scorecard's organisation: 48 teams under 12 departments under 4 divisions); the
 * evaluation that builds them is bench:scorecard's subject, not this one's.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { existsSync, unlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { aggregate } from '../src/evaluate/rollup';
import { RollupQuery, RollupService, subtree } from '../src/scorecard/RollupService';
import { applyMigrations } from '../src/store/migrations';
import { EntitySummary, SummaryStore } from '../src/store/SummaryStore';
import { benchServices } from './benchServices';
import { buildOrg } from './scorecardBenchmark';

const ENTITIES = Number(process.env.DEVSECOPS_BENCH_ENTITIES ?? 5_000);
const RUNS = 50;
const STATES = ['passing', 'failing', 'excepted', 'not_reported', 'not_applicable'] as const;

let seed = 20261206;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const int = (n: number) => Math.floor(random() * n);

/** The roll-up as it was before per-owner partials (RollupService.rollup until commit 391f5c8). */
async function before(rollups: RollupService, controlIds: string[], query: RollupQuery, limit?: number): Promise<Rollup> {
  const strip = ({ entities: _e, ...rest }: ReturnType<typeof aggregate>) => rest;
  const { scope, summaries, groups } = await rollups.scoped(query);
  const rollup = aggregate(scope, summaries, controlIds) as Rollup;
  const byOwner = new Map<string, EntitySummary[]>();
  for (const s of summaries) {
    if (!s.ownerRef) continue;
    byOwner.set(s.ownerRef, [...(byOwner.get(s.ownerRef) ?? []), s]);
  }
  rollup.owners = [...byOwner.keys()].sort().map(o => strip(aggregate({ kind: 'group', ref: o }, byOwner.get(o)!, controlIds)));
  if (groups && scope.ref) {
    rollup.children = (groups.get(scope.ref) ?? []).map(child => {
      const below = subtree(groups, child);
      return strip(aggregate({ kind: 'group', ref: child }, summaries.filter(s => s.ownerRef && below.has(s.ownerRef)), controlIds));
    });
  }
  if (limit !== undefined) rollup.entities = rollup.entities.slice(0, limit);
  return rollup;
}

async function open(kind: 'sqlite' | 'pg'): Promise<{ knex: Knex; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const filename = join(tmpdir(), `devsecops-rollup-bench-${process.pid}.sqlite`);
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    return {
      knex,
      close: async () => {
        await knex.destroy();
        for (const s of ['', '-wal', '-shm', '-journal']) if (existsSync(filename + s)) unlinkSync(filename + s);
      },
    };
  }
  const admin = knexFactory({ client: 'pg', connection: process.env.DEVSECOPS_BENCH_PG });
  const name = `devsecops_rollup_bench_${Date.now()}`;
  await admin.raw(`create database ${name}`);
  const url = new URL(process.env.DEVSECOPS_BENCH_PG!);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await admin.raw(`drop database ${name}`);
      await admin.destroy();
    },
  };
}

async function seedSummaries(knex: Knex, components: Entity[], controlIds: string[]) {
  const now = new Date().toISOString();
  const rows = components.map(c => {
    const spec = c.spec as { owner: string; system: string; type: string; lifecycle: string };
    const sev = () => ({ critical: int(3), high: int(5), medium: int(10), low: int(10), info: int(5) });
    return {
      entity_ref: stringifyEntityRef(c),
      owner_ref: spec.owner,
      system_ref: `system:default/${spec.system}`,
      domain_ref: null,
      type: spec.type,
      lifecycle: spec.lifecycle,
      stage: int(5),
      control_states: JSON.stringify(Object.fromEntries(controlIds.map(id => [id, STATES[int(STATES.length)]]))),
      metrics: JSON.stringify({
        patchedCount: int(6),
        meanTimeToPatchDays: int(400) / 4,
        rotatedCount: int(3),
        meanTimeToRotateDays: int(100) / 4,
        meanExceptionAgeDays: random() < 0.3 ? int(200) / 4 : undefined,
        openBySeverity: sev(),
        pastSla: sev(),
      }),
      production_gate: ['allow', 'deny', null][int(3)],
      evaluated_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 200) await knex('devsecops_entity_summaries').insert(rows.slice(i, i + 200));
  // Written behind the store's back: mark every owner stale, as a write through it would.
  await new SummaryStore(knex).ownerRollups.bump([...new Set(rows.map(r => r.owner_ref))]);
}

async function partialsKiB(knex: Knex) {
  const rows: Array<{ partials: string | null }> = await knex('devsecops_owner_rollups').select('partials');
  return (rows.reduce((n, r) => n + (r.partials?.length ?? 0), 0) / 1024).toFixed(0);
}

async function measure(fn: () => Promise<unknown>, runs = RUNS) {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)].toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`;
}

async function run(kind: 'sqlite' | 'pg') {
  const { knex, close } = await open(kind);
  try {
    await applyMigrations(knex);
    const org = buildOrg(ENTITIES);
    const catalog = {
      getEntities: async (req?: { filter?: { kind?: string } }) => ({
        items: req?.filter?.kind === 'Group' ? org.groups : [],
      }),
      getEntityByRef: async () => undefined,
    } as unknown as CatalogService;
    const auth = { getOwnServiceCredentials: async () => ({}) } as unknown as AuthService;
    const services = await benchServices(knex, catalog, auth, 64 * 1024 * 1024);
    const { rollups } = services;
    const controlIds = services.controls.ids();
    const summaries = services.stores.summaries;
    await seedSummaries(knex, org.components, controlIds);
    if (kind === 'pg') await knex.raw('analyze');
    const top = { group: org.topGroupRef };
    const compact = { entitiesLimit: '0' };
    const statements = async (fn: () => Promise<unknown>) => {
      let n = 0;
      const count = () => n++;
      knex.on('query', count);
      await fn();
      knex.off('query', count);
      return n;
    };
    const cold = await (async () => {
      const start = performance.now();
      await rollups.rollup({}, compact);
      return (performance.now() - start).toFixed(1);
    })();
    const owners = [...new Set(org.components.map(c => (c.spec as { owner: string }).owner))];
    const one = org.components[0];
    const [oneSummary] = await summaries.get([stringifyEntityRef(one)]);
    let stage = 0;
    const lines = [
      `| ${kind} | before: org roll-up, whole entity list | ${await measure(() => before(rollups, controlIds, {}))} |`,
      `| ${kind} | before: org roll-up, entitiesLimit=0 | ${await measure(() => before(rollups, controlIds, {}, 0))} |`,
      `| ${kind} | before: group roll-up (division-1), entitiesLimit=0 | ${await measure(() => before(rollups, controlIds, top, 0))} |`,
      `| ${kind} | after: first org roll-up, every team stale (${owners.length} teams recomputed) | ${cold} ms |`,
      `| ${kind} | after: org roll-up, entitiesLimit=0 | ${await measure(() => rollups.rollup({}, compact))} |`,
      `| ${kind} | after: org roll-up, entitiesLimit=100 | ${await measure(() => rollups.rollup({}, { entitiesLimit: '100' }))} |`,
      `| ${kind} | after: org roll-up, whole entity list | ${await measure(() => rollups.rollup({}))} |`,
      `| ${kind} | after: group roll-up (division-1), entitiesLimit=0 | ${await measure(() => rollups.rollup(top, compact))} |`,
      `| ${kind} | after: org roll-up, entitiesLimit=0, one summary written before each | ${await measure(async () => {
        await summaries.upsert({ ...oneSummary, stage: (stage = (stage + 1) % 5) });
        await rollups.rollup({}, compact);
      })} (write included) |`,
      `| ${kind} | after: org roll-up, entitiesLimit=0, every team stale before each | ${await measure(async () => {
        await summaries.ownerRollups.bump(owners);
        await rollups.rollup({}, compact);
      }, 10)} (bumps included) |`,
      `| ${kind} | ↳ where: owner rows read (${owners.length + 1} rows, ${await partialsKiB(knex)} KiB of partials JSON) | ${await measure(() => summaries.ownerRollups.read())} |`,
      `| ${kind} | ↳ where: one entity page of 100 (SQL, light columns) | ${await measure(() => summaries.entityList({ kinds: ['Component'] }, { limit: 101 }))} |`,
      `| ${kind} | statements: before ${await statements(() => before(rollups, controlIds, {}, 0))}, after ${await statements(() => rollups.rollup({}, compact))} (org, entitiesLimit=0, nothing written) | |`,
    ];
    // Key order aside (partials merge control states in another order), the same JSON.
    const sorted = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sorted);
      if (!value || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
    };
    const json = (r: Rollup) => JSON.stringify(sorted(JSON.parse(JSON.stringify(r))));
    const same = json(await rollups.rollup(top)) === json(await before(rollups, controlIds, top));
    lines.push(`| ${kind} | before and after give the same group roll-up (JSON, whole list): ${same} | |`);
    return lines;
  } finally {
    await close();
  }
}

async function main() {
  const kinds: Array<'sqlite' | 'pg'> = [];
  if (process.env.DEVSECOPS_BENCH_SQLITE !== '0') kinds.push('sqlite');
  if (process.env.DEVSECOPS_BENCH_PG) kinds.push('pg');
  console.log(`${ENTITIES} entities, ${RUNS} runs after 3 warm-up, load average ${loadavg().map(l => l.toFixed(2)).join(' ')}\n`);
  console.log('| db | measure | latency |\n|---|---|---|');
  for (const kind of kinds) for (const line of await run(kind)) console.log(line);
  console.log(`\nload average at the end ${loadavg().map(l => l.toFixed(2)).join(' ')}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
