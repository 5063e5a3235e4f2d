import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Demo personas sign-in for the local portal (see DemoSignInPage and the backend's demo
 * provider); swap this page for your identity provider's sign-in page in production.
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { DemoSignInPage } = await import('./DemoSignInPage');
      return props => <DemoSignInPage {...props} />;
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
