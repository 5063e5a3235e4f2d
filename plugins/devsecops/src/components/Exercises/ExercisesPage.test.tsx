import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { ExercisesPage } from './ExercisesPage';

jest.setTimeout(30_000);

describe('ExercisesPage', () => {
  it('lists the overdue follow-ups and marks one done', async () => {
    const api = fakeDevsecopsApi();
    const mark = jest.spyOn(api, 'setExerciseFollowUpDone');
    const list = jest.spyOn(api, 'listExercises');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <ExercisesPage />
      </TestApiProvider>,
    );
    // The whole org: no scope.
    await waitFor(() => expect(list).toHaveBeenCalledWith({ limit: 100 }));
    const overdue = await screen.findByRole('list', { name: 'overdue follow-ups' });
    expect(within(overdue).getByRole('listitem')).toHaveTextContent(
      '30 days overdue: Write the rotation runbook — user:default/dana, due 2026-10-15 (leaked-secrets exercise of group:default/team-payments on 2026-10-01)',
    );
    fireEvent.click(within(overdue).getByRole('button', { name: 'Mark done: Write the rotation runbook' }));
    await waitFor(() => expect(mark).toHaveBeenCalledWith('x1', 0, true));

    // The exercise's own follow-up is a checkbox too.
    const exercises = screen.getByRole('list', { name: 'exercises' });
    fireEvent.click(within(exercises).getByRole('checkbox', { name: /Write the rotation runbook/ }));
    await waitFor(() => expect(mark).toHaveBeenCalledTimes(2));
  });

  it("shows the server's refusal to mark a follow-up done", async () => {
    const api = fakeDevsecopsApi({
      setExerciseFollowUpDone: async () =>
        Promise.reject(new Error('The permission policy does not allow devsecops.exercise.record on group:default/team-payments')),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <ExercisesPage />
      </TestApiProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Mark done: Write the rotation runbook' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The permission policy does not allow devsecops.exercise.record on group:default/team-payments',
    );
  });

  it('records an exercise with findings and follow-ups, and shows a refusal under its field', async () => {
    let refuse = true;
    const api = fakeDevsecopsApi();
    const record = jest.spyOn(api, 'recordExercise').mockImplementation(async input => {
      if (refuse) throw new Error("heldOn '2030-01-01' is in the future");
      return { ...input, id: 'x2', findings: input.findings ?? [], followUps: input.followUps ?? [], recordedBy: 'user:default/dana', recordedAt: '2026-12-01T00:00:00Z' };
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <ExercisesPage />
      </TestApiProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Record an exercise' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Held for/), { target: { value: 'group:default/team-payments' } });
    fireEvent.change(within(dialog).getByLabelText(/Participants/), { target: { value: 'user:default/dana, user:default/rita' } });
    fireEvent.change(within(dialog).getByLabelText('Findings'), { target: { value: 'No rotation runbook\nToken lived 90 days' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add a follow-up' }));
    const followUp = within(dialog).getByRole('group', { name: 'follow-up 1' });
    fireEvent.change(within(followUp).getByLabelText('Action'), { target: { value: 'Write the runbook' } });
    fireEvent.change(within(followUp).getByLabelText('Owner'), { target: { value: 'user:default/dana' } });
    fireEvent.change(within(followUp).getByLabelText('Due'), { target: { value: '2027-01-15' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent("heldOn '2030-01-01' is in the future");
    expect(within(dialog).getByLabelText('Held on')).toHaveAttribute('aria-invalid', 'true');

    refuse = false;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(record).toHaveBeenLastCalledWith({
      scenario: 'leaked-secrets',
      heldOn: new Date().toISOString().slice(0, 10),
      scopeRef: 'group:default/team-payments',
      participants: ['user:default/dana', 'user:default/rita'],
      findings: [{ title: 'No rotation runbook' }, { title: 'Token lived 90 days' }],
      followUps: [{ action: 'Write the runbook', owner: 'user:default/dana', due: '2027-01-15' }],
    });
  });
});
