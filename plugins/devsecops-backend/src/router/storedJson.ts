import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import express from 'express';

/** Below this size a body goes uncompressed (the compression middleware's default threshold). */
const THRESHOLD_BYTES = 1024;
/** Compressed bodies kept (FIFO); a 10 KB scorecard is about 2 KB compressed, so ≈ 20 MB at most. */
const MAX_ENTRIES = 10_000;

type Encoding = 'br' | 'gzip';

/** Compressed stored texts by content hash and encoding: the same text always gives the same bytes. */
const compressed = new Map<string, Buffer>();

/** The encoding to send, as the root router's compression middleware chooses it (br, then gzip). */
function encodingFor(req: express.Request): Encoding | undefined {
  // No Accept-Encoding: identity, as the compression middleware enforces.
  if (!req.headers['accept-encoding'] || req.method === 'HEAD') return undefined;
  if (req.acceptsEncodings('br') === 'br') return 'br';
  if (req.acceptsEncodings('gzip') === 'gzip') return 'gzip';
  return undefined;
}

function compress(text: string, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? // The compression middleware's brotli quality.
      brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
    : gzipSync(text);
}

/**
 * Sends stored JSON text (a stored scorecard) as it is, compressed once per distinct text
 * instead of once per request: the profile of a stored read (bench/readProfile.ts) showed the
 * root router's compression of the ~10 KB body as the largest single cost of the request. The
 * answer is what the compression middleware would send (br or gzip by Accept-Encoding, `Vary:
 * Accept-Encoding`, identity without the header, for HEAD or below 1 KB), which then leaves the
 * already encoded body alone. The ETag is the text's hash per encoding, so a conditional GET
 * still answers 304 through express.
 */
export function sendStoredJson(req: express.Request, res: express.Response, json: string): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.vary('Accept-Encoding');
  const hash = createHash('sha1').update(json).digest('base64url');
  const encoding = Buffer.byteLength(json) >= THRESHOLD_BYTES ? encodingFor(req) : undefined;
  if (!encoding) {
    res.setHeader('ETag', `"${hash}"`);
    res.send(json);
    return;
  }
  const key = `${encoding}:${hash}`;
  let body = compressed.get(key);
  if (!body) {
    body = compress(json, encoding);
    if (compressed.size >= MAX_ENTRIES) compressed.delete(compressed.keys().next().value!);
    compressed.set(key, body);
  }
  res.setHeader('Content-Encoding', encoding);
  res.setHeader('ETag', `"${hash}-${encoding}"`);
  res.send(body);
}

/** How many compressed bodies are kept (for tests). */
export function storedJsonCacheSize(): number {
  return compressed.size;
}
