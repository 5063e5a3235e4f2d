import { InputError } from '@backstage/errors';
import { promisify } from 'node:util';
import { constants as zlibConstants, gunzipSync, gzip } from 'node:zlib';
import { PayloadTooLargeError } from './errors';

/** Report bodies in and out of gzip: uploads may arrive packed; stored bodies are kept packed. */

const gzipAsync = promisify(gzip);
// Evidence bodies favour speed over ratio: JSON still shrinks ~10× at level 1.
export const gzipEvidence = (data: Buffer) =>
  gzipAsync(data, { level: zlibConstants.Z_BEST_SPEED });

/**
 * Unpacks a gzip body (magic bytes 1f 8b) with its output bounded by the limit: a body over the
 * limit, packed or unpacked, is a 413; a broken gzip stream is a 400.
 */
export function decompressBody(body: Buffer, limit: number, what: string): Buffer {
  if (body.length > limit) {
    throw new PayloadTooLargeError(
      `${what} is ${body.length} bytes; the limit is ${limit} bytes (devsecops.ingest.maxReportBytes)`,
    );
  }
  if (body.length < 2 || body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /larger than/i.test((error as Error).message)) {
      throw new PayloadTooLargeError(
        `${what} decompresses to more than ${limit} bytes (devsecops.ingest.maxReportBytes)`,
      );
    }
    throw new InputError(`${what} is not valid gzip: ${(error as Error).message}`);
  }
}
