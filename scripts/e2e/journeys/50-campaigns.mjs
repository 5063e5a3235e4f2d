// Pat (platform team) creates a campaign — every production service of team-payments at stage 2 —
// and lands on its page: how many services are done, the burn-up in words, each service's next
// step, all as the API answers them. Paula (team-payments) sees the campaign on payments-api's
// Security tab: how many campaigns, when due, how many steps left. At 1280×800 and 390×844, with
// axe and no console warnings from the plugin.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

export default async function campaigns(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, apiAs, SECURITY_TAB, PLATFORM, DEVELOPER, RUN_MARK } = ctx;
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}×${viewport.height}`;
    const title = `Stage 2 for team-payments ${RUN_MARK} ${viewport.name}`;
    let campaignId;
    await step(`${PLATFORM.name} creates a campaign and sees its progress at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, PLATFORM);
      await page.goto(`${baseUrl}/devsecops/campaigns`);
      await page.getByRole('button', { name: 'New campaign' }).click();
      const dialog = page.getByRole('dialog', { name: 'New campaign' });
      await dialog.getByRole('textbox', { name: 'Title' }).fill(title);
      await dialog.getByRole('textbox', { name: 'Team (group)' }).fill('team-payments');
      await dialog.getByRole('textbox', { name: 'Owner' }).fill('group:default/platform-team');
      await axe(page, `New campaign dialog (${size})`);
      await dialog.getByRole('button', { name: 'Create campaign' }).click();
      await page.waitForURL(/\/devsecops\/campaigns\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      campaignId = page.url().split('/').pop();
      await page.getByRole('heading', { name: title }).waitFor({ timeout: 30_000 });

      // What the page says is what the API answers.
      const api = await apiAs(PLATFORM, `/v1/campaigns/${campaignId}`);
      if (api.counts.inScope < 1) throw new Error(`the campaign covers no service: ${JSON.stringify(api.counts)}`);
      const counts = `${api.counts.done} of ${api.counts.inScope} service${api.counts.inScope === 1 ? '' : 's'} done`;
      await page.getByText(counts, { exact: false }).first().waitFor({ timeout: 15_000 });
      await page.getByRole('img', { name: /^Burn-up: / }).waitFor();
      const services = page.getByRole('table', { name: 'Services and their next step' });
      const firstOpen = api.entities.items.find(e => !e.done);
      if (firstOpen) {
        await services.getByText(firstOpen.nextStep.text, { exact: true }).waitFor({ timeout: 15_000 });
        console.log(`   ${firstOpen.entityRef}: ${firstOpen.nextStep.text}`);
      }
      await page.getByRole('table', { name: 'Progress per team' }).getByText('group:default/team-payments').waitFor();
      await shot(page, `campaign-page-${viewport.name}`);
      await axe(page, `Campaign page (${size})`);

      // Listed on the campaigns page.
      await page.goto(`${baseUrl}/devsecops/campaigns`);
      await page.getByRole('table', { name: 'Campaigns' }).getByRole('link', { name: title }).waitFor({ timeout: 30_000 });
      await axe(page, `Campaigns page (${size})`);
      consoleWatch.assertNone(`campaigns pages at ${size}`);
      await page.context().close();
    });

    await step(`${DEVELOPER.name} sees the campaign on payments-api's Security tab at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, DEVELOPER);
      await page.goto(`${baseUrl}${SECURITY_TAB}`);
      const summary = page.getByText(/^Part of \d+ campaigns?, /);
      await summary.waitFor({ timeout: 60_000 });
      const text = await summary.innerText();
      console.log(`   ${text}`);
      const mine = await apiAs(DEVELOPER, '/v1/campaigns?entity=component:default/payments-api');
      if (!text.startsWith(`Part of ${mine.items.length} campaign`)) {
        throw new Error(`the card reads "${text}" but the API lists ${mine.items.length} campaigns`);
      }
      if (!mine.items.some(c => c.id === campaignId)) throw new Error("Pat's campaign is not among payments-api's");
      if (!/(due in \d+ days?, \d+ steps? left|every goal met)/.test(text)) throw new Error(`the card does not say when or what is left: ${text}`);
      const link = page.getByRole('link', { name: title });
      await link.scrollIntoViewIfNeeded();
      await shot(page, `security-tab-campaigns-${viewport.name}`);
      await axe(page, `Security tab with campaigns (${size})`);
      await link.click();
      await page.getByRole('heading', { name: title }).waitFor({ timeout: 30_000 });
      consoleWatch.assertNone(`Security tab campaigns card at ${size}`);
      await page.context().close();
    });

    await step(`${DEVELOPER.name} may not create a campaign (the API refuses with the permission named)`, async () => {
      try {
        await apiAs(DEVELOPER, '/v1/campaigns', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: 'not allowed', goal: { type: 'stage', stage: 1 }, startDate: '2026-12-01', targetDate: '2027-01-31', ownerRef: 'group:default/team-payments' }),
        });
      } catch (error) {
        if (/403/.test(error.message) && /devsecops\.campaign\.manage/.test(error.message)) return;
        throw error;
      }
      throw new Error(`${DEVELOPER.name} created a campaign`);
    });
  }
}
