import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { devsecopsEntityReadPermission } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  DevsecopsEntityQuery,
  devsecopsEntityRules,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { EVIDENCE_KINDS } from '../catalog/EntityResolver';

/**
 * Which entities' detailed evidence (findings, reports and their bodies, exceptions, evidence
 * chains, audit packages) a caller may read: everything, or the listed entity refs. Stores apply
 * the list as `entity_ref IN (…)` in their queries, so pages stay whole.
 */
export type ReadScope =
  | { readonly all: true }
  | { readonly all: false; readonly entityRefs: readonly string[] };

export const READ_ALL: ReadScope = { all: true };

/** Whether the scope covers the entity. */
export function mayRead(scope: ReadScope, entityRef: string): boolean {
  return scope.all || scope.entityRefs.includes(entityRef);
}

/** A single read of another entity's evidence: 404, as if it did not exist. */
export function assertMayRead(
  scope: ReadScope,
  entityRef: string,
  what: string,
): void {
  if (!mayRead(scope, entityRef)) throw new NotFoundError(`No ${what}`);
}

/**
 * The entity filter of a list: the requested entities narrowed to the scope (`undefined`: no
 * filter at all). An empty list means nothing matches.
 */
export function narrowEntities(
  scope: ReadScope,
  requested?: string[],
): string[] | undefined {
  if (scope.all) return requested;
  return requested
    ? requested.filter(ref => scope.entityRefs.includes(ref))
    : [...scope.entityRefs];
}

type Caller = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

const transformConditions = createConditionTransformer(
  Object.values(devsecopsEntityRules),
);

/**
 * Decides read scopes with `devsecops.entity.read`, a resource permission on `devsecops-entity`:
 * ALLOW reads everything, DENY nothing, a conditional decision (IS_ENTITY_OWNER) is translated
 * through the rule's query form into the entity refs whose catalog owner matches.
 */
export class ReadScopes {
  constructor(
    private readonly o: {
      permissions: PermissionsService;
      catalog: CatalogService;
      auth: AuthService;
      /** `devsecops.permissions.transitiveOwnership`: the rule's default for `transitive`. */
      transitiveOwnershipByDefault: boolean;
    },
  ) {}

  async of(credentials: Caller): Promise<ReadScope> {
    // Services (CI, the GitHub module, other plugins) read everything, as before.
    if (credentials.principal.type !== 'user') return READ_ALL;
    const [decision] = await this.o.permissions.authorizeConditional(
      [{ permission: devsecopsEntityReadPermission }],
      {
        credentials:
          credentials as BackstageCredentials<BackstageUserPrincipal>,
      },
    );
    if (decision.result === AuthorizeResult.ALLOW) return READ_ALL;
    if (decision.result === AuthorizeResult.DENY)
      return { all: false, entityRefs: [] };
    const query = transformConditions(
      (decision as ConditionalPolicyDecision).conditions as any,
    ) as PermissionCriteria<DevsecopsEntityQuery>;
    return { all: false, entityRefs: await this.entitiesMatching(query) };
  }

  private async entitiesMatching(
    query: PermissionCriteria<DevsecopsEntityQuery>,
  ): Promise<string[]> {
    const { items } = await this.o.catalog.getEntities(
      {
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
          'spec.parent',
          'spec.children',
        ],
      },
      { credentials: await this.o.auth.getOwnServiceCredentials() },
    );
    const tree = groupTree(items);
    const refs: string[] = [];
    for (const entity of items) {
      if (!EVIDENCE_KINDS.includes(entity.kind.toLowerCase())) continue;
      const ownerRef = ownerOf(entity);
      if (
        ownerRef &&
        matches(query, ownerRef, tree, this.o.transitiveOwnershipByDefault)
      ) {
        refs.push(stringifyEntityRef(entity));
      }
    }
    return refs.sort();
  }
}

interface GroupTree {
  parent: Map<string, string>;
  children: Map<string, string[]>;
}

function groupTree(items: Entity[]): GroupTree {
  const parent = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const entity of items) {
    if (entity.kind.toLowerCase() !== 'group') continue;
    const ref = stringifyEntityRef(entity);
    const ns = entity.metadata.namespace ?? 'default';
    const p = entity.spec?.parent;
    if (typeof p === 'string' && p) parent.set(ref, groupRef(p, ns));
    const kids = Array.isArray(entity.spec?.children)
      ? (entity.spec!.children as unknown[])
      : [];
    for (const child of kids) {
      if (typeof child !== 'string') continue;
      const childRef = groupRef(child, ns);
      parent.set(childRef, parent.get(childRef) ?? ref);
    }
  }
  for (const [child, p] of parent)
    children.set(p, [...(children.get(p) ?? []), child]);
  return { parent, children };
}

function groupRef(raw: string, namespace: string): string {
  return stringifyEntityRef(
    parseEntityRef(raw, { defaultKind: 'group', defaultNamespace: namespace }),
  );
}

function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  return groupRef(owner, entity.metadata.namespace ?? 'default');
}

function ancestorsOf(ref: string, tree: GroupTree): string[] {
  const out: string[] = [];
  for (
    let p = tree.parent.get(ref);
    p && !out.includes(p);
    p = tree.parent.get(p)
  )
    out.push(p);
  return out;
}

function descendantsOf(ref: string, tree: GroupTree): string[] {
  const out: string[] = [];
  const queue = [...(tree.children.get(ref) ?? [])];
  while (queue.length) {
    const next = queue.shift()!;
    if (out.includes(next)) continue;
    out.push(next);
    queue.push(...(tree.children.get(next) ?? []));
  }
  return out;
}

/** The rule's query form evaluated for an entity's owner, as IS_ENTITY_OWNER's `apply` does. */
function matches(
  criteria: PermissionCriteria<DevsecopsEntityQuery>,
  ownerRef: string,
  tree: GroupTree,
  transitiveByDefault: boolean,
): boolean {
  if ('allOf' in criteria)
    return criteria.allOf.every(c =>
      matches(c, ownerRef, tree, transitiveByDefault),
    );
  if ('anyOf' in criteria)
    return criteria.anyOf.some(c =>
      matches(c, ownerRef, tree, transitiveByDefault),
    );
  if ('not' in criteria)
    return !matches(criteria.not, ownerRef, tree, transitiveByDefault);
  const { values, transitive } = criteria;
  // `ancestors` is optional in the rule's query form.
  const ancestors = (criteria as { ancestors?: boolean }).ancestors;
  if (values.includes(ownerRef)) return true;
  if (
    ancestors &&
    ancestorsOf(ownerRef, tree).some(ref => values.includes(ref))
  )
    return true;
  if (transitive ?? transitiveByDefault) {
    return descendantsOf(ownerRef, tree).some(ref => values.includes(ref));
  }
  return false;
}
