import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, within } from '@testing-library/react';
import { fakeCatalogApi } from '../../__testUtils__/fakeCatalog';
import { sampleScorecard } from '../../testUtils/fakeDevsecopsApi';
import { ControlStackStates } from './ControlStackStates';

jest.setTimeout(30_000);

describe('ControlStackStates', () => {
  it('says who acts, provides and decides for a failing control, and which controls the gate reads', async () => {
    const controls = sampleScorecard.controls.map(c =>
      c.controlId === 'container-scan'
        ? {
            ...c,
            responsibility: {
              capability: 'dependency-security' as const,
              acts: 'group:default/team-payments',
              provides: 'group:default/platform-team',
              decides: 'group:default/security-compliance',
            },
            evidence: [{ kind: 'report' as const, id: 'r2', at: '2026-11-28T10:00:00.000Z' }],
            lastEvidenceAt: '2026-11-28T10:00:00.000Z',
          }
        : c,
    );
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, fakeCatalogApi()]]}>
        <ControlStackStates controls={controls} gateControls={new Set(['container-scan'])} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const control = screen.getByTestId('control-container-scan');
    expect(control).toHaveTextContent('the release gate reads this control');
    // The evidence date links to the upload's row.
    expect(within(control).getByRole('link', { name: new Date('2026-11-28T10:00:00.000Z').toLocaleDateString() })).toHaveAttribute(
      'href',
      '#report-r2',
    );
    fireEvent.click(within(control).getByText('Who acts, provides, decides'));
    const who = within(control).getByRole('region', { name: 'Responsibility for Container scan' });
    expect(within(who).getByRole('link', { name: /team-payments/ })).toBeInTheDocument();
    expect(within(who).getByText(/Set severity policy/)).toBeInTheDocument();
    // Only failing controls carry it.
    expect(within(screen.getByTestId('control-sast')).queryByText('Who acts, provides, decides')).not.toBeInTheDocument();
  });
});
