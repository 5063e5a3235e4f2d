// Paula (developer) opens payments-api's Security tab: which controls fail is answered without
// scrolling (the first failing control within the first 900 px at 1280×800 and 390×844), reasons
// read as sentences (no raw fact keys, no 64-hex digests), no console warnings from the plugin,
// and axe finds nothing serious.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

const RAW_KEY = /\b(?:exercise|branch_protection|pre_commit|code_review|dependency_review|ci|cloud_audit_logs|workload_telemetry|vulnerability_monitoring|evidence|control_failure_review|platform_templates)\.[a-z_]+\b/;

export default async function securityTab(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, SECURITY_TAB, DEVELOPER } = ctx;
  for (const viewport of VIEWPORTS) {
    await step(
      `${DEVELOPER.name} sees the failing controls first on the Security tab at ${viewport.width}×${viewport.height}`,
      async () => {
        const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
        const consoleWatch = watchConsole(page);
        await signIn(page, DEVELOPER);
        await page.goto(`${baseUrl}${SECURITY_TAB}`);
        const summary = page.getByRole('region', { name: 'security summary' });
        await summary.waitFor({ timeout: 30_000 });
        const firstFailing = page.locator('[data-testid^="summary-failing-"]').first();
        await firstFailing.waitFor({ timeout: 30_000 });
        // Wait for the rest of the tab so layout shifts below do not move the answer later.
        await page.getByRole('table', { name: 'findings' }).waitFor({ timeout: 30_000 });
        const box = await firstFailing.boundingBox();
        const scrollY = await page.evaluate(() => window.scrollY);
        const top = box.y + scrollY;
        const name = await firstFailing.innerText();
        console.log(`   first failing control "${name.split(':')[0]}" at ${Math.round(top)}–${Math.round(top + box.height)} px`);
        if (top + Math.min(box.height, 40) > 900) {
          throw new Error(`the first failing control starts at ${Math.round(top)} px, below the first 900 px`);
        }
        const stage = await page.getByTestId('summary-stage').innerText();
        if (!/^Stage \d/.test(stage)) throw new Error(`summary stage reads ${JSON.stringify(stage)}`);
        if (!/production: (allowed|denied)/.test(await summary.innerText())) {
          throw new Error('the summary does not give the production gate');
        }
        // Every stage says what fails it and what it counts.
        const build = page.getByRole('region', { name: 'Build controls' });
        const buildText = await build.innerText();
        if (!/Fails when:/.test(buildText) || !/turned on, \d+ passing/.test(buildText)) {
          throw new Error(`the Build stage lacks its fail condition or counts: ${buildText.slice(0, 200)}`);
        }
        const text = await page.locator('main, body').first().innerText();
        const raw = RAW_KEY.exec(text);
        if (raw) throw new Error(`a raw fact key is shown: ${raw[0]}`);
        const digest = /\b[0-9a-f]{64}\b/.exec(text);
        if (digest) throw new Error(`a full digest is shown: ${digest[0]}`);
        // A name in the summary jumps to its control in the stage board.
        await firstFailing.getByRole('link').first().click();
        await page.waitForTimeout(600);
        const target = page.locator('[data-testid^="control-"][data-state="failing"]').first();
        if (!(await target.isVisible())) throw new Error('the failing control is not visible after following its link');
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, `security-tab-answer-first-${viewport.name}`);
        await axe(page, `Security tab (${viewport.width}×${viewport.height})`);
        consoleWatch.assertNone(`Security tab at ${viewport.width}×${viewport.height}`);
        await page.context().close();
      },
    );
  }
}
