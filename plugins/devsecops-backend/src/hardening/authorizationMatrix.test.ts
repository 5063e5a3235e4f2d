import { mockCredentials, mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

// SQLite is enough here: authorization does not depend on the database.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

type Principal = 'none' | 'user' | 'entity owner' | 'risk owner' | 'other team' | 'CI token' | 'service';
const HEADERS: Record<Principal, string | undefined> = {
  none: undefined,
  // A signed-in user of no team involved.
  user: mockCredentials.user.header('user:default/mock'),
  'entity owner': mockCredentials.user.header('user:default/dana'),
  'risk owner': mockCredentials.user.header('user:default/rita'),
  'other team': mockCredentials.user.header('user:default/otto'),
  // The static external-access token of a pipeline and another plugin both arrive as service principals.
  'CI token': mockCredentials.service.header(),
  service: mockCredentials.service.header({ onBehalfOf: mockCredentials.service('plugin:catalog'), targetPluginId: 'devsecops' } as any),
};
const PRINCIPALS = Object.keys(HEADERS) as Principal[];
const DIGEST = `sha256:${'9'.repeat(64)}`;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const trivy = JSON.stringify({ SchemaVersion: 2, ArtifactName: 'x', ArtifactType: 'container_image', Results: [] });

interface Endpoint {
  name: string;
  send: (agent: request.SuperTest<request.Test>, header: string | undefined, ctx: { exceptionId: string }) => request.Test;
  /** Expected status per principal when the permission policy allows, and when it denies. */
  allow: Record<Principal, number>;
  deny: Record<Principal, number>;
}

const set = (t: request.Test, header?: string) => (header ? t.set('Authorization', header) : t);
const reads = (path: string): Endpoint => ({
  name: `GET ${path}`,
  send: (a, h) => set(a.get(`/api/devsecops${path}`), h),
  allow: { none: 401, user: 200, 'entity owner': 200, 'risk owner': 200, 'other team': 200, 'CI token': 200, service: 200 },
  // devsecops.read: users need it; services are trusted callers.
  deny: { none: 401, user: 403, 'entity owner': 403, 'risk owner': 403, 'other team': 403, 'CI token': 200, service: 200 },
});
const pipelineWrite = (name: string, send: Endpoint['send'], ok: number): Endpoint => ({
  name,
  send,
  allow: { none: 401, user: 403, 'entity owner': 403, 'risk owner': 403, 'other team': 403, 'CI token': ok, service: ok },
  deny: { none: 401, user: 403, 'entity owner': 403, 'risk owner': 403, 'other team': 403, 'CI token': ok, service: ok },
});

const ENDPOINTS: Endpoint[] = [
  reads('/v1/scorecards?entity=payments-api'),
  reads('/v1/findings?entity=payments-api'),
  reads('/v1/reports?entity=payments-api'),
  reads('/v1/deployments?entity=payments-api'),
  reads('/v1/gate/decisions?entity=payments-api'),
  reads('/v1/rollups'),
  reads('/v1/exceptions?entity=payments-api'),
  reads('/v1/evidence/verify'),
  reads('/controls'),
  {
    name: 'GET /health',
    send: (a, h) => set(a.get('/api/devsecops/health'), h),
    allow: { none: 200, user: 200, 'entity owner': 200, 'risk owner': 200, 'other team': 200, 'CI token': 200, service: 200 },
    deny: { none: 200, user: 200, 'entity owner': 200, 'risk owner': 200, 'other team': 200, 'CI token': 200, service: 200 },
  },
  pipelineWrite('POST /v1/reports', (a, h) => set(a.post('/api/devsecops/v1/reports?entity=payments-api&format=trivy').set('Content-Type', 'application/json'), h).send(trivy), 201),
  pipelineWrite('POST /v1/facts', (a, h) => set(a.post('/api/devsecops/v1/facts'), h).send({ entityRef: 'payments-api', facts: [{ fact: 'pre_commit.enabled', value: true, source: 'matrix' }] }), 201),
  pipelineWrite('POST /v1/gate/decisions', (a, h) => set(a.post('/api/devsecops/v1/gate/decisions'), h).send({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' }), 200),
  {
    name: 'POST /v1/exceptions',
    send: (a, h) =>
      set(a.post('/api/devsecops/v1/exceptions'), h).send({
        entityRef: 'payments-api',
        scope: { control: 'sast' },
        riskStatement: 'Accepted for the matrix test only',
        riskRating: 'low',
        riskOwner: 'group:default/security-compliance',
        expiresAt: inDays(10),
      }),
    // People request exceptions; pipelines do not.
    allow: { none: 401, user: 201, 'entity owner': 201, 'risk owner': 201, 'other team': 201, 'CI token': 403, service: 403 },
    deny: { none: 401, user: 403, 'entity owner': 403, 'risk owner': 403, 'other team': 403, 'CI token': 403, service: 403 },
  },
  {
    name: 'POST /v1/exceptions/{id}/approve (requested by the entity owner)',
    send: (a, h, ctx) => set(a.post(`/api/devsecops/v1/exceptions/${ctx.exceptionId}/approve`), h).send({ reason: 'matrix' }),
    // Only the named risk owner group's members, never the requester, and only with the permission.
    allow: { none: 401, user: 403, 'entity owner': 403, 'risk owner': 200, 'other team': 403, 'CI token': 403, service: 403 },
    deny: { none: 401, user: 403, 'entity owner': 403, 'risk owner': 403, 'other team': 403, 'CI token': 403, service: 403 },
  },
];

describe.each([
  ['allows', AuthorizeResult.ALLOW],
  ['denies', AuthorizeResult.DENY],
] as const)('authorization matrix when the permission policy %s', (_label, result) => {
  const cases = ENDPOINTS.flatMap(endpoint =>
    PRINCIPALS.map(principal => [endpoint.name, principal, endpoint, (result === AuthorizeResult.ALLOW ? endpoint.allow : endpoint.deny)[principal]] as const),
  );

  it.each(cases)('%s as %s', async (_name, principal, endpoint, expected) => {
    const backend = await startDevsecopsBackend(databases, 'SQLITE_3', {
      features: [mockServices.permissions.factory({ result })],
    });
    try {
      // A requested exception, asked for by the entity owner, for the decision rows.
      let exceptionId = '00000000-0000-4000-8000-000000000000';
      if (endpoint.name.includes('/approve')) {
        const allowing = await startDevsecopsBackend(databases, 'SQLITE_3', {
          knex: backend.knex,
          features: [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })],
        });
        try {
          const created = await request(allowing.server)
            .post('/api/devsecops/v1/exceptions')
            .set('Authorization', HEADERS['entity owner']!)
            .send({
              entityRef: 'payments-api',
              scope: { control: 'sast' },
              riskStatement: 'Accepted for the matrix test only',
              riskRating: 'low',
              riskOwner: 'group:default/security-compliance',
              expiresAt: inDays(10),
            })
            .expect(201);
          exceptionId = created.body.id;
        } finally {
          await allowing.stop();
        }
      }
      const response = await endpoint.send(request(backend.server) as any, HEADERS[principal], { exceptionId });
      expect({ principal, status: response.status }).toEqual({ principal, status: expected });
    } finally {
      await backend.stop();
    }
  });
});
