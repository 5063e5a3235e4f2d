import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { OverviewContent } from './OverviewContent';
import {
  fakeDevsecopsApi as fakeApi,
  fakeDevsecopsApiWithDast,
} from '../../testUtils/fakeDevsecopsApi';
import { fakeCatalogApi } from '../../__testUtils__/fakeCatalog';

const render = (api = fakeApi()) =>
  renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api], [catalogApiRef, fakeCatalogApi()]]}>
      <OverviewContent />
    </TestApiProvider>,
    // The responsibility matrix links the configured groups to their catalog pages.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );

// Several renders with menus and charts: slow when the machine is busy.
jest.setTimeout(30_000);

describe('OverviewContent', () => {
  it('shows each stage with its controls, fail condition and evidence', async () => {
    await render();

    const build = await screen.findByRole('region', { name: 'Build stage' });
    expect(within(build).getByText('SBOM')).toBeInTheDocument();
    expect(within(build).getByText('Container scan')).toBeInTheDocument();
    expect(
      within(build).getByText(
        'Critical exploitable dependency with no exception',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('region', { name: /stage$/ })).toHaveLength(5);
    expect(screen.getByText(/Database: pg \(reachable\)/)).toBeInTheDocument();
    expect(screen.getByText(/Report formats accepted: SARIF/)).toBeInTheDocument();
    expect(await screen.findByText('Maturity across 2 services')).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'stage distribution' })).toHaveTextContent('Stage 1');
    expect(screen.getByText(/1 allowed, 0 denied, 1 without a decision \(100% pass\)/)).toBeInTheDocument();
    // The responsibility model, below the control stack.
    expect(await screen.findByRole('table', { name: 'responsibility matrix' })).toBeInTheDocument();
  });

  it('charts trends, stages by team and the groups × controls heat map, linking teams to their tab', async () => {
    await render();
    // The charts' text alternatives say what moved (the fake history has two days).
    expect(await screen.findByRole('img', { name: /Stage distribution over time\. Services at stage 3 or 4: 0 on 2026-11-27, 1 on 2026-11-28/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Mean time to patch trend: 14 d on 2026-11-27 → 10 d on 2026-11-28' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Production gate pass rate trend: 50% on 2026-11-27 → 100% on 2026-11-28' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Stage distribution by group\. team-payments: 1 at stage 0, 1 at stage 1; team-checkout/ })).toBeInTheDocument();

    const heat = screen.getByRole('table', { name: 'control adoption by team' });
    expect(within(heat).getAllByRole('row')).toHaveLength(3);
    expect(within(heat).getByLabelText('team-payments, SAST: not reported (1 passing, 1 not reported)')).toHaveTextContent('– 1/2');
    expect(within(heat).getByRole('link', { name: 'team-payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-payments/security',
    );
    expect(within(screen.getByRole('table', { name: 'teams' })).getByRole('link', { name: '✓ payments-api · 1' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/security',
    );
  });

  it("lists the backend's configured controls everywhere: one added in app-config (dast) shows, a disabled one does not", async () => {
    const configured = fakeDevsecopsApiWithDast();
    // The backend's catalogue without iac-lint (disabled in its config) though a stale roll-up still counts it.
    const api = fakeDevsecopsApiWithDast({
      getControlStack: async () => {
        const stack = await configured.getControlStack();
        return { ...stack, controls: stack.controls.filter(c => c.id !== 'iac-lint') };
      },
    });
    await render(api);

    const build = await screen.findByRole('region', { name: 'Build stage' });
    expect(within(build).getByText('DAST')).toBeInTheDocument();
    expect(screen.queryByText('IaC lint')).not.toBeInTheDocument();

    await screen.findByText('Maturity across 2 services');
    const heat = screen.getByRole('table', { name: 'control adoption by team' });
    expect(within(heat).getByRole('columnheader', { name: 'DAST' })).toBeInTheDocument();
    expect(within(heat).getByLabelText('team-payments, DAST: failing (3 passing, 1 failing)')).toHaveTextContent('✕ 3/4');
    expect(within(heat).getByLabelText('team-checkout, DAST: failing (3 passing, 1 failing)')).toHaveTextContent('✕ 3/4');
    expect(within(heat).queryByRole('columnheader', { name: 'IaC lint' })).not.toBeInTheDocument();
    // Team, services, failing, then the 15 configured controls.
    expect(within(heat).getAllByRole('columnheader')).toHaveLength(3 + 15);

    const adoption = screen.getByRole('table', { name: 'control adoption' });
    const dast = within(adoption).getByRole('row', { name: /^DAST/ });
    expect(dast).toHaveTextContent('75%');
    expect(dast).toHaveTextContent('passing 3');
    expect(dast).toHaveTextContent('failing 1');
    expect(within(adoption).queryByText('IaC lint')).not.toBeInTheDocument();
  });

  it('filters by group, system, domain and lifecycle, one scope at a time', async () => {
    const api = fakeApi();
    const getRollup = jest.spyOn(api, 'getRollup');
    const getRollupHistory = jest.spyOn(api, 'getRollupHistory');
    await render(api);
    await screen.findByText('Maturity across 2 services');
    const filters = screen.getByRole('search', { name: 'filters' });
    await waitFor(() => expect(within(filters).getByRole('combobox', { name: 'Group' })).not.toHaveAttribute('aria-disabled'));

    const choose = async (label: string, option: string) => {
      fireEvent.mouseDown(within(filters).getByRole('combobox', { name: label }));
      fireEvent.click(await screen.findByRole('option', { name: option }));
    };
    await choose('Group', 'Payments');
    await waitFor(() => expect(getRollup).toHaveBeenLastCalledWith({ group: 'group:default/team-payments', entitiesLimit: 500 }));
    await choose('Lifecycle', 'experimental');
    await waitFor(() =>
      expect(getRollup).toHaveBeenLastCalledWith({ group: 'group:default/team-payments', lifecycle: 'experimental', entitiesLimit: 500 }),
    );
    // A system replaces the group: a roll-up covers one scope.
    await choose('System', 'payments');
    await waitFor(() =>
      expect(getRollupHistory).toHaveBeenLastCalledWith({ system: 'system:default/payments', lifecycle: 'experimental' }, 90),
    );
    await choose('Domain', 'commerce');
    await waitFor(() => expect(getRollup).toHaveBeenLastCalledWith({ domain: 'domain:default/commerce', lifecycle: 'experimental', entitiesLimit: 500 }));
    expect(screen.getByText('commerce (experimental)')).toBeInTheDocument();
  });

  it('says when the portal holds demo data', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [devsecopsApiRef, fakeApi()],
          [catalogApiRef, fakeCatalogApi()],
          [configApiRef, mockApis.config({ data: { devsecops: { demoNotice: 'Demo data: generated history.' } } })],
        ]}
      >
        <OverviewContent />
      </TestApiProvider>,
    );
    expect(await screen.findByRole('alert', { name: 'demo data' })).toHaveTextContent('Demo data: generated history.');
  });

  it('warns when the backend cannot reach its database', async () => {
    await render(
      fakeApi({
        getHealth: async () => ({
          status: 'degraded',
          database: { client: 'pg', reachable: false, error: 'unreachable' },
          migrations: [],
        }),
      }),
    );
    expect(await screen.findByText(/cannot reach its database/)).toBeInTheDocument();
  });

  it('shows the backend error instead of an empty page', async () => {
    await render(
      fakeApi({
        getControlStack: async () => {
          throw new Error('devsecops backend is down');
        },
      }),
    );
    expect((await screen.findAllByText(/devsecops backend is down/)).length).toBeGreaterThan(0);
    expect(screen.queryByText('Pipeline control stack')).not.toBeInTheDocument();
  });
});
