import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { parse } from 'yaml';
import {
  DEMO_USER_HEADER,
  demoSignInModule,
  signInAsDemoUser,
} from './demoSignIn';

const user = (name: string, groups: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: groups },
  relations: groups.map(g => ({
    type: 'memberOf',
    targetRef: `group:default/${g}`,
  })),
});

const catalogUsers = [
  user('paula-payne', ['team-payments']),
  user('risk-owner-rita', ['security-compliance']),
  // In the catalog, but not a demo persona: must not be able to sign in through this provider.
  user('felix-fraud', ['team-payments']),
];

const demoConfig = {
  users: [
    { userEntityRef: 'user:default/paula-payne', displayName: 'Paula Payne' },
    { userEntityRef: 'risk-owner-rita', displayName: 'Rita Risk' },
  ],
};

async function startAuth(providers: Record<string, any>) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      demoSignInModule,
      catalogServiceMock.factory({ entities: catalogUsers }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth: { providers },
        },
      }),
    ],
  });
  return server;
}

const refresh = (server: any, chosen?: string) => {
  const req = request(server)
    .get('/api/auth/demo/refresh')
    .set('X-Requested-With', 'XMLHttpRequest');
  return chosen === undefined ? req : req.set(DEMO_USER_HEADER, chosen);
};

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

describe('demo personas sign-in provider', () => {
  const originalEnv = process.env.NODE_ENV;
  afterEach(() => {
    (process.env as any).NODE_ENV = originalEnv;
  });

  describe('in development', () => {
    beforeEach(() => {
      (process.env as any).NODE_ENV = 'development';
    });

    it('signs in a listed user with their catalog groups as ownership claims', async () => {
      const server = await startAuth({ demo: demoConfig });
      const res = await refresh(server, 'user:default/risk-owner-rita');
      expect(res.status).toBe(200);
      expect(res.body.profile).toEqual({ displayName: 'Rita Risk' });
      expect(res.body.backstageIdentity.identity).toEqual({
        type: 'user',
        userEntityRef: 'user:default/risk-owner-rita',
        ownershipEntityRefs: expect.arrayContaining([
          'user:default/risk-owner-rita',
          'group:default/security-compliance',
        ]),
      });
      expect(claimsOf(res.body.backstageIdentity.token).sub).toBe(
        'user:default/risk-owner-rita',
      );
    });

    it('accepts a short name for a listed user', async () => {
      const server = await startAuth({ demo: demoConfig });
      const res = await refresh(server, 'paula-payne');
      expect(res.status).toBe(200);
      expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
        'user:default/paula-payne',
      );
    });

    it('refuses users that config does not list, even when the catalog knows them', async () => {
      const server = await startAuth({ demo: demoConfig });
      for (const chosen of [
        'felix-fraud',
        'user:default/felix-fraud',
        'nobody',
        'group:default/team-payments',
        'user:other/paula-payne',
      ]) {
        const res = await refresh(server, chosen);
        expect({ chosen, status: res.status }).toEqual({ chosen, status: 403 });
        expect(res.body.error.message).toMatch(/not one of the demo users/);
        expect(JSON.stringify(res.body)).not.toContain('token');
      }
    });

    it('asks for a user when the header is missing', async () => {
      const server = await startAuth({ demo: demoConfig });
      const res = await refresh(server);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Choose a demo user/);
    });

    it('is not mounted without auth.providers.demo', async () => {
      const server = await startAuth({});
      const res = await refresh(server, 'paula-payne');
      expect(res.status).toBe(404);
    });
  });

  describe('outside development', () => {
    it.each(['production', 'test'])(
      'refuses every user when NODE_ENV=%s',
      async env => {
        (process.env as any).NODE_ENV = env;
        const server = await startAuth({ demo: demoConfig });
        const res = await refresh(server, 'paula-payne');
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /cannot be used outside of a development environment/,
        );
      },
    );

    it('works only with the explicit dangerouslyAllowOutsideDevelopment flag', async () => {
      (process.env as any).NODE_ENV = 'production';
      const server = await startAuth({
        demo: { ...demoConfig, dangerouslyAllowOutsideDevelopment: true },
      });
      expect((await refresh(server, 'paula-payne')).status).toBe(200);
      expect((await refresh(server, 'felix-fraud')).status).toBe(403);
    });

    it('the sign-in resolver refuses on its own too, whatever the authenticator passed', async () => {
      (process.env as any).NODE_ENV = 'production';
      const ctx = { signInWithCatalogUser: jest.fn() } as any;
      const resolver = signInAsDemoUser(new ConfigReader(demoConfig));
      await expect(
        resolver(
          {
            profile: {},
            result: { userEntityRef: 'user:default/paula-payne' },
          },
          ctx,
        ),
      ).rejects.toThrow(/outside of a development environment/);
      (process.env as any).NODE_ENV = 'development';
      await expect(
        resolver(
          {
            profile: {},
            result: { userEntityRef: 'user:default/felix-fraud' },
          },
          ctx,
        ),
      ).rejects.toThrow(/not one of the demo users/);
      expect(ctx.signInWithCatalogUser).not.toHaveBeenCalled();
    });
  });

  it('is never enabled by app-config.production.yaml, and the demo config lists the personas', () => {
    const root = resolve(__dirname, '../../../..');
    const production = parse(
      readFileSync(resolve(root, 'app-config.production.yaml'), 'utf8'),
    );
    expect(production.auth?.providers?.demo).toBeUndefined();
    expect(JSON.stringify(production)).not.toMatch(
      /dangerouslyAllowOutsideDevelopment/,
    );

    const local = parse(readFileSync(resolve(root, 'app-config.demo.yaml'), 'utf8'));
    expect(
      local.auth.providers.demo.dangerouslyAllowOutsideDevelopment,
    ).toBeUndefined();
    expect(
      local.auth.providers.demo.users.map((u: any) => u.userEntityRef),
    ).toEqual(
      expect.arrayContaining([
        'user:default/paula-payne',
        'user:default/risk-owner-rita',
        'user:default/platform-pat',
      ]),
    );
  });
});
