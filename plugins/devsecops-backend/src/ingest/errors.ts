import { CustomErrorBase } from '@backstage/errors';

/** A body over the configured size; Backstage's error handler answers with `statusCode`. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** A database that went away mid-request: the client may retry. */
export class ServiceUnavailableError extends CustomErrorBase {
  name = 'ServiceUnavailableError' as const;
  statusCode = 503;
}
