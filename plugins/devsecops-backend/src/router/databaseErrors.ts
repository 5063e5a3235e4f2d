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
  // The bounded waits (README, "Database timeouts"): pg's client-side query_timeout, its
  // connectionTimeoutMillis, and the server's statement_timeout.
  /Query read timeout/i,
  /timeout exceeded when trying to connect/i,
  /canceling statement due to statement timeout/i,
];

/** Seconds a client is asked to wait (`Retry-After`) before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** Whether an error means the database is unavailable rather than the request being wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if ((error as { name?: unknown }).name === 'KnexTimeoutError') return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && CONNECTION_MESSAGES.some(p => p.test(message));
}

/**
 * The Backstage service a failed call went to (catalog, permission, …) when it answered with a
 * server error or could not be reached: a `ResponseError` with a 5xx status, or a fetch that failed
 * on the connection. Such a service is usually down with the database it shares with this one.
 * Undefined for every other error (a 4xx from a service stays what it is).
 */
export function unavailableUpstream(error: unknown): { service: string; status?: number } | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { name?: unknown; statusCode?: unknown; response?: { url?: unknown }; cause?: unknown };
  const service = () => {
    const url = typeof e.response?.url === 'string' ? e.response.url : '';
    return /\/api\/([a-z0-9-]+)\//i.exec(url)?.[1] ?? 'an upstream service';
  };
  if (e.name === 'ResponseError' && typeof e.statusCode === 'number' && e.statusCode >= 500) {
    return { service: service(), status: e.statusCode };
  }
  // Node's fetch: TypeError('fetch failed') with the connection error as its cause.
  if (e.name === 'TypeError' && isDatabaseUnavailable(e.cause)) {
    return { service: 'an upstream service' };
  }
  return undefined;
}

/**
 * Express error middleware: database outages, and the services this plugin calls (the catalog)
 * failing on theirs, become a 503 with `Retry-After` the client may retry; never a 500.
 */
export function databaseUnavailableToServiceUnavailable(
  error: unknown,
  _req: unknown,
  res: { setHeader(name: string, value: string): unknown; headersSent?: boolean },
  next: (error?: unknown) => void,
) {
  let mapped: ServiceUnavailableError | undefined;
  if (isDatabaseUnavailable(error)) {
    mapped = new ServiceUnavailableError('The database is unavailable; nothing was stored, retry later');
  } else {
    const upstream = unavailableUpstream(error);
    if (upstream) {
      const name = upstream.service === 'an upstream service' ? 'upstream service' : upstream.service;
      const answered = upstream.status ? ` (it answered ${upstream.status})` : '';
      mapped = new ServiceUnavailableError(`The ${name} is unavailable${answered}; nothing was stored, retry later`);
    }
  }
  const status = (mapped ?? (error as { statusCode?: unknown } | undefined))?.statusCode;
  if (status === 503 && !res.headersSent) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  next(mapped ?? error);
}
