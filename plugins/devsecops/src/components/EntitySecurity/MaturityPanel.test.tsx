import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { MaturityResult } from '@devsecops-scorecard/plugin-devsecops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { MaturityPanel } from './MaturityPanel';

// Rendering the tab and typing into its dialogs takes seconds on 2 cores shared with the rest of the suite.
jest.setTimeout(30_000);

const maturity: MaturityResult = {
  stage: 2,
  stages: [
    {
      stage: 3,
      title: 'Automate evidence',
      met: false,
      criteria: [
        { id: 'policy-as-code', title: 'Add policy-as-code for cloud and Kubernetes controls', met: true, reason: 'policy-as-code: passing' },
        {
          id: 'failure-review',
          title: 'Review control failures in the same cadence as reliability incidents',
          met: false,
          reason: 'No control-failure review recorded by a person (or the last one expired)',
        },
      ],
    },
    {
      stage: 4,
      title: 'Improve through exercises',
      met: false,
      criteria: [
        {
          id: 'feedback-into-templates',
          title: 'Feed recurring findings back into platform templates',
          met: false,
          reason: 'No template feedback recorded by a person (or the last one expired)',
        },
      ],
    },
  ],
  nextSteps: [],
};

async function renderPanel(api = fakeDevsecopsApi()) {
  const onRecorded = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api]]}>
      <MaturityPanel
        maturity={maturity}
        entityRef="component:default/payments-api"
        ownerRef="group:default/team-payments"
        onRecorded={onRecorded}
      />
    </TestApiProvider>,
  );
  return { onRecorded };
}

describe('MaturityPanel human criteria', () => {
  it('records a control-failure review in the signed-in user’s name for the owning team', async () => {
    const api = fakeDevsecopsApi();
    const record = jest.spyOn(api, 'recordHumanAttestation');
    const { onRecorded } = await renderPanel(api);
    // Only unmet human criteria offer an action.
    expect(screen.getAllByRole('button', { name: /^Record/ }).map(b => b.textContent)).toEqual([
      'Record review',
      'Record template feedback',
    ]);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Record review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record a control-failure review' });
    await user.type(within(dialog).getByLabelText('Attendees (user refs, comma-separated)'), 'user:default/dana, user:default/rita');
    await user.type(within(dialog).getByLabelText('Link to the notes'), 'https://wiki.example.com/reviews/1');
    await user.clear(within(dialog).getByLabelText('Failures reviewed'));
    await user.type(within(dialog).getByLabelText('Failures reviewed'), '3');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(onRecorded).toHaveBeenCalled());
    expect(record).toHaveBeenCalledWith({
      kind: 'control-failure-review',
      scopeRef: 'group:default/team-payments',
      date: new Date().toISOString().slice(0, 10),
      attendees: ['user:default/dana', 'user:default/rita'],
      notesUrl: 'https://wiki.example.com/reviews/1',
      failuresReviewed: 3,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it("shows the server's refusal and keeps the dialog open", async () => {
    const message =
      'The permission policy does not allow devsecops.attestation.template-feedback.record on group:default/team-payments for user:default/dana';
    const api = fakeDevsecopsApi({
      recordHumanAttestation: async () => {
        throw new Error(message);
      },
    });
    const { onRecorded } = await renderPanel(api);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Record template feedback' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record template feedback' });
    await user.type(within(dialog).getByLabelText('Template (entity ref or URL)'), 'template:default/go-service');
    await user.type(within(dialog).getByLabelText('Findings fed back (ids or rule ids, comma-separated)'), 'CVE-2026-1');
    await user.type(within(dialog).getByLabelText('Link to the change'), 'https://github.com/acme/templates/pull/1');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(onRecorded).not.toHaveBeenCalled();
  });

  it('offers no action without an entity (read-only views)', async () => {
    await renderInTestApp(<MaturityPanel maturity={maturity} />);
    expect(screen.queryByRole('button', { name: /^Record/ })).not.toBeInTheDocument();
  });
});
