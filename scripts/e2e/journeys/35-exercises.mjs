// Tabletop exercises (issue 18 item 6). Paula records a leaked-secrets exercise of team-payments
// with its findings and a follow-up already past its due day; the exercises page lists it among
// the org's overdue follow-ups, as the API answers, and marking it done takes it off that list.
// Pat (platform team) may not close team-payments' follow-ups: the page shows the server's
// refusal naming the permission. At 1280×800 and 390×844, with axe and no console warnings.
import { VIEWPORTS, watchConsole } from '../consoleWatch.mjs';

const SCOPE = 'group:default/team-payments';

const daysAgo = days => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

export default async function exercises(ctx) {
  const { step, shot, axe, signIn, newPersonaPage, baseUrl, apiAs, waitFor, DEVELOPER, PLATFORM, RISK_OWNER, RUN_MARK } = ctx;
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}×${viewport.height}`;
    const action = `Rotate the payment provider key (${RUN_MARK} ${viewport.name})`;

    await step(`${DEVELOPER.name} records an exercise and closes its overdue follow-up at ${size}`, async () => {
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, DEVELOPER);
      await page.goto(`${baseUrl}/devsecops/exercises`);
      await page.getByRole('button', { name: 'Record an exercise' }).click({ timeout: 60_000 });
      const dialog = page.getByRole('dialog', { name: 'Record a tabletop exercise' });
      await dialog.waitFor();
      await dialog.getByLabel('Held on').fill(daysAgo(20));
      await dialog.getByLabel(/Held for/).fill(SCOPE);
      await dialog.getByLabel(/Participants/).fill(`${DEVELOPER.ref}, ${RISK_OWNER.ref}`);
      await dialog.getByLabel('Findings').fill('The provider key had no rotation runbook');
      await dialog.getByRole('button', { name: 'Add a follow-up' }).click();
      const followUp = dialog.getByRole('group', { name: 'follow-up 1' });
      await followUp.getByLabel('Action').fill(action);
      await followUp.getByLabel('Owner').fill(DEVELOPER.ref);
      await followUp.getByLabel('Due').fill(daysAgo(5));
      await axe(page, `Record exercise dialog (${size})`);
      await dialog.getByRole('button', { name: 'Record', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });

      // Overdue across the org, as the API says.
      const overdue = page.getByRole('list', { name: 'overdue follow-ups' });
      const item = overdue.getByRole('listitem').filter({ hasText: action });
      await item.waitFor({ timeout: 30_000 });
      const api = await apiAs(DEVELOPER, '/v1/exercises?limit=100');
      const listed = api.overdueFollowUps.find(f => f.action === action);
      if (!listed || listed.daysOverdue !== 5) throw new Error(`the API lists ${JSON.stringify(listed)}`);
      await page.getByText(`Overdue follow-ups (${api.overdueFollowUps.length})`).waitFor();
      if (!(await item.innerText()).startsWith('5 days overdue')) throw new Error(`the item reads ${await item.innerText()}`);
      await item.scrollIntoViewIfNeeded();
      await shot(page, `exercises-overdue-${viewport.name}`);
      await axe(page, `Exercises page (${size})`);

      await item.getByRole('button', { name: `Mark done: ${action}` }).click();
      await item.waitFor({ state: 'detached', timeout: 30_000 });
      await page.getByRole('list', { name: 'exercises' }).getByRole('checkbox', { name: new RegExp(`done by ${DEVELOPER.ref}`) }).first().waitFor();
      const after = await apiAs(DEVELOPER, '/v1/exercises?limit=100');
      const done = after.items.flatMap(x => x.followUps).find(f => f.action === action);
      if (!done?.done || done.doneBy !== DEVELOPER.ref) throw new Error(`the follow-up is ${JSON.stringify(done)}`);
      consoleWatch.assertNone(`exercises page at ${size}`);
      await page.context().close();
    });

    await step(`${PLATFORM.name} may not close team-payments' follow-ups at ${size}`, async () => {
      // A follow-up still open, through the API as Paula.
      const recorded = await apiAs(DEVELOPER, '/v1/exercises', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          scenario: 'compromised-ci-token',
          heldOn: daysAgo(10),
          scopeRef: SCOPE,
          participants: [DEVELOPER.ref],
          followUps: [{ action: `Scope the deploy token (${RUN_MARK} ${viewport.name})`, owner: DEVELOPER.ref, due: daysAgo(2) }],
        }),
      });
      const page = await newPersonaPage({ width: viewport.width, height: viewport.height });
      const consoleWatch = watchConsole(page);
      await signIn(page, PLATFORM);
      await page.goto(`${baseUrl}/devsecops/exercises`);
      const button = page.getByRole('button', { name: `Mark done: ${recorded.followUps[0].action}` });
      await button.click({ timeout: 60_000 });
      const alert = page.getByRole('alert').filter({ hasText: 'devsecops.exercise.record' });
      await alert.waitFor({ timeout: 15_000 });
      const text = (await alert.innerText()).trim();
      if (text !== `The permission policy does not allow devsecops.exercise.record on ${SCOPE}`) {
        throw new Error(`the page says ${JSON.stringify(text)}`);
      }
      await waitFor('the follow-up still open', async () => {
        const api = await apiAs(PLATFORM, '/v1/exercises?limit=100');
        return api.overdueFollowUps.some(f => f.exerciseId === recorded.id);
      }, 10_000);
      await shot(page, `exercises-refused-${viewport.name}`);
      await axe(page, `Exercises page with a refusal (${size})`);
      consoleWatch.assertNone(`exercises refusal at ${size}`);
      await page.context().close();
    });
  }
}
