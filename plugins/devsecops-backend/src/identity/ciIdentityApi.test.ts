import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  recordingNotifications,
  testEntities,
  userInfoFromTestCatalog,
} from '../__testUtils__/testBackend';
import { devsecopsPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const ISSUER = 'https://token.actions.example.test';
const AUDIENCE = 'devsecops-test';
const STATIC_RESTRICTED = 'restricted-ci-token-0123456789';
const STATIC_ORG_WIDE = 'org-wide-ci-token-0123456789';

/** A local JWKS endpoint (offline), as GitHub serves https://token.actions.githubusercontent.com/.well-known/jwks. */
async function jwksServer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: 'key-1',
    alg: 'RS256',
    use: 'sig',
  };
  const server: Server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/.well-known/jwks`;
  return {
    url,
    privateKey,
    otherKey: other.privateKey,
    close: () => new Promise(r => server.close(r)),
  };
}

/** A token shaped like GitHub Actions' (sub, repository, ref claims). */
async function actionsToken(
  key: KeyLike,
  sub: string,
  options: {
    issuer?: string;
    audience?: string;
    expiresIn?: string | number;
  } = {},
) {
  const repository = /^repo:([^:]+)/.exec(sub)?.[1];
  return new SignJWT({
    repository,
    repository_owner: repository?.split('/')[0],
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
    .setSubject(sub)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key);
}

let uploads = 0;
/** A distinct (never duplicate) empty Trivy image report. */
const trivy = (digest = (++uploads).toString(16).padStart(64, 'c')) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/app:1',
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/app@sha256:${digest}`] },
    Results: [
      { Target: 'app', Class: 'os-pkgs', Type: 'alpine', Vulnerabilities: [] },
    ],
  });

describe.each(databases.eachSupportedId())(
  'CI identities on %p',
  databaseId => {
    let backend: { server: any; knex: any; stop: () => Promise<void> };
    let jwks: Awaited<ReturnType<typeof jwksServer>>;
    beforeAll(async () => {
      jwks = await jwksServer();
      const knex = await databases.init(databaseId);
      const config = {
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'jwks',
                options: {
                  url: jwks.url,
                  issuer: ISSUER,
                  audience: AUDIENCE,
                  algorithm: 'RS256',
                  subjectPrefix: 'github-actions',
                },
              },
              {
                type: 'static',
                options: { token: STATIC_RESTRICTED, subject: 'payments-ci' },
              },
              {
                type: 'static',
                options: { token: STATIC_ORG_WIDE, subject: 'local-ci' },
              },
            ],
          },
        },
        devsecops: {
          ciIdentities: {
            oidc: [
              { subjectPrefix: 'github-actions', subjectFormat: 'github' },
            ],
            static: [
              { subject: 'payments-ci', repositories: ['acme/payments-api'] },
            ],
          },
        },
      };
      const started = await startTestBackend({
        features: [
          devsecopsPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: config }),
          // Backstage's own auth: externalAccess verifies the tokens, as in production.
          authServiceFactory,
          httpAuthServiceFactory,
          catalogServiceMock.factory({ entities: testEntities }),
          recordingNotifications().factory,
          userInfoFromTestCatalog,
        ],
      });
      backend = { server: started.server, knex, stop: () => started.stop() };
    });
    afterAll(async () => {
      await backend.stop();
      await jwks.close();
    });

    const api = (path: string) => `/api/devsecops${path}`;
    const upload = (token: string, entity: string) =>
      request(backend.server)
        .post(api(`/v1/reports?entity=${entity}&format=trivy`))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(trivy());

    it('a token of acme/payments-api uploads to payments-api and is recorded as its subject', async () => {
      const token = await actionsToken(
        jwks.privateKey,
        'repo:acme/payments-api:ref:refs/heads/main',
      );
      const res = await upload(token, 'component:default/payments-api');
      expect(res.status).toBe(201);
      const reports = await backend
        .knex('devsecops_reports')
        .where({ entity_ref: 'component:default/payments-api' });
      expect(reports.map((r: { uploader: string }) => r.uploader)).toContain(
        'external:github-actions:repo:acme/payments-api:ref:refs/heads/main',
      );
    });

    it('refuses a token of acme/payments-api for checkout-web with 403 naming both repositories, never the token', async () => {
      const token = await actionsToken(
        jwks.privateKey,
        'repo:acme/payments-api:ref:refs/heads/main',
      );
      const res = await upload(token, 'component:default/checkout-web');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('acme/payments-api');
      expect(res.body.error.message).toContain('acme/checkout-web');
      expect(JSON.stringify(res.body)).not.toContain(token);
      // Named by repository, the same binding holds.
      const byRepo = await request(backend.server)
        .post(api('/v1/reports?repository=acme/checkout-web&format=trivy'))
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(trivy());
      expect(byRepo.status).toBe(403);
      expect(
        await backend
          .knex('devsecops_reports')
          .where({ entity_ref: 'component:default/checkout-web' }),
      ).toHaveLength(0);
    });

    it('binds every evidence write, not only reports', async () => {
      const token = await actionsToken(
        jwks.privateKey,
        'repo:acme/payments-api:environment:production',
      );
      const auth = { Authorization: `Bearer ${token}` };
      const writes = (entityRef: string) => [
        request(backend.server)
          .post(api('/v1/deployments'))
          .set(auth)
          .send({
            entityRef,
            environment: 'staging',
            artifactDigest: `sha256:${'d'.repeat(64)}`,
            deployer: 'ci',
          }),
        request(backend.server)
          .post(api('/v1/facts'))
          .set(auth)
          .send({
            entityRef,
            facts: [
              {
                fact: 'branch_protection.enabled',
                value: true,
                source: 'test',
              },
            ],
          }),
        request(backend.server)
          .post(api('/v1/runtime-signals'))
          .set(auth)
          .send({
            entityRef,
            kind: 'incident',
            severity: 'high',
            summary: 'x',
            detectedAt: new Date(Date.now() - 60_000).toISOString(),
            source: 'test',
          }),
        request(backend.server)
          .post(api('/v1/gate/decisions'))
          .set(auth)
          .send({
            entityRef,
            environment: 'production',
            artifactDigest: `sha256:${'d'.repeat(64)}`,
          }),
        request(backend.server)
          .post(api('/v1/scorecards/snapshots'))
          .set(auth)
          .send({ entityRef, at: new Date().toISOString() }),
        request(backend.server)
          .post(api(`/v1/attestations?entity=${entityRef}`))
          .set(auth)
          .set('Content-Type', 'application/json')
          .send('{}'),
      ];
      const refused = await Promise.all(
        writes('component:default/checkout-web'),
      );
      expect(refused.map(r => r.status)).toEqual([
        403, 403, 403, 403, 403, 403,
      ]);
      for (const res of refused)
        expect(res.body.error.message).toContain('acme/checkout-web');
      const own = await Promise.all(writes('component:default/payments-api'));
      // Deployments, facts and signals are recorded; the gate decides; the empty attestation is a 400.
      expect(own.map(r => r.status)).toEqual([
        201,
        201,
        201,
        200,
        expect.any(Number),
        400,
      ]);
      expect(own[4].status).not.toBe(403);
    });

    it('refuses pull-request tokens unless allowed, and unparseable subjects', async () => {
      const pr = await actionsToken(
        jwks.privateKey,
        'repo:acme/payments-api:pull_request',
      );
      const res = await upload(pr, 'component:default/payments-api');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('pull request');
      const odd = await actionsToken(jwks.privateKey, 'something-else');
      expect((await upload(odd, 'component:default/payments-api')).status).toBe(
        403,
      );
    });

    it.each([
      [
        'a wrong issuer',
        () =>
          actionsToken(
            jwks.privateKey,
            'repo:acme/payments-api:ref:refs/heads/main',
            { issuer: 'https://evil.example' },
          ),
      ],
      [
        'a wrong audience',
        () =>
          actionsToken(
            jwks.privateKey,
            'repo:acme/payments-api:ref:refs/heads/main',
            { audience: 'someone-else' },
          ),
      ],
      [
        'an expired token',
        () =>
          actionsToken(
            jwks.privateKey,
            'repo:acme/payments-api:ref:refs/heads/main',
            { expiresIn: Math.floor(Date.now() / 1000) - 60 },
          ),
      ],
      [
        'a signature by another key',
        () =>
          actionsToken(
            jwks.otherKey,
            'repo:acme/payments-api:ref:refs/heads/main',
          ),
      ],
    ])('refuses %s with 401', async (_name, token) => {
      const res = await upload(await token(), 'component:default/payments-api');
      expect(res.status).toBe(401);
    });

    it('a restricted static token writes for its repository only; an unrestricted one writes org-wide', async () => {
      expect(
        (await upload(STATIC_RESTRICTED, 'component:default/payments-api'))
          .status,
      ).toBe(201);
      const refused = await upload(
        STATIC_RESTRICTED,
        'component:default/checkout-web',
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('payments-ci');
      expect(refused.body.error.message).toContain(
        'component:default/checkout-web',
      );
      expect(JSON.stringify(refused.body)).not.toContain(STATIC_RESTRICTED);
      expect(
        (await upload(STATIC_ORG_WIDE, 'component:default/checkout-web'))
          .status,
      ).toBe(201);
    });
  },
);
