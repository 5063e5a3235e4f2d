import { ComponentSearchPage } from '@devsecops-scorecard/plugin-devsecops-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { Route, Routes, useLocation } from 'react-router-dom';
import { PortfolioSearchBox } from './PortfolioSearchBox';
import { PortfolioSearchPage } from './PortfolioSearchPage';

jest.setTimeout(60_000);

const answer: ComponentSearchPage = {
  items: [
    {
      entityRef: 'component:default/checkout-web',
      ownerRef: 'group:default/team-checkout',
      artifactDigest: `sha256:${'b'.repeat(64)}`,
      name: 'log4j-core',
      version: '2.13.2',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2',
      deployedTo: [{ environment: 'staging', deployedAt: '2026-12-05T10:00:00.000Z' }],
      reportId: 'r1',
    },
    {
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      name: 'log4j-core',
      version: '2.14.1',
      deployedTo: [],
      reportId: 'r2',
    },
  ],
  totalCount: 2,
  entityCount: 2,
  limit: 500,
  offset: 0,
};

describe('PortfolioSearchPage', () => {
  it('searches the stored SBOMs for a package range and lists owners and where each artifact runs', async () => {
    const queries: string[] = [];
    const api = fakeDevsecopsApi({
      searchComponents: async query => {
        queries.push(query.package);
        return answer;
      },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <PortfolioSearchPage />
      </TestApiProvider>,
    );
    fireEvent.change(screen.getByLabelText('Package'), { target: { value: 'log4j-core@<2.17' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('status')).toHaveTextContent('2 entities contain log4j-core@<2.17 (2 artifacts).');
    expect(queries).toEqual(['log4j-core@<2.17']);
    const table = screen.getByRole('table', { name: 'components found' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('component:default/checkout-web');
    expect(rows[0]).toHaveTextContent('group:default/team-checkout');
    expect(rows[0]).toHaveTextContent('staging');
    expect(rows[1]).toHaveTextContent('not deployed');
    expect(rows[1]).toHaveTextContent('source');
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeInTheDocument();
  });
});

function LocationProbe() {
  const location = useLocation();
  return <p data-testid="location">{`${location.pathname}${location.search}`}</p>;
}

describe('PortfolioSearchBox', () => {
  it('opens the search page with the package in the URL', async () => {
    await renderInTestApp(
      <Routes>
        <Route path="/devsecops" element={<PortfolioSearchBox />} />
        <Route path="/devsecops/search" element={<LocationProbe />} />
      </Routes>,
      { routeEntries: ['/devsecops'] },
    );
    fireEvent.change(screen.getByLabelText('Which services contain…'), { target: { value: 'log4j-core@<2.17' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find' }));
    expect(await screen.findByTestId('location')).toHaveTextContent('/devsecops/search?package=log4j-core%40%3C2.17');
  });
});
