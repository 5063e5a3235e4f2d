import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { devsecopsPlugin } from '../plugin';

/** A small catalog: two services of team-payments, one library, and a slug two entities share. */
export const testEntities: Entity[] = [
  group('acme', undefined, ['team-payments', 'team-checkout']),
  group('team-payments', 'acme', []),
  group('team-checkout', 'acme', []),
  component('payments-api', 'team-payments', 'service', 'acme/payments-api'),
  component('checkout-web', 'team-checkout', 'website', 'acme/checkout-web'),
  component('shared-lib', 'appsec', 'library', 'acme/monorepo'),
  component('shared-lib-docs', 'appsec', 'website', 'acme/monorepo'),
];

function group(name: string, parent: string | undefined, children: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children, ...(parent ? { parent } : {}) },
  };
}

function component(
  name: string,
  owner: string,
  type: string,
  slug: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'github.com/project-slug': slug },
    },
    spec: { type, owner, lifecycle: 'production' },
  };
}

/** Header of a CI pipeline's service token (subject external:test-service). */
export const ciHeader = () => mockCredentials.service.header();

/** Starts the plugin on the given test database with a mocked catalog. */
export async function startDevsecopsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: { config?: object; features?: BackendFeature[] } = {},
) {
  const knex = await databases.init(databaseId);
  const backend = await startTestBackend({
    features: [
      devsecopsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities: testEntities }),
      ...(options.features ?? []),
    ],
  });
  return {
    server: backend.server,
    knex,
    // stop is a method of the test backend: keep it bound.
    stop: () => backend.stop(),
  };
}
