import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityScorecard, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, sampleRollup, sampleScorecard } from '../../testUtils/fakeDevsecopsApi';
import { MyServicesCard } from './MyServicesCard';

jest.setTimeout(30_000);

const rollup: Rollup = {
  ...sampleRollup,
  entities: [
    { entityRef: 'component:default/payments-api', ownerRef: 'group:default/team-payments', stage: 2, productionGate: 'allow' },
    { entityRef: 'component:default/payments-worker', ownerRef: 'group:default/team-payments', stage: 3, productionGate: 'deny' },
    { entityRef: 'component:default/payments-ledger', ownerRef: 'group:default/team-payments', stage: 1, productionGate: 'allow' },
    { entityRef: 'resource:default/payments-db', ownerRef: 'group:default/team-payments', stage: 0 },
    { entityRef: 'component:default/checkout-web', ownerRef: 'group:default/team-checkout', stage: 1, productionGate: 'deny' },
  ],
};

/** A scorecard whose controls are all passing except the named failing and stale ones. */
function scorecard(entityRef: string, states: Record<string, 'failing' | 'stale'>, stage = 1): EntityScorecard {
  return {
    ...sampleScorecard,
    entityRef,
    controls: sampleScorecard.controls.map(c => ({
      ...c,
      state: states[c.controlId] ?? 'passing',
      reason: states[c.controlId] === 'failing' ? 'No observation of exercise.dependency_compromise' : 'Evidence older than 30 days',
    })),
    maturity: { ...sampleScorecard.maturity, stage },
  };
}

const scorecards: Record<string, EntityScorecard> = {
  'component:default/payments-api': scorecard('component:default/payments-api', {}, 2),
  'component:default/payments-worker': scorecard('component:default/payments-worker', { 'container-scan': 'failing' }, 3),
  'component:default/payments-ledger': scorecard('component:default/payments-ledger', { 'container-scan': 'failing', 'secret-scanning': 'failing' }),
  'resource:default/payments-db': scorecard('resource:default/payments-db', { 'secret-scanning': 'stale' }, 0),
};

function identity(ownershipEntityRefs: string[]) {
  return {
    getBackstageIdentity: async () => ({ type: 'user' as const, userEntityRef: 'user:default/paula-payne', ownershipEntityRefs }),
  };
}

async function render(ownershipEntityRefs: string[], api = fakeDevsecopsApi({ getRollup: async () => rollup, getScorecard: async ref => scorecards[ref] })) {
  await renderInTestApp(
    <TestApiProvider apis={[[devsecopsApiRef, api], [identityApiRef, identity(ownershipEntityRefs)]]}>
      <MyServicesCard />
    </TestApiProvider>,
  );
  return api;
}

describe('MyServicesCard', () => {
  it("lists the signed-in user's teams' services failing first, each with what fails and the one next step", async () => {
    await render(['user:default/paula-payne', 'group:default/team-payments']);
    const list = await screen.findByRole('list', { name: 'my services' });
    const items = within(list).getAllByRole('listitem');
    // Denied gate first, then the most failing controls; checkout-web belongs to another team.
    expect(items.map(li => li.getAttribute('data-testid'))).toEqual([
      'my-service-payments-worker',
      'my-service-payments-ledger',
      'my-service-payments-db',
      'my-service-payments-api',
    ]);
    expect(within(list).queryByText(/checkout-web/)).not.toBeInTheDocument();

    const worker = within(items[0]);
    expect(worker.getByRole('link', { name: 'payments-worker: Security tab' })).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-worker/security',
    );
    expect(worker.getByText('Stage 3 · ✕ denied')).toBeInTheDocument();
    expect(worker.getByTestId('my-service-failing')).toHaveTextContent('1 failing: Container scan');
    // The reason as a sentence, not the raw fact key.
    expect(worker.getByTestId('my-service-next-step')).toHaveTextContent(/^Next step: Fix Container scan: /);
    expect(worker.getByTestId('my-service-next-step')).not.toHaveTextContent('exercise.dependency_compromise');

    expect(within(items[1]).getByTestId('my-service-failing')).toHaveTextContent('2 failing: Secret scanning, Container scan');
    // A Resource has no Security tab: no link to a 404, the stale control's refresh is its next step.
    expect(within(items[2]).queryByRole('link')).not.toBeInTheDocument();
    expect(within(items[2]).getByTestId('my-service-next-step')).toHaveTextContent(
      'Next step: Send fresh evidence for Secret scanning: Evidence older than 30 days',
    );
    expect(within(items[3]).queryByTestId('my-service-failing')).not.toBeInTheDocument();
    expect(within(items[3]).getByTestId('my-service-next-step')).toHaveTextContent(
      'Next step: Reach stage 3: Move onto reusable CI/CD workflows',
    );
  });

  it('reads only its own services\' scorecards and says which one could not be read', async () => {
    const api = fakeDevsecopsApi({
      getRollup: async () => rollup,
      getScorecard: async ref => {
        if (ref === 'component:default/payments-api') throw new Error('The permission policy does not allow devsecops.read');
        return scorecards[ref];
      },
    });
    const getScorecard = jest.spyOn(api, 'getScorecard');
    await render(['group:default/team-payments'], api);
    const item = await screen.findByTestId('my-service-payments-api');
    expect(item).toHaveTextContent('Its scorecard could not be read: The permission policy does not allow devsecops.read');
    expect(getScorecard.mock.calls.map(c => c[0]).sort()).toEqual(Object.keys(scorecards).sort());
  });

  it("says what to do when the user's teams own no scored service", async () => {
    await render(['user:default/paula-payne', 'group:default/team-identity']);
    expect(await screen.findByTestId('my-services-empty')).toHaveTextContent(
      "None of your teams (team-identity) owns a scored service yet. Add the evidence upload to your services' CI",
    );
    expect(screen.queryByRole('list', { name: 'my services' })).not.toBeInTheDocument();
  });

  it('says what to do when the user is in no team', async () => {
    await render(['user:default/paula-payne']);
    expect(await screen.findByTestId('my-services-empty')).toHaveTextContent(
      "You are not in any team in the catalog, so no service is yours here. Ask your catalog admin to add you to your team's Group",
    );
  });
});
