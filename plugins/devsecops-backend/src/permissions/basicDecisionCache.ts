import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizePermissionRequest, AuthorizePermissionResponse } from '@backstage/plugin-permission-common';
import { devsecopsReadPermission } from '@devsecops-scorecard/plugin-devsecops-common';

/**
 * The only permissions whose decisions are reused: read-only basic permissions, asked on every
 * read. Write permissions (devsecops.campaign.manage, devsecops.feed.import, …) are never in this
 * list, so a revoked write grant is refused on the very next request.
 */
export const CACHEABLE_BASIC_PERMISSIONS: ReadonlySet<string> = new Set([devsecopsReadPermission.name]);

/** How long a basic decision is reused for the same principal. */
export const BASIC_DECISION_TTL_MS = 5_000;
/** Beyond this many cached decisions the cache starts over (one entry per principal and permission set). */
const MAX_ENTRIES = 10_000;

function principalKey(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
  if (p.type === 'user' && p.userEntityRef) return `user:${p.userEntityRef}`;
  if (p.type === 'service' && p.subject) return `service:${p.subject}`;
  return undefined;
}

/**
 * Reuses the policy's answer to a read-only basic permission (one without a resource, named in
 * CACHEABLE_BASIC_PERMISSIONS: devsecops.read, asked on every read) for the same principal for a
 * few seconds, as the catalog's permission integration does for conditional decisions: one round
 * trip to the permission backend per principal and TTL instead of one per request. Write
 * permissions, resource permissions and conditional decisions always go to the policy; an error
 * is never reused. A policy change to a read reaches a principal within the TTL.
 */
export function withBasicDecisionCache(
  permissions: PermissionsService,
  options: { ttlMs?: number; now?: () => number } = {},
): PermissionsService {
  const ttl = options.ttlMs ?? BASIC_DECISION_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { until: number; decisions: Promise<AuthorizePermissionResponse[]> }>();
  return {
    authorizeConditional: (requests, opts) => permissions.authorizeConditional(requests, opts),
    authorize: ((requests: AuthorizePermissionRequest[], opts: { credentials: BackstageCredentials }) => {
      const principal = principalKey(opts.credentials);
      const cacheable =
        requests.length > 0 &&
        requests.every(
          r =>
            (r as { resourceRef?: unknown }).resourceRef === undefined &&
            r.permission.type === 'basic' &&
            r.permission.attributes.action === 'read' &&
            CACHEABLE_BASIC_PERMISSIONS.has(r.permission.name),
        );
      if (!principal || !cacheable) return permissions.authorize(requests, opts);
      const key = `${principal}\n${requests.map(r => r.permission.name).join('\n')}`;
      const at = now();
      const hit = cache.get(key);
      if (hit && hit.until > at) return hit.decisions;
      if (cache.size >= MAX_ENTRIES) cache.clear();
      const decisions = permissions.authorize(requests, opts);
      cache.set(key, { until: at + ttl, decisions });
      decisions.catch(() => {
        if (cache.get(key)?.decisions === decisions) cache.delete(key);
      });
      return decisions;
    }) as PermissionsService['authorize'],
  };
}
