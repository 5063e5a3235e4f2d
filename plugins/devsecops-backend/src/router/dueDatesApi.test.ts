import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, component, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const DAY_MS = 86_400_000;
// A real Grype image scan with the critical CVE-2023-44981 (and highs).
const grypeImage = readFixture('grype/dd-grype-0.96-35-matches-missing-severity.json').toString('utf8');
// A production service the annotation puts in the critical tier.
const ledger = component('ledger', 'team-payments', 'service', 'acme/ledger');
ledger.metadata.annotations = { ...ledger.metadata.annotations, 'devsecops.io/tier': 'critical' };

describe.each(databases.eachSupportedId())('due dates per lifecycle and tier (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  afterEach(() => backend?.stop());

  it('GET /v1/findings shows dueAt from the entity lifecycle and tier SLA', async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: [ledger],
      config: {
        devsecops: {
          severityPolicy: {
            byLifecycle: { production: { critical: 3 }, experimental: { critical: 30 } },
            byTier: { critical: { critical: 1, high: 7 } },
          },
        },
      },
    });
    for (const entity of ['payments-api', 'shared-lib-docs', 'ledger']) {
      await request(backend.server)
        .post(`/api/devsecops/v1/reports?entity=${entity}`)
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send(grypeImage)
        .expect(201);
    }
    const days = async (entity: string, severity: string) => {
      const items = (
        await request(backend.server)
          .get(`/api/devsecops/v1/findings?entity=${entity}&severity=${severity}&limit=1`)
          .set('Authorization', mockCredentials.user.header('user:default/rita'))
          .expect(200)
      ).body.items;
      return (Date.parse(items[0].dueAt) - Date.parse(items[0].firstSeenAt)) / DAY_MS;
    };
    expect(await days('payments-api', 'critical')).toBe(3); // lifecycle production
    expect(await days('shared-lib-docs', 'critical')).toBe(30); // lifecycle experimental
    expect(await days('ledger', 'critical')).toBe(1); // tier critical over production
    expect(await days('ledger', 'high')).toBe(7);
    expect(await days('payments-api', 'high')).toBe(30); // no override for high: the severity SLA
  });
});
