import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The group an org-wide attestation (a control-failure review, template feedback) is recorded
 * for: the catalog's one group of type organization, else its one group without a parent;
 * none when the catalog has several.
 */
export async function organisationGroup(catalog: CatalogService, auth: AuthService): Promise<string | undefined> {
  const { items } = await catalog.getEntities(
    { filter: { kind: 'Group' }, fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.type', 'spec.parent'] },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const organizations = items.filter(g => (g.spec as { type?: unknown } | undefined)?.type === 'organization');
  const roots = organizations.length > 0 ? organizations : items.filter(g => !(g.spec as { parent?: unknown } | undefined)?.parent);
  return roots.length === 1 ? stringifyEntityRef(roots[0]) : undefined;
}
