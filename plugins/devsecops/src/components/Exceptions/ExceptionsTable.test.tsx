import { identityApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider, mockApis } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, sampleException } from '../../testUtils/fakeDevsecopsApi';
import { ExceptionsTable, expiryCountdown } from './ExceptionsTable';
import { ExceptionQueue } from './ExceptionQueue';

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
  it('asks the backend for the right queue on each tab', async () => {
    const api = fakeDevsecopsApi();
    const list = jest.spyOn(api, 'listExceptions');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api], [identityApiRef, as('user:default/rita', [])]]}>
        <ExceptionQueue />
      </TestApiProvider>,
    );
    await waitFor(() => expect(list).toHaveBeenLastCalledWith({ riskOwner: 'me', status: ['requested'], limit: 200 }));
    fireEvent.click(screen.getByRole('tab', { name: 'Expiring in 7 days' }));
    await waitFor(() => expect(list).toHaveBeenLastCalledWith({ expiringWithinDays: 7, limit: 200 }));
    fireEvent.click(screen.getByRole('tab', { name: 'Expired' }));
    await waitFor(() => expect(list).toHaveBeenLastCalledWith({ status: ['expired'], limit: 200 }));
  });
});
