import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { FindingSeverity, FindingStatus } from '@devsecops-scorecard/plugin-devsecops-common';
import { findingDueAt, SlaProfile, slaDaysFor, TIER_ANNOTATION } from '../evaluate/dueDates';
import { SeverityPolicy } from '../evaluate/types';

/**
 * The due dates the findings API shows: first seen + the SLA days of the finding's severity for
 * its entity (`spec.lifecycle`, the `devsecops.io/tier` annotation; evaluate/dueDates) — the same
 * date the past-SLA metric counts from. The catalog is read (once per page, by refs) only when
 * the policy has lifecycle or tier overrides.
 */
export class FindingDueDates {
  constructor(private readonly o: { policy: SeverityPolicy; catalog: CatalogService; auth: AuthService }) {}

  /** Open findings get `dueAt`; resolved and suppressed ones are not due. */
  async annotate<F extends { status: FindingStatus; entityRef: string; firstSeenAt: string; severity: FindingSeverity }>(
    items: F[],
  ): Promise<Array<F & { dueAt?: string }>> {
    const open = items.filter(f => f.status === 'open');
    const profiles = await this.profiles(open.map(f => f.entityRef));
    return items.map(f =>
      f.status === 'open' ? { ...f, dueAt: findingDueAt(f, slaDaysFor(this.o.policy, profiles.get(f.entityRef))) } : f,
    );
  }

  private async profiles(entityRefs: string[]): Promise<Map<string, SlaProfile>> {
    const profiles = new Map<string, SlaProfile>();
    const refs = [...new Set(entityRefs)];
    if (refs.length === 0 || (!this.o.policy.byLifecycle && !this.o.policy.byTier)) return profiles;
    const { items } = await this.o.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations', 'spec.lifecycle'] },
      { credentials: await this.o.auth.getOwnServiceCredentials() },
    );
    items.forEach((entity, i) => {
      if (!entity) return;
      const lifecycle = entity.spec?.lifecycle;
      profiles.set(refs[i], {
        ...(typeof lifecycle === 'string' ? { lifecycle } : {}),
        ...(entity.metadata.annotations?.[TIER_ANNOTATION] ? { tier: entity.metadata.annotations[TIER_ANNOTATION] } : {}),
      });
    });
    return profiles;
  }
}
