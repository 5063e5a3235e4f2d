import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DevsecopsClient } from './DevsecopsClient';

describe('DevsecopsClient', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/api/devsecops/health') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            status: 'ok',
            database: { client: 'pg', reachable: true },
            migrations: [],
          }),
        );
        return;
      }
      if (req.url?.startsWith('/api/devsecops/v1/exceptions/risk-owners')) {
        // A proxy's HTML error page: its text is no message for a person.
        res.statusCode = 502;
        res.setHeader('content-type', 'text/html');
        res.end('<html><body>upstream down</body></html>');
        return;
      }
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: `No route ${req.url}` },
          response: { statusCode: 404 },
        }),
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/devsecops`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const client = () =>
    new DevsecopsClient({ discoveryApi: { getBaseUrl: async () => baseUrl } });

  it('reads the health document over HTTP', async () => {
    await expect(client().getHealth()).resolves.toMatchObject({
      status: 'ok',
      database: { client: 'pg' },
    });
  });

  it('turns an error response into a ResponseError carrying the backend message', async () => {
    await expect(client().listFormats()).rejects.toMatchObject({
      name: 'ResponseError',
      message: 'No route /api/devsecops/formats',
      statusCode: 404,
      body: {
        error: { message: 'No route /api/devsecops/formats' },
      },
    });
  });

  it('keeps the status line as the message when the body is not a Backstage error', async () => {
    await expect(
      client().listEligibleRiskOwners({ entity: 'component:default/a', riskRating: 'high' }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 502, message: 'Request failed with 502 Bad Gateway' });
  });
});
