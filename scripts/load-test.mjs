// Load test: the backend on loopback (SQLite, demo data) under 50 concurrent clients for a bounded
// time, mixing uploads (each a new report, so real writes), scorecard reads and findings reads.
// Prints throughput, latency percentiles, errors and the backend's peak memory; exits 1 on any
// error or non-2xx answer. `LOAD_SECONDS` (default 30), `LOAD_CONNECTIONS` (default 50),
// `--url http://localhost:7007` to load a backend you started yourself.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const urlFlag = process.argv.indexOf('--url');
const externalUrl = urlFlag > 0 ? process.argv[urlFlag + 1] : undefined;
const baseUrl = externalUrl ?? 'http://localhost:7007';
const seconds = Number(process.env.LOAD_SECONDS ?? 30);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 50);
const CI_TOKEN = process.env.DEVSECOPS_TOKEN ?? 'local-ci-token-for-the-demo-portal';

const backend = externalUrl
  ? undefined
  : spawn('npx', ['backstage-cli', 'package', 'start', '--config', '../../app-config.yaml'], {
      cwd: join(root, 'packages', 'backend'),
      // Request logging at info level would measure the console, not the plugin.
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
let backendErrors = '';
backend?.stderr.on('data', d => (backendErrors = (backendErrors + d).slice(-4000)));

const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(what, probe, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    await sleep(1000);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Resident memory of the backend process tree, in MiB (Linux). */
function backendRssMiB() {
  if (!backend) return undefined;
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-g', String(backend.pid)], { encoding: 'utf8' });
    return Math.round(out.split('\n').filter(Boolean).reduce((a, b) => a + Number(b), 0) / 1024);
  } catch {
    return undefined;
  }
}

const report = n =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/load:${n}`,
    ArtifactType: 'container_image',
    Results: [
      {
        Target: 'load',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: Array.from({ length: 20 }, (_, i) => ({
          VulnerabilityID: `CVE-2026-${20000 + i}`,
          PkgName: `pkg${i}`,
          InstalledVersion: '1.0.0',
          Severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'][i % 4],
        })),
      },
    ],
  });

let exitCode = 0;
try {
  await until('the backend', async () => (await fetch(`${baseUrl}/api/devsecops/health`)).ok, 240_000);
  // The catalog reads the demo files shortly after start; uploads need the entity to exist.
  await until(
    'the demo catalog',
    async () =>
      (
        await fetch(`${baseUrl}/api/devsecops/v1/reports?entity=component:default/storefront-web&format=trivy`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${CI_TOKEN}`, 'Content-Type': 'application/json' },
          body: report(0),
        })
      ).status < 300,
    120_000,
  );
  const userToken = (await (await fetch(`${baseUrl}/api/auth/guest/refresh`)).json()).backstageIdentity.token;

  let counter = 0;
  let peakRss = backendRssMiB() ?? 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, backendRssMiB() ?? 0);
  }, 1000);
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: req => ({
          ...req,
          path: `/api/devsecops/v1/reports?entity=component:default/storefront-web&artifact=sha256:${String(++counter).padStart(64, '0')}`,
          headers: { Authorization: `Bearer ${CI_TOKEN}`, 'Content-Type': 'application/json' },
          body: report(counter),
        }),
      },
      {
        method: 'GET',
        path: '/api/devsecops/v1/scorecards?entity=component:default/payments-api',
        headers: { Authorization: `Bearer ${userToken}` },
      },
      {
        method: 'GET',
        path: '/api/devsecops/v1/findings?entity=component:default/storefront-web&limit=50',
        headers: { Authorization: `Bearer ${userToken}` },
      },
    ],
  });
  clearInterval(sampler);

  const l = result.latency;
  const lines = [
    `load: ${connections} connections for ${seconds} s against ${baseUrl} (uploads : scorecard reads : findings reads = 1 : 1 : 1)`,
    `requests: ${result.requests.total} (${result.requests.average.toFixed(0)} req/s), uploads stored: ${counter}`,
    `latency ms: p50 ${l.p50}, p90 ${l.p90}, p97.5 ${l.p97_5}, p99 ${l.p99}, max ${l.max}`,
    `errors: ${result.errors}, timeouts: ${result.timeouts}, non-2xx: ${result.non2xx}`,
    `backend peak RSS: ${peakRss ? `${peakRss} MiB` : 'n/a (external backend)'}`,
  ];
  console.log(lines.join('\n'));
  if (result.errors || result.timeouts || result.non2xx) {
    console.error('load test failed: errors or non-2xx answers under load');
    exitCode = 1;
  }
} catch (error) {
  console.error(String(error));
  console.error(backendErrors);
  exitCode = 1;
} finally {
  if (backend) {
    try {
      process.kill(-backend.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}
process.exit(exitCode);
