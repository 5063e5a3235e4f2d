import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { BackendFeature, coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { devsecopsPlugin } from '../plugin';

/** A small catalog: two services of team-payments, one library, and a slug two entities share. */
export const testEntities: Entity[] = [
  group('acme', undefined, ['team-payments', 'team-checkout', 'security-compliance']),
  group('security-compliance', 'acme', []),
  user('dana', ['team-payments']),
  user('rita', ['security-compliance']),
  user('sam', ['security-compliance']),
  user('otto', ['team-checkout']),
  group('team-payments', 'acme', []),
  group('team-checkout', 'acme', []),
  component('payments-api', 'team-payments', 'service', 'acme/payments-api'),
  component('checkout-web', 'team-checkout', 'website', 'acme/checkout-web'),
  component('shared-lib', 'appsec', 'library', 'acme/monorepo'),
  component('shared-lib-docs', 'appsec', 'website', 'acme/monorepo', 'experimental'),
  // A cloud account: evidence may be recorded for it, but the scorecard counts components only.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'aws-prod-account', namespace: 'default' },
    spec: { type: 'cloud-account', owner: 'team-payments', lifecycle: 'production' },
  },
];

/**
 * More of the organisation, for the ownership and risk-owner tests (pass as `extraEntities`): a
 * platform team with pat, paula of team-payments (the issue's persona), team-storefront (her target) with stella and its service, and
 * team-payments' child team payments-sre with penny (transitive ownership).
 */
export const organisationEntities: Entity[] = [
  group('platform-team', 'acme', []),
  user('pat', ['platform-team']),
  user('paula', ['team-payments']),
  group('team-storefront', 'acme', []),
  user('stella', ['team-storefront']),
  component('product-catalog-service', 'team-storefront', 'service', 'acme/product-catalog-service'),
  group('payments-sre', 'team-payments', []),
  user('penny', ['payments-sre']),
];

/** A catalog user; `memberOf` also as the relations the catalog derives from it. */
export function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
    relations: memberOf.map(g => ({ type: 'memberOf', targetRef: `group:default/${g}` })),
  };
}

/** The user and their groups, as the real user-info service reads them from the catalog. */
export function userInfoFromCatalog(entities: Entity[]) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const ref = credentials.principal.userEntityRef as string;
        const entity = entities.find(e => e.kind === 'User' && `user:default/${e.metadata.name}` === ref);
        const groups = ((entity?.spec?.memberOf as string[]) ?? []).map(g => `group:default/${g}`);
        return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] };
      },
    }),
  });
}

/** The user and their groups in the small test catalog. */
export const userInfoFromTestCatalog = userInfoFromCatalog(testEntities);

export function group(name: string, parent: string | undefined, children: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children, ...(parent ? { parent } : {}) },
  };
}

export function component(
  name: string,
  owner: string,
  type: string,
  slug: string,
  lifecycle = 'production',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'github.com/project-slug': slug },
    },
    spec: { type, owner, lifecycle },
  };
}

/**
 * The parentOf/childOf relations the catalog derives from `spec.parent` and `spec.children`, so
 * added groups hang below the test catalog's groups without editing their `spec.children`.
 */
function withGroupRelations(entities: Entity[]): Entity[] {
  const ref = (name: string) => `group:default/${name}`;
  const links: Array<[string, string]> = [];
  for (const e of entities.filter(x => x.kind === 'Group')) {
    const parent = e.spec?.parent as string | undefined;
    if (parent) links.push([ref(parent), ref(e.metadata.name)]);
    for (const child of (e.spec?.children as string[]) ?? []) links.push([ref(e.metadata.name), ref(child)]);
  }
  return entities.map(e => {
    if (e.kind !== 'Group') return e;
    const me = ref(e.metadata.name);
    const relations = [
      ...links.filter(([p]) => p === me).map(([, c]) => ({ type: 'parentOf', targetRef: c })),
      ...links.filter(([, c]) => c === me).map(([p]) => ({ type: 'childOf', targetRef: p })),
    ].filter((r, i, all) => all.findIndex(x => x.type === r.type && x.targetRef === r.targetRef) === i);
    return { ...e, relations: [...(e.relations ?? []), ...relations] };
  });
}

/** Header of a CI pipeline's service token (subject external:test-service). */
export const ciHeader = () => mockCredentials.service.header();

/** Notifications the plugin sent, in order (the real service posts them to the notifications backend). */
export function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  const factory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (options: NotificationSendOptions) => {
        sent.push(options);
      },
    }),
  });
  return { sent, factory };
}

/** Starts the plugin on the given test database with a mocked catalog. */
export async function startDevsecopsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: {
    config?: object;
    features?: BackendFeature[];
    knex?: Awaited<ReturnType<TestDatabases['init']>>;
    /** Entities added to the test catalog (and to the user-info service), e.g. organisationEntities. */
    extraEntities?: Entity[];
  } = {},
) {
  const knex = options.knex ?? (await databases.init(databaseId));
  const entities = options.extraEntities
    ? withGroupRelations([...testEntities, ...options.extraEntities])
    : testEntities;
  const notifications = recordingNotifications();
  const backend = await startTestBackend({
    features: [
      devsecopsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory({ entities }),
      notifications.factory,
      options.extraEntities ? userInfoFromCatalog(entities) : userInfoFromTestCatalog,
      ...(options.features ?? []),
    ],
  });
  return {
    server: backend.server,
    knex,
    notifications: notifications.sent,
    // stop is a method of the test backend: keep it bound.
    stop: () => backend.stop(),
  };
}
