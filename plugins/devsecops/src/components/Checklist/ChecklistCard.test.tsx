import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { EntityChecklistCard, ScopeChecklistCard } from './ChecklistCard';

const render = (element: JSX.Element, api = fakeDevsecopsApi()) =>
  renderInTestApp(<TestApiProvider apis={[[devsecopsApiRef, api]]}>{element}</TestApiProvider>);

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
