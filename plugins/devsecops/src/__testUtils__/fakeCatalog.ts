import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';

const entity = (kind: string, name: string, spec: object = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

/** A small catalog for the org filters: groups, a system, a domain and components in two lifecycles. */
export const fakeCatalogEntities: Entity[] = [
  entity('Group', 'team-payments', { type: 'team', profile: { displayName: 'Payments' }, children: [] }),
  entity('Group', 'team-checkout', { type: 'team', children: [] }),
  entity('System', 'payments', { owner: 'team-payments', domain: 'commerce' }),
  entity('Domain', 'commerce', { owner: 'team-payments' }),
  entity('Component', 'payments-api', { type: 'service', owner: 'team-payments', lifecycle: 'production', system: 'payments' }),
  entity('Component', 'checkout-web', { type: 'website', owner: 'team-checkout', lifecycle: 'experimental' }),
];

export const fakeCatalogApi = () => new InMemoryCatalogClient({ entities: fakeCatalogEntities });
