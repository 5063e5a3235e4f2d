import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** The owner a pipeline claims: a group or a user ref (kind defaults to group). */
export function parseClaimedOwner(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, { defaultKind: 'group', defaultNamespace: 'default' });
  } catch (error) {
    throw new InputError(`Malformed claimedOwner '${value}': ${(error as Error).message}`);
  }
  // parseEntityRef reads 'a:b:c' as kind a, name b:c; an owner is a group or a user.
  if (!['group', 'user'].includes(ref.kind.toLowerCase()) || ref.name.includes(':')) {
    throw new InputError(`Malformed claimedOwner '${value}': an owner is a group or user ref, e.g. group:default/team-payments`);
  }
  return stringifyEntityRef(ref);
}

/** An owner filter (`team-payments`, `group:default/team-payments`, `user:dana`); kind defaults to group. */
export function normalizeOwner(owner: string): string {
  const match = /^(?:(group|user):)?(?:([a-zA-Z0-9._-]{1,63})\/)?([a-zA-Z0-9._-]{1,63})$/.exec(owner);
  if (!match) {
    throw new InputError(`Malformed owner '${owner}': use e.g. group:default/team-payments`);
  }
  return `${match[1] ?? 'group'}:${match[2] ?? 'default'}/${match[3]}`;
}
