/*
 * VEX matching benchmark (issue 20, VEX across tools): the pure part the scorecard and the gate
 * run for every evaluation of an entity that has VEX statements — index the entity's statements,
 * then find the newest statement for each open finding. Synthetic: one entity with
 * DEVSECOPS_BENCH_FINDINGS open findings (default 10,000: 2,500 CVEs in 4 packages, two tools,
 * half with purls) and DEVSECOPS_BENCH_STATEMENTS statements (default 5,000, a quarter restated
 * later as affected), 20 runs. The database reads around it are one indexed query each.
 *
 *   cd plugins/devsecops-backend
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/vexMatchBenchmark.ts
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { indexVex, StoredVexStatement, VexFindingFacts, vexFor } from '../src/vex/matchVex';

const FINDINGS = Number(process.env.DEVSECOPS_BENCH_FINDINGS ?? 10_000);
const STATEMENTS = Number(process.env.DEVSECOPS_BENCH_STATEMENTS ?? 5_000);
const DIGEST = `sha256:${'a'.repeat(64)}`;
const NOW = new Date('2026-12-06T12:00:00Z');
const packages = ['libc6', 'openssl', 'zlib1g', 'log4j-core'];

const findings: VexFindingFacts[] = Array.from({ length: FINDINGS }, (_, i) => {
  const cve = `CVE-2024-${String(10_000 + (i % 2_500)).padStart(5, '0')}`;
  const name = packages[Math.floor(i / 2_500) % packages.length];
  return {
    ruleId: cve,
    vulnerabilityId: cve,
    artifactDigest: DIGEST,
    package: { name, version: '1.0.0', ...(i % 2 === 0 ? { purl: `pkg:deb/debian/${name}@1.0.0?arch=amd64` } : {}) },
  };
});
const statements: StoredVexStatement[] = Array.from({ length: STATEMENTS }, (_, i) => ({
  id: String(i + 1),
  scopeDigest: i % 3 === 0 ? '' : DIGEST,
  vulnerabilityId: `CVE-2024-${String(10_000 + (i % 2_500)).padStart(5, '0')}`,
  aliases: [`GHSA-${i}`],
  product: { name: packages[i % packages.length], purl: `pkg:deb/debian/${packages[i % packages.length]}@1.0.0`, version: '1.0.0' },
  status: i >= STATEMENTS * 0.75 ? 'affected' : 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  statedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString(),
  recordedAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2027-02-01T00:00:00.000Z',
  reportId: 'bench',
}));

const times: number[] = [];
let suppressed = 0;
for (let run = 0; run < 20; run++) {
  const start = performance.now();
  const index = indexVex(statements);
  suppressed = findings.filter(f => vexFor(f, index, NOW)?.suppresses).length;
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)].toFixed(1);
console.log(`| findings | statements | suppressed | p50 ms | p95 ms | load average |`);
console.log(`|---|---|---|---|---|---|`);
console.log(`| ${FINDINGS} | ${STATEMENTS} | ${suppressed} | ${p(0.5)} | ${p(0.95)} | ${loadavg().map(l => l.toFixed(2)).join(' ')} |`);
