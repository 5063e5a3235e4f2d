import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, fakeDevsecopsApiWithDast, sampleRollup } from '../../testUtils/fakeDevsecopsApi';
import { ScopeSecurityContent } from './ScopeSecurityContent';

describe('ScopeSecurityContent', () => {
  it('rolls up the group and lists its sub-teams', async () => {
    const api = fakeDevsecopsApi({
      getRollup: async query => ({
        ...sampleRollup,
        scope: { kind: 'group', ref: query?.group },
        children: [
          { ...sampleRollup, scope: { kind: 'group', ref: 'group:default/team-payments' }, entityCount: 4, gate: { allow: 1, deny: 1, undecided: 2, passRatePct: 50 } },
        ],
      }),
    });
    const getRollup = jest.spyOn(api, 'getRollup');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <EntityProvider entity={{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'dept-product', namespace: 'default' }, spec: { type: 'department', children: [] } }}>
          <ScopeSecurityContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Maturity across 2 services')).toBeInTheDocument();
    expect(getRollup).toHaveBeenCalledWith({ group: 'group:default/dept-product' });
    expect(screen.getByRole('table', { name: 'sub-teams' })).toHaveTextContent('team-payments');
    expect(screen.getByRole('table', { name: 'sub-teams' })).toHaveTextContent('50%');
    // Drill-down: a sub-team links to its own Security tab.
    expect(within(screen.getByRole('table', { name: 'sub-teams' })).getByRole('link', { name: 'team-payments' })).toHaveAttribute('href', '/catalog/default/group/team-payments/security');
    expect(screen.getByRole('img', { name: /Stage distribution over time/ })).toBeInTheDocument();
  });

  it('rolls up a system by the teams that own its components', async () => {
    const api = fakeDevsecopsApi();
    const getRollup = jest.spyOn(api, 'getRollup');
    const getRollupHistory = jest.spyOn(api, 'getRollupHistory');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <EntityProvider entity={{ apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'payments', namespace: 'default' }, spec: { owner: 'team-payments' } }}>
          <ScopeSecurityContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Maturity across 2 services')).toBeInTheDocument();
    expect(getRollup).toHaveBeenCalledWith({ system: 'system:default/payments' });
    expect(getRollupHistory).toHaveBeenCalledWith({ system: 'system:default/payments' }, 90);
    expect(screen.getByText("Last 90 days of daily snapshots of the system's services")).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'control adoption by team' })).toHaveTextContent('team-payments');
    expect(screen.queryByRole('table', { name: 'sub-teams' })).not.toBeInTheDocument();
  });

  it("shows the backend's configured controls, including one added only in app-config (dast)", async () => {
    const api = fakeDevsecopsApiWithDast();
    const getControlStack = jest.spyOn(api, 'getControlStack');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <EntityProvider entity={{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-payments', namespace: 'default' }, spec: { type: 'team', children: [] } }}>
          <ScopeSecurityContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(await screen.findByText('Maturity across 2 services')).toBeInTheDocument();
    expect(getControlStack).toHaveBeenCalled();
    const heat = screen.getByRole('table', { name: 'control adoption by team' });
    expect(within(heat).getByRole('columnheader', { name: 'DAST' })).toBeInTheDocument();
    expect(within(heat).getByLabelText('team-payments, DAST: failing (3 passing, 1 failing)')).toHaveTextContent('✕ 3/4');
    const dast = within(screen.getByRole('table', { name: 'control adoption' })).getByRole('row', { name: /^DAST/ });
    expect(dast).toHaveTextContent('75%');
    expect(dast).toHaveTextContent('failing 1');
  });
});
