import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, sampleRollup } from '../../testUtils/fakeDevsecopsApi';
import { devsecopsStageGateColumn } from './catalogColumn';
import { stageGateIndex } from './stageGateIndex';

jest.setTimeout(30_000);

const rollup: Rollup = {
  ...sampleRollup,
  entities: [
    { entityRef: 'component:default/payments-api', ownerRef: 'group:default/team-payments', stage: 2, productionGate: 'allow' },
    { entityRef: 'component:default/payments-worker', ownerRef: 'group:default/team-payments', stage: 3, productionGate: 'deny' },
    { entityRef: 'resource:default/payments-db', ownerRef: 'group:default/team-payments', stage: 0 },
    { entityRef: 'component:default/checkout-web', ownerRef: 'group:default/team-checkout', stage: 1 },
  ],
};

const entity = (kind: string, name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, namespace: 'default' } });

describe('the catalog column', () => {
  it("shows each row's stage and gate from one roll-up for the whole table, linking components to their Security tab", async () => {
    const api = fakeDevsecopsApi({ getRollup: async () => rollup });
    const getRollup = jest.spyOn(api, 'getRollup');
    const column = devsecopsStageGateColumn<{ entity: ReturnType<typeof entity> }>();
    expect(column.title).toBe('Stage · gate');
    await renderInTestApp(
      <TestApiProvider apis={[[devsecopsApiRef, api]]}>
        <ul>
          {[entity('Component', 'payments-worker'), entity('Resource', 'payments-db'), entity('Component', 'unscored')].map(e => (
            <li key={e.metadata.name} data-testid={e.metadata.name}>
              {column.render!({ entity: e }, 'row')}
            </li>
          ))}
        </ul>
      </TestApiProvider>,
    );
    const worker = await screen.findByRole('link', { name: 'Stage 3 · ✕ denied' });
    expect(worker).toHaveAttribute('href', '/catalog/default/component/payments-worker/security');
    expect(worker).toHaveAttribute('title', 'Security tab: stage 3, production gate denied');
    expect(within(screen.getByTestId('payments-db')).getByText('Stage 0 · – no decision')).toBeInTheDocument();
    expect(within(screen.getByTestId('payments-db')).queryByRole('link')).not.toBeInTheDocument();
    expect(within(screen.getByTestId('unscored')).getByText('—')).toBeInTheDocument();
    expect(getRollup).toHaveBeenCalledTimes(1);
    expect(getRollup).toHaveBeenCalledWith({ entitiesLimit: 500 });
  });

  it('reads an organisation of 1,200 entities in three pages and finds the last one', async () => {
    const all = Array.from({ length: 1200 }, (_, i) => ({
      entityRef: `component:default/svc-${String(i).padStart(4, '0')}`,
      ownerRef: 'group:default/team-payments',
      stage: i % 5,
      productionGate: i % 2 === 0 ? ('allow' as const) : ('deny' as const),
    }));
    const api = fakeDevsecopsApi({
      getRollup: async query => {
        const start = query?.entitiesCursor ? Number(query.entitiesCursor) : 0;
        const end = start + (query?.entitiesLimit ?? all.length);
        return {
          ...sampleRollup,
          entities: all.slice(start, end),
          entitiesPage: { total: all.length, ...(end < all.length ? { nextCursor: String(end) } : {}) },
        };
      },
    });
    const getRollup = jest.spyOn(api, 'getRollup');
    const index = await stageGateIndex(api);
    expect(index.size).toBe(1200);
    expect(index.get('component:default/svc-1199')).toMatchObject({ stage: 4, productionGate: 'deny' });
    expect(getRollup.mock.calls.map(([q]) => q)).toEqual([
      { entitiesLimit: 500 },
      { entitiesLimit: 500, entitiesCursor: '500' },
      { entitiesLimit: 500, entitiesCursor: '1000' },
    ]);
  });
});
