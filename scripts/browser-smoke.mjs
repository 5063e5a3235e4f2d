// Browser smoke test: starts the backend serving the built frontend on :7007 (SQLite, demo data),
// opens it in headless Debian Chromium through playwright-core, signs in as guest, checks that the
// catalog lists the demo components and that the DevSecOps page renders from the sidebar.
// Screenshots go to .ci/artifacts/ (git-ignored).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, '.ci', 'artifacts');
// `--url http://localhost:3000` checks an already running portal (e.g. `npm start`) instead.
const urlFlag = process.argv.indexOf('--url');
const externalUrl = urlFlag > 0 ? process.argv[urlFlag + 1] : undefined;
const baseUrl = externalUrl ?? 'http://localhost:7007';
const backendUrl = 'http://localhost:7007';
mkdirSync(artifacts, { recursive: true });

const backend = externalUrl ? undefined : spawn(
  'npx',
  [
    'backstage-cli',
    'package',
    'start',
    '--config',
    '../../app-config.yaml',
    '--config',
    '../../.ci/app-config.smoke.yaml',
  ],
  {
    cwd: join(root, 'packages', 'backend'),
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  },
);
let backendLog = '';
backend?.stdout.on('data', d => (backendLog += d));
backend?.stderr.on('data', d => (backendLog += d));

function stopBackend() {
  if (!backend) return;
  try {
    process.kill(-backend.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function waitFor(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`Timed out waiting for ${what}: ${lastError ?? 'no answer'}`);
}

let browser;
let page;
try {
  const started = Date.now();
  await waitFor(
    'the backend health endpoint',
    async () => (await fetch(`${backendUrl}/api/devsecops/health`)).ok,
    240_000,
  );
  console.log(`backend healthy after ${Math.round((Date.now() - started) / 1000)}s`);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleErrors = [];
  page.on('pageerror', error => consoleErrors.push(String(error)));

  // Chunks load lazily: wait for the guest button rather than checking once; a reload before
  // sign-in has finished shows the sign-in page again, so sign in whenever it is offered.
  const signInIfAsked = async () => {
    const enter = page.getByRole('button', { name: /enter/i });
    const catalog = page.getByRole('link', { name: /catalog/i }).first();
    await enter.or(catalog).first().waitFor({ timeout: 60_000 });
    if (await enter.isVisible()) {
      await enter.click();
      await catalog.waitFor({ timeout: 30_000 });
    }
  };
  await page.goto(baseUrl);
  await signInIfAsked();
  console.log('signed in as guest');

  // The catalog fills from the demo files a few seconds after start: reload until it shows them.
  await waitFor(
    'the demo components in the catalog',
    async () => {
      await page.goto(`${baseUrl}/`);
      await signInIfAsked();
      await page.getByText('payments-api').first().waitFor({ timeout: 15_000 });
      return true;
    },
    120_000,
  );
  await page.screenshot({ path: join(artifacts, 'catalog.png'), fullPage: true });
  console.log('catalog lists the demo components');

  await page.getByRole('link', { name: /devsecops/i }).first().click();
  await page.getByText('Pipeline control stack').first().waitFor({ timeout: 60_000 });
  await page.getByText('Secret scanning').first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'devsecops.png'), fullPage: true });
  console.log(`devsecops page renders at ${page.url()}`);

  // A service's Security tab, filled by the demo evidence the backend uploads at start.
  await page.goto(`${baseUrl}/catalog/default/component/payments-api/security`);
  await page.getByText('Pipeline controls').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('maturity-stage').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'security-tab.png'), fullPage: true });
  console.log(`security tab renders: ${await page.getByTestId('maturity-stage').innerText()}`);

  if (consoleErrors.length > 0) {
    throw new Error(`Uncaught errors in the page:\n${consoleErrors.join('\n')}`);
  }
  console.log(`screenshots in ${artifacts}`);
} catch (error) {
  console.error(String(error));
  await page
    ?.screenshot({ path: join(artifacts, 'failure.png'), fullPage: true })
    .then(() => console.error(`failure screenshot: ${join(artifacts, 'failure.png')}`))
    .catch(() => undefined);
  console.error('--- backend output (last 4000 chars) ---');
  console.error(backendLog.slice(-4000));
  process.exitCode = 1;
} finally {
  await browser?.close();
  stopBackend();
}
