import {
  createExtensionInput,
  createFrontendPlugin,
  identityApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { homePageWidgetDataRef } from '@backstage/plugin-home-react/alpha';
import { screen, within } from '@testing-library/react';
import devsecopsPlugin from './alpha';
import { devsecopsApiRef } from './api';
import { fakeDevsecopsApi, sampleRollup } from './testUtils/fakeDevsecopsApi';

jest.setTimeout(30_000);

/**
 * A home page as `@backstage/plugin-home/alpha` declares it: the extension `page:home` with a
 * `widgets` input, where `HomePageWidgetBlueprint` attaches every widget.
 */
const homePage = PageBlueprint.makeWithOverrides({
  inputs: { widgets: createExtensionInput([homePageWidgetDataRef]) },
  factory(originalFactory, { inputs }) {
    return originalFactory({
      path: '/home',
      loader: async () => (
        <main>
          {inputs.widgets.map(widget => {
            const data = widget.get(homePageWidgetDataRef);
            return <section key={data.name} aria-label={data.title}>{data.component}</section>;
          })}
        </main>
      ),
    });
  },
});
const homePlugin = createFrontendPlugin({ pluginId: 'home', extensions: [homePage] });

describe('the "my services" home-page widget (new frontend system)', () => {
  it("attaches to the home page and lists the signed-in user's services with the next step", async () => {
    renderTestApp({
      features: [homePlugin, devsecopsPlugin],
      initialRouteEntries: ['/home'],
      apis: [
        [devsecopsApiRef, fakeDevsecopsApi({ getRollup: async () => sampleRollup })],
        [
          identityApiRef,
          {
            getBackstageIdentity: async () => ({
              type: 'user' as const,
              userEntityRef: 'user:default/paula-payne',
              ownershipEntityRefs: ['user:default/paula-payne', 'group:default/team-payments'],
            }),
            getProfileInfo: async () => ({}),
            getCredentials: async () => ({}),
            signOut: async () => {},
          },
        ],
      ],
    });
    const widget = await screen.findByRole('region', { name: 'My services' }, { timeout: 20_000 });
    const list = await within(widget).findByRole('list', { name: 'my services' }, { timeout: 20_000 });
    expect(within(widget).getByText('My services')).toBeInTheDocument();
    const items = within(list).getAllByRole('listitem');
    // Only team-payments' service: checkout-web belongs to another team.
    expect(items.map(li => li.getAttribute('data-testid'))).toEqual(['my-service-payments-api']);
    expect(within(items[0]).getByTestId('my-service-next-step')).toHaveTextContent(/^Next step: Fix Container scan: 1 open finding/);
  });
});
