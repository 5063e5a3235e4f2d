// Pat (platform team) on the org overview: filters and the heat map's sort go into the URL and
// come back on reload and in a fresh browser (a shared link); the heat map tells its states apart
// with a legend and opens a team to its services; no console warnings from the plugin; axe finds
// nothing serious; at 1280×800 and 390×844.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

export default async function orgOverview(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, PLATFORM } = ctx;
  let sharedUrl;
  for (const viewport of VIEWPORTS) {
    await step(
      `${PLATFORM.name}'s overview keeps its filters and sort in the URL at ${viewport.width}×${viewport.height}`,
      async () => {
        const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
        const consoleWatch = watchConsole(page);
        await signIn(page, PLATFORM);
        await page.goto(`${baseUrl}/devsecops`);
        const heat = page.getByRole('table', { name: 'control adoption by team' });
        await heat.waitFor({ timeout: 60_000 });
        const legend = page.getByRole('list', { name: 'legend' });
        for (const label of ['Failing', 'Stale', 'Not reported', 'Passing']) {
          await legend.getByText(label, { exact: false }).first().waitFor();
        }

        // Choose a lifecycle and sort the heat map by team.
        const filters = page.getByRole('search', { name: 'filters' });
        const lifecycle = filters.getByRole('combobox', { name: 'Lifecycle' });
        await page.waitForFunction(
          () => !document.querySelector('[role="search"] [aria-disabled="true"]'),
          undefined,
          { timeout: 30_000 },
        );
        await lifecycle.click();
        await page.getByRole('option', { name: 'production', exact: true }).click();
        await heat.getByRole('button', { name: 'Team', exact: true }).click();
        await page.waitForURL(/lifecycle=production/, { timeout: 15_000 });
        await page.waitForURL(/sort=team/, { timeout: 15_000 });
        const url = page.url();
        console.log(`   ${url.replace(baseUrl, '')}`);
        const order = async () =>
          heat.locator('[data-testid^="team-row-"]').evaluateAll(rows => rows.map(r => r.dataset.testid));
        await heat.locator('[data-testid^="team-row-"]').first().waitFor({ timeout: 30_000 });
        const before = await order();

        // A reload restores them.
        await page.reload();
        await heat.locator('[data-testid^="team-row-"]').first().waitFor({ timeout: 60_000 });
        if (page.url() !== url) throw new Error(`the reload changed the URL to ${page.url()}`);
        // The filter shows the URL's value at once, before the catalog's options arrive.
        const shown = await filters.getByRole('combobox', { name: 'Lifecycle' }).innerText();
        if (!/production/.test(shown)) throw new Error(`after the reload the lifecycle filter shows ${JSON.stringify(shown)}`);
        const after = await order();
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          throw new Error(`after the reload the heat map order is ${after.join(', ')}, was ${before.join(', ')}`);
        }
        sharedUrl = url;

        // A team opens to its services, each with its own states.
        const firstTeam = heat.locator('[data-testid^="team-row-"]').first();
        await firstTeam.getByRole('button', { name: /^Show the services of / }).click();
        await heat.locator('[data-testid^="service-row-"]').first().waitFor({ timeout: 30_000 });
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, `org-overview-filtered-${viewport.name}`);
        await axe(page, `org overview, filtered (${viewport.width}×${viewport.height})`);
        consoleWatch.assertNone(`org overview at ${viewport.width}×${viewport.height}`);
        await page.context().close();
      },
    );
  }

  await step(`a shared overview link opens with its filters in a fresh browser`, async () => {
    const page = await newPersonaPage();
    const consoleWatch = watchConsole(page);
    await signIn(page, PLATFORM);
    await page.goto(sharedUrl);
    const filters = page.getByRole('search', { name: 'filters' });
    await page.getByRole('table', { name: 'control adoption by team' }).waitFor({ timeout: 60_000 });
    const shown = await filters.getByRole('combobox', { name: 'Lifecycle' }).innerText();
    if (!/production/.test(shown)) throw new Error(`the shared link shows lifecycle ${JSON.stringify(shown)}`);
    await page.getByText(/^Maturity across \d+ services/).waitFor();
    if (!/\(production\)/.test(await page.locator('body').innerText())) {
      throw new Error('the scope title does not name the production lifecycle');
    }
    consoleWatch.assertNone('shared overview link');
    await page.context().close();
  });
}
