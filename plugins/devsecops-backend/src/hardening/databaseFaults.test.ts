import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { CatalogService, catalogServiceRef } from '@backstage/plugin-catalog-node';
import knexFactory, { Knex } from 'knex';
import { createServer, Server, Socket, connect } from 'node:net';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { isDatabaseUnavailable, unavailableUpstream } from '../router/databaseErrors';
import { ciHeader, recordingNotifications, startDevsecopsBackend } from '../__testUtils__/testBackend';
import { devsecopsPlugin } from '../plugin';

jest.setTimeout(180_000);

const databases = TestDatabases.create();

describe('isDatabaseUnavailable', () => {
  it('tells connection failures from request errors', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Unknown control'))).toBe(false);
    // The bounded waits: pg's query_timeout and connectionTimeoutMillis, the server's statement_timeout.
    expect(isDatabaseUnavailable(new Error('Query read timeout'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('canceling statement due to statement timeout'))).toBe(true);
  });

  it('tells an unavailable upstream service from one that refused the request', async () => {
    const failed = async (status: number, url: string) => {
      const response = new Response('{}', { status, headers: { 'content-type': 'application/json' } });
      Object.defineProperty(response, 'url', { value: url });
      return ResponseError.fromResponse(response);
    };
    expect(unavailableUpstream(await failed(500, 'http://localhost:7007/api/catalog/entities'))).toEqual({
      service: 'catalog',
      status: 500,
    });
    expect(unavailableUpstream(await failed(503, 'http://localhost:7007/api/permission/authorize'))?.service).toBe('permission');
    expect(unavailableUpstream(await failed(404, 'http://localhost:7007/api/catalog/entities'))).toBeUndefined();
    expect(unavailableUpstream(await failed(403, 'http://localhost:7007/api/catalog/entities'))).toBeUndefined();
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7007'), { code: 'ECONNREFUSED' }),
    });
    expect(unavailableUpstream(refused)).toEqual({ service: 'an upstream service' });
    expect(unavailableUpstream(new Error('Unknown control'))).toBeUndefined();
  });
});

/**
 * A TCP proxy in front of PostgreSQL that can cut every connection and refuse new ones (a database
 * that is down), or freeze: keep accepting and holding connections but forward no byte either way
 * (a database that hangs, as a stopped VM or a full network path looks to a client).
 */
async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let down = false;
  let frozen = false;
  const server: Server = createServer(client => {
    if (down) {
      client.destroy();
      return;
    }
    sockets.add(client);
    // A connection made while frozen is accepted and then never answered.
    const upstream: Socket | undefined = frozen ? undefined : connect(target.port, target.host);
    const close = () => {
      client.destroy();
      upstream?.destroy();
      sockets.delete(client);
      if (upstream) sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    if (!upstream) return;
    sockets.add(upstream);
    upstream.on('error', close).on('close', close);
    client.on('data', chunk => {
      if (!frozen) upstream.write(chunk);
    });
    upstream.on('data', chunk => {
      if (!frozen) client.write(chunk);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      down = false;
      frozen = false;
    },
    freeze() {
      frozen = true;
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** The test database's connection, pointed at the proxy, with extra pg settings. */
function proxiedConnection(direct: Knex, port: number, extra: Record<string, unknown> = {}) {
  const connection = direct.client.config.connection;
  if (typeof connection === 'string') {
    const url = new URL(connection);
    url.port = String(port);
    return { connectionString: url.toString(), ...extra };
  }
  return { ...connection, port, ...extra };
}

function proxyTarget(direct: Knex) {
  const connection = direct.client.config.connection;
  const target = typeof connection === 'string' ? new URL(connection) : undefined;
  return {
    host: target?.hostname ?? connection.host ?? '127.0.0.1',
    port: Number(target?.port || connection.port || 5432),
  };
}

const postgresIds = databases.eachSupportedId().filter(([id]) => id.startsWith('POSTGRES'));

describe.each(postgresIds)('the database going away during ingests (%p)', databaseId => {
  it('answers 503, leaves nothing half-written, and the retry stores the report exactly once', async () => {
    const direct = await databases.init(databaseId);
    const connection = direct.client.config.connection;
    const target = typeof connection === 'string' ? new URL(connection) : undefined;
    const proxy = await tcpProxy({
      host: target?.hostname ?? connection.host ?? '127.0.0.1',
      port: Number(target?.port || connection.port || 5432),
    });
    let viaProxy: Knex | undefined;
    try {
      const proxied =
        typeof connection === 'string'
          ? (() => {
              const url = new URL(connection);
              url.port = String(proxy.port);
              return url.toString();
            })()
          : { ...connection, port: proxy.port };
      viaProxy = knexFactory({
        ...direct.client.config,
        connection: proxied,
        acquireConnectionTimeout: 3000,
        pool: { min: 0, max: 4, acquireTimeoutMillis: 3000 },
      });
      const backend = await startDevsecopsBackend(databases, databaseId, { knex: viaProxy });
      try {
        const body = JSON.stringify({
          SchemaVersion: 2,
          ArtifactName: 'x',
          ArtifactType: 'container_image',
          Results: [
            {
              Target: 'x',
              Class: 'os-pkgs',
              Type: 'alpine',
              Vulnerabilities: Array.from({ length: 3000 }, (_, i) => ({
                VulnerabilityID: `CVE-2026-${10000 + i}`,
                PkgName: `p${i}`,
                InstalledVersion: '1',
                Severity: 'HIGH',
              })),
            },
          ],
        });
        const upload = () =>
          request(backend.server)
            .post('/api/devsecops/v1/reports?entity=payments-api')
            .set('Authorization', ciHeader())
            .set('Content-Type', 'application/json')
            .send(body);
        const counts = async () => {
          const [{ count: reports }] = await direct('devsecops_reports').count({ count: '*' });
          const [{ count: findings }] = await direct('devsecops_findings').count({ count: '*' });
          const [{ count: log }] = await direct('devsecops_evidence_log').count({ count: '*' });
          return { reports: Number(reports), findings: Number(findings), log: Number(log) };
        };

        // The database is gone before the request: a 503 the pipeline may retry, nothing stored.
        proxy.cut();
        const refused = await upload();
        expect([refused.status, refused.body.error?.message]).toEqual([
          503,
          'The database is unavailable; nothing was stored, retry later',
        ]);
        expect(await counts()).toEqual({ reports: 0, findings: 0, log: 0 });

        // The database goes away in the middle of the 3,000-row transaction.
        proxy.restore();
        const midway = upload();
        setTimeout(() => proxy.cut(), 40);
        const cutResponse = await midway;
        expect([201, 503]).toContain(cutResponse.status);
        const afterCut = await counts();
        // All or nothing: either the whole report with its findings and log record, or none of it.
        expect([
          { reports: 0, findings: 0, log: 0 },
          { reports: 1, findings: 3000, log: 1 },
        ]).toContainEqual(afterCut);

        // Back up: the pipeline's retry stores it exactly once; another retry changes nothing.
        proxy.restore();
        let retry = await upload();
        for (let i = 0; i < 5 && retry.status === 503; i++) retry = await upload();
        expect([200, 201]).toContain(retry.status);
        const again = await upload();
        expect(again.status).toBe(200);
        expect(await counts()).toEqual({ reports: 1, findings: 3000, log: 1 });
      } finally {
        await backend.stop();
      }
    } finally {
      await viaProxy?.destroy();
      await proxy.close();
    }
  });
});

/** Status, Retry-After and how long the answer took. */
async function timed(send: () => request.Test) {
  const started = Date.now();
  const response = await send();
  return {
    status: response.status,
    retryAfter: response.headers['retry-after'],
    message: response.body?.error?.message as string | undefined,
    ms: Date.now() - started,
  };
}

// A hang is a behaviour, not a speed: the bound is far above the configured waits (1–3 s) and far
// below the ~40 s a frozen database used to take, so a busy machine does not make it flaky.
const ANSWERED_WITHOUT_HANGING_MS = 10_000;

describe.each(postgresIds)('a frozen or unreachable database (%p)', databaseId => {
  it('/health answers 503 with Retry-After within its own deadline, even with the driver waits unbounded', async () => {
    const direct = await databases.init(databaseId);
    const proxy = await tcpProxy(proxyTarget(direct));
    // knex's defaults: a 60 s acquire timeout and no query timeout.
    const viaProxy = knexFactory({ ...direct.client.config, connection: proxiedConnection(direct, proxy.port) });
    try {
      const backend = await startDevsecopsBackend(databases, databaseId, {
        knex: viaProxy,
        config: { devsecops: { database: { healthCheckTimeoutMs: 2000 } } },
      });
      try {
        const health = () => request(backend.server).get('/api/devsecops/health');
        expect((await timed(health)).status).toBe(200);

        proxy.freeze();
        for (let i = 0; i < 3; i++) {
          const frozen = await timed(health);
          expect([frozen.status, frozen.retryAfter]).toEqual([503, '5']);
          expect(frozen.ms).toBeLessThan(ANSWERED_WITHOUT_HANGING_MS);
        }

        proxy.cut();
        const down = await timed(health);
        expect([down.status, down.retryAfter]).toEqual([503, '5']);
        expect(down.ms).toBeLessThan(ANSWERED_WITHOUT_HANGING_MS);

        proxy.restore();
        let back = await timed(health);
        for (let i = 0; i < 10 && back.status !== 200; i++) back = await timed(health);
        expect(back.status).toBe(200);
      } finally {
        proxy.cut();
        await backend.stop();
      }
    } finally {
      await viaProxy.destroy();
      await proxy.close();
    }
  });

  it('every other request answers 503 with Retry-After once the documented waits are configured', async () => {
    const direct = await databases.init(databaseId);
    const proxy = await tcpProxy(proxyTarget(direct));
    // The settings README's "Database timeouts" puts under backend.database (knexConfig and connection).
    const viaProxy = knexFactory({
      ...direct.client.config,
      acquireConnectionTimeout: 3000,
      pool: { min: 0, max: 4 },
      connection: proxiedConnection(direct, proxy.port, {
        connectionTimeoutMillis: 3000,
        query_timeout: 3000,
        statement_timeout: 3000,
      }),
    });
    try {
      const backend = await startDevsecopsBackend(databases, databaseId, { knex: viaProxy });
      try {
        const findings = () =>
          request(backend.server).get('/api/devsecops/v1/findings?entity=payments-api').set('Authorization', ciHeader());
        const facts = () =>
          request(backend.server)
            .post('/api/devsecops/v1/facts')
            .set('Authorization', ciHeader())
            .send({ entityRef: 'payments-api', facts: [{ fact: 'pre_commit.enabled', value: true, source: 'test' }] });
        expect((await timed(findings)).status).toBe(200);

        for (const [state, fault] of [
          ['frozen', () => proxy.freeze()],
          ['down', () => proxy.cut()],
        ] as const) {
          fault();
          for (const send of [findings, facts, findings]) {
            const answer = await timed(send);
            expect({ state, status: answer.status, retryAfter: answer.retryAfter }).toEqual({
              state,
              status: 503,
              retryAfter: '5',
            });
            expect(answer.message).toBe('The database is unavailable; nothing was stored, retry later');
            expect(answer.ms).toBeLessThan(ANSWERED_WITHOUT_HANGING_MS);
          }
        }
      } finally {
        proxy.cut();
        await backend.stop();
      }
    } finally {
      await viaProxy.destroy();
      await proxy.close();
    }
  });
});

describe.each(databases.eachSupportedId())('the catalog failing on its database (%p)', databaseId => {
  /** What the catalog client throws when the catalog backend answers 500 (its PostgreSQL is down). */
  async function catalogDown(path: string): Promise<never> {
    const response = new Response(
      JSON.stringify({
        error: { name: 'KnexTimeoutError', message: 'Knex: Timeout acquiring a connection. The pool is probably full.' },
        request: { method: 'GET', url: path },
        response: { statusCode: 500 },
      }),
      { status: 500, statusText: 'Internal Server Error', headers: { 'content-type': 'application/json' } },
    );
    Object.defineProperty(response, 'url', { value: `http://localhost:7007/api/catalog${path}` });
    throw await ResponseError.fromResponse(response);
  }
  const failingCatalog = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        getEntityByRef: () => catalogDown('/entities/by-name/component/default/payments-api'),
        getEntities: () => catalogDown('/entities'),
        queryEntities: () => catalogDown('/entities/by-query'),
        getEntitiesByRefs: () => catalogDown('/entities/by-refs'),
      }) as unknown as CatalogService,
  });

  it('answers 503 with Retry-After naming the catalog, never passing its 500 through', async () => {
    const knex = await databases.init(databaseId);
    const backend = await startTestBackend({
      features: [
        devsecopsPlugin,
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        failingCatalog,
        recordingNotifications().factory,
      ],
    });
    try {
      const ci = (r: request.Test) => r.set('Authorization', ciHeader());
      for (const send of [
        () => ci(request(backend.server).get('/api/devsecops/v1/findings?entity=payments-api')),
        () => ci(request(backend.server).get('/api/devsecops/v1/findings?repository=acme/payments-api')),
        () => ci(request(backend.server).get('/api/devsecops/v1/scorecards?entity=payments-api')),
        () =>
          ci(request(backend.server).post('/api/devsecops/v1/reports?entity=payments-api'))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify({ SchemaVersion: 2, ArtifactName: 'x', ArtifactType: 'container_image', Results: [] })),
        () =>
          ci(request(backend.server).post('/api/devsecops/v1/facts')).send({
            entityRef: 'payments-api',
            facts: [{ fact: 'pre_commit.enabled', value: true, source: 'test' }],
          }),
      ]) {
        const answer = await timed(send);
        expect([answer.status, answer.retryAfter, answer.message]).toEqual([
          503,
          '5',
          'The catalog is unavailable (it answered 500); nothing was stored, retry later',
        ]);
      }
      // /health does not depend on the catalog.
      expect((await request(backend.server).get('/api/devsecops/health')).status).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});
