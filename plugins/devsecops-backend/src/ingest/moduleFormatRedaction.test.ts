import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  devsecopsNormalizersExtensionPoint,
  stableFingerprint,
} from '@devsecops-scorecard/plugin-devsecops-node';
import request from 'supertest';
import { gunzipSync } from 'node:zlib';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const SECRET = 'acme_live_9f3c2b7e4d1a8f6e0b5c3d2a1f4e7b9c';

/**
 * A backend module adding a secret scanner's format, as an adopter would: its secret sits in
 * `secretValue`, a field no built-in format knows; the format declares it in its contract.
 */
const acmeFormatModule = createBackendModule({
  pluginId: 'devsecops',
  moduleId: 'acme-secrets-format',
  register(env) {
    env.registerInit({
      deps: { normalizers: devsecopsNormalizersExtensionPoint },
      async init({ normalizers }) {
        normalizers.addNormalizer({
          id: 'acme-secrets',
          title: 'ACME secret scanner JSON',
          secretFields: ['secretValue'],
          detect: report =>
            report.shape === 'json' &&
            typeof report.value === 'object' &&
            report.value !== null &&
            'acmeFindings' in report.value,
          normalize: (report, context) => {
            const doc = (report.shape === 'json' ? report.value : {}) as {
              acmeFindings: Array<{ rule: string; file: string; secretValue: string }>;
            };
            return {
              format: 'acme-secrets',
              tool: 'acme',
              controls: ['secret-scanning'],
              findings: doc.acmeFindings.map(f => ({
                kind: 'secret',
                control: 'secret-scanning',
                ruleId: f.rule,
                title: f.rule,
                severity: 'high',
                location: { path: f.file },
                fingerprint: stableFingerprint(
                  'acme',
                  f.rule,
                  f.file,
                  context.secretFingerprint(f.secretValue),
                ),
              })),
            };
          },
        });
      },
    });
  },
});

describe.each(databases.eachSupportedId())('a module format’s secret fields on %p', databaseId => {
  it('never reach the stored body nor any table', async () => {
    const backend = await startDevsecopsBackend(databases, databaseId, {
      features: [acmeFormatModule],
    });
    try {
      const body = JSON.stringify({
        acmeFindings: [{ rule: 'acme-live-key', file: 'deploy/.env', secretValue: SECRET }],
      });
      const response = await request(backend.server)
        .post('/api/devsecops/v1/reports?entity=payments-api')
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send(body);
      expect(response.status).toBe(201);
      expect(response.body.report).toMatchObject({
        format: 'acme-secrets',
        control: 'secret-scanning',
        bodyRedacted: true,
      });

      const kept = await request(backend.server)
        .get(`/api/devsecops/v1/reports/${response.body.report.id}/body`)
        .set('Authorization', mockCredentials.user.header())
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => callback(null, Buffer.concat(chunks).toString('utf8')));
        });
      expect(kept.status).toBe(200);
      expect(kept.headers['x-devsecops-redacted']).toBe('true');
      expect(kept.body).toContain('[REDACTED by devsecops]');
      expect(kept.body).toContain('acme-live-key');
      expect(kept.body).not.toContain(SECRET);

      const tables = (
        await backend.knex('sqlite_master').select('name').where('type', 'table').catch(() => undefined)
      ) ?? (await backend.knex('pg_tables').select({ name: 'tablename' }).where('schemaname', 'public'));
      let dump = '';
      for (const { name } of tables.filter((t: { name: string }) => t.name.startsWith('devsecops_'))) {
        for (const row of await backend.knex(name).select('*')) {
          for (const [column, value] of Object.entries(row)) {
            dump +=
              Buffer.isBuffer(value) || value instanceof Uint8Array
                ? gunzipSync(Buffer.from(value)).toString('utf8')
                : `${column}=${JSON.stringify(value)}\n`;
          }
        }
      }
      expect(dump).toContain('acme-live-key');
      expect(dump).not.toContain(SECRET);
    } finally {
      await backend.stop();
    }
  });
});
