import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { EntityChecklistCard, ScopeChecklistCard } from './ChecklistCard';

const render = (element: JSX.Element, api = fakeDevsecopsApi()) =>
  renderInTestApp(<TestApiProvider apis={[[devsecopsApiRef, api]]}>{element}</TestApiProvider>);

// Dialogs typed into under a shared machine's load take long.
jest.setTimeout(120_000);

describe('the DevSecOps checklist cards', () => {
  it("shows a service's nine items with state in words, where it comes from and how to measure the rest", async () => {
    const getChecklist = jest.fn(fakeDevsecopsApi().getChecklist);
    await render(<EntityChecklistCard entityRef="component:default/payments-api" />, fakeDevsecopsApi({ getChecklist }));
    const table = await screen.findByRole('table', { name: 'DevSecOps checklist' });
    expect(getChecklist).toHaveBeenCalledWith({ entity: 'component:default/payments-api' });
    expect(within(table).getAllByRole('row')).toHaveLength(10);
    const least = within(table).getByRole('row', { name: /Repository and package permissions use least privilege/ });
    expect(within(least).getByText('✓ met')).toBeInTheDocument();
    expect(within(least).getByText('collected evidence')).toBeInTheDocument();
    expect(within(least).getByText(/Scorecard Token-Permissions 10\/10/)).toBeInTheDocument();
    const logs = within(table).getByRole('row', { name: /CI logs redact secrets/ });
    expect(within(logs).getByText('? not measured')).toBeInTheDocument();
    expect(within(logs).getByText(/To measure it: run OpenSSF Scorecard in CI/)).toBeInTheDocument();
    const exceptions = within(table).getByRole('row', { name: /Exceptions expire and are reviewed/ });
    expect(within(exceptions).getByText('enforced by the portal')).toBeInTheDocument();
  });

  it('records a CI log redaction check from its row as the signed-in user, then reloads the checklist', async () => {
    const api = fakeDevsecopsApi();
    const getChecklist = jest.spyOn(api, 'getChecklist');
    const record = jest.spyOn(api, 'recordHumanAttestation');
    await render(<EntityChecklistCard entityRef="component:default/payments-api" />, api);
    const table = await screen.findByRole('table', { name: 'DevSecOps checklist' });
    // Only the items a person vouches for offer it.
    expect(within(table).getAllByRole('button').map(b => b.textContent)).toEqual(['Record CI log check', 'Record threat-model review']);
    const logs = within(table).getByRole('row', { name: /CI logs redact secrets/ });
    const user = userEvent.setup();
    await user.click(within(logs).getByRole('button', { name: 'Record CI log check' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record a CI log redaction check' });
    expect(within(dialog).getByLabelText('CI system')).toHaveValue('GitHub Actions');
    await user.click(within(dialog).getByLabelText('How it was verified'));
    await user.paste('canary secret printed as ***');
    await user.click(within(dialog).getByLabelText('Link to the run or review showing it'));
    await user.paste('https://github.com/acme/payments-api/actions/runs/42');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(record).toHaveBeenCalledWith({
      kind: 'ci-log-redaction',
      scopeRef: 'group:default/team-payments',
      date: new Date().toISOString().slice(0, 10),
      ciSystem: 'GitHub Actions',
      verification: 'canary secret printed as ***',
      url: 'https://github.com/acme/payments-api/actions/runs/42',
    }));
    await waitFor(() => expect(getChecklist).toHaveBeenCalledTimes(2));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("records a threat-model review from the IaC row, and shows the server's refusal", async () => {
    const api = fakeDevsecopsApi({
      recordHumanAttestation: async () => {
        throw new Error('The permission policy does not allow devsecops.attestation.threat-model-review.record on component:default/payments-api for user:default/otto');
      },
    });
    const record = jest.spyOn(api, 'recordHumanAttestation');
    await render(<EntityChecklistCard entityRef="component:default/payments-api" />, api);
    const table = await screen.findByRole('table', { name: 'DevSecOps checklist' });
    const iac = within(table).getByRole('row', { name: /IaC changes are reviewed with blast-radius context/ });
    const user = userEvent.setup();
    await user.click(within(iac).getByRole('button', { name: 'Record threat-model review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record a threat-model review' });
    await user.click(within(dialog).getByLabelText('Link to the threat model'));
    await user.paste('https://wiki.example.com/tm/payments');
    await user.click(within(dialog).getByLabelText('Reviewer (user ref)'));
    await user.paste('user:default/rita');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('does not allow devsecops.attestation.threat-model-review.record');
    expect(record).toHaveBeenCalledWith({
      kind: 'threat-model-review',
      scopeRef: 'group:default/team-payments',
      date: new Date().toISOString().slice(0, 10),
      url: 'https://wiki.example.com/tm/payments',
      reviewer: 'user:default/rita',
      highRiskChangesFlagged: true,
    });
  });

  it("counts a team's services per item", async () => {
    const getScopeChecklist = jest.fn(fakeDevsecopsApi().getScopeChecklist);
    await render(<ScopeChecklistCard group="group:default/team-payments" />, fakeDevsecopsApi({ getScopeChecklist }));
    const table = await screen.findByRole('table', { name: 'DevSecOps checklist by service count' });
    expect(getScopeChecklist).toHaveBeenCalledWith({ group: 'group:default/team-payments' });
    expect(screen.getByText(/Counted over the team's 2 services\./)).toBeInTheDocument();
    const least = within(table).getByRole('row', { name: /least privilege/ });
    expect(within(least).getAllByRole('cell').map(c => c.textContent)).toEqual(['1', '1', '0', '0', '']);
    const logs = within(table).getByRole('row', { name: /CI logs redact secrets/ });
    expect(within(logs).getByText('not observable by the GitHub provider, Scorecard or scanners')).toBeInTheDocument();
  });

  it('shows the server error instead of a checklist', async () => {
    await render(
      <EntityChecklistCard entityRef="component:default/payments-api" />,
      fakeDevsecopsApi({ getChecklist: () => Promise.reject(new Error('No catalog entity component:default/payments-api')) }),
    );
    expect(await screen.findByText('Error: No catalog entity component:default/payments-api', { selector: 'h6' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
