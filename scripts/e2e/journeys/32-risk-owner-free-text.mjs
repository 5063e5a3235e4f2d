// Paula (developer) requests an exception where configuration lists no risk owners for the
// rating: the dialog's risk owner is then a free-text user or group ref, and the server is what
// validates it — a name that is no catalog user (`rita`) gets the server's 400 sentence under the
// field (announced, linked to it), never a generic "Request failed". At 1280×800 and 390×844.
//
// The demo configures owners for every rating (app-config.demo.yaml), and a later config file
// cannot remove a rating's list, so this journey answers the dialog's eligible-owners request
// (GET /v1/exceptions/risk-owners) as an unconfigured deployment does: `restricted: false`, no
// owners. The request itself goes to the real backend, which validates the typed ref.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

export default async function riskOwnerFreeText(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, SECURITY_TAB, DEVELOPER, RUN_MARK } = ctx;
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}×${viewport.height}`;
    await step(`${DEVELOPER.name} names a risk owner in free text when none are configured; the server's refusal shows under the field at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      let unconfigured = 0;
      await page.route(url => url.pathname.endsWith('/api/devsecops/v1/exceptions/risk-owners'), async route => {
        const response = await route.fetch();
        const body = await response.json();
        unconfigured++;
        await route.fulfill({ response, json: { ...body, restricted: false, owners: [], defaultOwner: undefined } });
      });
      await signIn(page, DEVELOPER);
      await page.goto(`${baseUrl}${SECURITY_TAB}`);
      const request = page.getByRole('button', { name: 'Request exception' }).first();
      await request.waitFor({ timeout: 60_000 });
      await request.click();
      const dialog = page.getByRole('dialog');
      const owner = dialog.getByRole('combobox', { name: 'Risk owner (user or group)' });
      // The answer has arrived when the expiry's cap (from the same answer) shows.
      await dialog.getByText(/At most \d+ days: until/).waitFor({ timeout: 30_000 });
      if (unconfigured === 0) throw new Error('the dialog did not ask for the eligible owners');
      await dialog.getByText(/Any user or group in the catalog except you/).waitFor({ timeout: 15_000 });
      if ((await owner.inputValue()) !== '') throw new Error('an owner is preset though none is configured');
      await owner.fill('rita');
      await dialog.getByLabel('Risk statement').fill(`Testing a free-text risk owner (${RUN_MARK})`);
      await dialog.getByRole('button', { name: 'Request', exact: true }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor({ timeout: 15_000 });
      const text = (await alert.innerText()).trim();
      if (text !== 'riskOwner user:default/rita is not a user or group in the catalog') {
        throw new Error(`the dialog says ${JSON.stringify(text)}`);
      }
      const describedBy = (await owner.getAttribute('aria-describedby')) ?? '';
      if (!describedBy.split(' ').includes(await alert.getAttribute('id'))) {
        throw new Error("the refusal is not the risk-owner field's helper text");
      }
      if ((await dialog.getByText(/Request failed with/).count()) > 0) throw new Error('a generic "Request failed" shows');
      if ((await owner.inputValue()) !== 'rita') throw new Error('the typed owner was lost');
      console.log(`   "${text}" under the risk-owner field`);
      await shot(page, `risk-owner-free-text-refused-${viewport.name}`);
      await axe(page, `Request dialog, free-text risk owner refused (${size})`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      consoleWatch.assertNone(`request dialog at ${size}`);
      await page.context().close();
    });
  }
}
