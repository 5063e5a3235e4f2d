import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import devsecopsPlugin from './alpha';
import { devsecopsApiRef } from './api';
import { fakeDevsecopsApi } from './testUtils/fakeDevsecopsApi';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { fakeCatalogApi } from './__testUtils__/fakeCatalog';

// The whole overview renders in a test app: more than jest's 5 s default on a loaded machine.
jest.setTimeout(30_000);

describe('devsecops frontend plugin (new frontend system)', () => {
  it('mounts the overview page at /devsecops', async () => {
    renderTestApp({
      features: [devsecopsPlugin],
      initialRouteEntries: ['/devsecops'],
      apis: [
        [devsecopsApiRef, fakeDevsecopsApi()],
        [catalogApiRef, fakeCatalogApi()],
      ],
    });
    expect(
      await screen.findByText('Pipeline control stack', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'control adoption' })).toHaveTextContent(
      'Signed artifact verification',
    );
    expect(screen.getByRole('table', { name: 'teams' })).toHaveTextContent('payments-api · 1');
  });
});
