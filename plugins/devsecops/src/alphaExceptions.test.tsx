import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import devsecopsPlugin from './alpha';
import { devsecopsApiRef } from './api';
import { fakeDevsecopsApi } from './testUtils/fakeDevsecopsApi';

jest.setTimeout(30_000);

describe('exception and exercise pages (new frontend system)', () => {
  it('opens an exception at /devsecops/exceptions/<id>, where notifications link', async () => {
    const api = fakeDevsecopsApi();
    const get = jest.spyOn(api, 'getException');
    renderTestApp({
      features: [devsecopsPlugin],
      initialRouteEntries: ['/devsecops/exceptions/e42'],
      apis: [[devsecopsApiRef, api]],
    });
    expect(await screen.findByText('Risk statement', undefined, { timeout: 20_000 })).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('e42');
    expect(screen.getByRole('list', { name: 'history' })).toBeInTheDocument();
  });

  it('mounts the exercises page at /devsecops/exercises', async () => {
    renderTestApp({
      features: [devsecopsPlugin],
      initialRouteEntries: ['/devsecops/exercises'],
      apis: [[devsecopsApiRef, fakeDevsecopsApi()]],
    });
    expect(await screen.findByRole('button', { name: 'Record an exercise' }, { timeout: 20_000 })).toBeInTheDocument();
  });
});
