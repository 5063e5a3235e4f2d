import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';

/** A service by name, linking to its Security tab (where its failures and findings are). */
export function ServiceLink(props: { entityRef: string }) {
  const { kind, namespace, name } = parseEntityRef(props.entityRef);
  return <Link to={`/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}/security`}>{name}</Link>;
}
