import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();

const trivy = (n: number) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/x:${n}`,
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/x@sha256:${String(n).padStart(64, '0')}`] },
    Results: [
      {
        Target: 'x',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: [{ VulnerabilityID: `CVE-2026-${1000 + n}`, PkgName: `p${n}`, InstalledVersion: '1', Severity: 'HIGH' }],
      },
    ],
  });

describe.each(databases.eachSupportedId())('two backend instances on one database (%p)', databaseId => {
  it('store each upload once, keep every finding, and keep one evidence chain under concurrent load', async () => {
    const knex = await databases.init(databaseId);
    // The second instance gets its own connection pool to the same database, as a second pod would.
    const secondKnex = databaseId.startsWith('POSTGRES') ? knexFactory(knex.client.config) : knex;
    const a = await startDevsecopsBackend(databases, databaseId, { knex });
    const b = await startDevsecopsBackend(databases, databaseId, { knex: secondKnex });
    try {
      const upload = (server: any, body: string, entity: string) =>
        request(server)
          .post(`/api/devsecops/v1/reports?entity=${entity}`)
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/json')
          .send(body);

      // The same report sent to both instances, many times at once: stored exactly once.
      const same = trivy(1);
      const duplicates = await Promise.all(
        Array.from({ length: 12 }, (_, i) => upload(i % 2 ? a.server : b.server, same, 'payments-api')),
      );
      expect(duplicates.map(r => r.status).every(s => s === 200 || s === 201)).toBe(true);
      expect(duplicates.filter(r => r.status === 201)).toHaveLength(1);
      expect(new Set(duplicates.map(r => r.body.report.id)).size).toBe(1);

      // Different reports for different artifacts, alternating instances: none lost.
      const distinct = await Promise.all(
        Array.from({ length: 16 }, (_, i) => upload(i % 2 ? a.server : b.server, trivy(100 + i), 'checkout-web')),
      );
      expect(distinct.map(r => r.status)).toEqual(Array(16).fill(201));
      const [{ count: reports }] = await knex('devsecops_reports').count({ count: '*' });
      const [{ count: findings }] = await knex('devsecops_findings').where({ entity_ref: 'component:default/checkout-web' }).count({ count: '*' });
      expect(Number(reports)).toBe(17);
      expect(Number(findings)).toBe(16);

      // Both instances appended to one evidence log; the chain holds and has no gap.
      for (const server of [a.server, b.server]) {
        const verify = await request(server).get('/api/devsecops/v1/evidence/verify').set('Authorization', ciHeader());
        expect(verify.body).toMatchObject({ ok: true, records: 17, headSeq: 17 });
      }
    } finally {
      await b.stop();
      await a.stop();
      if (secondKnex !== knex) await secondKnex.destroy();
    }
  });
});
