/*
 * Scorecard benchmark (issue: "5,000 entities, 1,000,000 findings, 100,000 deployments"): a
 * synthetic organisation written straight into the plugin's real tables, then the real scorecard
 * and roll-up services on top of it, without HTTP:
 *
 *   - org-wide roll-up latency (target p95 < 100 ms) and one top-level group's roll-up;
 *   - entity scorecard latency under 50 concurrent clients (target p95 < 20 ms);
 *   - time to re-evaluate one entity after an ingest (200-finding Trivy report, then refresh).
 *
 *   npm run bench:scorecard --workspace @devsecops-scorecard/plugin-devsecops-backend
 *   DEVSECOPS_BENCH_PG=postgresql://postgres@127.0.0.1:5432 npm run bench:scorecard --workspace …
 *
 * DEVSECOPS_BENCH_ENTITIES, DEVSECOPS_BENCH_FINDINGS and DEVSECOPS_BENCH_DEPLOYMENTS scale the
 * organisation down for a quick run; DEVSECOPS_BENCH_SQLITE=0 skips SQLite. SQLite is a file in
 * the OS temp directory (deleted afterwards); PostgreSQL gets a fresh database (dropped after).
 *
 * Prints markdown tables for docs/benchmarks.md on stdout, progress on stderr.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { readScorecardConfig } from '../src/config/readScorecardConfig';
import { aggregate } from '../src/evaluate/rollup';
import { evaluateEntity } from '../src/evaluate/scorecard';
import { entityFacts, SIGNATURE_FACT } from '../src/scorecard/EvidenceLoader';
import { benchServices } from './benchServices';
import { applyMigrations } from '../src/store/migrations';
import { EVIDENCE_EXPORTED, EvidenceLogStore } from '../src/store/EvidenceLogStore';
import { unrestrictedWriter } from '../src/identity/ciIdentities';

const ENTITIES = Number(process.env.DEVSECOPS_BENCH_ENTITIES ?? 5_000);
const FINDINGS = Number(process.env.DEVSECOPS_BENCH_FINDINGS ?? 1_000_000);
const DEPLOYMENTS = Number(process.env.DEVSECOPS_BENCH_DEPLOYMENTS ?? 100_000);
const ROLLUP_RUNS = 50;
const CLIENTS = 50;
const REQUESTS_PER_CLIENT = 20;
const REFRESH_RUNS = 10;
const INGEST_FINDINGS = 200;
const DIAGNOSTIC_SAMPLE = 200;

const TARGET_ORG_ROLLUP_P95_MS = 100;
const TARGET_SCORECARD_P95_MS = 20;

const DAY = 86_400_000;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
type Severity = (typeof SEVERITIES)[number];
const SEVERITY_WEIGHTS = [0.03, 0.15, 0.4, 0.3, 0.12];
// Days until an open problem of each severity is fixed, on average.
const MEAN_DAYS_TO_RESOLVE: Record<Severity, number> = { critical: 6, high: 18, medium: 40, low: 60, info: 80 };

// ---------------------------------------------------------------------------------------------
// Deterministic randomness, so every run (and both databases) sees the same organisation.

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = { next: mulberry32(20261128) };
const random = () => rng.next();
const reseed = (seed: number) => {
  rng.next = mulberry32(seed);
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (p: number) => random() < p;
const weighted = <T>(items: readonly T[], weights: number[]): T => {
  let r = random();
  for (let i = 0; i < items.length; i++) {
    r -= weights[i];
    if (r < 0) return items[i];
  }
  return items[items.length - 1];
};
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const exponential = (mean: number) => -Math.log(1 - random()) * mean;
const hex = (seed: string, length = 64) => createHash('sha256').update(seed).digest('hex').slice(0, length);
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// The organisation: 4 divisions → 3 departments each → 4 teams each (64 groups), components
// owned by teams, grouped in systems of about ten.

export interface OrgModel {
  groups: Entity[];
  components: Entity[];
  topGroupRef: string;
}

export function buildOrg(entityCount: number): OrgModel {
  reseed(20261128);
  const groups: Entity[] = [];
  const group = (name: string, type: string, parent?: string, children: string[] = []): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type, ...(parent ? { parent } : {}), children },
  });
  const teams: string[] = [];
  for (let d = 1; d <= 4; d++) {
    const division = `division-${d}`;
    const departments: string[] = [];
    for (let p = 1; p <= 3; p++) {
      const department = `${division}-dept-${p}`;
      departments.push(department);
      const deptTeams: string[] = [];
      for (let t = 1; t <= 4; t++) {
        const team = `${department}-team-${t}`;
        deptTeams.push(team);
        teams.push(team);
        groups.push(group(team, 'team', department));
      }
      groups.push(group(department, 'department', division, deptTeams));
    }
    groups.push(group(division, 'division', undefined, departments));
  }

  const components: Entity[] = [];
  for (let i = 0; i < entityCount; i++) {
    const name = `component-${String(i).padStart(5, '0')}`;
    const type = weighted(['service', 'website', 'library'], [0.6, 0.1, 0.3]);
    components.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: {
        type,
        lifecycle: weighted(['production', 'experimental', 'deprecated'], [0.8, 0.15, 0.05]),
        // Teams own unevenly: a few big teams, many small ones.
        owner: `group:default/${teams[Math.min(teams.length - 1, Math.floor(teams.length * random() ** 1.6))]}`,
        system: `system-${String(Math.floor(i / 10)).padStart(4, '0')}`,
      },
    });
  }
  return { groups, components, topGroupRef: 'group:default/division-1' };
}

/**
 * A minimal CatalogService over an array: constant-time ref lookups, kind filters and cursor
 * paging. (catalogServiceMock's InMemoryCatalogClient rebuilds a ref map of every entity on each
 * getEntityByRef, which would dominate entity latency at 5,000 entities.)
 */
class BenchCatalog {
  readonly calls = { getEntityByRef: 0, getEntities: 0, queryEntities: 0 };
  private readonly byRef: Map<string, Entity>;

  constructor(private readonly entities: Entity[]) {
    this.byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  }

  async getEntityByRef(ref: string | { kind: string; namespace?: string; name: string }) {
    this.calls.getEntityByRef++;
    return this.byRef.get(typeof ref === 'string' ? ref : stringifyEntityRef(ref));
  }

  async getEntities(request?: { filter?: Record<string, unknown> }) {
    this.calls.getEntities++;
    return { items: this.filter(request?.filter) };
  }

  async queryEntities(request: { filter?: Record<string, unknown>; limit?: number; cursor?: string }) {
    this.calls.queryEntities++;
    const state = request.cursor
      ? (JSON.parse(Buffer.from(request.cursor, 'base64').toString('utf8')) as {
          filter?: Record<string, unknown>;
          offset: number;
          limit: number;
        })
      : { filter: request.filter, offset: 0, limit: request.limit ?? 200 };
    const all = this.filter(state.filter);
    const items = all.slice(state.offset, state.offset + state.limit);
    const next = state.offset + state.limit;
    return {
      items,
      totalItems: all.length,
      pageInfo: {
        nextCursor:
          next < all.length
            ? Buffer.from(JSON.stringify({ ...state, offset: next })).toString('base64')
            : undefined,
      },
    };
  }

  private filter(filter?: Record<string, unknown>): Entity[] {
    if (!filter) return this.entities;
    return this.entities.filter(entity =>
      Object.entries(filter).every(([key, expected]) => {
        const wanted = (Array.isArray(expected) ? expected : [expected]).map(v => String(v).toLocaleLowerCase('en-US'));
        const actual = key.split('.').reduce<any>((value, part) => value?.[part], entity);
        return actual !== undefined && wanted.includes(String(actual).toLocaleLowerCase('en-US'));
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Databases

async function openDatabase(kind: 'sqlite' | 'pg'): Promise<{ knex: Knex; close: () => Promise<void>; describe: () => Promise<string> }> {
  if (kind === 'sqlite') {
    const filename = join(tmpdir(), `devsecops-scorecard-bench-${process.pid}-${Date.now()}.sqlite`);
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    const size = () =>
      ['', '-wal', '-journal'].reduce((n, s) => n + (existsSync(filename + s) ? statSync(filename + s).size : 0), 0);
    return {
      knex,
      describe: async () => `SQLite file ${(size() / 1024 / 1024).toFixed(0)} MB`,
      close: async () => {
        await knex.destroy();
        for (const suffix of ['', '-wal', '-shm', '-journal']) {
          if (existsSync(filename + suffix)) unlinkSync(filename + suffix);
        }
      },
    };
  }
  const admin = knexFactory({ client: 'pg', connection: process.env.DEVSECOPS_BENCH_PG });
  const name = `devsecops_scorecard_bench_${Date.now()}`;
  await admin.raw(`create database ${name}`);
  const url = new URL(process.env.DEVSECOPS_BENCH_PG!);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    knex,
    describe: async () => {
      const [{ size }] = (await knex.raw('select pg_size_pretty(pg_database_size(current_database())) as size')).rows;
      return `PostgreSQL database ${size}`;
    },
    close: async () => {
      await knex.destroy();
      await admin.raw(`drop database ${name}`);
      await admin.destroy();
    },
  };
}

/** Collects rows per table and writes them in multi-row inserts within SQLite's limits. */
class BatchWriter {
  private readonly buffers = new Map<string, Record<string, unknown>[]>();
  readonly counts = new Map<string, number>();

  constructor(private readonly tx: Knex.Transaction) {}

  async add(table: string, row: Record<string, unknown>) {
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    buffer.push(row);
    // knex writes SQLite multi-row inserts as `select … union all select …`: at most 500 terms.
    if (buffer.length >= Math.min(500, Math.floor(30_000 / Object.keys(row).length))) {
      await this.flushTable(table);
    }
  }

  async flush() {
    for (const table of this.buffers.keys()) await this.flushTable(table);
  }

  private async flushTable(table: string) {
    const rows = this.buffers.get(table)!;
    if (rows.length === 0) return;
    this.buffers.set(table, []);
    await this.tx(table).insert(rows);
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic evidence

const CONTROL_TOOLS: Record<string, { tool: string; kind: string; format: string }> = {
  'container-scan': { tool: 'Trivy', kind: 'sca', format: 'trivy' },
  'dependency-scan': { tool: 'Grype', kind: 'sca', format: 'grype' },
  sast: { tool: 'Semgrep', kind: 'sast', format: 'semgrep' },
  'iac-lint': { tool: 'Checkov', kind: 'iac', format: 'checkov' },
  'secret-scanning': { tool: 'Gitleaks', kind: 'secret', format: 'gitleaks' },
  sbom: { tool: 'Syft', kind: 'sca', format: 'cyclonedx' },
};
// Share of an entity's findings per control, for deployables and for libraries.
const FINDING_SHARE: Record<'deployable' | 'library', Record<string, number>> = {
  deployable: { 'container-scan': 0.4, 'dependency-scan': 0.3, sast: 0.2, 'iac-lint': 0.07, 'secret-scanning': 0.03 },
  library: { 'dependency-scan': 0.55, sast: 0.33, 'iac-lint': 0.08, 'secret-scanning': 0.04 },
};
const BOOLEAN_FACTS: Record<string, number> = {
  'branch_protection.enabled': 0.9,
  'pre_commit.enabled': 0.6,
  'dependency_review.enabled': 0.7,
  'dependency_alerts.enabled': 0.85,
  'ci.reusable_workflow': 0.65,
};
// The evidence with its own source (factSources): runtime monitors heard from, exercises held, the
// owning team's named attestations, audit-package exports — with the share of entities that have it.
const MONITORS: Record<string, number> = { 'cloud-audit-logs': 0.8, 'workload-telemetry': 0.75, 'vulnerability-monitoring': 0.7 };
const EXERCISES: Record<string, number> = {
  'leaked-secrets': 0.25,
  'compromised-ci-token': 0.2,
  'dependency-compromise': 0.2,
  'cloud-account-abuse': 0.15,
};
const ATTESTATIONS: Record<string, { share: number; validDays: number }> = {
  'control-failure-review': { share: 0.5, validDays: 90 },
  'template-feedback': { share: 0.3, validDays: 180 },
};
const EXPORTED_SHARE = 0.4;

/** Splits `total` over `count` entities with a log-normal skew (a few entities carry a lot). */
function skewedCounts(total: number, count: number, sigma: number): number[] {
  const weights = Array.from({ length: count }, () => Math.exp(sigma * gaussian()));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map(w => Math.floor((total * w) / sum));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % count, rest--) counts[i]++;
  return counts;
}

interface GeneratedOrg {
  rows: Map<string, number>;
  currentDigest: Map<string, string>;
  maxFindings: number;
  heaviestRef: string;
}

export async function generate(knex: Knex, org: OrgModel, now: number): Promise<GeneratedOrg> {
  reseed(20261129);
  const entityCount = org.components.length;
  const findingCounts = skewedCounts(FINDINGS, entityCount, 1);
  const deploymentCounts = Array.from({ length: entityCount }, (_, i) =>
    Math.floor(DEPLOYMENTS / entityCount) + (i < DEPLOYMENTS % entityCount ? 1 : 0),
  );
  const rows = new Map<string, number>();
  const currentDigest = new Map<string, string>();
  const CHUNK = 100;

  for (let start = 0; start < entityCount; start += CHUNK) {
    await knex.transaction(async tx => {
      const writer = new BatchWriter(tx);
      const evidenceLog = new EvidenceLogStore(tx);
      for (let e = start; e < Math.min(entityCount, start + CHUNK); e++) {
        const entity = org.components[e];
        const entityRef = stringifyEntityRef(entity);
        const ownerRef = entityFacts(entity).ownerRef!;
        const deployable = entity.spec!.type !== 'library';
        const digest = `sha256:${hex(`${entityRef} current image`)}`;
        currentDigest.set(entityRef, digest);

        // Reports: the newest per control (5% of controls never reported), 0–20 days old so a
        // few are stale.
        const share = FINDING_SHARE[deployable ? 'deployable' : 'library'];
        const reported = [...Object.keys(share), 'sbom'].filter(() => !chance(0.05));
        if (!reported.some(c => c in share)) reported.push('dependency-scan');
        const reportIds = new Map<string, string>();
        for (const control of reported) {
          const id = randomUUID();
          reportIds.set(control, id);
          const receivedAt = iso(now - random() * 20 * DAY);
          const scoped = control === 'container-scan' || control === 'sbom';
          await writer.add('devsecops_reports', {
            id,
            entity_ref: entityRef,
            owner_ref: ownerRef,
            control,
            controls: JSON.stringify([control]),
            format: CONTROL_TOOLS[control].format,
            tool: CONTROL_TOOLS[control].tool,
            tool_version: '1.0.0',
            source_commit: hex(`${entityRef} ${control} commit`, 40),
            branch: 'main',
            artifact_digest: scoped ? digest : null,
            uploader: 'ci',
            received_at: receivedAt,
            summary: JSON.stringify({ total: 0, bySeverity: {}, suppressed: 0, components: 0 }),
            body_sha256: hex(`${id} body`),
            body_size: 100_000,
            body_gzip: null,
            body_redacted: false,
            dedup_key: hex(`${id} dedup`),
          });
          await writer.add('devsecops_control_evidence', {
            entity_ref: entityRef,
            control,
            report_id: id,
            received_at: receivedAt,
            artifact_digest: scoped ? digest : null,
          });
        }

        // Findings: ~70% resolved, first seen over the last 180 days.
        const controls = reported.filter(c => c in share);
        const weights = controls.map(c => share[c]);
        const weightSum = weights.reduce((a, b) => a + b, 0);
        for (let f = 0; f < findingCounts[e]; f++) {
          const control = weighted(controls, weights.map(w => w / weightSum));
          const { tool, kind } = CONTROL_TOOLS[control];
          const severity = weighted(SEVERITIES, SEVERITY_WEIGHTS);
          const firstSeen = now - random() * 180 * DAY;
          const resolved = chance(0.7);
          const resolvedAt = resolved
            ? Math.min(now - 60_000, firstSeen + exponential(MEAN_DAYS_TO_RESOLVE[severity] * DAY))
            : undefined;
          const pkg = `package-${Math.floor(random() * 3000)}`;
          const version = `${Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`;
          const reportId = reportIds.get(control)!;
          await writer.add('devsecops_findings', {
            entity_ref: entityRef,
            control,
            tool,
            scope_digest: control === 'container-scan' ? digest : '',
            owner_ref: ownerRef,
            fingerprint: hex(`${entityRef} ${f}`, 40),
            kind,
            severity,
            original_severity: severity.toUpperCase(),
            rule_id: kind === 'sca' ? `CVE-2026-${10000 + (f % 90000)}` : `${tool.toLowerCase()}.rule-${f % 400}`,
            vulnerability_id: kind === 'sca' ? `CVE-2026-${10000 + (f % 90000)}` : null,
            title: `Synthetic ${kind} finding ${f} in ${entity.metadata.name}`,
            location: kind === 'sca' ? null : `src/module-${f % 50}/file-${f % 13}.ts:${(f % 400) + 1}`,
            package_purl: kind === 'sca' ? `pkg:npm/${pkg}@${version}` : null,
            package_name: kind === 'sca' ? pkg : null,
            package_version: kind === 'sca' ? version : null,
            fixed_versions: kind === 'sca' && chance(0.7) ? JSON.stringify([`${version}-fix`]) : null,
            fix_available: kind === 'sca' ? chance(0.7) : null,
            status: resolved ? 'resolved' : 'open',
            first_seen_at: iso(firstSeen),
            last_seen_at: iso(resolvedAt !== undefined ? resolvedAt - 3_600_000 : now - random() * 5 * DAY),
            resolved_at: resolvedAt !== undefined ? iso(resolvedAt) : null,
            first_report_id: reportId,
            last_report_id: reportId,
          });
        }

        // Deployments: ~40% production, the rest staging, over the last 180 days; the newest
        // production deployment ships the current image.
        const times = Array.from({ length: deploymentCounts[e] }, () => now - random() * 180 * DAY).sort((a, b) => b - a);
        let productionSeen = false;
        for (let d = 0; d < times.length; d++) {
          const environment = chance(0.4) ? 'production' : 'staging';
          const current = d === 0 || (environment === 'production' && !productionSeen);
          if (environment === 'production') productionSeen = true;
          await writer.add('devsecops_deployments', {
            id: randomUUID(),
            entity_ref: entityRef,
            owner_ref: ownerRef,
            claimed_owner_ref: chance(0.98) ? ownerRef : 'group:default/someone-else',
            environment,
            artifact_digest: current ? digest : `sha256:${hex(`${entityRef} ${d} image`)}`,
            source_commit: hex(`${entityRef} ${d} commit`, 40),
            deployer: 'argo-cd',
            approver: chance(0.9) ? `user:default/approver-${d % 7}` : null,
            change_ref: `CHG-${100000 + d}`,
            result: weighted(['succeeded', 'failed', 'rolled_back'], [0.95, 0.03, 0.02]),
            deployed_at: iso(times[d]),
            recorded_by: 'cd-pipeline',
            recorded_at: iso(times[d] + 1_000),
            dedup_key: hex(`${entityRef} deployment ${d}`),
          });
        }

        // Facts: two observations of each (an older one and a current one), plus signature
        // verifications of the current and a previous image of deployables.
        const fact = async (name: string, value: unknown, observedAt: number) =>
          writer.add('devsecops_control_facts', {
            entity_ref: entityRef,
            fact: name,
            value: JSON.stringify(value),
            source: 'github-collector',
            observed_at: iso(observedAt),
            recorded_by: 'collector',
            recorded_at: iso(observedAt + 1_000),
          });
        for (const [name, p] of Object.entries(BOOLEAN_FACTS)) {
          await fact(name, chance(p * 0.9), now - (60 + random() * 30) * DAY);
          await fact(name, chance(p), now - random() * 25 * DAY);
        }
        await fact('branch_protection.required_reviews', Math.floor(random() * 3), now - (60 + random() * 30) * DAY);
        await fact('branch_protection.required_reviews', weighted([0, 1, 2], [0.1, 0.6, 0.3]), now - random() * 25 * DAY);
        for (const [control, p] of Object.entries(MONITORS)) {
          if (!chance(p)) continue;
          const lastSeen = now - random() * 2 * DAY;
          await writer.add('devsecops_runtime_monitors', {
            entity_ref: entityRef,
            control,
            source: 'bench-monitor',
            first_seen_at: iso(lastSeen - 90 * DAY),
            last_seen_at: iso(lastSeen),
            recorded_by: 'collector',
            recorded_at: iso(lastSeen),
          });
        }
        for (const [scenario, p] of Object.entries(EXERCISES)) {
          if (!chance(p)) continue;
          const heldAt = now - random() * 300 * DAY;
          await writer.add('devsecops_exercises', {
            id: randomUUID(),
            scenario,
            held_on: iso(heldAt).slice(0, 10),
            scope_ref: entityRef,
            participants: JSON.stringify([ownerRef]),
            findings: '[]',
            follow_ups: '[]',
            recorded_by: 'user:default/bench',
            recorded_at: iso(heldAt),
          });
        }
        for (const [kind, { share: p, validDays }] of Object.entries(ATTESTATIONS)) {
          if (!chance(p)) continue;
          const heldAt = now - random() * 60 * DAY;
          await writer.add('devsecops_human_attestations', {
            id: randomUUID(),
            kind,
            scope_ref: entityRef,
            held_on: iso(heldAt).slice(0, 10),
            details: '{}',
            expires_at: iso(heldAt + validDays * DAY),
            recorded_by: 'user:default/bench',
            recorded_at: iso(heldAt),
          });
        }
        if (chance(EXPORTED_SHARE)) {
          const exportedAt = now - random() * 120 * DAY;
          await evidenceLog.append(tx, {
            kind: EVIDENCE_EXPORTED,
            entityRef,
            subjectId: `audit-package@${iso(exportedAt)}`,
            actor: 'user:default/bench',
            at: new Date(exportedAt),
            payload: { from: iso(exportedAt - 90 * DAY), to: iso(exportedAt), scope: `entity ${entityRef}` },
          });
        }
        if (deployable) {
          await fact(SIGNATURE_FACT, { digest: `sha256:${hex(`${entityRef} 3 image`)}`, verified: true }, now - 40 * DAY);
          await fact(SIGNATURE_FACT, { digest, verified: chance(0.85) }, now - random() * 10 * DAY);

          // Two production release-gate decisions, the newest one current.
          for (const age of [30 + random() * 30, random() * 10]) {
            const allow = chance(0.7);
            await writer.add('devsecops_gate_decisions', {
              id: randomUUID(),
              policy: 'production_release',
              environment: 'production',
              entity_ref: entityRef,
              artifact_digest: digest,
              decision: allow ? 'allow' : 'deny',
              requirements: JSON.stringify(
                ['branch_protection', 'artifact_signature', 'sbom', 'secrets_scan', 'container_critical_vulns', 'deployment_owner'].map(
                  (requirement, i) => ({
                    requirement,
                    expected: 'ok',
                    passed: allow || i !== 4,
                    reason: 'synthetic',
                    evidence: [],
                  }),
                ),
              ),
              decided_at: iso(now - age * DAY),
              requested_by: 'cd-pipeline',
              deployment_id: null,
            });
          }
        }
      }
      await writer.flush();
      for (const [table, n] of writer.counts) rows.set(table, (rows.get(table) ?? 0) + n);
    });
    if ((start / CHUNK) % 10 === 9) {
      process.stderr.write(`  generated ${start + CHUNK}/${entityCount} entities, ${rows.get('devsecops_findings') ?? 0} findings\n`);
    }
  }
  const maxFindings = Math.max(...findingCounts);
  const heaviestRef = stringifyEntityRef(org.components[findingCounts.indexOf(maxFindings)]);
  return { rows, currentDigest, maxFindings, heaviestRef };
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
};
const median = (values: number[]) => percentile(values, 0.5);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const ms = (value: number) => {
  if (value >= 100) return value.toFixed(0);
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
};

/** Garbage-collection pause time (ms) since the benchmark started, counted by a perf observer. */
const gc = { pauseMs: 0 };
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) gc.pauseMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** Busy and total jiffies of the whole machine, from /proc/stat (undefined off Linux). */
function machineCpu(): { busy: number; total: number } | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - fields[4], total };
}

function machineBusy(before: ReturnType<typeof machineCpu>): number | undefined {
  const after = machineCpu();
  if (!before || !after || after.total === before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await fn();
  return [performance.now() - t, result];
}

async function repeat(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push((await timed(fn))[0]);
  return out;
}

function trivyReport(digest: string, run: number): string {
  // 200 vulnerabilities; each run swaps 20 of them, so every ingest adds and resolves some.
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/bench:1',
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/bench@${digest}`] },
    Results: [
      {
        Target: 'bench (debian 12)',
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: Array.from({ length: INGEST_FINDINGS }, (_, i) => {
          const id = i < 20 ? 900000 + run * 20 + i : 100000 + i;
          return {
            VulnerabilityID: `CVE-2026-${id}`,
            PkgName: `package-${i % 50}`,
            PkgIdentifier: { PURL: `pkg:deb/debian/package-${i % 50}@1.${i % 7}.0` },
            InstalledVersion: `1.${i % 7}.0`,
            FixedVersion: i % 3 === 0 ? '' : `1.${i % 7}.1`,
            Severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'][i % 5],
            Title: `Synthetic vulnerability ${id}`,
            Description: 'A synthetic vulnerability used to measure re-evaluation.',
          };
        }),
      },
    ],
  });
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}
const stats = (values: number[]): Stats => ({
  n: values.length,
  p50: percentile(values, 0.5),
  p95: percentile(values, 0.95),
  p99: percentile(values, 0.99),
});

interface DbResult {
  label: string;
  generation: { ms: number; rows: Map<string, number>; analyzeMs?: number; maxFindings: number };
  snapshotAll: { ms: number; count: number; dailyMs: number };
  orgRollup: Stats;
  groupRollup: Stats & { entities: number };
  scorecard: Stats & { throughput: number; wallMs: number; eventLoopBusy: number; machineBusy?: number };
  scorecardSequential: Stats;
  ingest: number;
  refresh: number;
  diagnostics: string[];
  size: string;
  load: string;
}

// ---------------------------------------------------------------------------------------------

async function measure(kind: 'sqlite' | 'pg'): Promise<DbResult> {
  const label = kind === 'pg' ? 'PostgreSQL' : 'SQLite';
  const db = await openDatabase(kind);
  const { knex } = db;
  const diagnostics: string[] = [];
  // Other processes on the machine move these numbers; the load average says how busy it was.
  const loadBefore = loadavg()[0].toFixed(1);
  try {
    await applyMigrations(knex);
    const org = buildOrg(ENTITIES);
    const now = Date.now();

    process.stderr.write(`${label}: generating ${ENTITIES} entities, ${FINDINGS} findings, ${DEPLOYMENTS} deployments\n`);
    const [generationMs, generated] = await timed(() => generate(knex, org, now));
    let analyzeMs: number | undefined;
    if (kind === 'pg') {
      // What autovacuum would do shortly after a bulk load; done here so plans are stable.
      [analyzeMs] = await timed(() => knex.raw('analyze'));
    }
    process.stderr.write(`${label}: generated in ${(generationMs / 1000).toFixed(1)} s\n`);

    const catalog = new BenchCatalog([...org.groups, ...org.components]);
    const auth = { getOwnServiceCredentials: async () => ({}) } as unknown as AuthService;
    const catalogService = catalog as unknown as CatalogService;
    const services = await benchServices(knex, catalogService, auth, 64 * 1024 * 1024);
    const { entities, scorecards, rollups } = services;
    const { summaries, reports, findings, facts, deployments, decisions } = services.stores;
    const settings = readScorecardConfig(new ConfigReader({}));
    const controlIds = services.controls.ids();

    // Every entity's summary, the way the daily job builds them.
    process.stderr.write(`${label}: building summaries (snapshotAll)\n`);
    const [snapshotMs, snapshotCount] = await timed(() => rollups.snapshotAll(new Date()));
    // The next day's snapshot: every summary is stored, so it is copied set-based (issue 21).
    const [dailyMs, dailyCount] = await timed(() => rollups.snapshotAll(new Date(Date.now() + DAY)));
    process.stderr.write(`${label}: daily snapshot of ${dailyCount} entities with stored summaries: ${(dailyMs / 1000).toFixed(2)} s\n`);

    // Org-wide and top-level group roll-ups.
    process.stderr.write(`${label}: roll-ups\n`);
    for (let i = 0; i < 3; i++) await rollups.rollup({});
    const orgRollup = stats(await repeat(ROLLUP_RUNS, () => rollups.rollup({})));
    for (let i = 0; i < 3; i++) await rollups.rollup({ group: org.topGroupRef });
    const groupRollup = stats(await repeat(ROLLUP_RUNS, () => rollups.rollup({ group: org.topGroupRef })));
    const groupEntities = (await rollups.rollup({ group: org.topGroupRef })).entityCount;

    // Where a roll-up's time goes.
    {
      const raw = await repeat(ROLLUP_RUNS, () => knex('devsecops_entity_summaries').select('*'));
      const rows = await knex('devsecops_entity_summaries').select('*');
      const parse = await repeat(ROLLUP_RUNS, async () =>
        rows.map((r: any) => [JSON.parse(r.control_states), JSON.parse(r.metrics)]),
      );
      const all = await summaries.all();
      const allRuns = await repeat(ROLLUP_RUNS, () => summaries.all());
      const agg = await repeat(ROLLUP_RUNS, async () => aggregate({ kind: 'org' }, all, controlIds));
      const groupsCall = await repeat(ROLLUP_RUNS, () =>
        catalogService.getEntities({ filter: { kind: 'Group' } }, { credentials: {} as any }),
      );
      const orgResult = await rollups.rollup({});
      const serialize = await repeat(ROLLUP_RUNS, async () => JSON.stringify(orgResult));
      const bytes = Buffer.byteLength(JSON.stringify(orgResult));
      const summaryBytes = rows.reduce((n: number, r: any) => n + r.control_states.length + r.metrics.length, 0);
      diagnostics.push(
        `| ${label} | roll-up: summaries.all() total | ${ms(median(allRuns))} | ${ms(percentile(allRuns, 0.95))} | ${rows.length} rows |`,
        `| ${label} | ↳ select * from devsecops_entity_summaries | ${ms(median(raw))} | ${ms(percentile(raw, 0.95))} | ${(summaryBytes / 1024).toFixed(0)} KiB of JSON text |`,
        `| ${label} | ↳ JSON.parse of control_states + metrics | ${ms(median(parse))} | ${ms(percentile(parse, 0.95))} | |`,
        `| ${label} | roll-up: aggregate() (pure, org) | ${ms(median(agg))} | ${ms(percentile(agg, 0.95))} | |`,
        `| ${label} | roll-up: catalog groups call (stand-in) | ${ms(median(groupsCall))} | ${ms(percentile(groupsCall, 0.95))} | ${org.groups.length} groups |`,
        `| ${label} | (not in the measure) JSON.stringify of the org roll-up, as res.json would | ${ms(median(serialize))} | ${ms(percentile(serialize, 0.95))} | ${(bytes / 1024).toFixed(0)} KiB |`,
      );
    }

    // Entity scorecards: one client (a baseline), then 50 concurrent clients.
    process.stderr.write(`${label}: entity scorecards\n`);
    const refs = org.components.map(e => stringifyEntityRef(e));
    const concurrently = async (call: (entityRef: string) => Promise<unknown>, seed: number) => {
      reseed(seed);
      const latencies: number[] = [];
      const cpu = machineCpu();
      const elu = performance.eventLoopUtilization();
      const gcBefore = gc.pauseMs;
      const [wallMs] = await timed(() =>
        Promise.all(
          Array.from({ length: CLIENTS }, async () => {
            for (let r = 0; r < REQUESTS_PER_CLIENT; r++) {
              const entityRef = pick(refs);
              const t = performance.now();
              await call(entityRef);
              latencies.push(performance.now() - t);
            }
          }),
        ),
      );
      return {
        ...stats(latencies),
        wallMs,
        throughput: (latencies.length / wallMs) * 1000,
        eventLoopBusy: performance.eventLoopUtilization(elu).utilization,
        machineBusy: machineBusy(cpu),
        gcShare: (gc.pauseMs - gcBefore) / wallMs,
      };
    };
    const load = (c: Awaited<ReturnType<typeof concurrently>>) =>
      `${c.throughput.toFixed(0)} req/s; Node main thread busy ${(c.eventLoopBusy * 100).toFixed(0)}% (GC ${(c.gcShare * 100).toFixed(0)}%)${
        c.machineBusy !== undefined ? `, machine CPU ${(c.machineBusy * 100).toFixed(0)}% of ${cpus().length} cores` : ''
      }`;

    reseed(7);
    for (let i = 0; i < 50; i++) await scorecards.scorecard({ entityRef: pick(refs) });
    const baseline = async () => {
      reseed(9);
      const gcBefore = gc.pauseMs;
      const [wall, times] = await timed(() => repeat(DIAGNOSTIC_SAMPLE, () => scorecards.scorecard({ entityRef: pick(refs) })));
      return { ...stats(times), gcShare: (gc.pauseMs - gcBefore) / wall };
    };
    const sequential = await baseline();
    // The same entities again: tells first touches (cold pages) from steady-state cost.
    const again = await baseline();
    diagnostics.push(
      `| ${label} | scorecard, 1 client (the baseline above) | ${ms(sequential.p50)} | ${ms(sequential.p95)} | GC ${(sequential.gcShare * 100).toFixed(0)}% of the time |`,
      `| ${label} | scorecard, 1 client, the same ${DIAGNOSTIC_SAMPLE} entities again | ${ms(again.p50)} | ${ms(again.p95)} | GC ${(again.gcShare * 100).toFixed(0)}% of the time |`,
    );
    const scorecard = await concurrently(entityRef => scorecards.scorecard({ entityRef }), 8);
    diagnostics.push(`| ${label} | scorecard, ${CLIENTS} clients (the measure above) | ${ms(scorecard.p50)} | ${ms(scorecard.p95)} | ${load(scorecard)} |`);

    // Where one scorecard's time goes: the steps ScorecardService.evaluate takes, one at a time,
    // on a sample of entities, then the heaviest entity alone.
    const windowStart = new Date(now - settings.evaluation.metricTargets.windowDays * DAY);
    {
      const steps: Record<string, number[]> = {};
      const rowsLoaded = { open: [] as number[], resolved: [] as number[], facts: [] as number[] };
      const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
        const [t, value] = await timed(fn);
        (steps[name] ??= []).push(t);
        return value;
      };
      reseed(11);
      for (let i = 0; i < DIAGNOSTIC_SAMPLE; i++) {
        const entityRef = pick(refs);
        const resolved = await step('catalog resolve (stand-in)', () => entities.resolve({ entityRef }));
        const facts0 = entityFacts(resolved.entity);
        const evidenceReports = await step('reports.latestPerControl', () => reports.latestPerControl(entityRef));
        const open = await step('findings.openForEntity', () => findings.openForEntity(entityRef));
        const resolvedFindings = await step('findings.resolvedSince', () => findings.resolvedSince(entityRef, windowStart));
        const current = await step('facts.current', () => facts.current(entityRef));
        const deps = await step('deployments.latestPerEnvironment', () => deployments.latestPerEnvironment(entityRef));
        const gates = await step('decisions.latestPerEnvironment', () => decisions.latestPerEnvironment(entityRef));
        await step('facts.observations(signature)', () => facts.observations(entityRef, SIGNATURE_FACT));
        rowsLoaded.open.push(open.length);
        rowsLoaded.resolved.push(resolvedFindings.length);
        rowsLoaded.facts.push(current.length);
        const card = await step('evaluateEntity (pure)', async () =>
          evaluateEntity(
            {
              entity: facts0,
              reports: evidenceReports,
              openFindings: open,
              resolvedFindings,
              facts: current,
              deployments: deps,
              gateDecisions: gates,
              exceptions: [],
              signatures: [],
            },
            settings.evaluation,
            new Date(),
          ),
        );
        await step('summaries.upsert (a write on every read)', () =>
          summaries.upsert({
            entityRef,
            ownerRef: facts0.ownerRef,
            stage: card.maturity.stage,
            controlStates: Object.fromEntries(card.controls.map(c => [c.controlId, c.state])),
            metrics: card.metrics,
            evaluatedAt: card.evaluatedAt,
          }),
        );
      }
      const sum = Object.values(steps).reduce((n, values) => n + mean(values), 0);
      diagnostics.push(
        `| ${label} | scorecard, 1 client: its steps one at a time, summed (mean) | ${ms(sum)} | | open ${mean(rowsLoaded.open).toFixed(0)} / resolved ${mean(rowsLoaded.resolved).toFixed(0)} / current facts ${mean(rowsLoaded.facts).toFixed(0)} rows per entity (mean) |`,
      );
      for (const [name, values] of Object.entries(steps)) {
        diagnostics.push(`| ${label} | ↳ ${name} | ${ms(median(values))} | ${ms(percentile(values, 0.95))} | mean ${ms(mean(values))} |`);
      }
      const heaviest = stats(await repeat(20, () => scorecards.scorecard({ entityRef: generated.heaviestRef })));
      const [openCount, resolvedCount] = await Promise.all([
        findings.openForEntity(generated.heaviestRef),
        findings.resolvedSince(generated.heaviestRef, windowStart),
      ]);
      diagnostics.push(
        `| ${label} | scorecard of the heaviest entity, 1 client | ${ms(heaviest.p50)} | ${ms(heaviest.p95)} | ${generated.maxFindings} findings: ${openCount.length} open, ${resolvedCount.length} resolved in window |`,
      );
    }

    // What-ifs (not the plugin's code path): the same 50 clients against (a) the same evaluation
    // without the summary write, (b) one stored row per read, the floor of a precomputed scorecard.
    {
      const readOnly = async (entityRef: string) => {
        const resolved = await entities.resolve({ entityRef });
        const entity = entityFacts(resolved.entity);
        const [evidenceReports, open, resolvedFindings, current, deps, gates] = await Promise.all([
          reports.latestPerControl(entityRef),
          findings.openForEntity(entityRef),
          findings.resolvedSince(entityRef, windowStart),
          facts.current(entityRef),
          deployments.latestPerEnvironment(entityRef),
          decisions.latestPerEnvironment(entityRef),
          facts.observations(entityRef, SIGNATURE_FACT),
        ]);
        return evaluateEntity(
          {
            entity,
            reports: evidenceReports,
            openFindings: open,
            resolvedFindings,
            facts: current,
            deployments: deps,
            gateDecisions: gates,
            exceptions: [],
            signatures: [],
          },
          settings.evaluation,
          new Date(),
        );
      };
      const a = await concurrently(readOnly, 8);
      diagnostics.push(`| ${label} | what-if (a): same evaluation without the summary upsert, ${CLIENTS} clients | ${ms(a.p50)} | ${ms(a.p95)} | ${load(a)} |`);
      const b = await concurrently(async entityRef => {
        await entities.resolve({ entityRef });
        return summaries.get([entityRef]);
      }, 8);
      diagnostics.push(`| ${label} | what-if (b): catalog resolve + one stored summary row by key, ${CLIENTS} clients | ${ms(b.p50)} | ${ms(b.p95)} | ${load(b)} |`);
    }

    // Re-evaluation after an ingest: a 200-finding Trivy report for one service, then refresh.
    process.stderr.write(`${label}: ingest + refresh\n`);
    const target = org.components.find(e => e.spec!.type === 'service')!;
    const targetRef = stringifyEntityRef(target);
    // Writes do not refresh here (refreshAfterWrites: false): the refresh is timed on its own.
    const ingestService = services.reportIngest;
    const ingestTimes: number[] = [];
    const refreshTimes: number[] = [];
    for (let run = 0; run < REFRESH_RUNS; run++) {
      const body = Buffer.from(trivyReport(generated.currentDigest.get(targetRef)!, run));
      const [ingestMs, result] = await timed(() =>
        ingestService.ingest({ body, lookup: { entityRef: targetRef }, writer: unrestrictedWriter('bench') }),
      );
      if (result.duplicate || result.report.summary.total !== INGEST_FINDINGS) {
        throw new Error(`unexpected ingest result ${JSON.stringify(result.findings)}`);
      }
      const [refreshMs] = await timed(() => scorecards.refresh(targetRef));
      ingestTimes.push(ingestMs);
      refreshTimes.push(refreshMs);
    }

    return {
      label,
      generation: { ms: generationMs, rows: generated.rows, analyzeMs, maxFindings: generated.maxFindings },
      snapshotAll: { ms: snapshotMs, count: snapshotCount, dailyMs },
      orgRollup,
      groupRollup: { ...groupRollup, entities: groupEntities },
      scorecard,
      scorecardSequential: sequential,
      ingest: median(ingestTimes),
      refresh: median(refreshTimes),
      diagnostics,
      size: await db.describe(),
      load: `${loadBefore} → ${loadavg()[0].toFixed(1)}`,
    };
  } finally {
    await db.close();
  }
}

const verdict = (value: number, target: number) => (value < target ? '**met**' : '**missed**');

async function main() {
  const kinds: Array<'sqlite' | 'pg'> = [];
  if (process.env.DEVSECOPS_BENCH_SQLITE !== '0') kinds.push('sqlite');
  if (process.env.DEVSECOPS_BENCH_PG) kinds.push('pg');
  const results: DbResult[] = [];
  for (const kind of kinds) {
    results.push(await measure(kind));
  }

  console.log(
    `Node ${process.version}, ${cpus().length} cores; ${ENTITIES} components owned by 64 groups (4 divisions → 12 departments → 48 teams), ` +
      `${FINDINGS} findings, ${DEPLOYMENTS} deployments.\n`,
  );
  console.log('| database | generation (batched inserts) | rows written | build all summaries (snapshotAll) | next day snapshot (stored summaries, set-based) | size | load average (1 min) before → after |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const rows = [...r.generation.rows].map(([t, n]) => `${t.replace('devsecops_', '')} ${n}`).join(', ');
    console.log(
      `| ${r.label} | ${(r.generation.ms / 1000).toFixed(1)} s${r.generation.analyzeMs !== undefined ? ` (+ analyze ${(r.generation.analyzeMs / 1000).toFixed(1)} s)` : ''} | ${rows}; most findings on one entity: ${r.generation.maxFindings} | ${(r.snapshotAll.ms / 1000).toFixed(1)} s for ${r.snapshotAll.count} entities (${ms(r.snapshotAll.ms / r.snapshotAll.count)} ms each) | ${(r.snapshotAll.dailyMs / 1000).toFixed(2)} s | ${r.size} | ${r.load} |`,
    );
  }

  console.log('\n| database | measure | calls | p50 | p95 | p99 | target | result |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const line = (name: string, s: Stats, target: string, result: string) =>
      console.log(`| ${r.label} | ${name} | ${s.n} | ${ms(s.p50)} ms | ${ms(s.p95)} ms | ${ms(s.p99)} ms | ${target} | ${result} |`);
    line(`org-wide roll-up (${ENTITIES} entities)`, r.orgRollup, `p95 < ${TARGET_ORG_ROLLUP_P95_MS} ms`, verdict(r.orgRollup.p95, TARGET_ORG_ROLLUP_P95_MS));
    line(`group roll-up (division-1, ${r.groupRollup.entities} entities, 3 children)`, r.groupRollup, '—', '');
    line('entity scorecard, 1 client (baseline)', r.scorecardSequential, '—', '');
    line(
      `entity scorecard, ${CLIENTS} concurrent clients × ${REQUESTS_PER_CLIENT} (${r.scorecard.throughput.toFixed(0)} req/s)`,
      r.scorecard,
      `p95 < ${TARGET_SCORECARD_P95_MS} ms`,
      verdict(r.scorecard.p95, TARGET_SCORECARD_P95_MS),
    );
    console.log(`| ${r.label} | ingest of a ${INGEST_FINDINGS}-finding Trivy report (median of ${REFRESH_RUNS}) | ${REFRESH_RUNS} | ${ms(r.ingest)} ms | | | — | |`);
    console.log(`| ${r.label} | re-evaluation after it: refresh(entity) (median of ${REFRESH_RUNS}) | ${REFRESH_RUNS} | ${ms(r.refresh)} ms | | | — | |`);
  }

  console.log(`\nWhere the time goes (each step alone, ${ROLLUP_RUNS} runs for roll-up steps, ${DIAGNOSTIC_SAMPLE} random entities for scorecard steps):\n`);
  console.log('| database | step | p50 ms | p95 ms | notes |');
  console.log('|---|---|---|---|---|');
  for (const r of results) console.log(r.diagnostics.join('\n'));
}

// bench:compare imports buildOrg and generate; only a direct run measures.
if (require.main === module) main().catch(error => {
  // Failed bulk inserts carry their whole SQL text; the start of it is enough.
  console.error(String(error?.stack ?? error).slice(0, 4000));
  process.exit(1);
});
