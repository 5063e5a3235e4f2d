import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { Report } from '@devsecops-scorecard/plugin-devsecops-common';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi } from '../../testUtils/fakeDevsecopsApi';
import { UploadsPanel } from './UploadsPanel';

const report: Report = {
  id: 'r2',
  entityRef: 'component:default/payments-api',
  control: 'container-scan',
  controls: ['container-scan'],
  format: 'trivy',
  tool: 'Trivy',
  toolVersion: '0.58.0',
  sourceCommit: '4f2c9a1d0b7e55aa',
  branch: 'main',
  artifactDigest: `sha256:${'b'.repeat(64)}`,
  uploader: 'external:ci',
  receivedAt: '2026-11-28T10:00:00.000Z',
  scannedAt: '2026-11-28T10:00:00.000Z',
  summary: { total: 3, bySeverity: { critical: 1, high: 2, medium: 0, low: 0, info: 0 }, suppressed: 0, components: 0 },
  bodySha256: 'c'.repeat(64),
  bodySize: 10,
  bodyStored: true,
  bodyRedacted: true,
};

describe('UploadsPanel', () => {
  it('lists each upload with tool, commit, shortened digest and its kept body, as the target of evidence dates', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [devsecopsApiRef, fakeDevsecopsApi({ listReports: async () => ({ items: [report], totalCount: 1, limit: 50, offset: 0 }) })],
          [discoveryApiRef, { getBaseUrl: async () => 'http://x/api/devsecops' }],
          [fetchApiRef, { fetch: jest.fn() }],
        ]}
      >
        <UploadsPanel entityRef="component:default/payments-api" />
      </TestApiProvider>,
    );
    const row = (await screen.findByRole('table', { name: 'uploads' })).querySelector('#report-r2') as HTMLElement;
    expect(row).toHaveTextContent('Trivy 0.58.0');
    expect(row).toHaveTextContent('4f2c9a1d0b7e on main');
    expect(row).toHaveTextContent('sha256:bbbbbbbbbbbb…');
    expect(row).not.toHaveTextContent('b'.repeat(13));
    expect(within(row).getByRole('button', { name: /Copy digest/ })).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: /Download the kept body of the Trivy upload/ })).toBeInTheDocument();
    expect(row).toHaveTextContent('(secrets removed)');
  });
});
