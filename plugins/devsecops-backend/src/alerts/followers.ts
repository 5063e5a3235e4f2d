import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The annotation naming who follows an entity's regressions besides its owning team: user or
 * group refs (kind defaults to user), separated by commas or spaces. Backstage keeps catalog stars
 * in each user's settings (user-settings backend, per user), which a backend cannot ask "who
 * starred this entity", so following is declared on the entity instead.
 */
export const FOLLOWERS_ANNOTATION = 'devsecops.io/followers';

/** The refs the annotation names (pure): users and groups only; anything else is left out. */
export function parseFollowers(value: string | undefined): { refs: string[]; invalid: string[] } {
  const refs = new Set<string>();
  const invalid: string[] = [];
  for (const item of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      const ref = parseEntityRef(item, { defaultKind: 'user', defaultNamespace: 'default' });
      if (ref.kind.toLowerCase() !== 'user' && ref.kind.toLowerCase() !== 'group') throw new Error('not a user or group');
      refs.add(stringifyEntityRef(ref));
    } catch {
      invalid.push(item);
    }
  }
  return { refs: [...refs].sort(), invalid };
}

/** Reads an entity's followers from the catalog (its annotation), as the plugin's own service. */
export function catalogFollowers(options: {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}): (entityRef: string) => Promise<string[]> {
  return async entityRef => {
    const entity = await options.catalog.getEntityByRef(entityRef, {
      credentials: await options.auth.getOwnServiceCredentials(),
    });
    const { refs, invalid } = parseFollowers(entity?.metadata.annotations?.[FOLLOWERS_ANNOTATION]);
    if (invalid.length > 0) {
      options.logger.warn(`${entityRef}: ${FOLLOWERS_ANNOTATION} names ${invalid.join(', ')}, not user or group refs; left out`);
    }
    return refs;
  };
}
