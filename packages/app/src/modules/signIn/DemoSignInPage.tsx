import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import {
  ConfigApi,
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useCallback, useEffect, useState } from 'react';

/** Where the chosen persona is kept, so that a reload signs the same person in again. */
export const DEMO_USER_STORAGE_KEY = 'devsecops-demo:user';
/** Read by the backend's demo provider (packages/backend/src/modules/demoSignIn.ts). */
const DEMO_USER_HEADER = 'x-devsecops-demo-user';

export interface DemoPersona {
  userEntityRef: string;
  displayName: string;
  team?: string;
  description?: string;
}

export function readPersonas(config: ConfigApi): DemoPersona[] {
  return (config.getOptionalConfigArray('auth.providers.demo.users') ?? []).map(
    user => {
      const userEntityRef = user.getString('userEntityRef');
      return {
        userEntityRef,
        displayName:
          user.getOptionalString('displayName') ??
          userEntityRef.replace(/^.*\//, ''),
        team: user.getOptionalString('team'),
        description: user.getOptionalString('description'),
      };
    },
  );
}

function storedPersona(personas: DemoPersona[]): string | undefined {
  try {
    const stored = window.localStorage.getItem(DEMO_USER_STORAGE_KEY);
    return personas.some(p => p.userEntityRef === stored)
      ? stored ?? undefined
      : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in identity; signing out forgets the persona so the picker shows again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  // A proxy rather than a wrapper object: the identity's other (legacy) methods stay reachable.
  return new Proxy(identity, {
    get(target, property) {
      if (property === 'signOut') {
        return async () => {
          window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
          await target.signOut();
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function PersonaPicker(props: {
  personas: DemoPersona[];
  error?: Error;
  onChoose: (userEntityRef: string) => void;
}) {
  const config = useApi(configApiRef);
  return (
    <Page themeId="home">
      <Header
        title={config.getOptionalString('app.title') ?? 'Backstage'}
        subtitle="Local demo: sign in as one of the demo personas"
      />
      <Content>
        {props.error && (
          <Typography color="error" role="alert" paragraph>
            Sign-in failed: {props.error.message}
          </Typography>
        )}
        {props.personas.length === 0 ? (
          <Typography paragraph>
            No demo personas are configured (auth.providers.demo.users). Outside
            local development, replace this sign-in page with your
            organisation&apos;s identity provider.
          </Typography>
        ) : (
          <Grid
            container
            spacing={2}
            component="ul"
            style={{ listStyle: 'none', padding: 0 }}
          >
            {props.personas.map(persona => (
              <Grid
                item
                xs={12}
                sm={6}
                md={3}
                component="li"
                key={persona.userEntityRef}
              >
                <InfoCard
                  title={persona.displayName}
                  subheader={persona.team}
                  variant="fullHeight"
                  actions={
                    <Button
                      color="primary"
                      variant="outlined"
                      onClick={() => props.onChoose(persona.userEntityRef)}
                    >
                      Sign in as {persona.displayName}
                    </Button>
                  }
                >
                  <Typography variant="body2" paragraph>
                    {persona.description}
                  </Typography>
                  <Typography variant="caption" component="p">
                    {persona.userEntityRef}
                  </Typography>
                </InfoCard>
              </Grid>
            ))}
          </Grid>
        )}
      </Content>
    </Page>
  );
}

/** A failed sign-in forgets the choice: a reload shows the picker rather than failing again. */
function SignInFailed(props: Parameters<typeof PersonaPicker>[0]) {
  useEffect(() => window.localStorage.removeItem(DEMO_USER_STORAGE_KEY), []);
  return <PersonaPicker {...props} />;
}

/**
 * The local demo's sign-in page: lists the demo personas from config and signs the chosen one in
 * through the backend's `demo` provider. The choice is kept in localStorage, so a reload (or a new
 * tab) refreshes the same person's session without asking again; signing out forgets it.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const [personas] = useState(() => readPersonas(config));
  const [attempt, setAttempt] = useState(() => ({
    user: storedPersona(personas),
    n: 0,
  }));
  const { onSignInSuccess } = props;

  const choose = useCallback((user: string) => {
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, user);
    setAttempt(previous => ({ user, n: previous.n + 1 }));
  }, []);
  const signedIn = useCallback(
    (identity: IdentityApi) => onSignInSuccess(forgetOnSignOut(identity)),
    [onSignInSuccess],
  );
  const Failed = useCallback(
    ({ error }: { error?: Error }) => (
      <SignInFailed personas={personas} error={error} onChoose={choose} />
    ),
    [personas, choose],
  );

  if (!attempt.user) {
    return <PersonaPicker personas={personas} onChoose={choose} />;
  }
  return (
    <ProxiedSignInPage
      key={`${attempt.user}#${attempt.n}`}
      onSignInSuccess={signedIn}
      provider="demo"
      headers={{ [DEMO_USER_HEADER]: attempt.user }}
      ErrorComponent={Failed}
    />
  );
}
