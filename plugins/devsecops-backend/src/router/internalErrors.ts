import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';

/** Error names Backstage's error handler answers with their own status (not a 500). */
const MAPPED_BY_NAME = new Set([
  'NotModifiedError',
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

/** The status Backstage's error handler reads (a whole number in statusCode or status). */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  for (const status of [e?.statusCode, e?.status]) {
    if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) return status;
  }
  return undefined;
}

/**
 * Express error middleware, last in the chain: an error that would answer 500 (a driver's
 * SqliteError or a bug) is logged whole under an id and answered with that id only. Its message
 * may quote SQL with the request's values, so it never reaches the client.
 */
export function hideInternalErrorDetail(logger: LoggerService) {
  return (error: unknown, _req: unknown, _res: unknown, next: (error?: unknown) => void) => {
    const status = statusOf(error);
    const name = (error as { name?: unknown } | undefined)?.name;
    const internal = status === undefined ? !(typeof name === 'string' && MAPPED_BY_NAME.has(name)) : status === 500;
    if (!internal) {
      next(error);
      return;
    }
    const id = randomUUID();
    logger.error(`Internal error ${id}`, error instanceof Error ? error : new Error(String(error)));
    next(new Error(`Internal error ${id}; the details are in the backend log`));
  };
}
