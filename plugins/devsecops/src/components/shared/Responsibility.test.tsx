import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { fakeCatalogApi } from '../../__testUtils__/fakeCatalog';
import { Responsibility } from './Responsibility';

const render = (element: JSX.Element) =>
  renderInTestApp(<TestApiProvider apis={[[catalogApiRef, fakeCatalogApi()]]}>{element}</TestApiProvider>, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('Responsibility', () => {
  it('says who acts, provides and decides, each with its duty and a link to its group', async () => {
    await render(
      <Responsibility
        responsibility={{
          capability: 'dependency-security',
          acts: 'group:default/team-payments',
          provides: 'group:default/platform-team',
          decides: 'group:default/security-compliance',
        }}
      />,
    );
    const section = screen.getByRole('region', { name: 'Responsibility: Dependency security' });
    expect(within(section).getByText(/Upgrade and test packages/)).toBeInTheDocument();
    expect(within(section).getByText(/Provide bots, caches, and mirrors/)).toBeInTheDocument();
    expect(within(section).getByText(/Set severity policy/)).toBeInTheDocument();
    expect(within(section).getByRole('link', { name: /team-payments/ })).toHaveAttribute('href', '/catalog/default/group/team-payments');
    expect(within(section).getByRole('link', { name: /platform-team/ })).toHaveAttribute('href', '/catalog/default/group/platform-team');
    expect(within(section).getByRole('link', { name: /security-compliance/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/security-compliance',
    );
  });

  it('names the missing owner and the configuration key of a role nobody plays', async () => {
    await render(<Responsibility responsibility={{ capability: 'ci-cd-controls' }} title="Who handles SAST" />);
    const section = screen.getByRole('region', { name: 'Who handles SAST' });
    expect(within(section).getByText('no owner in the catalog')).toBeInTheDocument();
    expect(within(section).getByText(/devsecops\.responsibility\.platformTeam/)).toBeInTheDocument();
    expect(within(section).getByText(/devsecops\.responsibility\.securityOwner/)).toBeInTheDocument();
    expect(within(section).queryByRole('link')).toBeNull();
  });
});
