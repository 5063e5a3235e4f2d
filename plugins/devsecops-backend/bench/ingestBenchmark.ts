/*
 * Ingest benchmark (issue 3): a synthetic 10,000-finding Trivy report and SARIF log through the
 * real ingest service and stores, against the floor of the same work done by hand: JSON.parse of
 * the same body plus one batched insert of the same number of rows in one transaction.
 *
 *   npm run bench:ingest --workspace @devsecops-scorecard/plugin-devsecops-backend
 *   DEVSECOPS_BENCH_PG=postgresql://postgres@127.0.0.1:5432 npm run bench:ingest --workspace …
 *
 * Prints a markdown table (median of RUNS runs each) for docs/benchmarks.md.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { randomUUID } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import { applyMigrations } from '../src/store/migrations';
import { benchServices } from './benchServices';
import { unrestrictedWriter } from '../src/identity/ciIdentities';

const FINDINGS = Number(process.env.DEVSECOPS_BENCH_FINDINGS ?? 10_000);
const RUNS = Number(process.env.DEVSECOPS_BENCH_RUNS ?? 5);

function trivyReport(n: number, salt: string): string {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/bench:1',
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/bench@sha256:${'b'.repeat(64)}`] },
    Results: [
      {
        Target: 'bench (debian 12)',
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: Array.from({ length: n }, (_, i) => ({
          VulnerabilityID: `CVE-2026-${100000 + i}`,
          PkgName: `package-${i % 2000}`,
          PkgIdentifier: { PURL: `pkg:deb/debian/package-${i % 2000}@1.${i % 7}.0` },
          InstalledVersion: `1.${i % 7}.0`,
          FixedVersion: i % 3 === 0 ? '' : `1.${i % 7}.1`,
          Severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'][i % 5],
          Title: `Synthetic vulnerability ${i} ${salt}`,
          Description: 'A synthetic vulnerability used to measure ingestion.',
        })),
      },
    ],
  });
}

function sarifReport(n: number, salt: string): string {
  const rules = Array.from({ length: 200 }, (_, i) => ({
    id: `bench/rule-${i}`,
    shortDescription: { text: `Rule ${i}` },
    properties: { 'security-severity': String((i % 10) + 0.5), tags: ['security'] },
  }));
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'BenchQL', version: '1.0.0', rules } },
        results: Array.from({ length: n }, (_, i) => ({
          ruleId: `bench/rule-${i % 200}`,
          ruleIndex: i % 200,
          message: { text: `Finding ${i} ${salt}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: `src/module-${i}/file.ts` },
                region: { startLine: (i % 400) + 1 },
              },
            },
          ],
          partialFingerprints: { primaryLocationLineHash: `${i.toString(16)}:1` },
        })),
      },
    ],
  });
}

async function openDatabase(kind: 'sqlite' | 'pg'): Promise<{ knex: Knex; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const knex = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
    return { knex, close: () => knex.destroy() };
  }
  const admin = knexFactory({ client: 'pg', connection: process.env.DEVSECOPS_BENCH_PG });
  const name = `devsecops_bench_${Date.now()}`;
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(kind: 'sqlite' | 'pg', format: 'trivy' | 'sarif') {
  const { knex, close } = await openDatabase(kind);
  try {
    await applyMigrations(knex);
    await knex.schema.createTable('bench_floor', table => {
      // The same columns a finding row has, so the floor writes the same amount of data.
      table.bigIncrements('id');
      for (const c of ['entity_ref', 'control', 'tool', 'scope_digest', 'fingerprint', 'owner_ref', 'kind', 'severity', 'original_severity', 'rule_id', 'vulnerability_id', 'package_name', 'package_version', 'status', 'first_report_id', 'last_report_id']) {
        table.string(c, 255);
      }
      for (const c of ['title', 'location', 'package_purl', 'fixed_versions', 'first_seen_at', 'last_seen_at', 'resolved_at']) {
        table.text(c);
      }
      table.boolean('fix_available');
    });

    // The catalog is never asked: the entity resolver is replaced per run below.
    const services = await benchServices(
      knex,
      {} as CatalogService,
      {} as AuthService,
      512 * 1024 * 1024,
    );
    const entities = services.entities;
    (entities as any).resolve = async () => ({
      entityRef: 'component:default/bench',
      ownerRef: 'group:default/bench-team',
      entity: {} as any,
    });
    const service = services.reportIngest;

    const build = format === 'trivy' ? trivyReport : sarifReport;
    const first: number[] = [];
    const reimport: number[] = [];
    const floor: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A new entity scope per run keeps first imports first imports.
      const scope = `component:default/bench-${run}`;
      (entities as any).resolve = async () => ({ entityRef: scope, ownerRef: 'group:default/bench-team', entity: {} });
      const body = Buffer.from(build(FINDINGS, `run ${run}`));
      let t = performance.now();
      const result = await service.ingest({ body, lookup: { entityRef: scope }, writer: unrestrictedWriter('bench') });
      first.push(performance.now() - t);
      if (result.report.summary.total !== FINDINGS) {
        throw new Error(`expected ${FINDINGS} findings, got ${result.report.summary.total}`);
      }

      const again = Buffer.from(build(FINDINGS, `run ${run} again`));
      t = performance.now();
      await service.ingest({ body: again, lookup: { entityRef: scope }, writer: unrestrictedWriter('bench') });
      reimport.push(performance.now() - t);

      t = performance.now();
      const parsed = JSON.parse(body.toString('utf8'));
      const items: any[] =
        format === 'trivy' ? parsed.Results[0].Vulnerabilities : parsed.runs[0].results;
      const now = new Date().toISOString();
      const reportId = randomUUID();
      const rows = items.map((item, i) => ({
        entity_ref: scope,
        control: 'container-scan',
        tool: 'Trivy',
        scope_digest: '',
        fingerprint: String(i),
        owner_ref: 'group:default/bench-team',
        kind: 'sca',
        severity: 'high',
        original_severity: item.Severity ?? null,
        rule_id: item.VulnerabilityID ?? item.ruleId,
        vulnerability_id: item.VulnerabilityID ?? null,
        package_name: item.PkgName ?? null,
        package_version: item.InstalledVersion ?? null,
        status: 'open',
        first_report_id: reportId,
        last_report_id: reportId,
        title: item.Title ?? item.message?.text,
        location: null,
        package_purl: item.PkgIdentifier?.PURL ?? null,
        fixed_versions: null,
        first_seen_at: now,
        last_seen_at: now,
        resolved_at: null,
        fix_available: null,
      }));
      await knex.transaction(async tx => {
        for (let i = 0; i < rows.length; i += 500) {
          await tx('bench_floor').insert(rows.slice(i, i + 500));
        }
      });
      floor.push(performance.now() - t);
      await knex('bench_floor').delete();
    }
    return {
      kind,
      format,
      first: median(first),
      reimport: median(reimport),
      floor: median(floor),
    };
  } finally {
    await close();
  }
}

async function main() {
  const kinds: Array<'sqlite' | 'pg'> = ['sqlite'];
  if (process.env.DEVSECOPS_BENCH_PG) kinds.push('pg');
  const rows: string[] = [];
  for (const kind of kinds) {
    for (const format of ['trivy', 'sarif'] as const) {
      const r = await measure(kind, format);
      rows.push(
        `| ${kind === 'pg' ? 'PostgreSQL' : 'SQLite'} | ${format} | ${FINDINGS} | ${r.floor.toFixed(0)} ms | ${r.first.toFixed(0)} ms | ${(r.first / r.floor).toFixed(2)}× | ${r.reimport.toFixed(0)} ms | ${(r.reimport / r.floor).toFixed(2)}× |`,
      );
      console.error(rows[rows.length - 1]);
    }
  }
  console.log(`Node ${process.version}, median of ${RUNS} runs\n`);
  console.log('| database | format | findings | floor (parse + batched insert) | first import | ratio | re-import | ratio |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
