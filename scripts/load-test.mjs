// Load test: the backend on loopback (SQLite, demo data) under 50 concurrent clients for a bounded
// time, mixing uploads (each a new report, so real writes), scorecard reads and findings reads.
// Prints throughput, latency percentiles, errors and the backend's peak memory; exits 1 on any
// error or non-2xx answer. `LOAD_SECONDS` (default 30), `LOAD_CONNECTIONS` (default 50),
// `--url http://localhost:7007` to load a backend you started yourself (then `--pid <pid>` samples
// that process's memory, and `DEVSECOPS_TOKEN` is the static token its config accepts; the reads
// use a guest token, so that backend needs the guest provider, which production refuses unless
// `auth.providers.guest.dangerouslyAllowOutsideDevelopment` is set, or `LOAD_USER_TOKEN`).
// Uploads all go to storefront-web's container scan, so they take turns on one row; to spread them,
// `LOAD_UPLOAD_ENTITIES=component:default/a,component:default/b,...` uploads to each in turn.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = name => {
  const i = process.argv.indexOf(name);
  return i > 1 ? process.argv[i + 1] : undefined;
};
const externalUrl = flag('--url');
const externalPid = externalUrl ? flag('--pid') : undefined;
const baseUrl = externalUrl ?? 'http://localhost:7007';
const seconds = Number(process.env.LOAD_SECONDS ?? 30);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 50);
const CI_TOKEN = process.env.DEVSECOPS_TOKEN ?? 'local-ci-token-for-the-demo-portal';
const uploadEntities = (process.env.LOAD_UPLOAD_ENTITIES ?? 'component:default/storefront-web').split(',');

const backend = externalUrl
  ? undefined
  : spawn('npx', ['backstage-cli', 'package', 'start', '--config', '../../app-config.yaml', '--config', '../../app-config.demo.yaml'], {
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

/** Resident memory of the backend process tree (or of `--pid` and its children), in MiB (Linux). */
function backendRssMiB() {
  const select = backend
    ? ['-g', String(backend.pid)]
    : externalPid
      ? ['-p', externalPid, '--ppid', externalPid]
      : undefined;
  if (!select) return undefined;
  try {
    const out = execFileSync('ps', ['-o', 'rss=', ...select], { encoding: 'utf8' });
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
        await fetch(`${baseUrl}/api/devsecops/v1/reports?entity=${uploadEntities[0]}&format=trivy`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${CI_TOKEN}`, 'Content-Type': 'application/json' },
          body: report(0),
        })
      ).status < 300,
    120_000,
  );
  let userToken = process.env.LOAD_USER_TOKEN;
  if (!userToken) {
    const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`);
    if (!refresh.ok) {
      throw new Error(
        `guest sign-in refused (${refresh.status}): set LOAD_USER_TOKEN, or allow the guest provider on that backend`,
      );
    }
    userToken = (await refresh.json()).backstageIdentity.token;
  }

  let counter = 0;
  const startRss = backendRssMiB();
  let peakRss = startRss ?? 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, backendRssMiB() ?? 0);
  }, 1000);
  // Each request's onResponse runs just before autocannon's 'response' event for the same
  // response, so `lastKind` names the request whose latency that event carries.
  const kinds = ['upload', 'scorecard read', 'findings read'];
  const latencies = Object.fromEntries(kinds.map(k => [k, []]));
  let lastKind;
  const tag = kind => () => (lastKind = kind);
  const run = autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        onResponse: tag('upload'),
        setupRequest: req => ({
          ...req,
          path: `/api/devsecops/v1/reports?entity=${uploadEntities[++counter % uploadEntities.length]}&artifact=sha256:${String(counter).padStart(64, '0')}`,
          headers: { Authorization: `Bearer ${CI_TOKEN}`, 'Content-Type': 'application/json' },
          body: report(counter),
        }),
      },
      {
        method: 'GET',
        path: '/api/devsecops/v1/scorecards?entity=component:default/payments-api',
        onResponse: tag('scorecard read'),
        headers: { Authorization: `Bearer ${userToken}` },
      },
      {
        method: 'GET',
        path: '/api/devsecops/v1/findings?entity=component:default/storefront-web&limit=50',
        onResponse: tag('findings read'),
        headers: { Authorization: `Bearer ${userToken}` },
      },
    ],
  });
  run.on('response', (_client, _status, _bytes, ms) => latencies[lastKind]?.push(ms));
  const result = await run;
  clearInterval(sampler);

  /** Exact percentiles (nearest rank) of every answered request, non-2xx included. */
  const pct = (values, p) => values[Math.max(0, Math.ceil((p / 100) * values.length) - 1)];
  const summary = values => {
    const v = [...values].sort((a, b) => a - b);
    return v.length
      ? `p50 ${pct(v, 50).toFixed(0)}, p95 ${pct(v, 95).toFixed(0)}, p99 ${pct(v, 99).toFixed(0)}, max ${v.at(-1).toFixed(0)} (${v.length})`
      : 'none';
  };

  const l = result.latency;
  const lines = [
    `load: ${connections} connections for ${seconds} s against ${baseUrl} (uploads : scorecard reads : findings reads = 1 : 1 : 1; uploads to ${uploadEntities.length} entit${uploadEntities.length === 1 ? 'y' : 'ies'})`,
    `requests: ${result.requests.total} (${result.requests.average.toFixed(0)} req/s), uploads stored: ${counter}`,
    `latency ms: p50 ${l.p50}, p90 ${l.p90}, p97.5 ${l.p97_5}, p99 ${l.p99}, max ${l.max}`,
    `latency ms, exact: all ${summary(Object.values(latencies).flat())}`,
    ...kinds.map(k => `  ${k}: ${summary(latencies[k])}`),
    `errors: ${result.errors}, timeouts: ${result.timeouts}, non-2xx: ${result.non2xx}`,
    `backend RSS: ${peakRss ? `${startRss} MiB before the load, peak ${peakRss} MiB` : 'n/a (external backend without --pid)'}`,
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
