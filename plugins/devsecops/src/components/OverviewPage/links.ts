import { parseEntityRef } from '@backstage/catalog-model';

/**
 * The Security tab of an entity, for the kinds that have one (component, group, system); other
 * kinds (a Resource, an API) have no such tab, so no link rather than a link to a 404.
 */
export function entityLink(ref: string): string | undefined {
  const { kind, namespace, name } = parseEntityRef(ref);
  if (!['component', 'group', 'system'].includes(kind.toLowerCase())) return undefined;
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/security`;
}
