import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { samplePendingReview } from '../../testUtils/fakeReviews';
import { ControlFailureReviewCard } from './ControlFailureReviewCard';

async function renderCard(api = fakeDevsecopsApi(), group?: string) {
  await renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api]]}>
      <ControlFailureReviewCard group={group} />
    </TestApiProvider>,
  );
}

// Typing into dialogs is slow on a loaded machine.
jest.setTimeout(60_000);

describe('ControlFailureReviewCard', () => {
  it('lists what failed since the previous review, and signing off records the review with those failures', async () => {
    let signedOff = false;
    const api = fakeDevsecopsApi({
      getPendingControlFailureReview: async () =>
        signedOff
          ? { ...samplePendingReview, since: '2026-12-01', previousReview: { id: 'ha-1', date: '2026-12-01', recordedBy: 'user:default/dana', failuresReviewed: 2 }, failures: [] }
          : samplePendingReview,
    });
    const pending = jest.spyOn(api, 'getPendingControlFailureReview');
    const record = jest.spyOn(api, 'recordHumanAttestation').mockImplementation(async input => {
      signedOff = true;
      return { id: 'ha-1', kind: input.kind, scopeRef: input.scopeRef, date: input.date, details: {}, expiresAt: '2027-03-01T00:00:00.000Z', recordedBy: 'user:default/dana', recordedAt: '2026-12-01T00:00:00.000Z' };
    });
    await renderCard(api, 'group:default/team-payments');
    const table = await screen.findByRole('table', { name: 'control failures to review' });
    expect(pending).toHaveBeenCalledWith({ group: 'group:default/team-payments' });
    const rows = within(table).getAllByRole('row').slice(1).map(r => within(r).getAllByRole('cell').map(c => c.textContent));
    expect(rows).toEqual([
      ['payments-api', 'Container scan', '2026-10-02', '59', 'Still failing'],
      ['payments-worker', 'SAST', '2026-10-10', '5', 'Fixed on 2026-10-15'],
    ]);
    expect(screen.getByText(/2 failures to review \(1 not fixed\) across 2 services\. Since the previous review on 2026-09-01/)).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Sign off review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record a control-failure review' });
    expect(dialog).toHaveTextContent('2 failures reviewed, listed with the review.');
    expect(within(dialog).queryByLabelText('Failures reviewed')).not.toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Attendees (user refs, comma-separated)'), 'user:default/dana, user:default/rita');
    await user.type(within(dialog).getByLabelText('Link to the notes'), 'https://wiki.example.com/reviews/7');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(record).toHaveBeenCalledTimes(1));
    expect(record).toHaveBeenCalledWith({
      kind: 'control-failure-review',
      scopeRef: 'group:default/team-payments',
      date: new Date().toISOString().slice(0, 10),
      attendees: ['user:default/dana', 'user:default/rita'],
      notesUrl: 'https://wiki.example.com/reviews/7',
      failures: samplePendingReview.failures.map(f => f.key),
    });
    // Reloaded after the sign-off: nothing left to review.
    expect(await screen.findByText('No control failures since the previous review.')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'control failures to review' })).not.toBeInTheDocument();
  });

  it("shows the server's refusal in the dialog", async () => {
    const message = 'The permission policy does not allow devsecops.attestation.control-failure-review.record on group:default/team-payments for user:default/otto';
    const api = fakeDevsecopsApi({
      recordHumanAttestation: async () => {
        throw new Error(message);
      },
    });
    await renderCard(api, 'group:default/team-payments');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign off review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record a control-failure review' });
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
  });

  it('offers no org-wide sign-off when the catalog has no single top-level group', async () => {
    const { signOffScopeRef: _none, ...withoutScope } = samplePendingReview;
    await renderCard(fakeDevsecopsApi({ getPendingControlFailureReview: async () => ({ ...withoutScope, scope: { kind: 'org' } }) }));
    expect(await screen.findByText(/no single top-level group/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign off review' })).not.toBeInTheDocument();
  });
});
