import express from 'express';
import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { AddressInfo } from 'node:net';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { sendStoredJson, storedJsonCacheSize } from './storedJson';

jest.mock('node:zlib', () => {
  const actual = jest.requireActual('node:zlib');
  return { ...actual, brotliCompressSync: jest.fn(actual.brotliCompressSync), gzipSync: jest.fn(actual.gzipSync) };
});

/** A stored scorecard's size: ~10 KB of JSON text. */
const bigJson = JSON.stringify({ entityRef: 'component:default/a', controls: Array.from({ length: 120 }, (_, i) => ({ id: `control-${i}`, status: 'pass', detail: 'x'.repeat(40) })) });
const smallJson = JSON.stringify({ entityRef: 'component:default/b' });

/** Raw answer bytes, not decoded (fetch and supertest decompress on their own). */
function get(base: string, path: string, headers: Record<string, string>, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sendStoredJson', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    // As Backstage's root router: its compression middleware in front of every plugin.
    const middleware = MiddlewareFactory.create({ config: mockServices.rootConfig(), logger: mockServices.logger.mock() });
    app.use(middleware.compression());
    app.get('/big', (req, res) => sendStoredJson(req, res, bigJson));
    app.get('/other', (req, res) => sendStoredJson(req, res, bigJson.replace('component:default/a', 'component:default/c')));
    app.get('/small', (req, res) => sendStoredJson(req, res, smallJson));
    server = app.listen(0);
    await new Promise(r => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('answers the stored text br or gzip encoded as the client accepts, identity without Accept-Encoding, for HEAD and below 1 KB', async () => {
    const br = await get(base, '/big', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(bigJson);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);

    const gzip = await get(base, '/big', { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(bigJson);
    expect(gzip.headers.etag).not.toBe(br.headers.etag); // one ETag per representation

    const variants: Array<Record<string, string>> = [{}, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'br;q=0, gzip;q=0' }];
    for (const headers of variants) {
      const plain = await get(base, '/big', headers);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString('utf8')).toBe(bigJson);
      expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    const small = await get(base, '/small', { 'Accept-Encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString('utf8')).toBe(smallJson);

    const head = await get(base, '/big', { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  it('compresses a text once per encoding, and answers a conditional GET with 304', async () => {
    const brotli = zlib.brotliCompressSync as unknown as jest.Mock;
    const calls = brotli.mock.calls.length;
    const size = storedJsonCacheSize();
    const first = await get(base, '/other', { 'Accept-Encoding': 'br' });
    expect(brotli.mock.calls.length).toBe(calls + 1); // a text not seen before: compressed here
    expect(storedJsonCacheSize()).toBe(size + 1);
    const again = await get(base, '/other', { 'Accept-Encoding': 'br' });
    expect(brotli.mock.calls.length).toBe(calls + 1); // the same text: the kept bytes
    expect(storedJsonCacheSize()).toBe(size + 1);
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.headers.etag).toBe(first.headers.etag);

    const notModified = await get(base, '/other', { 'Accept-Encoding': 'br', 'If-None-Match': first.headers.etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    const plain = await get(base, '/big', {});
    const plainAgain = await get(base, '/big', { 'If-None-Match': plain.headers.etag! });
    expect(plainAgain.status).toBe(304);
  });
});
