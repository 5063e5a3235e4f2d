import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/**
 * Demo personas sign-in, for local development only: the sign-in page lists a few users of the
 * demo organisation (a product team developer, a risk owner, a platform engineer) and the
 * person picks one. The chosen user travels in this header on every session refresh
 * (GET /api/auth/demo/refresh), like an authenticating proxy's header would.
 */
export const DEMO_USER_HEADER = 'x-devsecops-demo-user';

/** The result the authenticator hands to the sign-in resolver. */
export interface DemoSignInResult {
  userEntityRef: string;
  displayName?: string;
}

/**
 * Refused outside development exactly like Backstage's guest provider: NODE_ENV=development, or
 * `auth.providers.demo.dangerouslyAllowOutsideDevelopment: true`.
 */
function allowedHere(config: Config): boolean {
  return (
    process.env.NODE_ENV === 'development' ||
    config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true
  );
}

const OUTSIDE_DEVELOPMENT =
  "The demo sign-in provider cannot be used outside of a development environment unless 'auth.providers.demo.dangerouslyAllowOutsideDevelopment' is enabled";

/** A user reference as written in config or sent by the page: `paula-payne` or `user:default/paula-payne`. */
function normalizeUserRef(ref: string): string {
  const parsed = parseEntityRef(ref.trim().toLocaleLowerCase('en-US'), {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  if (parsed.kind !== 'user') {
    throw new InputError(`${ref} is not a user reference`);
  }
  return stringifyEntityRef(parsed);
}

/** The demo users `auth.providers.demo.users` lists, by normalised entity ref. */
export function readDemoUsers(config: Config): Map<string, DemoSignInResult> {
  const users = new Map<string, DemoSignInResult>();
  for (const user of config.getOptionalConfigArray('users') ?? []) {
    const userEntityRef = normalizeUserRef(user.getString('userEntityRef'));
    users.set(userEntityRef, {
      userEntityRef,
      displayName: user.getOptionalString('displayName'),
    });
  }
  return users;
}

export const demoUserAuthenticator = createProxyAuthenticator<
  { disabled: boolean; users: Map<string, DemoSignInResult> },
  DemoSignInResult,
  undefined
>({
  async defaultProfileTransform(result) {
    return { profile: { displayName: result.displayName } };
  },
  initialize({ config }) {
    return { disabled: !allowedHere(config), users: readDemoUsers(config) };
  },
  async authenticate({ req }, { disabled, users }) {
    if (disabled) {
      throw new NotAllowedError(OUTSIDE_DEVELOPMENT);
    }
    const requested = req.header(DEMO_USER_HEADER);
    if (!requested) {
      throw new InputError(
        `Choose a demo user: the ${DEMO_USER_HEADER} header is missing`,
      );
    }
    let userEntityRef: string;
    try {
      userEntityRef = normalizeUserRef(requested);
    } catch {
      throw new NotAllowedError(`${requested} is not one of the demo users`);
    }
    const user = users.get(userEntityRef);
    if (!user) {
      throw new NotAllowedError(
        `${userEntityRef} is not one of the demo users`,
      );
    }
    return { result: user, providerInfo: undefined };
  },
});

/**
 * Signs in the chosen demo user as the catalog knows them, so their groups (team, risk owner
 * group) become their ownership claims. Checks the environment and the list again: the resolver
 * must never issue a token for a user that config does not list.
 */
export function signInAsDemoUser(
  config: Config,
): SignInResolver<DemoSignInResult> {
  return async ({ result }, ctx) => {
    if (!allowedHere(config)) {
      throw new NotAllowedError(OUTSIDE_DEVELOPMENT);
    }
    const userEntityRef = normalizeUserRef(result.userEntityRef);
    if (!readDemoUsers(config).has(userEntityRef)) {
      throw new NotAllowedError(
        `${userEntityRef} is not one of the demo users`,
      );
    }
    return ctx.signInWithCatalogUser({ entityRef: userEntityRef });
  };
}

/**
 * Registers the `demo` auth provider. The auth backend only mounts providers that have a key
 * under `auth.providers`, so it exists only where config has `auth.providers.demo` (the local
 * app-config.yaml; never app-config.production.yaml).
 */
export const demoSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-personas-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const providerConfig = config.getOptionalConfig('auth.providers.demo');
        if (!providerConfig) return;
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoUserAuthenticator,
            signInResolver: signInAsDemoUser(providerConfig),
          }),
        });
      },
    });
  },
});
