// The sidebar's devsecops entries are there and lead to their pages: Home (the "My services"
// widget), the Security overview, Exceptions, Exercises, Campaigns and portfolio search, at
// 1280×800 (the side bar) and 390×844 (the bottom bar, whose "Menu" opens the entries).
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

const ENTRIES = [
  { name: 'Home', path: '/home', shows: page => page.getByRole('list', { name: 'my services' }) },
  { name: 'DevSecOps', path: '/devsecops', shows: page => page.getByText('Pipeline control stack').first() },
  { name: 'Exceptions', path: '/devsecops/exceptions', shows: page => page.getByRole('tab', { name: /My requests/ }) },
  { name: 'Exercises', path: '/devsecops/exercises', shows: page => page.getByRole('button', { name: 'Record an exercise' }) },
  { name: 'Campaigns', path: '/devsecops/campaigns', shows: page => page.getByRole('button', { name: /New campaign/ }) },
  { name: 'Which services contain…', path: '/devsecops/search', shows: page => page.getByRole('search', { name: 'search stored SBOMs' }) },
];

export default async function sidebar(ctx) {
  const { step, shot, signIn, newPersonaPage, baseUrl, PLATFORM } = ctx;
  for (const viewport of VIEWPORTS) {
    await step(`the sidebar's devsecops entries lead to their pages at ${viewport.width}×${viewport.height}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      // Pat may manage campaigns, so the campaigns page offers "New campaign".
      await signIn(page, PLATFORM);
      const mobile = viewport.width < 600;
      for (const [index, entry] of ENTRIES.entries()) {
        if (mobile) {
          // The bottom bar: "Menu" opens the group's entries.
          await page.getByRole('button', { name: 'Menu' }).click();
        }
        // By name and target: the logo is a link named "Home" too (to /, the catalog).
        const link = page.getByRole('link', { name: entry.name, exact: true }).and(page.locator(`[href="${entry.path}"]`)).first();
        await link.waitFor({ timeout: 15_000 });
        if (!(await link.isVisible())) throw new Error(`the "${entry.name}" entry is not visible`);
        if (mobile && index === 0) await shot(page, 'sidebar-menu-mobile');
        await link.click();
        await page.waitForURL(url => new URL(url).pathname === entry.path, { timeout: 30_000 });
        await entry.shows(page).waitFor({ timeout: 60_000 });
      }
      if (!mobile) await shot(page, 'sidebar-desktop');
      console.log(`   ${ENTRIES.map(e => e.name).join(', ')}: each opens its page`);
      consoleWatch.assertNone(`sidebar at ${viewport.width}×${viewport.height}`);
      await page.context().close();
    });
  }
}
