import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** The answer's raw bytes (supertest and fetch decode on their own). */
function get(server: http.Server, path: string, headers: Record<string, string>) {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}${path}`, { headers }, res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe.each(databases.eachSupportedId())('GET /v1/scorecards, the stored read, on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterEach(() => backend.stop());

  it('sends the stored scorecard compressed as accepted, the same scorecard as uncompressed, and refuses as strictly as before', async () => {
    const path = '/api/devsecops/v1/scorecards?entity=payments-api';
    const user = { Authorization: mockCredentials.user.header() };
    const plain = await get(backend.server, path, user);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const scorecard = JSON.parse(plain.body.toString('utf8'));
    expect(scorecard.entityRef).toBe('component:default/payments-api');
    expect(scorecard.controls.length).toBeGreaterThan(0);

    const br = await get(backend.server, path, { ...user, 'Accept-Encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(scorecard);
    const gzip = await get(backend.server, path, { ...user, 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString('utf8'))).toEqual(scorecard);

    // Authentication, OpenAPI validation and the route's own check answer before any body is sent.
    const anonymous = await get(backend.server, path, { 'Accept-Encoding': 'br' });
    expect(anonymous.status).toBe(401);
    const unknownParameter = await get(backend.server, `${path}&colour=red`, { ...user, 'Accept-Encoding': 'br' });
    expect(unknownParameter.status).toBe(400);
    const neither = await get(backend.server, '/api/devsecops/v1/scorecards', { ...user, 'Accept-Encoding': 'br' });
    expect(neither.status).toBe(400);
    expect(JSON.parse(neither.body.toString('utf8')).error.message).toBe('Pass entity or repository');
    const unknownEntity = await get(backend.server, '/api/devsecops/v1/scorecards?entity=no-such-service', { ...user, 'Accept-Encoding': 'br' });
    expect(unknownEntity.status).toBe(404);
  });
});
