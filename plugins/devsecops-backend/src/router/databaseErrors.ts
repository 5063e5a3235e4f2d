import { ServiceUnavailableError } from '../ingest/errors';

// Connection-level failures: the database went away or is not reachable right now. Retrying later
// is the right move for the client, so they are 503s, never 500s.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  'SQLITE_BUSY',
]);

const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /Knex: Timeout acquiring a connection/i,
  /Client has encountered a connection error/i,
  /connect ECONNREFUSED/i,
  /server closed the connection unexpectedly/i,
];

/** Whether an error means the database is unavailable rather than the request being wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && CONNECTION_MESSAGES.some(p => p.test(message));
}

/** Express error middleware: database outages become a 503 the client may retry. */
export function databaseUnavailableToServiceUnavailable(
  error: unknown,
  _req: unknown,
  _res: unknown,
  next: (error?: unknown) => void,
) {
  if (isDatabaseUnavailable(error)) {
    next(new ServiceUnavailableError('The database is unavailable; nothing was stored, retry later'));
    return;
  }
  next(error);
}
