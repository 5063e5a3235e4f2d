import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { devsecopsNormalizersExtensionPoint } from '@devsecops-scorecard/plugin-devsecops-node';
import request from 'supertest';
import { devsecopsPlugin } from './plugin';
import { applyMigrations, migrationsDir } from './store/migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

// A module that teaches the plugin a new format, the way an adopter's backend module would.
const exampleFormatModule = createBackendModule({
  pluginId: 'devsecops',
  moduleId: 'example-format',
  register(env) {
    env.registerInit({
      deps: { normalizers: devsecopsNormalizersExtensionPoint },
      async init({ normalizers }) {
        normalizers.addNormalizer({
          id: 'example',
          title: 'Example scanner JSON',
          detect: report =>
            report.shape === 'json' &&
            typeof report.value === 'object' &&
            report.value !== null &&
            'example' in report.value,
          normalize: () => ({
            format: 'example',
            tool: 'example',
            controls: ['sast'],
            findings: [],
          }),
        });
      },
    });
  },
});

describe.each(databases.eachSupportedId())('devsecops plugin on %p', databaseId => {
  async function startBackend() {
    const knex = await databases.init(databaseId);
    const backend = await startTestBackend({
      features: [
        devsecopsPlugin,
        exampleFormatModule,
        mockServices.database.factory({ knex }),
        // Requests without a token are anonymous, as in a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    // stop is a method of the test backend: keep it bound.
    return { server: backend.server, stop: () => backend.stop(), knex };
  }

  it('migrates its database and reports health without credentials', async () => {
    const { server, stop, knex } = await startBackend();
    try {
      const response = await request(server).get('/api/devsecops/health');
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ok');
      expect(response.body.database.reachable).toBe(true);
      expect(response.body.migrations).toContain('20261128150000_evidence_store.js');
      expect(await knex.schema.hasTable('devsecops_reports')).toBe(true);
    } finally {
      await stop();
    }
  });

  it('serves the control stack to signed-in users only', async () => {
    const { server, stop } = await startBackend();
    try {
      await request(server).get('/api/devsecops/controls').expect(401);
      const response = await request(server)
        .get('/api/devsecops/controls')
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      expect(response.body.stages).toHaveLength(5);
      expect(response.body.controls.map((c: { id: string }) => c.id)).toContain(
        'secret-scanning',
      );
    } finally {
      await stop();
    }
  });

  it('lists formats that backend modules add through the extension point', async () => {
    const { server, stop } = await startBackend();
    try {
      const response = await request(server)
        .get('/api/devsecops/formats')
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      expect(response.body.formats).toContainEqual({
        id: 'example',
        title: 'Example scanner JSON',
      });
      expect(response.body.formats.map((f: { id: string }) => f.id)).toEqual(
        expect.arrayContaining(['sarif', 'cyclonedx', 'trivy', 'gitleaks']),
      );
    } finally {
      await stop();
    }
  });
});

describe('the secret-fingerprint key in production', () => {
  const originalEnv = process.env.NODE_ENV;
  afterEach(() => {
    (process.env as Record<string, string | undefined>).NODE_ENV = originalEnv;
  });

  async function startWith(devsecops: object) {
    const knex = await databases.init('SQLITE_3');
    return startTestBackend({
      features: [
        devsecopsPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({ data: { devsecops } }),
      ],
    });
  }

  it('refuses to start with NODE_ENV=production and no key, naming the key and how to set it', async () => {
    (process.env as Record<string, string | undefined>).NODE_ENV = 'production';
    await expect(startWith({})).rejects.toThrow(
      /devsecops\.secretFingerprintKey is required when NODE_ENV=production.*DEVSECOPS_SECRET_FINGERPRINT_KEY/s,
    );
  });

  it('starts in production with a configured key, or with the generated one when explicitly allowed', async () => {
    (process.env as Record<string, string | undefined>).NODE_ENV = 'production';
    for (const devsecops of [
      { secretFingerprintKey: 'a-production-key-from-the-vault' },
      { allowGeneratedSecretFingerprintKey: true },
    ]) {
      const backend = await startWith(devsecops);
      try {
        expect((await request(backend.server).get('/api/devsecops/health')).status).toBe(200);
      } finally {
        await backend.stop();
      }
    }
  });

  it('generates the key outside production', async () => {
    (process.env as Record<string, string | undefined>).NODE_ENV = 'development';
    const backend = await startWith({});
    try {
      expect((await request(backend.server).get('/api/devsecops/health')).status).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});

describe('devsecops migrations', () => {
  it.each(databases.eachSupportedId())('roll back cleanly on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    expect(await knex.schema.hasTable('devsecops_reports')).toBe(true);
    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await knex.schema.hasTable('devsecops_reports')).toBe(false);
  });
});
