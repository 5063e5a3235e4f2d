import { NextFunction, Request, Response } from 'express';
import { spec } from '../schema/openapi';

/** The request bodies the API takes as raw bytes, and the media types the OpenAPI document lists for each. */
const RAW_BODY_TYPES: Record<string, string[]> = Object.fromEntries(
  ['/v1/reports', '/v1/attestations', '/v1/feeds/kev', '/v1/feeds/epss', '/v1/feeds/osv'].map(path => [
    path,
    Object.keys((spec.paths as any)[path].post.requestBody.content as Record<string, unknown>),
  ]),
);

const RAW_BODY_NAMES: Record<string, string> = {
  '/v1/reports': 'report',
  '/v1/feeds/kev': 'KEV catalog',
  '/v1/feeds/epss': 'EPSS scores',
  '/v1/feeds/osv': 'OSV advisory set',
};

/** `text/HTML; charset=utf-8` → `text/html`. */
function essence(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/**
 * A report or attestation sent with a media type the API does not take (an HTML form, a
 * multipart upload, an image) is answered 415 naming the accepted types; the OpenAPI validator
 * would turn it into a 400. Runs before the body is read. A request without Content-Type is left
 * to the validator.
 */
export function unsupportedMediaType(req: Request, res: Response, next: NextFunction) {
  const accepted = req.method === 'POST' ? RAW_BODY_TYPES[req.path] : undefined;
  const header = req.headers['content-type'];
  if (!accepted || !header || accepted.includes(essence(header))) {
    next();
    return;
  }
  res.status(415).json({
    error: {
      name: 'UnsupportedMediaTypeError',
      message: `Unsupported media type ${essence(header).slice(0, 100)}: send the ${
        RAW_BODY_NAMES[req.path] ?? 'attestation'
      } as the raw request body with Content-Type ${accepted.join(', ')}`,
    },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: 415 },
  });
}
