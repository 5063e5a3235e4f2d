// Paula (developer) opens the home page: the "My services" widget answers first — her teams'
// services, failing first, each with stage, production gate and the one next step — within the
// first 900 px, and its link opens the service's Security tab; the same set of services the
// roll-up API gives for her teams; the sidebar's Home entry leads there; no console warnings
// from the plugin; axe finds nothing serious; at 1280×800 and 390×844.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

export default async function homeMyServices(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, apiAs, DEVELOPER } = ctx;
  // What the widget must list: the services of Paula's team from the API, as Paula.
  const rollup = await apiAs(DEVELOPER, `/v1/rollups?group=${encodeURIComponent('group:default/team-payments')}`);
  const expected = rollup.entities
    .filter(e => e.ownerRef === 'group:default/team-payments')
    .map(e => e.entityRef.split('/').pop())
    .sort();
  if (expected.length === 0) throw new Error('team-payments owns no scored service in the demo data');

  for (const viewport of VIEWPORTS) {
    await step(
      `${DEVELOPER.name}'s home page lists her teams' services failing first with the next step at ${viewport.width}×${viewport.height}`,
      async () => {
        const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
        const consoleWatch = watchConsole(page);
        await signIn(page, DEVELOPER);
        await page.goto(`${baseUrl}/home`);
        const list = page.getByRole('list', { name: 'my services' });
        await list.waitFor({ timeout: 60_000 });
        const items = list.locator(':scope > li');
        const shown = await items.evaluateAll(els => els.map(e => e.getAttribute('data-testid').replace('my-service-', '')));
        // Scorecards of up to ten services are read; team-payments has fewer.
        const missing = expected.filter(n => !shown.includes(n));
        const extra = shown.filter(n => !expected.includes(n));
        if (missing.length || extra.length) {
          throw new Error(`the widget lists ${shown.join(', ')}; the roll-up gives ${expected.join(', ')}`);
        }
        // Failing first: no service with a denied gate or failing controls after one without.
        const rows = await items.evaluateAll(lis =>
          lis.map(li => ({
            text: li.innerText,
            denied: /✕ denied/.test(li.innerText),
            failing: Number((/(\d+) failing:/.exec(li.innerText) ?? [])[1] ?? 0),
          })),
        );
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1], rows[i]];
          if (b.denied && !a.denied) throw new Error(`a denied service comes after an allowed one:\n${a.text}\n${b.text}`);
          if (b.denied === a.denied && b.failing > a.failing) throw new Error(`not failing first:\n${a.text}\n${b.text}`);
        }
        for (const row of rows) {
          if (!/Stage \d · /.test(row.text)) throw new Error(`no stage and gate: ${row.text}`);
          if (!/Next step: \S/.test(row.text)) throw new Error(`no next step: ${row.text}`);
        }
        // The answer is on the first screen: the first service and its next step.
        const first = items.first();
        const box = await first.boundingBox();
        const top = box.y + (await page.evaluate(() => window.scrollY));
        console.log(`   ${rows.length} services; the first ("${rows[0].text.split('\n')[0]}") at ${Math.round(top)}–${Math.round(top + box.height)} px`);
        if (top + box.height > 900) throw new Error(`the first service ends at ${Math.round(top + box.height)} px, below the first 900 px`);
        // Away from the side bar, which opens under the pointer.
        await page.mouse.move(viewport.width - 5, viewport.height - 5);
        await shot(page, `home-my-services-${viewport.name}`);
        await axe(page, `home page (${viewport.width}×${viewport.height})`);
        // Its link opens the Security tab.
        const link = first.getByRole('link', { name: /: Security tab$/ });
        const name = (await link.getAttribute('aria-label')).replace(': Security tab', '');
        await link.click();
        await page.waitForURL(new RegExp(`/catalog/default/component/${name}/security$`), { timeout: 30_000 });
        await page.getByRole('region', { name: 'security summary' }).waitFor({ timeout: 30_000 });
        consoleWatch.assertNone(`home page at ${viewport.width}×${viewport.height}`);
        await page.context().close();
      },
    );
  }
}
