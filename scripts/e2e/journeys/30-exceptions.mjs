// Exceptions, answer first (issue 18 items 2–4). Paula asks for an exception that would outlive
// the configured maximum: the request dialog shows the server's sentence under the expiry field
// (and its date input is capped). Rita, the named risk owner, opens the exception from the link of
// her "awaiting your decision" notification, sees who asked, why and when, its history, and only
// the actions she may take; she approves it with a reason and the history and her notification
// say so. On a phone the queue is a list of cards whose risk and actions fit the screen. At
// 1280×800 and 390×844, with axe and no console warnings from the plugin.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

/** Fails when the page scrolls sideways (what a 390 px queue must not do). */
async function assertNoSidewaysScroll(page, where) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  if (scroll > width + 1) throw new Error(`${where}: the page is ${scroll} px wide in a ${width} px window`);
}

/** Fails unless the element lies wholly inside the viewport's width. */
async function assertWithinWidth(page, locator, what) {
  const box = await locator.boundingBox();
  const width = page.viewportSize().width;
  if (!box || box.x < 0 || box.x + box.width > width + 1) {
    throw new Error(`${what} is not within the ${width} px screen: ${JSON.stringify(box)}`);
  }
}

/** The notifications Backstage holds for a persona (the notifications plugin's own API). */
async function notificationsOf(ctx, persona) {
  const token = await ctx.personaToken(persona);
  const response = await fetch(`${ctx.backendUrl}/api/notifications/notifications?limit=100`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`notifications of ${persona.ref}: ${response.status} ${await response.text()}`);
  return (await response.json()).notifications;
}

export default async function exceptions(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, apiAs, waitFor, DEVELOPER, RISK_OWNER, ENTITY, SECURITY_TAB, RUN_MARK } = ctx;
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}×${viewport.height}`;

    await step(`${DEVELOPER.name}'s request dialog shows the server's reason for a bad expiry at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, DEVELOPER);
      await page.goto(`${baseUrl}${SECURITY_TAB}`);
      const request = page.getByRole('button', { name: 'Request exception' }).first();
      await request.waitFor({ timeout: 60_000 });
      await request.click();
      const dialog = page.getByRole('dialog');
      const expires = dialog.getByLabel('Expires');
      // Capped at the server's maximum, which the dialog states.
      await waitFor('the expiry cap', async () => !!(await expires.getAttribute('max')), 15_000);
      const max = await expires.getAttribute('max');
      await dialog.getByText(`until ${max} (devsecops.exceptions.maxDurationDays)`, { exact: false }).waitFor();
      const tooFar = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
      await expires.fill(tooFar);
      await dialog.getByLabel('Risk statement').fill(`Testing the expiry limit (${RUN_MARK})`);
      await dialog.getByRole('button', { name: 'Request', exact: true }).click();
      // The server's sentence, under the expiry field (its helper text, announced), not a generic error.
      const alert = dialog.getByRole('alert');
      await alert.waitFor({ timeout: 15_000 });
      const text = await alert.innerText();
      if (!/^expiresAt \S+ is more than \d+ days away \(devsecops\.exceptions\.maxDurationDays\)$/.test(text.trim())) {
        throw new Error(`the dialog says ${JSON.stringify(text)}`);
      }
      if ((await expires.getAttribute('aria-describedby')) !== (await alert.getAttribute('id'))) {
        throw new Error('the refusal is not the expiry field\'s helper text');
      }
      if ((await dialog.getByText(/Request failed with/).count()) > 0) throw new Error('a generic "Request failed" shows');
      await shot(page, `exception-expiry-refused-${viewport.name}`);
      await axe(page, `Request dialog with the server's refusal (${size})`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      consoleWatch.assertNone(`request dialog at ${size}`);
      await page.context().close();
    });

    let id;
    await step(`${RISK_OWNER.name} opens an exception from its notification link and sees its history at ${size}`, async () => {
      // A request naming Rita, through the API as Paula (the dialog's path is covered above and in e2e.mjs).
      const requested = await apiAs(DEVELOPER, '/v1/exceptions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          entityRef: ENTITY,
          scope: { control: 'sast' },
          riskStatement: `Findings are in test fixtures only (${RUN_MARK} ${viewport.name})`,
          riskRating: 'medium',
          compensatingControls: 'Fixtures are excluded from the build',
          riskOwner: RISK_OWNER.ref,
          expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        }),
      });
      id = requested.id;
      const link = `/devsecops/exceptions/${id}`;
      let notification;
      await waitFor('the awaiting-decision notification', async () => {
        notification = (await notificationsOf(ctx, RISK_OWNER)).find(n => n.payload.link === link);
        return !!notification;
      }, 30_000);
      if (!/^Exception awaiting your decision: payments-api sast$/.test(notification.payload.title)) {
        throw new Error(`the notification says ${JSON.stringify(notification.payload.title)}`);
      }

      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, RISK_OWNER);
      await page.goto(`${baseUrl}/notifications`);
      const item = page.locator(`a[href$="${link}"]`).first();
      await item.waitFor({ timeout: 60_000 });
      await item.click();
      await page.waitForURL(`**${link}`, { timeout: 30_000 });

      const facts = page.locator('dl');
      await facts.getByText('Risk statement', { exact: true }).waitFor({ timeout: 30_000 });
      const value = async term => (await facts.getByText(term, { exact: true }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
      for (const [term, expected] of [
        ['Requested by', DEVELOPER.ref],
        ['Risk owner', RISK_OWNER.ref],
        ['Owning team', 'group:default/team-payments'],
        ['Compensating controls', 'Fixtures are excluded from the build'],
      ]) {
        const shown = await value(term);
        if (shown !== expected) throw new Error(`${term} shows ${JSON.stringify(shown)}, not ${expected}`);
      }
      if (!/^\d{4}-\d{2}-\d{2} \(today\)$/.test(await value('Requested'))) throw new Error(`Requested shows ${await value('Requested')}`);
      const history = page.getByRole('list', { name: 'history' });
      await history.getByRole('listitem').filter({ hasText: `${DEVELOPER.ref} requested it` }).waitFor();

      // Only what she may do: approve or reject, nothing else.
      const actions = page.getByRole('region', { name: 'actions' });
      const offered = (await actions.getByRole('button').allInnerTexts()).map(t => t.trim().toLowerCase());
      if (offered.join(',') !== 'approve,reject') throw new Error(`offered ${JSON.stringify(offered)}`);
      await shot(page, `exception-detail-${viewport.name}`);
      await axe(page, `Exception page (${size})`);

      await actions.getByRole('button', { name: 'Approve' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/Reason/).fill('Accepted: fixtures never ship');
      await dialog.getByRole('button', { name: 'approve', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      await history
        .getByRole('listitem')
        .filter({ hasText: `${RISK_OWNER.ref} approved it (requested → approved) — “Accepted: fixtures never ship”` })
        .waitFor({ timeout: 15_000 });
      await shot(page, `exception-detail-approved-${viewport.name}`);

      // Her notification no longer asks for a decision; Paula is told.
      await waitFor('the decision in the notifications', async () => {
        const mine = (await notificationsOf(ctx, RISK_OWNER)).filter(n => n.payload.link === link);
        const paula = (await notificationsOf(ctx, DEVELOPER)).filter(n => n.payload.link === link);
        return (
          mine.length === 1 &&
          mine[0].payload.title.startsWith('Exception approved, no decision needed') &&
          paula.some(n => n.payload.title.startsWith('Your exception was approved'))
        );
      }, 30_000);
      consoleWatch.assertNone(`exception page at ${size}`);
      await page.context().close();
    });

    await step(`${RISK_OWNER.name}'s queue shows risk and actions at ${size}`, async () => {
      // A request awaiting her, so the first tab has a card with live actions.
      const pending = await apiAs(DEVELOPER, '/v1/exceptions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          entityRef: ENTITY,
          scope: { control: 'iac-lint' },
          riskStatement: `Lint rule misfires on generated modules (${RUN_MARK} queue ${viewport.name})`,
          riskRating: 'medium',
          riskOwner: RISK_OWNER.ref,
          expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        }),
      });
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, RISK_OWNER);
      await page.goto(`${baseUrl}/devsecops/exceptions`);
      const awaiting = await apiAs(RISK_OWNER, '/v1/exceptions?riskOwner=me&status=requested&limit=1');
      await page.getByRole('tab', { name: `Awaiting my decision (${awaiting.totalCount})` }).waitFor({ timeout: 60_000 });
      const mine = await apiAs(RISK_OWNER, '/v1/exceptions?requester=me&limit=1');
      await page.getByRole('tab', { name: `My requests (${mine.totalCount})` }).waitFor();

      const card = page.getByTestId(`exception-${pending.id}`);
      await card.waitFor({ timeout: 30_000 });
      const risk = card.getByRole('link', { name: pending.riskStatement });
      const approve = card.getByRole('button', { name: 'Approve' });
      await approve.waitFor();
      await waitFor('Approve enabled for the risk owner', async () => approve.isEnabled(), 15_000);
      if (viewport.width < 600) {
        if ((await page.getByRole('table', { name: 'exceptions' }).count()) > 0) throw new Error('a table on a phone, not cards');
        await card.scrollIntoViewIfNeeded();
        await assertWithinWidth(page, risk, 'the risk statement');
        await assertWithinWidth(page, approve, 'the Approve button');
        await assertWithinWidth(page, card.getByRole('button', { name: 'Reject' }), 'the Reject button');
        await assertNoSidewaysScroll(page, 'exception queue');
      }
      // The risk statement opens the exception.
      await shot(page, `exception-queue-${viewport.name}`);
      await axe(page, `Exception queue (${size})`);
      await risk.click();
      await page.waitForURL(`**/devsecops/exceptions/${pending.id}`, { timeout: 15_000 });
      await page.getByRole('list', { name: 'history' }).waitFor({ timeout: 30_000 });
      consoleWatch.assertNone(`exception queue at ${size}`);
      await page.context().close();
    });
  }
}
