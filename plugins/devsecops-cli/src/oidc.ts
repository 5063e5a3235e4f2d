import { CliError } from './io';

/** The environment GitHub Actions sets in jobs with `permissions: id-token: write`. */
export interface ActionsOidcEnv {
  ACTIONS_ID_TOKEN_REQUEST_URL?: string;
  ACTIONS_ID_TOKEN_REQUEST_TOKEN?: string;
}

/** Whether the CLI runs in a GitHub Actions job that may request an OIDC token. */
export function inActionsWithIdToken(env: ActionsOidcEnv): boolean {
  return (
    !!env.ACTIONS_ID_TOKEN_REQUEST_URL && !!env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  );
}

/**
 * Requests the job's OIDC token for `audience` from the Actions runtime (as
 * `@actions/core`'s getIDToken does): GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=… with the
 * request token as bearer; the answer is `{ "value": "<JWT>" }`. Neither token is ever printed.
 */
export async function requestActionsIdToken(
  env: ActionsOidcEnv,
  audience: string,
  timeoutMs: number,
): Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL!;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw new CliError('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
  }
  url.searchParams.set('audience', audience);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      headers: {
        Authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`,
        Accept: 'application/json; api-version=2.0',
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new CliError(
      `Could not request the GitHub Actions OIDC token from ${url.origin}: ${
        (error as Error).message
      }`,
    );
  }
  if (!response.ok) {
    throw new CliError(
      `The GitHub Actions OIDC token request answered ${response.status}; does the job have permissions: id-token: write?`,
    );
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) {
    throw new CliError(
      'The GitHub Actions OIDC token request did not answer with a token ({ "value": "<JWT>" })',
    );
  }
  return value;
}
