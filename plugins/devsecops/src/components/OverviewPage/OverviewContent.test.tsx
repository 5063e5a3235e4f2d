import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { OverviewContent } from './OverviewContent';
import { fakeDevsecopsApi as fakeApi } from '../../testUtils/fakeDevsecopsApi';

describe('OverviewContent', () => {
  it('shows each stage with its controls, fail condition and evidence', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, fakeApi()]]}>
        <OverviewContent />
      </TestApiProvider>,
    );

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
    expect(screen.getByText('Maturity across 2 services')).toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'stage distribution' })).toHaveTextContent('Stage 1');
    expect(screen.getByText(/1 allowed, 0 denied, 1 without a decision \(100% pass\)/)).toBeInTheDocument();
  });

  it('warns when the backend cannot reach its database', async () => {
    const api = fakeApi({
      getHealth: async () => ({
        status: 'degraded',
        database: { client: 'pg', reachable: false, error: 'unreachable' },
        migrations: [],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <OverviewContent />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/cannot reach its database/),
    ).toBeInTheDocument();
  });

  it('shows the backend error instead of an empty page', async () => {
    const api = fakeApi({
      getControlStack: async () => {
        throw new Error('devsecops backend is down');
      },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <OverviewContent />
      </TestApiProvider>,
    );
    expect(
      (await screen.findAllByText(/devsecops backend is down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Pipeline control stack')).not.toBeInTheDocument();
  });
});
