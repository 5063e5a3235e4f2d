import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider, mockApis } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, sampleException } from '../../testUtils/fakeDevsecopsApi';
import { ExceptionsTable, expiryCountdown } from './ExceptionsTable';
import { ExceptionQueue, queueQuery } from './ExceptionQueue';

jest.setTimeout(30_000);

const as = (userEntityRef: string, groups: string[]) =>
  mockApis.identity({ userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] });

describe('ExceptionsTable', () => {
  it('lets the risk owner approve with a reason', async () => {
    const api = fakeDevsecopsApi();
    const changeException = jest.spyOn(api, 'changeException');
    const onChanged = jest.fn();
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api], [identityApiRef, as('user:default/rita', ['group:default/security-compliance'])]]}>
        <ExceptionsTable exceptions={[sampleException]} onChanged={onChanged} />
      </TestApiProvider>,
    );
    const row = screen.getByTestId('exception-e1');
    await waitFor(() => expect(within(row).getByRole('button', { name: 'Approve' })).toBeEnabled());
    expect(within(row).getByRole('button', { name: 'Revoke' })).toBeDisabled();
    fireEvent.click(within(row).getByRole('button', { name: 'Approve' }));
    fireEvent.change(await screen.findByLabelText(/Reason/), { target: { value: 'WAF rule in place' } });
    fireEvent.click(screen.getByRole('button', { name: 'approve' }));
    await waitFor(() => expect(changeException).toHaveBeenCalledWith('e1', 'approve', 'WAF rule in place'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('disables deciding for the requester, with the reason', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi()], [identityApiRef, as('user:default/dana', ['group:default/security-compliance'])]]}>
        <ExceptionsTable exceptions={[sampleException]} onChanged={jest.fn()} />
      </TestApiProvider>,
    );
    const approve = within(screen.getByTestId('exception-e1')).getByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeDisabled());
    fireEvent.mouseOver(approve.parentElement!);
    expect(await screen.findByText('You requested this exception; someone else must decide')).toBeInTheDocument();
  });

  it('renews an approved exception as a new request', async () => {
    const api = fakeDevsecopsApi();
    const renew = jest.spyOn(api, 'renewException');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api], [identityApiRef, as('user:default/dana', ['group:default/team-payments'])]]}>
        <ExceptionsTable exceptions={[{ ...sampleException, status: 'approved' }]} onChanged={jest.fn()} />
      </TestApiProvider>,
    );
    const row = screen.getByTestId('exception-e1');
    await waitFor(() => expect(within(row).getByRole('button', { name: 'Renew' })).toBeEnabled());
    fireEvent.click(within(row).getByRole('button', { name: 'Renew' }));
    fireEvent.change(await screen.findByLabelText('New expiry'), { target: { value: '2027-01-15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request renewal' }));
    await waitFor(() => expect(renew).toHaveBeenCalledWith('e1', '2027-01-15T23:59:59.000Z'));
  });

  it('counts down to expiry', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    expect(expiryCountdown('2026-12-05T00:00:00Z', now)).toBe('in 7 d');
    expect(expiryCountdown('2026-11-26T00:00:00Z', now)).toBe('expired 2 d ago');
  });
});

describe('ExceptionQueue', () => {
  const renderQueue = async (api = fakeDevsecopsApi()) =>
    renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api], [identityApiRef, as('user:default/rita', ['group:default/security-compliance'])]]}>
        <ExceptionQueue />
      </TestApiProvider>,
    );

  it('asks the backend for the right queue on each tab, and counts every tab', async () => {
    const api = fakeDevsecopsApi({
      listExceptions: async query => ({
        items: [sampleException],
        // A count per queue, so the tabs show which one it is.
        totalCount: [query.requester && 2, query.status?.includes('expired') && 3, 1].find(Boolean) as number,
        limit: query.limit ?? 50,
        offset: 0,
      }),
    });
    const list = jest.spyOn(api, 'listExceptions');
    await renderQueue(api);
    await waitFor(() => expect(list).toHaveBeenCalledWith({ riskOwner: 'me', status: ['requested'], limit: 200 }));
    expect(await screen.findByRole('tab', { name: 'My requests (2)' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Expired (3)' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Awaiting my decision (1)' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: /My requests/ }));
    await waitFor(() => expect(list).toHaveBeenCalledWith({ requester: 'me', limit: 200 }));
    fireEvent.click(screen.getByRole('tab', { name: /Expiring in 7 days/ }));
    await waitFor(() => expect(list).toHaveBeenCalledWith({ expiringWithinDays: 7, limit: 200 }));
  });

  it('filters by service, team, status, rating and expiry window, and sorts by expiry', async () => {
    const api = fakeDevsecopsApi();
    const list = jest.spyOn(api, 'listExceptions');
    await renderQueue(api);
    fireEvent.click(await screen.findByRole('tab', { name: /^All/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Service' }), { target: { value: 'payments-api' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Team' }), { target: { value: 'team-payments' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Expiring within (days)' }), { target: { value: '14' } });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Risk rating' }));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'high' }));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Status' }));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'approved' }));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Sort by expiry' }));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'Latest first' }));
    await waitFor(() =>
      expect(list).toHaveBeenCalledWith({
        entity: 'payments-api',
        owner: 'team-payments',
        status: ['approved'],
        riskRating: 'high',
        expiringWithinDays: 14,
        order: 'desc',
        limit: 200,
      }),
    );
    // The counts follow the filters too.
    expect(list).toHaveBeenCalledWith(expect.objectContaining({ requester: 'me', owner: 'team-payments', limit: 1 }));
  });

  it('lets the tab decide the status where it fixes one', () => {
    const filters = { service: '', team: '', status: 'approved', riskRating: '', expiringWithinDays: '', order: 'asc' as const };
    expect(queueQuery({ riskOwner: 'me', status: ['requested'] }, filters)).toEqual({ riskOwner: 'me', status: ['requested'] });
    expect(queueQuery({}, { ...filters, expiringWithinDays: 'x' })).toEqual({ status: ['approved'] });
  });

  it('shows each exception as a card with its risk and actions on a phone', async () => {
    const matchMedia = window.matchMedia;
    window.matchMedia = ((query: string) => ({
      matches: query.includes('max-width:599.95px'),
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    })) as any;
    try {
      await renderQueue();
      const card = await screen.findByTestId('exception-e1');
      expect(card.tagName).toBe('LI');
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
      expect(within(card).getByRole('link', { name: 'Not reachable from the internet' })).toHaveAttribute('href', '/devsecops/exceptions/e1');
      expect(within(card).getByText('medium')).toBeInTheDocument();
      await waitFor(() => expect(within(card).getByRole('button', { name: 'Approve' })).toBeEnabled());
    } finally {
      window.matchMedia = matchMedia;
    }
  });
});
