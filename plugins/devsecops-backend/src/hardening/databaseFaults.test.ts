import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { createServer, Server, Socket, connect } from 'node:net';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { isDatabaseUnavailable } from '../router/databaseErrors';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

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
  });
});

/** A TCP proxy in front of PostgreSQL that can cut every connection and refuse new ones. */
async function tcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer(client => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
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
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
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
