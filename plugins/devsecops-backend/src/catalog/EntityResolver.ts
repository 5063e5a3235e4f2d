import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DevsecopsEntityResource } from '@devsecops-scorecard/plugin-devsecops-node';
import type { EvidenceWriter } from '../identity/ciIdentities';

/** How an uploader names the entity its evidence belongs to. */
export interface EntityLookup {
  /** An entity ref, e.g. `component:default/payments-api` (kind defaults to component). */
  entityRef?: string;
  /** A repository, `org/repo` or its URL, matched against catalog source annotations. */
  repository?: string;
}

export interface ResolvedEntity {
  entityRef: string;
  /** The entity's owner in the catalog right now, as a full ref. */
  ownerRef?: string;
  entity: Entity;
}


// Annotations that name a repository as `org/repo`, by the host they belong to.
const SLUG_ANNOTATIONS: Record<string, string> = {
  'github.com': 'github.com/project-slug',
  'gitlab.com': 'gitlab.com/project-slug',
};

/** Kinds that build, ship and run software: evidence belongs to them, not to people or groups. */
export const EVIDENCE_KINDS = ['component', 'resource', 'system', 'api'];

/** Finds the catalog entity evidence belongs to; the catalog stays the source of owners. */
export class EntityResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  /**
   * The entity evidence belongs to. `anyKind` also accepts groups and users, for callers that
   * name an organisational scope (exercises) rather than a piece of software.
   */
  async resolve(lookup: EntityLookup, options: { anyKind?: boolean } = {}): Promise<ResolvedEntity> {
    const resolved = await this.find(lookup);
    if (!options.anyKind && !EVIDENCE_KINDS.includes(resolved.entity.kind.toLowerCase())) {
      throw new InputError(
        `${resolved.entityRef} is a ${resolved.entity.kind}; evidence belongs to ${EVIDENCE_KINDS.join(', ')} entities`,
      );
    }
    return resolved;
  }

  /**
   * The entity a write records evidence for, once the writer may write for it: the one place a
   * CI identity is bound to its repository (or a restricted static token to its entities).
   */
  async resolveForWrite(
    lookup: EntityLookup,
    writer: EvidenceWriter,
    options: { anyKind?: boolean } = {},
  ): Promise<ResolvedEntity> {
    const resolved = await this.resolve(lookup, options);
    writer.assertMayWrite(resolved);
    return resolved;
  }

  /**
   * The `devsecops-entity` permission resource of an entity ref: its owner (for a group, the
   * group itself; for a user, the user) with the owner group's ancestors and descendants.
   * Undefined when the ref is malformed or not in the catalog (the permission is then denied).
   */
  async ownershipResource(
    rawRef: string,
    transitiveOwnershipByDefault: boolean,
  ): Promise<DevsecopsEntityResource | undefined> {
    let resolved: ResolvedEntity;
    try {
      resolved = await this.resolve({ entityRef: rawRef }, { anyKind: true });
    } catch {
      return undefined;
    }
    const kind = resolved.entity.kind.toLowerCase();
    const ownerRef = kind === 'group' || kind === 'user' ? resolved.entityRef : resolved.ownerRef;
    const ownerIsGroup = !!ownerRef && ownerRef.startsWith('group:');
    return {
      entityRef: resolved.entityRef,
      kind,
      ownerRef,
      ownerAncestorRefs: ownerIsGroup ? await this.groupAncestors(ownerRef!) : [],
      ownerDescendantRefs: ownerIsGroup ? (await this.groupAndDescendants(ownerRef!)).slice(1) : [],
      transitiveOwnershipByDefault,
    };
  }

  /** A catalog entity by full ref, or undefined (no error) when there is none. */
  async getByRef(ref: string): Promise<Entity | undefined> {
    return this.catalog.getEntityByRef(ref, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
  }

  /** A group and every group below it (`spec.children`), the group first. */
  async groupAndDescendants(groupRef: string): Promise<string[]> {
    const seen = [groupRef];
    for (let i = 0; i < seen.length && seen.length < 1000; i++) {
      const entity = await this.getByRef(seen[i]).catch(() => undefined);
      if (!entity) continue; // an unreachable group ends that branch
      for (const child of [...refList(entity.spec?.children, entity, 'group'), ...relationTargets(entity, 'parentOf')]) {
        if (!seen.includes(child)) seen.push(child);
      }
    }
    return seen;
  }

  /** A group's parents (`spec.parent`) up to the root, nearest first. */
  async groupAncestors(groupRef: string): Promise<string[]> {
    const ancestors: string[] = [];
    let current = groupRef;
    while (ancestors.length < 100) {
      const entity = await this.getByRef(current).catch(() => undefined);
      const [parent] = entity
        ? [...refList([entity.spec?.parent], entity, 'group'), ...relationTargets(entity, 'childOf')]
        : [];
      if (!parent || parent === groupRef || ancestors.includes(parent)) break;
      ancestors.push(parent);
      current = parent;
    }
    return ancestors;
  }

  /** The groups a user belongs to directly: `memberOf` relations and `spec.memberOf`. */
  async groupsOf(user: Entity): Promise<string[]> {
    return [...new Set([...relationTargets(user, 'memberOf'), ...refList(user.spec?.memberOf, user, 'group')])];
  }

  /** The users directly in a group (their `memberOf` relation), sorted by ref. */
  async membersOf(groupRef: string): Promise<Entity[]> {
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'user', 'relations.memberOf': groupRef } },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return [...items].sort((a, b) => stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)));
  }

  private async find(lookup: EntityLookup): Promise<ResolvedEntity> {
    if (lookup.entityRef && lookup.repository) {
      throw new InputError(
        'Name the entity either by entity ref or by repository, not both',
      );
    }
    if (lookup.entityRef) return this.byRef(lookup.entityRef);
    if (lookup.repository) return this.byRepository(lookup.repository);
    throw new InputError(
      'Missing entity: pass an entity ref (entity=component:default/my-service) or a repository (repository=org/repo)',
    );
  }

  private async byRef(raw: string): Promise<ResolvedEntity> {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(raw, { defaultKind: 'component', defaultNamespace: 'default' }),
      );
    } catch (error) {
      throw new InputError(`Malformed entity ref '${raw}': ${(error as Error).message}`);
    }
    const entity = await this.catalog.getEntityByRef(ref, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(`No catalog entity ${ref}`);
    }
    return toResolved(entity);
  }

  private async byRepository(raw: string): Promise<ResolvedEntity> {
    const { host, slug } = parseRepository(raw);
    const annotation = SLUG_ANNOTATIONS[host];
    if (!annotation) {
      throw new InputError(
        `Repository host '${host}' is not supported; use one of ${Object.keys(SLUG_ANNOTATIONS).join(', ')} or pass an entity ref`,
      );
    }
    const { items } = await this.catalog.getEntities(
      { filter: { [`metadata.annotations.${annotation}`]: slug } },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    if (items.length === 0) {
      throw new NotFoundError(
        `No catalog entity has the annotation ${annotation}: ${slug}`,
      );
    }
    if (items.length > 1) {
      throw new ConflictError(
        `Repository ${slug} matches several catalog entities; pass an entity ref instead: ${items
          .map(e => stringifyEntityRef(e))
          .sort()
          .join(', ')}`,
      );
    }
    return toResolved(items[0]);
  }
}

/** `org/repo`, `https://github.com/org/repo(.git)(/tree/…)` or `git@github.com:org/repo.git`. */
export function parseRepository(raw: string): { host: string; slug: string } {
  const value = raw.trim();
  const ssh = /^git@([^:]+):([^/]+\/[^/]+?)(?:\.git)?$/.exec(value);
  if (ssh) return { host: ssh[1].toLowerCase(), slug: ssh[2] };
  if (/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(value)) {
    return { host: 'github.com', slug: value.replace(/\.git$/, '') };
  }
  let url: URL;
  try {
    url = new URL(value.replace(/^git\+/, ''));
  } catch {
    throw new InputError(
      `Malformed repository '${raw}': use org/repo or the repository URL`,
    );
  }
  const [org, repo] = url.pathname.split('/').filter(Boolean);
  if (!org || !repo) {
    throw new InputError(
      `Malformed repository '${raw}': the URL does not name org/repo`,
    );
  }
  return {
    host: url.hostname.toLowerCase(),
    slug: `${org}/${repo.replace(/\.git$/, '')}`,
  };
}

function toResolved(entity: Entity): ResolvedEntity {
  const owner = entity.spec?.owner;
  let ownerRef: string | undefined;
  if (typeof owner === 'string' && owner) {
    ownerRef = stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  }
  return { entityRef: stringifyEntityRef(entity), ownerRef, entity };
}

/** The targets of an entity's relations of one type (the catalog derives them from the specs). */
function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? []).filter(r => r.type.toLowerCase() === type.toLowerCase()).map(r => r.targetRef);
}

/** Full refs from a list of short or full refs in an entity's spec (non-strings skipped). */
function refList(value: unknown, entity: Entity, defaultKind: string): string[] {
  const refs: string[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    if (typeof item !== 'string' || !item) continue;
    try {
      refs.push(
        stringifyEntityRef(
          parseEntityRef(item, { defaultKind, defaultNamespace: entity.metadata.namespace ?? 'default' }),
        ),
      );
    } catch {
      // a malformed ref names nobody
    }
  }
  return refs;
}

/** What the catalog shows for a user or group: its profile's display name, title or name. */
export function displayNameOf(entity: Entity): string {
  const profile = (entity.spec as { profile?: { displayName?: unknown } } | undefined)?.profile;
  if (typeof profile?.displayName === 'string' && profile.displayName) return profile.displayName;
  return entity.metadata.title ?? entity.metadata.name;
}
