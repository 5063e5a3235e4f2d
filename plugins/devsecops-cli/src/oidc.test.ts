import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { main } from './main';

const JWT =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvcGF5bWVudHMtYXBpOnJlZjpyZWZzL2hlYWRzL21haW4ifQ.c2lnbmF0dXJl';
const REQUEST_TOKEN = 'actions-request-token-1234';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => new Promise(r => s.close(r))));
});

async function serve(
  handler: (req: IncomingMessage) => { status: number; body: unknown },
) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req);
      const { status, body } = handler(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
  };
}

/** A fake Actions token endpoint (as the runner serves it) that issues JWT for the right request token. */
const tokenEndpoint = (answer?: { status: number; body: unknown }) =>
  serve(
    req =>
      answer ??
      (req.headers.authorization === `bearer ${REQUEST_TOKEN}`
        ? { status: 200, body: { count: 1, value: JWT } }
        : { status: 401, body: { message: 'bad request token' } }),
  );

/** The portal's facts endpoint, accepting only the OIDC token. */
const portal = () =>
  serve(req =>
    req.headers.authorization === `Bearer ${JWT}`
      ? {
          status: 201,
          body: {
            facts: [
              {
                entityRef: 'component:default/payments-api',
                fact: 'branch_protection.enabled',
              },
            ],
          },
        }
      : {
          status: 401,
          body: {
            error: { name: 'AuthenticationError', message: 'Illegal token' },
          },
        },
  );

async function cli(args: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    env,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    },
    { sleep: async () => {}, random: () => 0.5 },
  );
  return { code, stdout, stderr };
}

const facts = [
  'facts',
  '--entity',
  'payments-api',
  '--fact',
  'branch_protection.enabled=true',
  '--attempts',
  '1',
];

describe('GitHub Actions OIDC', () => {
  it('requests the job token for the audience and sends it when no static token is given', async () => {
    const tokens = await tokenEndpoint();
    const api = await portal();
    const result = await cli(
      [...facts, '--audience', 'https://backstage.example.com'],
      {
        DEVSECOPS_URL: api.url,
        ACTIONS_ID_TOKEN_REQUEST_URL: `${tokens.url}/_apis/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
      },
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 0,
      stderr:
        'Using the GitHub Actions OIDC token (audience https://backstage.example.com)\n',
    });
    const url = new URL(tokens.seen[0].url!, tokens.url);
    expect(url.searchParams.get('api-version')).toBe('2.0');
    expect(url.searchParams.get('audience')).toBe(
      'https://backstage.example.com',
    );
    expect(api.seen).toHaveLength(1);
    expect(result.stdout + result.stderr).not.toContain(JWT);
  });

  it('defaults the audience to $DEVSECOPS_OIDC_AUDIENCE, else the backend origin', async () => {
    const tokens = await tokenEndpoint();
    const api = await portal();
    const env = {
      DEVSECOPS_URL: `${api.url}/api/devsecops`,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${tokens.url}/token?x=1`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    };
    expect((await cli(facts, env)).code).toBe(0);
    expect(
      new URL(tokens.seen[0].url!, tokens.url).searchParams.get('audience'),
    ).toBe(api.url);
    expect(
      (await cli(facts, { ...env, DEVSECOPS_OIDC_AUDIENCE: 'devsecops' })).code,
    ).toBe(0);
    expect(
      new URL(tokens.seen[1].url!, tokens.url).searchParams.get('audience'),
    ).toBe('devsecops');
  });

  it('prefers an explicit static token and never asks for an OIDC token then', async () => {
    const tokens = await tokenEndpoint();
    const api = await portal();
    const result = await cli(facts, {
      DEVSECOPS_URL: api.url,
      DEVSECOPS_TOKEN: 'static-token-abcdef',
      ACTIONS_ID_TOKEN_REQUEST_URL: `${tokens.url}/token?x=1`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    });
    expect(result.code).toBe(2);
    expect(tokens.seen).toHaveLength(0);
    expect(api.seen[0].headers.authorization).toBe(
      'Bearer static-token-abcdef',
    );
  });

  it('fails with exit 2 naming id-token: write when the runner refuses, without printing either token', async () => {
    const tokens = await tokenEndpoint({
      status: 403,
      body: { message: `denied ${REQUEST_TOKEN}` },
    });
    const api = await portal();
    const result = await cli(facts, {
      DEVSECOPS_URL: api.url,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${tokens.url}/token?x=1`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'answered 403; does the job have permissions: id-token: write?',
    );
    expect(result.stderr).not.toContain(REQUEST_TOKEN);
    expect(api.seen).toHaveLength(0);
    const garbage = await tokenEndpoint({
      status: 200,
      body: { value: 'not a jwt' },
    });
    const bad = await cli(facts, {
      DEVSECOPS_URL: api.url,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${garbage.url}/token?x=1`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did not answer with a token');
  });

  it('outside Actions without a token still names both ways to authenticate', async () => {
    const result = await cli(facts, { DEVSECOPS_URL: 'http://127.0.0.1:9' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('set DEVSECOPS_TOKEN');
    expect(result.stderr).toContain('id-token: write');
  });
});
