import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponsibilityGroups } from '@devsecops-scorecard/plugin-devsecops-common';
import { z } from 'zod';

/** A catalog group ref, `group:default/platform-team` or `platform-team` (kind defaults to group). */
const groupRef = z
  .string()
  .min(1)
  .max(255)
  .refine(value => {
    try {
      return parseEntityRef(value, { defaultKind: 'group', defaultNamespace: 'default' }).kind.toLowerCase() === 'group';
    } catch {
      return false;
    }
  }, 'must be a catalog group ref such as group:default/platform-team');

/** `devsecops.responsibility`: the platform team and the security/compliance owner. */
export const responsibilityConfig = z
  .object({ platformTeam: groupRef.optional(), securityOwner: groupRef.optional() })
  .strict();

/** The configured groups as full entity refs (the product team is each entity's owner). */
export function readResponsibilityGroups(config: z.infer<typeof responsibilityConfig> | undefined): ResponsibilityGroups {
  const full = (ref: string) =>
    stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }));
  return {
    ...(config?.platformTeam ? { platformTeam: full(config.platformTeam) } : {}),
    ...(config?.securityOwner ? { securityOwner: full(config.securityOwner) } : {}),
  };
}
