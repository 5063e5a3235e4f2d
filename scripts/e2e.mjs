// End-to-end test of the demo portal in headless Debian Chromium (playwright-core, never a
// downloaded browser). Starts the backend serving the built frontend on :7007 (SQLite, demo
// data), signs in as demo personas, visits every page, requests an exception as a payments
// developer and approves it as the risk owner in a second browser context, exports an audit
// package, and runs axe on each page (fails on any serious or critical violation).
// A screenshot per step goes to .ci/artifacts/ (git-ignored), as does the downloaded package.
//
//   npm run build --workspace app && npm run test:browser
//   node scripts/e2e.mjs --url http://localhost:3000    # against a portal started with `npm start`
import AxeBuilder from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, '.ci', 'artifacts');
const urlFlag = process.argv.indexOf('--url');
const externalUrl = urlFlag > 0 ? process.argv[urlFlag + 1] : undefined;
const baseUrl = externalUrl ?? 'http://localhost:7007';
const backendUrl = 'http://localhost:7007';
// E2E_JOURNEYS=<regex>: run only the journeys whose file name matches (after sign-in, catalog and
// the demo data), skipping the fixed steps in between: for working on one journey, never for CI.
const ONLY = process.env.E2E_JOURNEYS ? new RegExp(process.env.E2E_JOURNEYS) : undefined;
const ENTITY = 'component:default/payments-api';
const SECURITY_TAB = '/catalog/default/component/payments-api/security';
// The personas of app-config.demo.yaml's auth.providers.demo.users this test signs in as.
const DEVELOPER = { ref: 'user:default/paula-payne', name: 'Paula Payne' };
const RISK_OWNER = { ref: 'user:default/risk-owner-rita', name: 'Rita Risk' };
const PLATFORM = { ref: 'user:default/platform-pat', name: 'Pat Platform' };

mkdirSync(artifacts, { recursive: true });
for (const file of readdirSync(artifacts)) {
  if (/^\d\d-.*\.png$|^failure\.png$|^audit-.*\.zip$/.test(file))
    rmSync(join(artifacts, file));
}

// ------------------------------------------------------------------------------------ backend
if (!externalUrl) {
  // Another portal on :7007 would be tested instead of ours: give one that is stopping a moment.
  const answers = () =>
    fetch(`${backendUrl}/api/devsecops/health`).then(
      () => true,
      () => false,
    );
  const deadline = Date.now() + 30_000;
  while ((await answers()) && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 2_000));
  }
  if (await answers()) {
    console.error(
      'E2E FAILED: something already answers on :7007 (a portal started with `npm start`?). Stop it, ' +
        'or test it with `node scripts/e2e.mjs --url http://localhost:3000`.',
    );
    process.exit(1);
  }
}
// The backend runs the way `backstage-cli package start` runs it (its TypeScript loader), but
// without its file watcher: a source edit during a run would restart it and lose the in-memory
// database (the catalog, the demo data) half-way through the journeys.
const backend = externalUrl
  ? undefined
  : spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        createRequire(import.meta.url).resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index',
        '--config',
        '../../app-config.yaml',
        '--config',
        '../../app-config.demo.yaml',
        '--config',
        '../../.ci/app-config.smoke.yaml',
      ],
      {
        cwd: join(root, 'packages', 'backend'),
        env: {
          ...process.env,
          NODE_ENV: 'development',
          ESBK_TSCONFIG_PATH: join(root, 'tsconfig.json'),
        },
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

/** A session for a demo persona, the same way the sign-in page gets one. */
async function personaToken(persona) {
  const response = await fetch(`${backendUrl}/api/auth/demo/refresh`, {
    headers: {
      'x-devsecops-demo-user': persona.ref,
      'X-Requested-With': 'XMLHttpRequest',
    },
  });
  if (!response.ok)
    throw new Error(
      `demo sign-in of ${persona.ref}: ${
        response.status
      } ${await response.text()}`,
    );
  return (await response.json()).backstageIdentity.token;
}

// ------------------------------------------------------------------------------------- steps
const started = Date.now();
const timings = [];
let stepNumber = 0;
let currentPage;
const axeFindings = [];

async function step(name, fn) {
  const t0 = Date.now();
  stepNumber++;
  try {
    await fn();
  } catch (error) {
    throw new Error(
      `step ${stepNumber} "${name}" failed: ${error.message ?? error}`,
      { cause: error },
    );
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  timings.push([name, seconds]);
  console.log(`ok ${String(stepNumber).padStart(2)} ${name} (${seconds}s)`);
}

async function shot(page, name) {
  await page.screenshot({
    path: join(artifacts, `${String(stepNumber).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

// Violations excluded from the accessibility check: each narrowly (one rule, matched elements),
// and each for a reason in Backstage's own components rather than in this repository's code.
const AXE_EXCLUDED = [
  {
    rule: 'nested-interactive',
    // Backstage's core Table (material-table, used by the catalog list) puts a react-beautiful-dnd
    // drag handle (role=button, tabindex=0) for reordering columns inside each column's sort
    // label (role=button). MUI v4 class names: our plugin's MUI v5 tables carry a v5- prefix.
    target: /^th(:nth-child\(\d+\))? > \.MuiTableSortLabel-root/,
  },
  {
    rule: 'label-content-name-mismatch',
    // Backstage's core SidebarItem labels the notifications link aria-label="Notifications",
    // and the notifications plugin renders the unread count inside it ("Notifications 5"), so
    // the visible text is longer than the name whenever the signed-in persona has unread ones.
    html: /^<a aria-label="Notifications" [^>]*href="\/notifications"/,
  },
];

/** Runs axe on the page as it is now; serious and critical violations fail the run at the end. */
async function axe(page, where) {
  const result = await new AxeBuilder({ page }).analyze();
  let excluded = 0;
  const blocking = [];
  for (const violation of result.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical')
      continue;
    const nodes = violation.nodes.filter(
      n =>
        !AXE_EXCLUDED.some(
          x =>
            x.rule === violation.id &&
            (!x.target || x.target.test(n.target.join(' '))) &&
            (!x.html || x.html.test(n.html)),
        ),
    );
    excluded += violation.nodes.length - nodes.length;
    if (nodes.length > 0) blocking.push({ ...violation, nodes });
  }
  for (const v of blocking) {
    axeFindings.push({ where, ...v });
    console.log(
      `   axe ${where}: ${v.impact} ${v.id} on ${v.nodes.length} element(s): ${v.help} (${v.helpUrl})`,
    );
    for (const n of v.nodes.slice(0, 4)) {
      console.log(
        `      ${n.target.join(' ')}\n        ${n.html.slice(0, 240)}`,
      );
      const summary = (n.failureSummary ?? '')
        .split('\n')
        .slice(1)
        .join(' ')
        .trim();
      if (summary) console.log(`        ${summary.slice(0, 300)}`);
    }
  }
  const minor = result.violations.filter(
    v => v.impact !== 'serious' && v.impact !== 'critical',
  );
  console.log(
    `   axe ${where}: ${result.passes.length} rules pass, ${blocking.length} serious/critical` +
      `${excluded ? ` (+${excluded} excluded core element(s))` : ''}, ${
        minor.length
      } minor/moderate` +
      `${minor.length ? ` (${minor.map(v => v.id).join(', ')})` : ''}`,
  );
}

async function signIn(page, persona) {
  await page.goto(`${baseUrl}/`);
  const choose = page.getByRole('button', {
    name: `Sign in as ${persona.name}`,
  });
  await choose.waitFor({ timeout: 60_000 });
  await choose.click();
  await page
    .getByRole('link', { name: 'Catalog' })
    .first()
    .waitFor({ timeout: 30_000 });
  const stored = await page.evaluate(() =>
    window.localStorage.getItem('devsecops-demo:user'),
  );
  if (stored !== persona.ref)
    throw new Error(`signed in as ${stored}, expected ${persona.ref}`);
}

/** A reload must keep the session: no sign-in page, the same persona. */
async function reloadSignedIn(page, persona) {
  await page.reload();
  const picker = page.getByRole('button', { name: /^Sign in as / }).first();
  const signedIn = page.getByRole('link', { name: 'Catalog' }).first();
  await picker.or(signedIn).first().waitFor({ timeout: 60_000 });
  if (await picker.isVisible())
    throw new Error(
      'the reload showed the sign-in page again: the session was lost',
    );
  const stored = await page.evaluate(() =>
    window.localStorage.getItem('devsecops-demo:user'),
  );
  if (stored !== persona.ref)
    throw new Error(
      `after the reload signed in as ${stored}, expected ${persona.ref}`,
    );
}

function expectText(actual, pattern, what) {
  if (!pattern.test(actual))
    throw new Error(
      `${what}: expected ${pattern}, got ${JSON.stringify(actual)}`,
    );
}

// Marks this run's exception among the demo data's (which has requests by the same people).
const RUN_MARK = `e2e run ${new Date().toISOString()}`;

let browser;
try {
  let token;
  const api = async path => {
    const response = await fetch(`${backendUrl}/api/devsecops${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  await step('backend up; the demo personas can sign in', async () => {
    await waitFor(
      'the backend health endpoint',
      async () => (await fetch(`${backendUrl}/api/devsecops/health`)).ok,
      240_000,
    );
    // The catalog reads the demo organisation a few seconds after start: the personas can sign
    // in once it knows them.
    await waitFor(
      'the demo personas in the catalog',
      async () => {
        token = await personaToken(DEVELOPER);
        await personaToken(RISK_OWNER);
        return true;
      },
      120_000,
    );
    console.log(
      `   backend up after ${Math.round((Date.now() - started) / 1000)}s`,
    );
  });

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
  const pageErrors = [];
  const newPersonaPage = async (viewport = { width: 1280, height: 800 }) => {
    const context = await browser.newContext({
      viewport,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.on('pageerror', error => pageErrors.push(`${page.url()}: ${error}`));
    currentPage = page;
    return page;
  };

  // ------------------------------------------------------------------ user A: the developer
  const dev = await newPersonaPage();

  await step('sign-in page lists the demo personas', async () => {
    await dev.goto(`${baseUrl}/`);
    for (const persona of [DEVELOPER, RISK_OWNER, PLATFORM]) {
      await dev
        .getByRole('button', { name: `Sign in as ${persona.name}` })
        .waitFor({ timeout: 60_000 });
    }
    await shot(dev, 'sign-in');
    await axe(dev, 'sign-in page');
  });

  await step(
    `sign in as ${DEVELOPER.name} (team-payments developer); a reload keeps the session`,
    async () => {
      await signIn(dev, DEVELOPER);
      await reloadSignedIn(dev, DEVELOPER);
      await reloadSignedIn(dev, DEVELOPER);
      await shot(dev, 'signed-in-after-reload');
    },
  );

  await step('catalog lists the demo components', async () => {
    // The catalog may still be reading the demo entities: reload until it lists them.
    await waitFor(
      'payments-api in the catalog list',
      async () => {
        await dev.goto(`${baseUrl}/`);
        await dev
          .getByRole('link', { name: 'payments-api' })
          .first()
          .waitFor({ timeout: 10_000 });
        return true;
      },
      60_000,
    );
    await shot(dev, 'catalog');
    await axe(dev, 'catalog');
  });

  // The demo module keeps uploading for a while after start (a generated history, today's
  // evidence, the personas' exception requests); the pages above do not need it, these do.
  await step('demo data loaded', async () => {
    await waitFor(
      `demo evidence for ${ENTITY}`,
      async () => {
        const scorecard = await api(
          `/v1/scorecards?entity=${encodeURIComponent(ENTITY)}`,
        );
        return (
          scorecard.controls.some(c => c.state === 'failing') &&
          scorecard.latestGateDecisions.some(
            d => d.environment === 'production',
          )
        );
      },
      120_000,
    );
    // Finished when the evidence log has stopped growing for a few seconds.
    let head;
    let stableSince = Date.now();
    await waitFor(
      'the demo data to finish loading (evidence log quiet)',
      async () => {
        const { headSeq } = await api('/v1/evidence/verify');
        if (headSeq !== head) {
          head = headSeq;
          stableSince = Date.now();
        }
        return Date.now() - stableSince >= 4_000;
      },
      180_000,
    );
    console.log(
      `   evidence log head #${head}, ${Math.round(
        (Date.now() - started) / 1000,
      )}s after start`,
    );
  });

  // With E2E_JOURNEYS the fixed steps below are skipped (see ONLY at the top).
  if (!ONLY) {
  await step('DevSecOps org overview page', async () => {
    await dev.getByRole('link', { name: 'DevSecOps' }).first().click();
    await dev
      .getByText('Pipeline control stack')
      .first()
      .waitFor({ timeout: 30_000 });
    await dev.getByText('Secret scanning').first().waitFor({ timeout: 30_000 });
    if (!dev.url().endsWith('/devsecops'))
      throw new Error(`the sidebar link went to ${dev.url()}`);
    await shot(dev, 'devsecops-overview');
    await axe(dev, 'DevSecOps overview');
  });

  await step('exception queue page', async () => {
    await dev.goto(`${baseUrl}/devsecops/exceptions`);
    await dev
      .getByRole('tab', { name: 'Awaiting my decision' })
      .waitFor({ timeout: 30_000 });
    await dev.getByRole('tab', { name: 'All' }).waitFor();
    await shot(dev, 'exception-queue');
    await axe(dev, 'exception queue');
  });

  await step(`${ENTITY} overview tab shows the Security card`, async () => {
    await dev.goto(`${baseUrl}/catalog/default/component/payments-api`);
    const card = dev
      .locator('article, .MuiCard-root')
      .filter({ has: dev.getByText(/^Stage \d/) })
      .first();
    await card.waitFor({ timeout: 30_000 });
    expectText(await card.innerText(), /failing controls/, 'security card');
    await shot(dev, 'component-overview');
    await axe(dev, 'component overview tab');
  });

  await step(`${ENTITY} Security tab`, async () => {
    await dev.goto(`${baseUrl}${SECURITY_TAB}`);
    await dev
      .getByText('Pipeline controls')
      .first()
      .waitFor({ timeout: 30_000 });
    // The stage sits in the summary strip; the maturity criteria are folded below it.
    await dev.getByTestId('summary-stage').waitFor({ timeout: 30_000 });
    await dev
      .getByRole('button', { name: 'Request exception' })
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(dev, 'security-tab');
    await axe(dev, 'component Security tab');
  });

  await step('team-payments group Security tab', async () => {
    await dev.goto(`${baseUrl}/catalog/default/group/team-payments/security`);
    await dev
      .getByText(/^Maturity across \d+ services/)
      .waitFor({ timeout: 30_000 });
    await dev
      .getByText(/payments-api/)
      .first()
      .waitFor({ timeout: 30_000 });
    await shot(dev, 'group-security-tab');
    await axe(dev, 'group Security tab');
  });

  await step('payments system Security tab', async () => {
    await dev.goto(`${baseUrl}/catalog/default/system/payments/security`);
    await dev
      .getByText(/^Maturity across \d+ services/)
      .waitFor({ timeout: 30_000 });
    await dev
      .getByRole('table', { name: 'control adoption by team' })
      .getByText('team-payments')
      .waitFor({ timeout: 30_000 });
    await shot(dev, 'system-security-tab');
    await axe(dev, 'system Security tab');
  });

  // ---------------------------------------------------------- the exception, requested by A
  let controlId;
  let exceptionRow;
  await step(
    `${DEVELOPER.name} requests an exception for a failing control, naming ${RISK_OWNER.name}`,
    async () => {
      await dev.goto(`${baseUrl}${SECURITY_TAB}`);
      await dev
        .getByRole('button', { name: 'Request exception' })
        .first()
        .waitFor({ timeout: 30_000 });
      // Prefer the dependency scan (one critical CVE in the demo data); any failing control will do.
      const failing = dev.locator('[data-testid^="control-"]').filter({
        has: dev.getByRole('button', { name: 'Request exception' }),
      });
      const ids = await failing.evaluateAll(els =>
        els.map(e => e.dataset.testid.replace(/^control-/, '')),
      );
      controlId = ids.includes('dependency-scan') ? 'dependency-scan' : ids[0];
      const control = dev.getByTestId(`control-${controlId}`);
      expectText(
        await control.innerText(),
        /Failing/,
        `control ${controlId} before the request`,
      );
      await control.getByRole('button', { name: 'Request exception' }).click();

      const dialog = dev.getByRole('dialog');
      await dialog.waitFor();
      await dialog
        .getByLabel('Risk statement')
        .fill(
          `Not reachable from the internet; the fix ships with the next base image (${RUN_MARK}).`,
        );
      await dialog
        .getByLabel('Compensating controls')
        .fill('WAF rule blocks the vulnerable endpoint');
      // The risk owner is chosen among the eligible owners the backend lists (configured per
      // rating in app-config.yaml: security-compliance for medium, with its members).
      const riskOwner = dialog.getByRole('combobox', { name: 'Risk owner (user or group)' });
      await riskOwner.fill(RISK_OWNER.name);
      await dev
        .getByRole('option', { name: `${RISK_OWNER.name} (${RISK_OWNER.ref})` })
        .click();
      if ((await riskOwner.inputValue()) !== `${RISK_OWNER.name} (${RISK_OWNER.ref})`) {
        throw new Error(`the risk owner field shows ${JSON.stringify(await riskOwner.inputValue())}`);
      }
      await shot(dev, 'request-exception-dialog');
      await axe(dev, 'request exception dialog');
      await dialog
        .getByRole('button', { name: 'Request', exact: true })
        .click();
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });

      exceptionRow = dev
        .locator('[data-testid^="exception-"]')
        .filter({ hasText: RUN_MARK });
      await exceptionRow.first().waitFor({ timeout: 15_000 });
      const row = await exceptionRow.first().innerText();
      for (const expected of [controlId, 'requested']) {
        if (!row.includes(expected))
          throw new Error(
            `the new exception row lacks ${expected}: ${JSON.stringify(row)}`,
          );
      }
      // People show by name, with the full reference as the cell's title.
      for (const ref of [RISK_OWNER.ref, DEVELOPER.ref]) {
        const shown =
          row.includes(ref) ||
          (await exceptionRow.first().locator(`[title="${ref}"]`).count()) > 0;
        if (!shown)
          throw new Error(
            `the new exception row does not show ${ref}: ${JSON.stringify(
              row,
            )}`,
          );
      }
    },
  );

  await step(
    `${DEVELOPER.name} cannot approve her own request (button disabled, with the reason)`,
    async () => {
      const row = exceptionRow.first();
      const approve = row.getByRole('button', { name: 'Approve' });
      // The buttons say why they are disabled once the page knows who is signed in.
      const wrapper = row.locator('span', {
        has: dev.getByRole('button', { name: 'Approve' }),
      });
      const because = /You requested this exception; someone else must decide/;
      await waitFor(
        'the reason on the disabled Approve button',
        async () =>
          because.test((await wrapper.getAttribute('aria-label')) ?? ''),
        15_000,
      );
      if (!(await approve.isDisabled()))
        throw new Error('the requester can click Approve on her own request');
      await wrapper.hover();
      await dev
        .getByRole('tooltip')
        .filter({ hasText: 'You requested this exception' })
        .waitFor({ timeout: 5_000 });
      await shot(dev, 'requester-cannot-approve');
    },
  );

  // --------------------------------------------- user B: the risk owner, in her own context
  const owner = await newPersonaPage();
  await step(
    `${RISK_OWNER.name} (risk owner) signs in in a second browser context`,
    async () => {
      await signIn(owner, RISK_OWNER);
      await shot(owner, 'risk-owner-signed-in');
    },
  );

  await step(
    `${RISK_OWNER.name} finds the request under "Awaiting my decision" and approves it with a reason`,
    async () => {
      await owner.goto(`${baseUrl}/devsecops/exceptions`);
      const awaiting = owner.getByRole('tab', { name: 'Awaiting my decision' });
      await awaiting.waitFor({ timeout: 30_000 });
      if ((await awaiting.getAttribute('aria-selected')) !== 'true')
        await awaiting.click();
      const row = owner
        .locator('[data-testid^="exception-"]')
        .filter({ hasText: RUN_MARK });
      await row.first().waitFor({ timeout: 30_000 });
      expectText(await row.first().innerText(), /payments-api/, 'queue row');
      await shot(owner, 'awaiting-my-decision');
      // Enabled once the page knows she is the named risk owner (click waits for that).
      await row
        .first()
        .getByRole('button', { name: 'Approve' })
        .click({ timeout: 15_000 })
        .catch(error => {
          throw new Error(
            `the risk owner's Approve button never became enabled: ${error.message}`,
          );
        });
      const dialog = owner.getByRole('dialog');
      await dialog.waitFor();
      await dialog
        .getByLabel(/Reason/)
        .fill('Accepted until the next base image; WAF rule verified.');
      await shot(owner, 'approve-dialog');
      await axe(owner, 'approve dialog');
      await dialog
        .getByRole('button', { name: 'approve', exact: true })
        .click();
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      // Decided: it leaves the queue of requests awaiting a decision, and shows as approved in All.
      await row.first().waitFor({ state: 'detached', timeout: 15_000 });
      await owner.getByRole('tab', { name: 'All' }).click();
      await row
        .filter({ hasText: 'approved' })
        .first()
        .waitFor({ timeout: 15_000 });
      await shot(owner, 'approved-in-queue');
    },
  );

  // ------------------------------------------------------------------ back to user A
  await step(
    `${DEVELOPER.name} reloads: the exception is approved and the control excepted`,
    async () => {
      currentPage = dev;
      await reloadSignedIn(dev, DEVELOPER);
      await dev
        .getByText('Pipeline controls')
        .first()
        .waitFor({ timeout: 30_000 });
      await exceptionRow
        .filter({ hasText: 'approved' })
        .first()
        .waitFor({ timeout: 30_000 });
      const control = dev.getByTestId(`control-${controlId}`);
      await control.getByText('Excepted').waitFor({ timeout: 15_000 });
      await control.scrollIntoViewIfNeeded();
      await shot(dev, 'control-excepted');
    },
  );

  await step('export the audit package from the Security tab', async () => {
    const [download] = await Promise.all([
      dev.waitForEvent('download', { timeout: 30_000 }),
      dev.getByRole('button', { name: 'Export audit package' }).click(),
    ]);
    const path = join(artifacts, download.suggestedFilename());
    await download.saveAs(path);
    expectText(
      download.suggestedFilename(),
      /^audit-.*payments-api.*\.zip$/,
      'file name',
    );
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    if (!files['manifest.json'])
      throw new Error(`no manifest.json in ${Object.keys(files).join(', ')}`);
    const manifest = JSON.parse(strFromU8(files['manifest.json']));
    expectText(
      manifest.format,
      /^devsecops-audit-package\//,
      'manifest format',
    );
    if (manifest.scope?.ref !== ENTITY)
      throw new Error(`manifest scope ${JSON.stringify(manifest.scope)}`);
    for (const entry of manifest.files) {
      const data = files[entry.path];
      if (!data)
        throw new Error(`manifest lists ${entry.path}, missing from the zip`);
      const sha256 = createHash('sha256').update(data).digest('hex');
      if (sha256 !== entry.sha256)
        throw new Error(
          `${entry.path}: sha256 ${sha256} != manifest ${entry.sha256}`,
        );
    }
    const exceptions = JSON.parse(strFromU8(files['data/exceptions.json']));
    if (
      !exceptions.some(
        e =>
          JSON.stringify(e).includes(RUN_MARK) &&
          JSON.stringify(e).includes('approved'),
      )
    ) {
      throw new Error('the package does not hold the approved exception');
    }
    console.log(
      `   ${download.suggestedFilename()}: ${
        manifest.files.length
      } files, sha256s match the manifest`,
    );
    await shot(dev, 'audit-package-exported');
  });

  // ---------------------------------------------------- a third persona, and signing out
  const platform = await newPersonaPage();
  await step(
    `${PLATFORM.name} (platform team) sees the org overview; signing out shows the personas again`,
    async () => {
      await signIn(platform, PLATFORM);
      await platform.goto(`${baseUrl}/devsecops`);
      await platform
        .getByText('Pipeline control stack')
        .first()
        .waitFor({ timeout: 30_000 });
      await shot(platform, 'platform-overview');
      await platform.goto(`${baseUrl}/settings`);
      await platform
        .getByText(PLATFORM.name)
        .first()
        .waitFor({ timeout: 30_000 });
      await platform.getByRole('button', { name: /more/i }).first().click();
      await platform.getByRole('menuitem', { name: /sign out/i }).click();
      await platform
        .getByRole('button', { name: `Sign in as ${PLATFORM.name}` })
        .waitFor({ timeout: 30_000 });
      await platform.reload();
      await platform
        .getByRole('button', { name: `Sign in as ${PLATFORM.name}` })
        .waitFor({ timeout: 30_000 });
      await shot(platform, 'signed-out');
    },
  );

  }

  // ------------------------------------------------ journeys in scripts/e2e/journeys/*.mjs
  // Each file exports `default async function (ctx)`; they run in file-name order after the
  // steps above, sharing this browser, backend and the helpers below.
  const journeyDir = join(root, 'scripts', 'e2e', 'journeys');
  const journeyFiles = existsSync(journeyDir)
    ? readdirSync(journeyDir)
        .filter(f => f.endsWith('.mjs') && (!ONLY || ONLY.test(f)))
        .sort()
    : [];
  const ctx = {
    root,
    artifacts,
    baseUrl,
    backendUrl,
    ENTITY,
    SECURITY_TAB,
    DEVELOPER,
    RISK_OWNER,
    PLATFORM,
    RUN_MARK,
    step,
    shot,
    axe,
    signIn,
    reloadSignedIn,
    expectText,
    waitFor,
    personaToken,
    newPersonaPage,
    /** GET on the devsecops API as the given persona ({ ref, name }); parsed JSON or throws. */
    apiAs: async (persona, path, init = {}) => {
      const t = await personaToken(persona);
      const response = await fetch(`${backendUrl}/api/devsecops${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${t}`, ...(init.headers ?? {}) },
      });
      if (!response.ok)
        throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.headers.get('content-type')?.includes('json')
        ? response.json()
        : response.text();
    },
  };
  for (const file of journeyFiles) {
    const { default: journey } = await import(join(journeyDir, file));
    console.log(`-- journey ${file}`);
    await journey(ctx);
  }

  if (pageErrors.length > 0) {
    throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`);
  }
  if (axeFindings.length > 0) {
    const lines = axeFindings.map(
      v =>
        `- ${v.where}: ${v.id} (${v.impact}, ${v.nodes.length} element(s)) ${v.help}`,
    );
    throw new Error(
      `accessibility (axe): ${
        axeFindings.length
      } serious or critical violation(s), details above\n${lines.join('\n')}`,
    );
  }
  console.log(
    `e2e passed in ${Math.round(
      (Date.now() - started) / 1000,
    )}s; screenshots in ${artifacts}`,
  );
  console.log(`${timings.length} passed, 0 failed`);
} catch (error) {
  console.error(`\nE2E FAILED: ${error.message}`);
  await currentPage
    ?.screenshot({ path: join(artifacts, 'failure.png'), fullPage: true })
    .then(() =>
      console.error(`failure screenshot: ${join(artifacts, 'failure.png')}`),
    )
    .catch(() => undefined);
  if (backend) {
    writeFileSync(join(artifacts, 'e2e-backend.log'), backendLog);
    console.error(`--- backend output (last 4000 chars; all of it in ${join(artifacts, 'e2e-backend.log')}) ---`);
    console.error(backendLog.slice(-4000));
  }
  console.log(`${timings.length} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  stopBackend();
}
