import { CliError } from './io';

/** Upper bound of one wait between attempts, whatever the backoff or Retry-After says. */
const MAX_DELAY_MS = 60_000;

export interface ApiClientOptions {
  /** The plugin's API root, e.g. http://localhost:7007/api/devsecops */
  apiUrl: string;
  token: string;
  /** Total attempts per request (1 = no retry). */
  attempts: number;
  timeoutMs: number;
  /** First backoff step; doubles each attempt. */
  baseDelayMs?: number;
  userAgent: string;
  log(line: string): void;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: { data: Uint8Array | string; contentType: string };
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  /** How many attempts it took (1 = first try). */
  attempts: number;
}

/** The server answered with an error status (after any retries); its message is the server's. */
export class ApiError extends CliError {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached, or never answered, within the attempts allowed. */
export class TransportError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Network errors, 429 and 5xx are worth another attempt; a 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * base·2^(n-1), so parallel CI jobs that failed together do not retry together.
 */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | null,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A minimal client of the devsecops API with retries; never logs the token. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  async request<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const { attempts } = this.options;
    const url = this.url(request);
    const what = `${request.method} ${url.pathname}`;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: request.method,
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            Accept: 'application/json',
            'User-Agent': this.options.userAgent,
            ...(request.body
              ? { 'Content-Type': request.body.contentType }
              : {}),
          },
          body: request.body?.data,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const cause = describeNetworkError(error, this.options.timeoutMs);
        if (attempt >= attempts) {
          throw new TransportError(
            `${what} to ${url.origin} failed after ${attempt} attempt${
              attempt === 1 ? '' : 's'
            }: ${cause}`,
          );
        }
        await this.wait(attempt, `${cause}`);
        continue;
      }

      if (response.ok) {
        return {
          status: response.status,
          body: parseJson(text) as T,
          attempts: attempt,
        };
      }
      const message = serverMessage(response, text);
      if (isRetryableStatus(response.status) && attempt < attempts) {
        await this.wait(
          attempt,
          `${response.status} ${message}`,
          retryAfterMs(response.headers.get('retry-after')),
        );
        continue;
      }
      const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
      throw new ApiError(
        response.status,
        `${what} answered ${response.status}${tries}: ${message}`,
      );
    }
  }

  private async wait(attempt: number, reason: string, retryAfter?: number) {
    const { attempts, baseDelayMs = 1000, random, sleep, log } = this.options;
    const delay = Math.min(
      MAX_DELAY_MS,
      Math.max(backoffDelay(attempt, baseDelayMs, random), retryAfter ?? 0),
    );
    log(
      `attempt ${attempt}/${attempts} failed (${reason}); retrying in ${(
        delay / 1000
      ).toFixed(1)}s`,
    );
    await sleep(delay);
  }

  private url(request: ApiRequest): URL {
    const url = new URL(`${this.options.apiUrl}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return url;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(
      `The server answered with something that is not JSON (is the URL the Backstage backend?): ${snippet(
        text,
      )}`,
    );
  }
}

/** The backend's `error.message`; otherwise the start of whatever came back. */
function serverMessage(response: Response, text: string): string {
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  return snippet(text) || response.statusText || 'no message';
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return `no response within ${Math.round(timeoutMs / 1000)}s`;
  }
  const cause = err?.cause;
  if (cause?.code) {
    return cause.message?.includes(cause.code)
      ? cause.message
      : `${cause.code} ${cause.message ?? ''}`.trim();
  }
  if (cause?.message) return cause.message;
  return err?.message ?? String(error);
}
