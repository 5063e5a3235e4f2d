import { parseArgs, ParseArgsConfig } from 'node:util';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { ApiClient } from './http';
import { CliDeps, CliIo, UsageError } from './io';
import { inActionsWithIdToken, requestActionsIdToken } from './oidc';

export const VERSION = '0.1.0';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every command that talks to the backend takes. */
export const connectionOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  audience: { type: 'string' },
  attempts: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

export const entityOptions = {
  entity: { type: 'string' },
  repository: { type: 'string' },
} as const satisfies OptionsConfig;

export const CONNECTION_HELP = `Connection:
  --url <url>          Backstage backend base URL (default: $DEVSECOPS_URL), e.g. http://localhost:7007
  --token <token>      static external-access token (default: $DEVSECOPS_TOKEN); never printed.
                       Without one, inside GitHub Actions (permissions: id-token: write) the
                       job's OIDC token is requested and sent instead
  --audience <aud>     audience of that OIDC token (default: $DEVSECOPS_OIDC_AUDIENCE, else the
                       backend URL's origin); must match the backend's externalAccess jwks audience
  --attempts <n>       attempts per request, retrying network errors, 429 and 5xx with
                       exponential backoff and jitter; a 4xx is never retried (default: 4)
  --timeout <seconds>  per attempt (default: 120)
  --json               print the server's JSON response on stdout and nothing else there
  -h, --help           this help`;

export interface CommandContext {
  io: CliIo;
  env: Record<string, string | undefined>;
  deps: Required<CliDeps>;
  /** Progress, diagnostics and retries: always stderr. */
  log(line: string): void;
  /** Human output: stdout, unless --json (then nothing but the JSON goes there). */
  out(line: string): void;
  /** Remembers a token in use (several: the OIDC request token too) so the io wrapper redacts it. */
  setToken(token: string): void;
}

/** node:util parseArgs with its errors turned into usage errors of the command. */
export function parseCommandArgs<T extends OptionsConfig>(
  command: string,
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}

export interface ConnectionValues {
  url?: string;
  token?: string;
  audience?: string;
  attempts?: string;
  timeout?: string;
}

/**
 * Builds the API client from flags, then the environment; without a token, inside GitHub Actions
 * (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN set), with the job's OIDC token for the audience.
 */
export async function connect(
  command: string,
  values: ConnectionValues,
  ctx: CommandContext,
): Promise<ApiClient> {
  const rawUrl = values.url ?? ctx.env.DEVSECOPS_URL;
  if (!rawUrl) {
    throw new UsageError(
      'No backend URL: set DEVSECOPS_URL (e.g. http://localhost:7007) or pass --url',
      command,
    );
  }
  const base = apiUrl(rawUrl, command);
  const attempts = positiveInt(values.attempts, 4, '--attempts', command, 20);
  const timeoutMs =
    positiveInt(values.timeout, 120, '--timeout', command, 3600) * 1000;
  let token = values.token ?? ctx.env.DEVSECOPS_TOKEN;
  if (!token && inActionsWithIdToken(ctx.env)) {
    ctx.setToken(ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!);
    const audience =
      values.audience ??
      ctx.env.DEVSECOPS_OIDC_AUDIENCE ??
      new URL(base).origin;
    token = await requestActionsIdToken(ctx.env, audience, timeoutMs);
    ctx.log(`Using the GitHub Actions OIDC token (audience ${audience})`);
  }
  if (!token) {
    throw new UsageError(
      'No token: set DEVSECOPS_TOKEN to the static external-access token or pass --token (inside GitHub Actions, give the job permissions: id-token: write to use its OIDC token)',
      command,
    );
  }
  ctx.setToken(token);
  return new ApiClient({
    apiUrl: base,
    token,
    attempts,
    timeoutMs,
    userAgent: `devsecops-cli/${VERSION}`,
    log: ctx.log,
    sleep: ctx.deps.sleep,
    random: ctx.deps.random,
  });
}

/** http://host:7007 → http://host:7007/api/devsecops (an URL already ending so is kept). */
export function apiUrl(raw: string, command: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`The backend URL '${raw}' is not a URL`, command);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `The backend URL must be http or https, got '${url.protocol}'`,
      command,
    );
  }
  if (url.username || url.password) {
    throw new UsageError(
      'Do not put credentials in the URL: use DEVSECOPS_TOKEN',
      command,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  const base = `${url.origin}${path}`;
  return /\/api\/devsecops$/.test(path) ? base : `${base}/api/devsecops`;
}

function positiveInt(
  value: string | undefined,
  fallback: number,
  flag: string,
  command: string,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(
      `${flag} must be a whole number from 1 to ${max}, got '${value}'`,
      command,
    );
  }
  return Number(value);
}

/** Exactly one of --entity and --repository. */
export function entityLookup(
  command: string,
  values: { entity?: string; repository?: string },
): { entityRef?: string; repository?: string } {
  if (values.entity && values.repository) {
    throw new UsageError('Pass --entity or --repository, not both', command);
  }
  if (!values.entity && !values.repository) {
    throw new UsageError(
      'Pass --entity <ref> (e.g. component:default/payments-api) or --repository <org/repo>',
      command,
    );
  }
  return values.entity
    ? { entityRef: values.entity }
    : { repository: values.repository };
}

export function required(
  command: string,
  flag: string,
  value: string | undefined,
): string {
  if (!value) throw new UsageError(`--${flag} is required`, command);
  return value;
}

export function noPositionals(command: string, positionals: string[]) {
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument '${positionals[0]}'`, command);
  }
}

export function digest(command: string, flag: string, value: string): string {
  const normalized = normalizeDigest(value);
  if (!normalized) {
    throw new UsageError(
      `--${flag} '${value}' is not a digest: use algorithm:hex, e.g. sha256:<64 hex characters> (or image@sha256:…)`,
      command,
    );
  }
  return normalized;
}

export function commitId(
  command: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9a-fA-F]{7,64}$/.test(value)) {
    throw new UsageError(
      `--commit '${value}' is not a commit id (7 to 64 hex characters)`,
      command,
    );
  }
  return value.toLowerCase();
}

export function environmentName(command: string, value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(value)) {
    throw new UsageError(
      `--environment '${value}' must be lowercase letters, digits, '-' or '_' (e.g. production)`,
      command,
    );
  }
  return value;
}

export function timestamp(
  command: string,
  flag: string,
  value: string | undefined,
) {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(
      `--${flag} '${value}' is not an ISO 8601 date-time`,
      command,
    );
  }
  return new Date(value).toISOString();
}

/** Prints the response as JSON when --json. */
export function printJson(ctx: CommandContext, body: unknown) {
  ctx.io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
}
