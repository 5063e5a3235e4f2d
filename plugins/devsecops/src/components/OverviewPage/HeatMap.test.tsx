import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { PIPELINE_CONTROLS, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { devsecopsApiRef } from '../../api';
import { fakeCatalogApi } from '../../__testUtils__/fakeCatalog';
import { fakeDevsecopsApi, sampleRollup, sampleScorecard } from '../../testUtils/fakeDevsecopsApi';
import { OverviewContent } from './OverviewContent';
import { heatMapCsv } from './OverviewExports';
import { TeamsTable } from './OrgRollup';

jest.setTimeout(30_000);

const { entities: _entities, owners: _owners, children: _children, ...aggregate } = sampleRollup;
const team = (name: string, entityCount: number, states: Record<string, Rollup['controlAdoption'][string]['states']>) => ({
  ...aggregate,
  scope: { kind: 'group' as const, ref: `group:default/${name}` },
  entityCount,
  controlAdoption: Object.fromEntries(PIPELINE_CONTROLS.map(c => [c.id, { states: states[c.id] ?? { passing: entityCount } }])),
});

/** Four teams, one per cell state on SAST, so each state shows and sorting has something to order. */
const rollup: Rollup = {
  ...sampleRollup,
  entityCount: 7,
  entities: [
    { entityRef: 'component:default/payments-api', ownerRef: 'group:default/team-payments', stage: 1, productionGate: 'deny' },
    { entityRef: 'component:default/payments-worker', ownerRef: 'group:default/team-payments', stage: 2, productionGate: 'allow' },
    { entityRef: 'resource:default/payments-db', ownerRef: 'group:default/team-payments', stage: 0 },
  ],
  owners: [
    team('team-payments', 3, { sast: { passing: 1, failing: 1, not_reported: 1 } }),
    team('team-checkout', 2, { sast: { passing: 1, stale: 1 } }),
    team('team-identity-and-access-management-platform-guild', 1, { sast: { not_reported: 1 } }),
    team('team-search', 1, { sast: { passing: 1 } }),
  ],
};

function Location() {
  const location = useLocation();
  return <output aria-label="location">{`${location.pathname}${location.search}`}</output>;
}

const render = (api = fakeDevsecopsApi({ getRollup: async () => rollup }), path = '/devsecops') =>
  renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api], [catalogApiRef, fakeCatalogApi()]]}>
      <Routes>
        <Route
          path="/devsecops"
          element={
            <>
              <OverviewContent />
              <Location />
            </>
          }
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [path] },
  );

const teamNames = (heat: HTMLElement) =>
  within(heat)
    .getAllByTestId(/^team-row-/)
    .map(r => r.getAttribute('data-testid')!.replace('team-row-', ''));

describe('the org heat map', () => {
  it('tells passing, failing, stale and not reported apart, with a legend', async () => {
    await render();
    const heat = await screen.findByRole('table', { name: 'control adoption by team' });
    const cell = (t: string) => within(heat).getByLabelText(new RegExp(`^${t}, SAST: `));
    expect(cell('team-payments')).toHaveAttribute('data-state', 'failing');
    expect(cell('team-payments')).toHaveAccessibleName('team-payments, SAST: failing (1 passing, 1 failing, 1 not reported)');
    expect(cell('team-payments')).toHaveTextContent('✕ 1/3');
    expect(cell('team-checkout')).toHaveAttribute('data-state', 'stale');
    expect(cell('team-checkout')).toHaveTextContent('! 1/2');
    expect(cell('team-identity-and-access-management-platform-guild')).toHaveAttribute('data-state', 'not_reported');
    expect(cell('team-search')).toHaveAttribute('data-state', 'passing');
    expect(cell('team-search')).toHaveTextContent('✓ 1/1');
    const legend = screen.getByRole('list', { name: 'legend' });
    for (const label of ['✕ Failing', '! Stale', '– Not reported', '✓ Passing', '· Not applicable']) {
      expect(legend).toHaveTextContent(label);
    }
  });

  it('sorts by failing first, by team or by a control, and keeps the sort in the URL', async () => {
    await render();
    const heat = await screen.findByRole('table', { name: 'control adoption by team' });
    expect(teamNames(heat)[0]).toBe('team-payments');
    fireEvent.click(within(heat).getByRole('button', { name: 'Team' }));
    expect(teamNames(heat)).toEqual([
      'team-checkout',
      'team-identity-and-access-management-platform-guild',
      'team-payments',
      'team-search',
    ]);
    expect(screen.getByLabelText('location')).toHaveTextContent('/devsecops?sort=team&dir=asc');
    fireEvent.click(within(heat).getByRole('button', { name: 'Team' }));
    expect(teamNames(heat)[0]).toBe('team-search');
  });

  it('restores filters and sort from the URL, and writes a new filter into it', async () => {
    const api = fakeDevsecopsApi({ getRollup: async () => rollup });
    const getRollup = jest.spyOn(api, 'getRollup');
    await render(api, '/devsecops?group=group%3Adefault%2Fteam-payments&lifecycle=production&sort=team&dir=desc');
    const heat = await screen.findByRole('table', { name: 'control adoption by team' });
    expect(getRollup).toHaveBeenCalledWith({ group: 'group:default/team-payments', lifecycle: 'production', entitiesLimit: 500 });
    expect(teamNames(heat)[0]).toBe('team-search');
    expect(screen.getByRole('button', { name: 'Export team-payments audit package' })).toBeInTheDocument();

    const filters = screen.getByRole('search', { name: 'filters' });
    await waitFor(() => expect(within(filters).getByRole('combobox', { name: 'System' })).not.toHaveAttribute('aria-disabled'));
    fireEvent.mouseDown(within(filters).getByRole('combobox', { name: 'System' }));
    fireEvent.click(await screen.findByRole('option', { name: 'payments' }));
    await waitFor(() =>
      expect(screen.getByLabelText('location')).toHaveTextContent(
        '/devsecops?lifecycle=production&sort=team&dir=desc&system=system%3Adefault%2Fpayments',
      ),
    );
    expect(getRollup).toHaveBeenLastCalledWith({ system: 'system:default/payments', lifecycle: 'production', entitiesLimit: 500 });
    expect(screen.getByText(/Audit packages cover a service, a group or the organisation/)).toBeInTheDocument();
  });

  it("shows the URL's filters before the catalog's options arrive", async () => {
    const pending = { ...fakeCatalogApi(), getEntities: () => new Promise<never>(() => {}) };
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeDevsecopsApi({ getRollup: async () => rollup })], [catalogApiRef, pending]]}>
        <OverviewContent />
      </TestApiProvider>,
      { routeEntries: ['/devsecops?group=group%3Adefault%2Fteam-payments&lifecycle=production'] },
    );
    await screen.findByRole('table', { name: 'control adoption by team' });
    const filters = screen.getByRole('search', { name: 'filters' });
    expect(within(filters).getByRole('combobox', { name: 'Lifecycle' })).toHaveTextContent('production');
    expect(within(filters).getByRole('combobox', { name: 'Group' })).toHaveTextContent('team-payments');
  });

  it('opens a team to its services, each with its own control states', async () => {
    const getScorecard = jest.fn(async (ref: string) => ({ ...sampleScorecard, entityRef: ref }));
    await render(fakeDevsecopsApi({ getRollup: async () => rollup, getScorecard }));
    const heat = await screen.findByRole('table', { name: 'control adoption by team' });
    fireEvent.click(within(heat).getByRole('button', { name: 'Show the services of team-payments' }));
    const row = await within(heat).findByTestId('service-row-payments-api');
    expect(within(row).getByLabelText('payments-api, Container scan: failing')).toHaveTextContent('✕');
    expect(within(row).getByLabelText('payments-api, SAST: not reported')).toHaveTextContent('–');
    expect(within(row).getByRole('link', { name: 'payments-api' })).toHaveAttribute('href', '/catalog/default/component/payments-api/security');
    // A Resource has no Security tab: named, not linked.
    const resource = within(heat).getByTestId('service-row-payments-db');
    expect(within(resource).queryByRole('link')).not.toBeInTheDocument();
    expect(getScorecard.mock.calls.map(c => c[0]).sort()).toEqual([
      'component:default/payments-api',
      'component:default/payments-worker',
      'resource:default/payments-db',
    ]);
  });

  it('writes the heat map as CSV, one line per team and control with every state count', () => {
    const csv = heatMapCsv(rollup, PIPELINE_CONTROLS.filter(c => c.id === 'sast'), { by: 'failing', dir: 'desc' });
    expect(csv.split('\n')[0]).toBe(
      'team,services,control,control title,cell state,passing,failing,stale,not reported,excepted,not applicable,error,passing %',
    );
    expect(csv).toContain('group:default/team-payments,3,sast,SAST,failing,1,1,0,1,0,0,0,\n');
    expect(csv).toContain('group:default/team-checkout,2,sast,SAST,stale,1,0,1,0,0,0,0,\n');
  });
});

describe('TeamsTable', () => {
  it('links only entities with a Security tab, and colours the gate with readable text', async () => {
    await renderInTestApp(<TeamsTable rollup={rollup} />);
    const table = screen.getByRole('table', { name: 'teams' });
    expect(within(table).getByRole('link', { name: '✕ payments-api · 1' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/security',
    );
    expect(within(table).getByText('– payments-db · 0').closest('a')).toBeNull();
    // The chip, not the link, carries the colour: the palette's pair (AA, statePalette.test.ts).
    const denied = within(table).getByText('✕ payments-api · 1').closest('.v5-MuiChip-root, .MuiChip-root') as HTMLElement;
    expect(getComputedStyle(denied).color).toBe('rgb(183, 28, 28)');
    expect(getComputedStyle(denied).backgroundColor).toBe('rgb(255, 235, 238)');
  });
});
