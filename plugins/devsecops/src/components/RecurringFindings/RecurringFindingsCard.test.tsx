import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { RecurringFindingsCard } from './RecurringFindingsCard';

// Typing into dialogs is slow on a loaded machine.
jest.setTimeout(60_000);

describe('RecurringFindingsCard', () => {
  it('lists each recurring finding with what its services share, and pre-fills the template feedback', async () => {
    const api = fakeDevsecopsApi();
    const list = jest.spyOn(api, 'listRecurringFindings');
    const record = jest.spyOn(api, 'recordHumanAttestation');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <RecurringFindingsCard />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'recurring findings' });
    expect(list).toHaveBeenCalledWith({});
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(row).toHaveTextContent('CVE-2023-5363');
    expect(row).toHaveTextContent('3: checkout-web, payments-api, storefront');
    expect(row).toHaveTextContent(
      'Base image: alpine@3.18.3 (3 of 3); Component: libssl3@3.1.2-r0 (3 of 3); Reusable workflow: acme/platform-workflows/.github/workflows/build.yml (2 of 3)',
    );

    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: 'Record template feedback for CVE-2023-5363' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record template feedback' });
    expect(within(dialog).getByLabelText('Findings fed back (ids or rule ids, comma-separated)')).toHaveValue('CVE-2023-5363');
    await user.type(within(dialog).getByLabelText('Template (entity ref or URL)'), 'template:default/go-service');
    await user.type(within(dialog).getByLabelText('Link to the change'), 'https://github.com/acme/templates/pull/9');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    await waitFor(() =>
      expect(record).toHaveBeenCalledWith({
        kind: 'template-feedback',
        scopeRef: 'group:default/acme',
        date: new Date().toISOString().slice(0, 10),
        template: 'template:default/go-service',
        findings: ['CVE-2023-5363'],
        changeUrl: 'https://github.com/acme/templates/pull/9',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent('Template feedback recorded for CVE-2023-5363.');
  });

  it('asks the backend again for another threshold and says when nothing recurs', async () => {
    const api = fakeDevsecopsApi({ listRecurringFindings: async q => ({ minServices: q.minServices ?? 3, scope: { kind: 'group', ref: q.group }, items: [] }) });
    const list = jest.spyOn(api, 'listRecurringFindings');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <RecurringFindingsCard group="group:default/dept-product" />
      </TestApiProvider>,
    );
    expect(await screen.findByText('No finding is open in 3 or more of the services you can read.')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('combobox', { name: 'Open in at least' }));
    await user.click(await screen.findByRole('option', { name: '5 services' }));
    expect(await screen.findByText('No finding is open in 5 or more of the services you can read.')).toBeInTheDocument();
    expect(list).toHaveBeenLastCalledWith({ group: 'group:default/dept-product', minServices: 5 });
  });
});
