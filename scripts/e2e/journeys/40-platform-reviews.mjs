// Pat (platform team) holds the platform team's control-failure review: its Security tab lists every
// control failure since the previous review as the API answers it, and signing off records the
// review with those failures, after which nothing is left to review. On the org overview Pat sees
// the findings that recur across services with what they share, and each row opens the template
// feedback with its finding filled in. Paula (team-payments) may not sign off the platform team's
// review. At 1280×800 and 390×844, with axe and no console warnings from the plugin.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

const GROUP = 'group:default/platform-team';
const GROUP_TAB = '/catalog/default/group/platform-team/security';

export default async function platformReviews(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, apiAs, PLATFORM, DEVELOPER, RISK_OWNER, RUN_MARK } = ctx;
  const today = new Date().toISOString().slice(0, 10);
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}×${viewport.height}`;

    await step(`${PLATFORM.name} signs off the platform team's control-failure review at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, PLATFORM);
      await page.goto(`${baseUrl}${GROUP_TAB}`);
      const signOff = page.getByRole('button', { name: 'Sign off review' });
      await signOff.waitFor({ timeout: 60_000 });

      // What the card lists is what the API answers.
      const pending = await apiAs(PLATFORM, `/v1/control-failure-reviews/pending?group=${encodeURIComponent(GROUP)}`);
      if (pending.signOffScopeRef !== GROUP) throw new Error(`the review is signed off for ${pending.signOffScopeRef}`);
      await page.getByText(`${pending.failures.length} failures to review`, { exact: false }).first().waitFor({ timeout: 15_000 });
      if (pending.failures.length > 0) {
        const table = page.getByRole('table', { name: 'control failures to review' });
        const rows = await table.getByRole('row').count();
        if (rows !== pending.failures.length + 1) throw new Error(`the table has ${rows - 1} rows, the API ${pending.failures.length} failures`);
        const first = pending.failures[0];
        await table.getByRole('row').nth(1).getByText(first.controlTitle, { exact: true }).waitFor();
        console.log(`   ${pending.failures.length} failures, first: ${first.entityRef} ${first.controlId} since ${first.since} (${first.status})`);
      } else {
        await page.getByText('No control failures since the previous review.').waitFor();
      }
      await signOff.scrollIntoViewIfNeeded();
      await shot(page, `control-failure-review-${viewport.name}`);
      await axe(page, `Group Security tab with the control-failure review (${size})`);

      await signOff.click();
      const dialog = page.getByRole('dialog', { name: 'Record a control-failure review' });
      await dialog.getByText(`${pending.failures.length} failures reviewed, listed with the review.`).waitFor();
      await dialog.getByRole('textbox', { name: 'Attendees (user refs, comma-separated)' }).fill(`${PLATFORM.ref}, ${RISK_OWNER.ref}`);
      await dialog.getByRole('textbox', { name: 'Link to the notes' }).fill(`https://wiki.example.com/reviews/platform?run=${encodeURIComponent(RUN_MARK)}`);
      await axe(page, `Sign-off dialog (${size})`);
      await dialog.getByRole('button', { name: 'Record' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });

      // Signed off: nothing left, and the card names the review just held.
      await page.getByText('No control failures since the previous review.').waitFor({ timeout: 30_000 });
      await page.getByText(`Since the previous review on ${today} (recorded by ${PLATFORM.ref}`, { exact: false }).first().waitFor();
      const after = await apiAs(PLATFORM, `/v1/control-failure-reviews/pending?group=${encodeURIComponent(GROUP)}`);
      if (after.failures.length !== 0) throw new Error(`${after.failures.length} failures still pending after the sign-off`);
      if (after.previousReview?.recordedBy !== PLATFORM.ref) throw new Error(`the previous review is ${JSON.stringify(after.previousReview)}`);
      if (after.previousReview.failuresReviewed !== pending.failures.length) {
        throw new Error(`the review recorded ${after.previousReview.failuresReviewed} failures, ${pending.failures.length} were listed`);
      }
      await shot(page, `control-failure-review-signed-${viewport.name}`);
      consoleWatch.assertNone(`control-failure review at ${size}`);
      await page.context().close();
    });

    await step(`${PLATFORM.name} sees the recurring findings on the org overview at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, PLATFORM);
      await page.goto(`${baseUrl}/devsecops`);
      const card = page.getByText('Recurring findings across services', { exact: true });
      await card.waitFor({ timeout: 60_000 });
      const recurring = await apiAs(PLATFORM, '/v1/findings/recurring');
      if (recurring.items.length === 0) {
        await page.getByText(`No finding is open in ${recurring.minServices} or more of the services you can read.`).waitFor({ timeout: 30_000 });
        console.log(`   no finding open in ${recurring.minServices} services`);
      } else {
        const table = page.getByRole('table', { name: 'recurring findings' });
        await table.waitFor({ timeout: 30_000 });
        const first = recurring.items[0];
        const row = table.getByRole('row').filter({ hasText: first.key }).first();
        await row.waitFor();
        console.log(`   ${first.key} open in ${first.services} services; shared: ${JSON.stringify(first.shared)}`);
        await row.scrollIntoViewIfNeeded();
        await shot(page, `recurring-findings-${viewport.name}`);
        await axe(page, `Org overview with recurring findings (${size})`);
        await row.getByRole('button', { name: `Record template feedback for ${first.key}` }).click();
        const dialog = page.getByRole('dialog', { name: 'Record template feedback' });
        const findings = dialog.getByRole('textbox', { name: 'Findings fed back (ids or rule ids, comma-separated)' });
        const value = await findings.inputValue();
        if (value !== first.key) throw new Error(`the feedback dialog holds "${value}", not ${first.key}`);
        await axe(page, `Template feedback dialog (${size})`);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
      }
      consoleWatch.assertNone(`recurring findings at ${size}`);
      await page.context().close();
    });
  }

  await step(`${DEVELOPER.name} may not sign off the platform team's review (the API names the permission)`, async () => {
    try {
      await apiAs(DEVELOPER, '/v1/human-attestations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          kind: 'control-failure-review',
          scopeRef: GROUP,
          date: today,
          attendees: [DEVELOPER.ref],
          notesUrl: 'https://wiki.example.com/reviews/not-mine',
          failures: [],
        }),
      });
    } catch (error) {
      if (/403/.test(error.message) && /devsecops\.attestation\.control-failure-review\.record/.test(error.message)) return;
      throw error;
    }
    throw new Error(`${DEVELOPER.name} signed off the platform team's review`);
  });
}
