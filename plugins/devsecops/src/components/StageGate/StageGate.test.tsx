import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, sampleRollup } from '../../testUtils/fakeDevsecopsApi';
import { devsecopsStageGateColumn } from './catalogColumn';

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
    expect(getRollup).toHaveBeenCalledWith({});
  });
});
