/*
 * OSV advisory re-match benchmark (issue 20 item 6). PostgreSQL only (a fresh database, dropped
 * after):
 *
 *   - 5,000 entities, one artifact SBOM each with 100 components (500,000 rows, 20,000 npm package
 *     names), log4j-core in 1 entity of 10 at 2.0–2.24.0, deployed to production (every entity);
 *   - the real OsvMatchService imports an osv.dev-style zip of the real advisories in
 *     fixtures/osv-advisories (Log4Shell and two jackson-databind ones): parse, read the candidate
 *     components by name, filter to deployed artifacts, match ranges, write the findings in one
 *     transaction; then the same zip again (nothing changes), then Log4Shell withdrawn (every
 *     finding resolves). Entity refreshes are not timed (onEvidenceChanged counts them only).
 *
 *   cd plugins/devsecops-backend
 *   DEVSECOPS_BENCH_PG=postgresql://postgres@127.0.0.1:5432 \
 *     node --require @backstage/cli/config/nodeTransform.cjs bench/osvMatchBenchmark.ts
 *
 * DEVSECOPS_BENCH_ENTITIES and DEVSECOPS_BENCH_COMPONENTS_PER_ENTITY scale it. Prints markdown.
 */
import { zipSync } from 'fflate';
import knexFactory, { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { OsvMatchService } from '../src/feeds/OsvMatchService';
import { AdvisoryMatchQueries } from '../src/store/AdvisoryMatchQueries';
import { FeedStore } from '../src/store/FeedStore';
import { FindingStore } from '../src/store/FindingStore';
import { applyMigrations } from '../src/store/migrations';
import { getVoidLogger } from './voidLogger';

const ENTITIES = Number(process.env.DEVSECOPS_BENCH_ENTITIES ?? 5_000);
const PER_ENTITY = Number(process.env.DEVSECOPS_BENCH_COMPONENTS_PER_ENTITY ?? 100);
const FIXTURES = path.resolve(__dirname, '../../../fixtures/osv-advisories');
const advisory = (id: string) => readFileSync(path.join(FIXTURES, `${id}.json`));

async function seed(knex: Knex) {
  const started = performance.now();
  await knex.raw(`
    INSERT INTO devsecops_reports (id, entity_ref, owner_ref, control, controls, format, tool, artifact_digest,
      uploader, received_at, summary, body_sha256, body_size, dedup_key)
    SELECT md5('r' || g)::uuid, 'component:default/svc-' || g, 'group:default/team-' || (g % 64), 'sbom', '["sbom"]',
      'cyclonedx', 'syft', 'sha256:' || md5('a' || g) || md5('b' || g), 'bench', now(), '{}', md5('s' || g), 1, md5('d' || g)
    FROM generate_series(1, ${ENTITIES}) g`);
  await knex.raw(`
    INSERT INTO devsecops_sbom_components (report_id, entity_ref, artifact_digest, name, version, purl, type, licenses)
    SELECT r.id, r.entity_ref, r.artifact_digest, 'pkg-' || ((c * 7919 + e) % 20000), '1.' || (c % 40) || '.' || (e % 9),
      'pkg:npm/pkg-' || ((c * 7919 + e) % 20000) || '@1.' || (c % 40) || '.' || (e % 9), 'library', '["MIT"]'
    FROM generate_series(1, ${ENTITIES}) e
    JOIN devsecops_reports r ON r.id = md5('r' || e)::uuid
    CROSS JOIN generate_series(1, ${PER_ENTITY - 1}) c`);
  await knex.raw(`
    INSERT INTO devsecops_sbom_components (report_id, entity_ref, artifact_digest, name, version, purl, type, licenses)
    SELECT r.id, r.entity_ref, r.artifact_digest, 'log4j-core', '2.' || (e % 25) || '.0',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.' || (e % 25) || '.0', 'library', '["Apache-2.0"]'
    FROM generate_series(1, ${ENTITIES}) e
    JOIN devsecops_reports r ON r.id = md5('r' || e)::uuid
    WHERE e % 10 = 0`);
  await knex.raw(`
    INSERT INTO devsecops_deployments (id, entity_ref, owner_ref, environment, artifact_digest, deployer, result,
      deployed_at, recorded_by, recorded_at, dedup_key)
    SELECT md5('p' || e)::uuid, 'component:default/svc-' || e, 'group:default/team-' || (e % 64), 'production',
      'sha256:' || md5('a' || e) || md5('b' || e), 'bench', 'succeeded', now() - interval '1 hour', 'bench', now(), md5('k' || e)
    FROM generate_series(1, ${ENTITIES}) e`);
  await knex.raw('ANALYZE');
  return (performance.now() - started) / 1000;
}

async function main() {
  if (!process.env.DEVSECOPS_BENCH_PG) throw new Error('Set DEVSECOPS_BENCH_PG=postgresql://…: this benchmark is for PostgreSQL');
  const admin = knexFactory({ client: 'pg', connection: process.env.DEVSECOPS_BENCH_PG });
  const name = `devsecops_osv_bench_${Date.now()}`;
  await admin.raw(`CREATE DATABASE ${name}`);
  const knex = knexFactory({ client: 'pg', connection: `${process.env.DEVSECOPS_BENCH_PG}/${name}`, pool: { min: 1, max: 4 } });
  try {
    await applyMigrations(knex);
    const seedSeconds = await seed(knex);
    let refreshed = 0;
    const service = new OsvMatchService({
      knex,
      logger: getVoidLogger(),
      feeds: new FeedStore(knex),
      findings: new FindingStore(knex),
      queries: new AdvisoryMatchQueries(knex),
      maxBytes: 64 * 1024 * 1024,
      onEvidenceChanged: async refs => {
        refreshed += refs.length;
      },
    });
    const log4shell = advisory('GHSA-jfh8-c2jp-5v3q');
    const zip = Buffer.from(
      zipSync({
        'GHSA-jfh8-c2jp-5v3q.json': new Uint8Array(log4shell),
        'GHSA-mx7p-6679-8g3q.json': new Uint8Array(advisory('GHSA-mx7p-6679-8g3q')),
        'GHSA-h822-r4r5-v8jg.json': new Uint8Array(advisory('GHSA-h822-r4r5-v8jg')),
      }),
    );
    const withdrawn = Buffer.from(JSON.stringify({ ...JSON.parse(log4shell.toString('utf8')), withdrawn: '2026-12-06T00:00:00Z' }));
    const runs: Array<{ what: string; seconds: number; result: Awaited<ReturnType<OsvMatchService['import']>> }> = [];
    for (const [what, body] of [
      ['first import (zip of 3)', zip],
      ['same zip again', zip],
      ['Log4Shell withdrawn', withdrawn],
    ] as const) {
      const started = performance.now();
      const result = await service.import(body, 'bench', 'deployed');
      runs.push({ what, seconds: (performance.now() - started) / 1000, result });
    }
    const [l1, l5, l15] = loadavg();
    console.log(`Node ${process.version}, PostgreSQL, load average ${l1.toFixed(2)} / ${l5.toFixed(2)} / ${l15.toFixed(2)}\n`);
    console.log(`${ENTITIES} entities × ${PER_ENTITY} components seeded in ${seedSeconds.toFixed(1)} s; ${refreshed} entity refreshes requested.\n`);
    console.log('| import | components matched | findings opened | resolved | entities changed | time |');
    console.log('|---|---|---|---|---|---|');
    for (const r of runs) {
      console.log(
        `| ${r.what} | ${r.result.componentsMatched} | ${r.result.findingsOpened} | ${r.result.findingsResolved} | ${r.result.entitiesChanged} | ${(r.seconds * 1000).toFixed(0)} ms |`,
      );
    }
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE ${name}`);
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
