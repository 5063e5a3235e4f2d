import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** `{"a":{"a":…1…}}`, `levels` objects deep. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** Reports that are valid JSON but hostile, through `POST /v1/reports` (issue 13, items 13, 14, 11, 1). */
describe.each(databases.eachSupportedId())('hostile reports on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeAll(async () => {
    backend = await startDevsecopsBackend(databases, databaseId);
  });
  afterAll(() => backend.stop());

  const upload = (body: string, query = 'entity=payments-api') =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .serialize((data: unknown) => data as string)
      .send(body);

  it('refuses 10,000 nested objects in SARIF properties with a 400 naming the nesting limit', async () => {
    const body = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"ruleId":"r","message":{"text":"m"},"properties":${nested(
      10_000,
    )}}]}]}`;
    const response = await upload(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/more than 512 levels deep/);
    const [{ count }] = await backend.knex('devsecops_reports').count({ count: '*' });
    expect(Number(count)).toBe(0);
  });
});
