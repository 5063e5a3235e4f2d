import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

describe.each(databases.eachSupportedId())('NUL characters on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeAll(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterAll(() => backend.stop());

  const user = mockCredentials.user.header('user:default/dana');
  const get = (url: string) => request(backend.server).get(`/api/devsecops${url}`).set('Authorization', ciHeader());
  const post = (url: string, body: object, auth = user) =>
    request(backend.server).post(`/api/devsecops${url}`).set('Authorization', auth).send(body);

  it.each([
    ['/v1/findings?tool=%00', 'request/query/tool'],
    ['/v1/findings?entity=payments-api&tool=trivy%00', 'request/query/tool'],
    ['/v1/findings?entity=payments-api%00', 'request/query/entity'],
    ['/v1/findings?owner=group:default/team%00', 'request/query/owner'],
    ['/v1/evidence/log?subject=%00', 'request/query/subject'],
    ['/v1/evidence/log?entity=payments-api&subject=a%00b', 'request/query/subject'],
    ['/v1/deployments?entity=payments-api&environment=prod%00', 'request/query/environment'],
    ['/v1/reports?repository=acme/payments-api%00', 'request/query/repository'],
    ['/v1/findings?a%00b=1', 'request/query/a\\\\u0000b'],
  ])('GET %s is a 400 naming %s', async (url, where) => {
    const response = await get(url);
    expect([response.status, response.body.error.message]).toEqual([400, `${where.replace(/\\\\/g, '\\')} must not contain NUL (\\u0000)`]);
  });

  it('refuses NUL in JSON fields, nested fields and property names with a 400 naming the field', async () => {
    const exception = {
      entityRef: 'payments-api',
      scope: { control: 'sast', ruleId: 'js/sql\u0000injection' },
      riskStatement: 'Reachable only from the admin network',
      riskRating: 'medium',
      riskOwner: 'group:default/security-compliance',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    const cases: Array<[string, object, string, string?]> = [
      ['/v1/exceptions', exception, 'request/body/scope/ruleId'],
      ['/v1/exceptions', { ...exception, scope: { control: 'sast' }, riskStatement: 'a\u0000b' }, 'request/body/riskStatement'],
      ['/v1/exceptions', { ...exception, scope: { control: 'sast' }, ['x\u0000']: 1 }, 'request/body/x\\u0000'],
      [
        '/v1/facts',
        { entityRef: 'payments-api', facts: [{ fact: 'branch_protection.branch', value: 'main\u0000', source: 'test' }] },
        'request/body/facts/0/value',
        ciHeader(),
      ],
      [
        '/v1/deployments',
        { entityRef: 'payments-api', environment: 'production', artifactDigest: `sha256:${'a'.repeat(64)}`, deployer: 'ci\u0000bot' },
        'request/body/deployer',
        ciHeader(),
      ],
    ];
    for (const [url, body, where, auth] of cases) {
      const response = await post(url, body, auth ?? user);
      expect([url, response.status, response.body.error?.message]).toEqual([url, 400, `${where} must not contain NUL (\\u0000)`]);
    }
    // Nothing was stored by any of them.
    const [{ count }] = await backend.knex('devsecops_evidence_log').count({ count: '*' });
    expect(Number(count)).toBe(0);
  });

  it('keeps a report whose strings carry NUL (scanners emit it), with U+FFFD in their place', async () => {
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x\u0000' } },
          results: [
            {
              ruleId: 'r\u0000',
              level: 'error',
              message: { text: 'm\u0000' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'a\u0000.js' }, region: { startLine: 1 } } }],
            },
          ],
        },
      ],
    };
    const report = await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(sarif));
    expect([report.status, report.body.report?.tool]).toEqual([201, 'x\ufffd']);
    const findings = await get('/v1/findings?entity=payments-api&control=sast');
    expect(findings.body.items.map((f: { ruleId: string }) => f.ruleId)).toEqual(['r\ufffd']);
  });
});
