// Paula (developer) opens payments-api's Security tab and finds the DevSecOps checklist: each
// item met, not met or not measured, and for an item nothing measures yet, how to measure it;
// she follows the responsibility link to the group that acts (her team). Pat (platform team)
// opens the org overview's responsibility matrix: every capability with who acts, provides and
// decides, the configured groups linked. At 1280×800 and 390×844: no horizontal page scroll,
// no console warnings from the plugin, axe finds nothing serious.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

const STATES = ['✓ met', '✗ not met', '? not measured', '– not applicable'];

/** The page must not scroll sideways: wide tables scroll inside their card, text wraps. */
async function assertNoSidewaysScroll(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth + 1) throw new Error(`${where}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

async function topOf(page, locator) {
  const box = await locator.boundingBox();
  return Math.round(box.y + (await page.evaluate(() => window.scrollY)));
}

export default async function checklistResponsibility(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, apiAs, SECURITY_TAB, ENTITY, DEVELOPER, PLATFORM } = ctx;
  const checklist = await apiAs(DEVELOPER, `/v1/checklist?entity=${encodeURIComponent(ENTITY)}`);
  const owner = (await apiAs(DEVELOPER, `/v1/scorecards?entity=${encodeURIComponent(ENTITY)}`)).ownerRef;

  for (const viewport of VIEWPORTS) {
    await step(
      `${DEVELOPER.name} reads the checklist and follows the responsibility link at ${viewport.width}×${viewport.height}`,
      async () => {
        const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
        const consoleWatch = watchConsole(page);
        await signIn(page, DEVELOPER);
        await page.goto(`${baseUrl}${SECURITY_TAB}`);
        const table = page.getByRole('table', { name: 'DevSecOps checklist' });
        await table.waitFor({ timeout: 60_000 });
        await page.getByRole('table', { name: 'findings' }).waitFor({ timeout: 30_000 });
        const rows = await table.locator('tbody tr').evaluateAll(trs => trs.map(tr => [...tr.children].map(td => td.innerText)));
        if (rows.length !== checklist.items.length) {
          throw new Error(`the card shows ${rows.length} items, the API ${checklist.items.length}`);
        }
        const counts = {};
        for (const [title, state, why] of rows) {
          const label = STATES.find(s => state.startsWith(s));
          if (!label) throw new Error(`"${title}" has no state in words: ${JSON.stringify(state)}`);
          counts[label] = (counts[label] ?? 0) + 1;
          if (label === '? not measured' && !/To measure it: \S/.test(why)) {
            throw new Error(`"${title}" is not measured and does not say how to measure it: ${JSON.stringify(why)}`);
          }
        }
        const notMeasured = checklist.items.filter(i => i.state === 'not_measured').length;
        if ((counts['? not measured'] ?? 0) !== notMeasured) {
          throw new Error(`${counts['? not measured'] ?? 0} items read "not measured", the API has ${notMeasured}`);
        }
        console.log(`   checklist at ${await topOf(page, table)} px: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
        await table.scrollIntoViewIfNeeded();
        await assertNoSidewaysScroll(page, `Security tab at ${viewport.width}`);
        await shot(page, `checklist-${viewport.name}`);

        // Who acts: the checklist's own responsibility link when it has one, else the failing
        // control's "Who acts, provides, decides" (the same capability model).
        const card = table.locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
        // EntityRefLinks names a group by its title: find the link by its target.
        const groupHref = `a[href="/catalog/default/group/${owner.split('/').pop()}"]`;
        let acts = card.locator(groupHref).first();
        let from = 'the checklist';
        if ((await acts.count()) === 0) {
          from = 'a failing control';
          const failing = page.locator('[data-testid^="control-"][data-state="failing"]').first();
          await failing.locator('summary', { hasText: 'Who acts, provides, decides' }).click();
          const responsibility = failing.getByRole('region', { name: /^Responsibility for / });
          await responsibility.waitFor();
          const text = await responsibility.innerText();
          for (const role of ['Acts', 'Provides', 'Decides']) {
            if (!text.includes(role)) throw new Error(`the responsibility lacks "${role}": ${text}`);
          }
          acts = responsibility.locator(groupHref).first();
        }
        console.log(`   the group that acts (${owner}) linked from ${from}`);
        await acts.click();
        await page.waitForURL(new RegExp(`/catalog/default/group/${owner.split('/').pop()}`), { timeout: 30_000 });
        // The group's page: its members are the people who act.
        await page.getByText(/members \(\d+ of \d+\)/).first().waitFor({ timeout: 30_000 });
        await page.goBack();
        await table.waitFor({ timeout: 30_000 });
        await axe(page, `Security tab checklist (${viewport.width}×${viewport.height})`);
        consoleWatch.assertNone(`Security tab checklist at ${viewport.width}×${viewport.height}`);
        await page.context().close();
      },
    );
  }

  const matrix = await apiAs(PLATFORM, '/v1/responsibility');
  for (const viewport of VIEWPORTS) {
    await step(
      `${PLATFORM.name} opens the responsibility matrix on the org overview at ${viewport.width}×${viewport.height}`,
      async () => {
        const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
        const consoleWatch = watchConsole(page);
        await signIn(page, PLATFORM);
        await page.goto(`${baseUrl}/devsecops`);
        const table = page.getByRole('table', { name: 'responsibility matrix' });
        await table.waitFor({ timeout: 60_000 });
        await table.scrollIntoViewIfNeeded();
        const rows = await table.locator('tbody tr').evaluateAll(trs => trs.map(tr => [...tr.children].map(td => td.innerText)));
        if (rows.length !== matrix.capabilities.length) {
          throw new Error(`the matrix shows ${rows.length} capabilities, the API ${matrix.capabilities.length}`);
        }
        for (const [capability, acts, provides, decides] of rows) {
          if (![acts, provides, decides].every(cell => cell.trim().length > 0)) {
            throw new Error(`"${capability}" lacks who acts, provides or decides: ${JSON.stringify([acts, provides, decides])}`);
          }
        }
        const header = await table.locator('thead').innerText();
        if (/not configured/.test(header)) throw new Error(`a group is not configured: ${header}`);
        for (const group of [matrix.groups.platformTeam, matrix.groups.securityOwner]) {
          const name = group.split('/').pop();
          const link = table.locator(`thead a[href="/catalog/default/group/${name}"]`);
          if ((await link.count()) === 0) throw new Error(`the matrix does not link ${group}`);
        }
        console.log(`   responsibility matrix at ${await topOf(page, table)} px, ${rows.length} capabilities`);
        await assertNoSidewaysScroll(page, `org overview at ${viewport.width}`);
        await shot(page, `responsibility-matrix-${viewport.name}`);
        await axe(page, `org overview responsibility matrix (${viewport.width}×${viewport.height})`);
        // The platform team's link leads to the group that provides.
        const platformName = matrix.groups.platformTeam.split('/').pop();
        await table.locator(`thead a[href="/catalog/default/group/${platformName}"]`).click();
        await page.waitForURL(new RegExp(`/catalog/default/group/${platformName}`), { timeout: 30_000 });
        consoleWatch.assertNone(`org overview at ${viewport.width}×${viewport.height}`);
        await page.context().close();
      },
    );
  }
}
