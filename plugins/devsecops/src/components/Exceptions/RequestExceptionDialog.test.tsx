import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { ControlResult } from '@devsecops-scorecard/plugin-devsecops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { RequestExceptionDialog } from './RequestExceptionDialog';

jest.setTimeout(30_000);

const control: ControlResult = {
  controlId: 'container-scan',
  stage: 'build',
  title: 'Container scan',
  state: 'failing',
  reason: '1 open critical finding',
  evidence: [],
};

/** A ResponseError as DevsecopsClient throws it for a Backstage error body. */
async function serverError(status: number, message: string) {
  const response = new Response(
    JSON.stringify({ error: { name: 'InputError', message }, response: { statusCode: status } }),
    { status, statusText: 'Bad Request', headers: { 'content-type': 'application/json' } },
  );
  const error = await ResponseError.fromResponse(response as any);
  error.message = message;
  return error;
}

async function renderDialog(api = fakeDevsecopsApi()) {
  const onRequested = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api]]}>
      <RequestExceptionDialog
        entityRef="component:default/payments-api"
        control={control}
        open
        onClose={jest.fn()}
        onRequested={onRequested}
      />
    </TestApiProvider>,
  );
  return { onRequested };
}

const riskOwnerInput = () => screen.getByRole('combobox', { name: 'Risk owner (user or group)' });

describe('RequestExceptionDialog', () => {
  it('offers only the eligible owners the backend lists, preset to the configured default', async () => {
    const api = fakeDevsecopsApi();
    const listEligibleRiskOwners = jest.spyOn(api, 'listEligibleRiskOwners');
    await renderDialog(api);
    await waitFor(() => expect(riskOwnerInput()).toHaveValue('Security & Compliance (group:default/security-compliance)'));
    expect(listEligibleRiskOwners).toHaveBeenCalledWith({
      entity: 'component:default/payments-api',
      riskRating: 'medium',
      control: 'container-scan',
    });

    const user = userEvent.setup();
    await user.click(riskOwnerInput());
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'Security & Compliance (group:default/security-compliance)',
      'Rita Risk (user:default/risk-owner-rita)',
    ]);
    // Nothing outside the list can be chosen: the requester's own team is not offered.
    await user.clear(riskOwnerInput());
    await user.type(riskOwnerInput(), 'team-payments');
    expect(await screen.findByText(/No eligible risk owner/)).toBeInTheDocument();
    expect(screen.queryAllByRole('option')).toHaveLength(0);

    // The rating changes who is eligible: asked again.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Risk rating' }));
    fireEvent.click(within(screen.getByRole('listbox')).getByRole('option', { name: 'critical' }));
    await waitFor(() =>
      expect(listEligibleRiskOwners).toHaveBeenLastCalledWith({
        entity: 'component:default/payments-api',
        riskRating: 'critical',
        control: 'container-scan',
      }),
    );
  });

  it('requests with the chosen eligible owner', async () => {
    const api = fakeDevsecopsApi();
    const requestException = jest.spyOn(api, 'requestException');
    const { onRequested } = await renderDialog(api);
    await waitFor(() => expect(riskOwnerInput()).toHaveValue('Security & Compliance (group:default/security-compliance)'));
    fireEvent.change(riskOwnerInput(), { target: { value: 'Rita' } });
    fireEvent.click(await screen.findByRole('option', { name: 'Rita Risk (user:default/risk-owner-rita)' }));
    fireEvent.change(screen.getByLabelText(/Risk statement/), { target: { value: 'Not reachable from the internet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    await waitFor(() => expect(onRequested).toHaveBeenCalled());
    expect(requestException).toHaveBeenCalledWith(
      expect.objectContaining({ riskOwner: 'user:default/risk-owner-rita', riskRating: 'medium', scope: { control: 'container-scan' } }),
    );
  });

  it("shows the server's message when the request is refused", async () => {
    const message =
      'riskOwner group:default/team-payments is not eligible for a medium exception on component:default/payments-api: eligible risk owners: group:default/security-compliance (or its members)';
    const api = fakeDevsecopsApi({ requestException: async () => Promise.reject(await serverError(400, message)) });
    const { onRequested } = await renderDialog(api);
    await waitFor(() => expect(riskOwnerInput()).toHaveValue('Security & Compliance (group:default/security-compliance)'));
    fireEvent.change(screen.getByLabelText(/Risk statement/), { target: { value: 'Not reachable from the internet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(screen.queryByText(/Request failed with/)).not.toBeInTheDocument();
    expect(onRequested).not.toHaveBeenCalled();
  });

  it("caps the expiry at the server's maximum and shows the server's reason under the expiry field", async () => {
    const latest = new Date(Date.now() + 30 * 86_400_000 + 3_600_000).toISOString();
    const lastDay = new Date(Date.parse(latest) - 86_399_000).toISOString().slice(0, 10);
    const message = 'expiresAt 2027-12-31T23:59:59.000Z is more than 30 days away (devsecops.exceptions.maxDurationDays)';
    const api = fakeDevsecopsApi({
      listEligibleRiskOwners: async query => ({
        ...(await fakeDevsecopsApi().listEligibleRiskOwners(query)),
        expiry: { maxDurationDays: 30, latest },
      }),
      requestException: async () => Promise.reject(await serverError(400, message)),
    });
    await renderDialog(api);
    const expires = screen.getByLabelText('Expires');
    await waitFor(() => expect(expires).toHaveAttribute('max', lastDay));
    expect(screen.getByText(`At most 30 days: until ${lastDay} (devsecops.exceptions.maxDurationDays)`)).toBeInTheDocument();
    // The default (30 days) is brought within the maximum.
    expect((expires as HTMLInputElement).value <= lastDay).toBe(true);

    fireEvent.change(expires, { target: { value: '2027-12-31' } });
    fireEvent.change(screen.getByLabelText(/Risk statement/), { target: { value: 'Not reachable from the internet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    // Under the expiry field: its helper text, linked to the input.
    expect(expires).toHaveAttribute('aria-invalid', 'true');
    expect(expires.getAttribute('aria-describedby')).toBe(alert.id);
  });

  it('takes any ref when no owners are configured for the rating, and says why the list could not load', async () => {
    const api = fakeDevsecopsApi({
      listEligibleRiskOwners: async query => ({
        entityRef: query.entity,
        riskRating: query.riskRating,
        restricted: false,
        owners: [],
        excluded: ['group:default/team-payments', 'user:default/paula-payne'],
        expiry: { maxDurationDays: 90, latest: new Date(Date.now() + 90 * 86_400_000).toISOString() },
      }),
    });
    const requestException = jest.spyOn(api, 'requestException');
    await renderDialog(api);
    await screen.findByText(/Any user or group in the catalog except you/);
    expect(riskOwnerInput()).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Request' })).toBeDisabled();
    fireEvent.change(riskOwnerInput(), { target: { value: 'user:default/carl-compliance' } });
    fireEvent.change(screen.getByLabelText(/Risk statement/), { target: { value: 'Not reachable from the internet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    await waitFor(() =>
      expect(requestException).toHaveBeenCalledWith(expect.objectContaining({ riskOwner: 'user:default/carl-compliance' })),
    );
  });

  it("validates a free-text risk owner on the server and shows its refusal under the field when none are configured", async () => {
    const message = 'riskOwner user:default/rita is not a user or group in the catalog';
    const api = fakeDevsecopsApi({
      listEligibleRiskOwners: async query => ({
        entityRef: query.entity,
        riskRating: query.riskRating,
        restricted: false,
        owners: [],
        excluded: ['group:default/team-payments', 'user:default/paula-payne'],
        expiry: { maxDurationDays: 90, latest: new Date(Date.now() + 90 * 86_400_000).toISOString() },
      }),
    });
    const requestException = jest
      .spyOn(api, 'requestException')
      .mockImplementationOnce(async () => Promise.reject(await serverError(400, message)));
    const { onRequested } = await renderDialog(api);
    await screen.findByText(/Any user or group in the catalog except you/);
    fireEvent.change(riskOwnerInput(), { target: { value: 'rita' } });
    fireEvent.change(screen.getByLabelText(/Risk statement/), { target: { value: 'Not reachable from the internet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    // The typed text goes to the server as is: the server, not the dialog, decides what is valid.
    await waitFor(() => expect(requestException).toHaveBeenCalledWith(expect.objectContaining({ riskOwner: 'rita' })));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(riskOwnerInput().getAttribute('aria-describedby')).toContain(alert.id);
    expect(riskOwnerInput()).toHaveValue('rita');
    expect(screen.queryByText(/Request failed with/)).not.toBeInTheDocument();
    expect(onRequested).not.toHaveBeenCalled();

    // Corrected, the same field sends the full ref and the request goes through.
    fireEvent.change(riskOwnerInput(), { target: { value: 'user:default/carl-compliance' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request' }));
    await waitFor(() => expect(onRequested).toHaveBeenCalled());
    expect(requestException).toHaveBeenLastCalledWith(expect.objectContaining({ riskOwner: 'user:default/carl-compliance' }));
  });

  it('says when the eligible owners cannot be loaded', async () => {
    await renderDialog(
      fakeDevsecopsApi({ listEligibleRiskOwners: async () => Promise.reject(await serverError(403, 'The permission policy does not allow devsecops.read')) }),
    );
    expect(
      await screen.findByText('Eligible risk owners could not be loaded: The permission policy does not allow devsecops.read'),
    ).toBeInTheDocument();
  });
});
