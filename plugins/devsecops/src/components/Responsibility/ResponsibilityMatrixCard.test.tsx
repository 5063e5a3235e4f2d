import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { fakeCatalogApi } from '../../__testUtils__/fakeCatalog';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { sampleResponsibilityMatrix } from '../../testUtils/fakeResponsibility';
import { ResponsibilityMatrixCard } from './ResponsibilityMatrixCard';

const render = (api = fakeDevsecopsApi()) =>
  renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api], [catalogApiRef, fakeCatalogApi()]]}>
      <ResponsibilityMatrixCard />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );

describe('ResponsibilityMatrixCard', () => {
  it('shows the six capabilities with each role, the configured groups and what belongs to each', async () => {
    await render();
    const table = await screen.findByRole('table', { name: 'responsibility matrix' });
    expect(within(table).getAllByRole('row')).toHaveLength(7);
    const cicd = within(table).getByRole('row', { name: /^CI\/CD controls/ });
    expect(within(cicd).getByText('Fix findings and own exceptions')).toBeInTheDocument();
    expect(within(cicd).getByText('Provide reusable workflows and runners')).toBeInTheDocument();
    expect(within(cicd).getByText('Define required controls')).toBeInTheDocument();
    expect(within(cicd).getByText('Secret scanning; Move onto reusable CI/CD workflows (stage 2)')).toBeInTheDocument();
    expect(within(table).getByRole('link', { name: /platform-team/ })).toHaveAttribute('href', '/catalog/default/group/platform-team');
    expect(within(table).getByRole('link', { name: /security-compliance/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/security-compliance',
    );
  });

  it('says which configuration key names a role nobody plays', async () => {
    await render(fakeDevsecopsApi({ getResponsibilityMatrix: async () => ({ ...sampleResponsibilityMatrix, groups: {} }) }));
    expect(await screen.findByText('not configured (devsecops.responsibility.platformTeam)')).toBeInTheDocument();
    expect(screen.getByText('not configured (devsecops.responsibility.securityOwner)')).toBeInTheDocument();
  });

  it('shows the server error when the matrix cannot be read', async () => {
    await render(fakeDevsecopsApi({ getResponsibilityMatrix: async () => Promise.reject(new Error('devsecops is down')) }));
    expect(await screen.findByText('Error: devsecops is down', { selector: 'h6' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
