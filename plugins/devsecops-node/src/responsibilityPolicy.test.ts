import {
  AuthorizeResult,
  createPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  devsecopsCampaignManagePermission,
  devsecopsFeedImportPermission,
  devsecopsEntityReadPermission,
  devsecopsExceptionDecidePermission,
  devsecopsExceptionReadPermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  devsecopsExerciseRecordPermission,
  devsecopsHumanAttestationPermissions,
  devsecopsPermissions,
  devsecopsReadPermission,
  devsecopsRuntimeUpdatePermission,
  devsecopsTicketLinkPermission,
  ExceptionRecord,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { DevsecopsEntityResource, devsecopsEntityRules, devsecopsExceptionRules } from './permissions';
import { DevsecopsResponsibilityPolicy } from './responsibilityPolicy';

/** Applies a decision to a resource through the plugin's registered rules, as the backend does. */
function allows(decision: PolicyDecision, resource: DevsecopsEntityResource | Partial<ExceptionRecord>): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result === AuthorizeResult.ALLOW;
  expect(decision.pluginId).toBe('devsecops');
  const rules: { name: string; apply: (resource: any, params: any) => boolean }[] =
    decision.resourceType === 'devsecops-entity'
      ? Object.values(devsecopsEntityRules)
      : Object.values(devsecopsExceptionRules);
  expect('entityRef' in resource ? 'devsecops-entity' : 'devsecops-exception').toBe(decision.resourceType);
  const apply = (criteria: PermissionCriteria<PermissionCondition>): boolean => {
    if ('anyOf' in criteria) return criteria.anyOf.some(apply);
    if ('allOf' in criteria) return criteria.allOf.every(apply);
    if ('not' in criteria) return !apply(criteria.not);
    const rule = rules.find(r => r.name === criteria.rule)!;
    expect(rule).toBeDefined();
    return rule.apply(resource, criteria.params);
  };
  return apply(decision.conditions);
}

/** A catalog entity as the devsecops backend loads it (examples/org.yaml's hierarchy). */
const entity = (entityRef: string, ownerRef: string, ancestors: string[], descendants: string[] = []): DevsecopsEntityResource => ({
  entityRef,
  kind: entityRef.split(':')[0],
  ownerRef,
  ownerAncestorRefs: ancestors,
  ownerDescendantRefs: descendants,
  transitiveOwnershipByDefault: false,
});
const productCatalog = entity('component:default/product-catalog-service', 'group:default/team-storefront', ['group:default/dept-product', 'group:default/acme']);
const paymentsApi = entity('component:default/payments-api', 'group:default/team-payments', ['group:default/dept-product', 'group:default/acme']);
const cartService = entity('component:default/cart-service', 'group:default/team-checkout', ['group:default/dept-product', 'group:default/acme']);
const acme = entity('group:default/acme', 'group:default/acme', [], ['group:default/dept-product', 'group:default/team-payments']);
const deptProduct = entity('group:default/dept-product', 'group:default/dept-product', ['group:default/acme'], ['group:default/team-payments']);
const teamPayments = entity('group:default/team-payments', 'group:default/team-payments', ['group:default/dept-product', 'group:default/acme']);

/** An exception as the backend loads it: only the fields the rules read matter. */
const exception = (riskOwner: string, ownerRef?: string): Partial<ExceptionRecord> => ({ riskOwner, ownerRef });
const paymentsException = exception('user:default/rita', 'group:default/team-payments');
const groupRiskOwned = exception('group:default/risk-board', 'group:default/team-checkout');

const user = (claims: string[]) =>
  ({ identity: {}, info: { userEntityRef: claims[0], ownershipEntityRefs: claims }, credentials: {} } as any);

// Group names deliberately unlike the demo's: nothing in the policy knows examples/org.yaml.
const SECURITY = 'group:default/secops';
const CISO = 'group:default/ciso-office';
const PLATFORM = 'group:default/infra';
const policy = new DevsecopsResponsibilityPolicy({ securityGroups: [SECURITY, CISO], platformGroups: [PLATFORM] });
const decide = (permission: ResourcePermission | typeof devsecopsReadPermission, who: any) => policy.handle({ permission }, who);

const rita = user(['user:default/rita', SECURITY]);
const carl = user(['user:default/carl', CISO]);
const paula = user(['user:default/paula-payne', 'group:default/team-payments']);
const pat = user(['user:default/platform-pat', PLATFORM]);
const deptLead = user(['user:default/dora', 'group:default/dept-product']);
const nobody = user(['user:default/nobody']);

describe('DevsecopsResponsibilityPolicy', () => {
  it("devsecops.exception.request: only the entity's owners", async () => {
    const request = devsecopsExceptionRequestPermission;
    expect(await decide(request, paula)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'devsecops',
      resourceType: 'devsecops-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'devsecops-entity',
        params: { claims: ['user:default/paula-payne', 'group:default/team-payments'] },
      },
    });
    expect(allows(await decide(request, paula), paymentsApi)).toBe(true);
    expect(allows(await decide(request, paula), productCatalog)).toBe(false); // issue 14: Paula for the storefront
    expect(allows(await decide(request, pat), paymentsApi)).toBe(false); // issue 14: Pat renewed team-payments'
    expect(allows(await decide(request, rita), paymentsApi)).toBe(false); // security does not request for teams
    expect(allows(await decide(request, deptLead), paymentsApi)).toBe(false); // nor the department above
  });

  it('devsecops.exception.decide: only the named risk owner (or a member of the named group)', async () => {
    const decision = await decide(devsecopsExceptionDecidePermission, rita);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'devsecops',
      resourceType: 'devsecops-exception',
      conditions: {
        anyOf: [
          {
            rule: 'IS_RISK_OWNER',
            resourceType: 'devsecops-exception',
            params: { claims: ['user:default/rita', SECURITY] },
          },
        ],
      },
    });
    expect(allows(decision, paymentsException)).toBe(true);
    expect(allows(decision, groupRiskOwned)).toBe(false); // security is no risk owner by itself
    expect(allows(await decide(devsecopsExceptionDecidePermission, paula), paymentsException)).toBe(false); // the owning team
    const boardMember = user(['user:default/bob', 'group:default/risk-board']);
    expect(allows(await decide(devsecopsExceptionDecidePermission, boardMember), groupRiskOwned)).toBe(true);
  });

  it('devsecops.exception.revoke: the risk owner or the team that owns the entity', async () => {
    const revoke = devsecopsExceptionRevokePermission;
    expect(await decide(revoke, paula)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'devsecops',
      resourceType: 'devsecops-exception',
      conditions: {
        anyOf: [
          { rule: 'IS_RISK_OWNER', resourceType: 'devsecops-exception', params: { claims: paula.info.ownershipEntityRefs } },
          { rule: 'IS_ENTITY_OWNER', resourceType: 'devsecops-exception', params: { claims: paula.info.ownershipEntityRefs } },
        ],
      },
    });
    expect(allows(await decide(revoke, rita), paymentsException)).toBe(true); // the risk owner
    expect(allows(await decide(revoke, paula), paymentsException)).toBe(true); // the owning team
    expect(allows(await decide(revoke, paula), groupRiskOwned)).toBe(false); // another team's
    expect(allows(await decide(revoke, carl), paymentsException)).toBe(false); // security, not the risk owner
    expect(allows(await decide(revoke, pat), paymentsException)).toBe(false);
  });

  it("devsecops.runtime.update: the entity's owners, and the security and platform groups for any", async () => {
    const update = devsecopsRuntimeUpdatePermission;
    expect(allows(await decide(update, paula), paymentsApi)).toBe(true);
    expect(allows(await decide(update, paula), cartService)).toBe(false); // issue 14: Paula remediated cart-service's alert
    expect(allows(await decide(update, deptLead), cartService)).toBe(false); // owners only, not the department
    expect(await decide(update, pat)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(update, rita)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(update, carl)).toEqual({ result: AuthorizeResult.ALLOW }); // every security group counts
  });

  it("devsecops.ticket.link: the entity's owners (another team is refused), and the security and platform groups for any", async () => {
    const link = devsecopsTicketLinkPermission;
    expect(allows(await decide(link, paula), paymentsApi)).toBe(true);
    expect(allows(await decide(link, paula), cartService)).toBe(false);
    expect(allows(await decide(link, deptLead), cartService)).toBe(false);
    expect(await decide(link, pat)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(link, rita)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('devsecops.exercise.record: the scope group or a group above it, never a team below; security any', async () => {
    const record = devsecopsExerciseRecordPermission;
    expect(JSON.stringify(await decide(record, paula))).toContain('"transitive":false,"ancestors":true');
    expect(allows(await decide(record, paula), teamPayments)).toBe(true);
    expect(allows(await decide(record, paula), paymentsApi)).toBe(true); // an entity scope: its owners
    expect(allows(await decide(record, paula), acme)).toBe(false); // issue 14: Paula credited the whole org
    expect(allows(await decide(record, paula), deptProduct)).toBe(false);
    expect(allows(await decide(record, paula), cartService)).toBe(false);
    expect(allows(await decide(record, deptLead), teamPayments)).toBe(true); // a group above
    expect(allows(await decide(record, user(['user:default/ceo', 'group:default/acme'])), teamPayments)).toBe(true);
    expect(allows(await decide(record, pat), teamPayments)).toBe(false); // the platform team has no say
    expect(await decide(record, rita)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(record, carl)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('devsecops.attestation.control-failure-review.record: the owning team (or a group above) or security', async () => {
    const review = devsecopsHumanAttestationPermissions['control-failure-review'];
    expect(allows(await decide(review, paula), paymentsApi)).toBe(true);
    expect(allows(await decide(review, paula), teamPayments)).toBe(true);
    expect(allows(await decide(review, deptLead), paymentsApi)).toBe(true);
    expect(allows(await decide(review, paula), cartService)).toBe(false); // another team's service
    expect(allows(await decide(review, paula), acme)).toBe(false); // never for a group above
    expect(allows(await decide(review, pat), paymentsApi)).toBe(false);
    expect(await decide(review, rita)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('devsecops.attestation.threat-model-review.record: as control-failure reviews', async () => {
    const threatModel = devsecopsHumanAttestationPermissions['threat-model-review'];
    expect(allows(await decide(threatModel, paula), paymentsApi)).toBe(true);
    expect(allows(await decide(threatModel, paula), cartService)).toBe(false);
    expect(allows(await decide(threatModel, pat), cartService)).toBe(false);
    expect(await decide(threatModel, carl)).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('devsecops.attestation.template-feedback.record: the platform team only', async () => {
    const feedback = devsecopsHumanAttestationPermissions['template-feedback'];
    expect(await decide(feedback, pat)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(feedback, paula)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(feedback, rita)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(feedback, nobody)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('devsecops.attestation.ci-log-redaction.record: the platform team only (it provides the CI workflows and runners)', async () => {
    const redaction = devsecopsHumanAttestationPermissions['ci-log-redaction'];
    expect(await decide(redaction, pat)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(redaction, paula)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(redaction, rita)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(redaction, nobody)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('devsecops.campaign.manage: the platform and security groups only', async () => {
    const manage = devsecopsCampaignManagePermission as unknown as ResourcePermission;
    expect(await decide(manage, pat)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(manage, rita)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(manage, carl)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(manage, paula)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(manage, deptLead)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(manage, nobody)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('devsecops.feed.import: the security groups only', async () => {
    const feedImport = devsecopsFeedImportPermission as unknown as ResourcePermission;
    expect(await decide(feedImport, rita)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await decide(feedImport, pat)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(feedImport, paula)).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(feedImport, nobody)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('devsecops.read, devsecops.entity.read and devsecops.exception.read: allowed', async () => {
    for (const permission of [devsecopsReadPermission, devsecopsEntityReadPermission, devsecopsExceptionReadPermission]) {
      expect(await decide(permission as ResourcePermission, nobody)).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('decides every devsecops permission itself, never asking the fallback', async () => {
    const fallback: PermissionPolicy = { handle: jest.fn(async (): Promise<PolicyDecision> => ({ result: AuthorizeResult.DENY })) };
    const withFallback = new DevsecopsResponsibilityPolicy({ securityGroups: [SECURITY], platformGroups: [PLATFORM], fallback });
    for (const permission of devsecopsPermissions) {
      const decision = await withFallback.handle({ permission }, pat);
      expect(decision).toEqual(await policy.handle({ permission }, pat));
    }
    expect(fallback.handle).not.toHaveBeenCalled();
  });

  it('hands every other permission to the fallback, allowing them without one', async () => {
    const catalogDelete = createPermission({ name: 'catalog.entity.delete', attributes: { action: 'delete' }, resourceType: 'catalog-entity' });
    const otherPlugin = createPermission({ name: 'devsecopsish.thing', attributes: {} });
    expect(await decide(catalogDelete, nobody)).toEqual({ result: AuthorizeResult.ALLOW });
    expect(await policy.handle({ permission: otherPlugin }, undefined)).toEqual({ result: AuthorizeResult.ALLOW });

    const fallback: PermissionPolicy = { handle: jest.fn(async (): Promise<PolicyDecision> => ({ result: AuthorizeResult.DENY })) };
    const withFallback = new DevsecopsResponsibilityPolicy({ securityGroups: [SECURITY], platformGroups: [PLATFORM], fallback });
    expect(await withFallback.handle({ permission: catalogDelete }, rita)).toEqual({ result: AuthorizeResult.DENY });
    expect(fallback.handle).toHaveBeenCalledWith({ permission: catalogDelete }, rita);
  });

  it('grants nothing by group membership to a user without claims', async () => {
    const anonymous = undefined;
    expect(allows(await policy.handle({ permission: devsecopsExceptionRequestPermission }, anonymous), paymentsApi)).toBe(false);
    expect(allows(await policy.handle({ permission: devsecopsRuntimeUpdatePermission }, anonymous), paymentsApi)).toBe(false);
    expect(allows(await policy.handle({ permission: devsecopsExceptionDecidePermission }, anonymous), paymentsException)).toBe(false);
    expect(await policy.handle({ permission: devsecopsHumanAttestationPermissions['template-feedback'] }, anonymous)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('takes empty group lists (nobody is security or platform) and refuses refs that are not full entity refs', async () => {
    const bare = new DevsecopsResponsibilityPolicy({ securityGroups: [], platformGroups: [] });
    expect(await bare.handle({ permission: devsecopsHumanAttestationPermissions['template-feedback'] }, pat)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(allows(await bare.handle({ permission: devsecopsRuntimeUpdatePermission }, rita), cartService)).toBe(false);
    expect(() => new DevsecopsResponsibilityPolicy({ securityGroups: ['security-compliance'], platformGroups: [] })).toThrow(
      /securityGroups must hold full entity refs like 'group:default\/platform-team', got "security-compliance"/,
    );
    expect(() => new DevsecopsResponsibilityPolicy({ securityGroups: [], platformGroups: ['default/platform-team'] })).toThrow(
      /platformGroups/,
    );
    expect(() => new DevsecopsResponsibilityPolicy({ securityGroups: 'group:default/x' as any, platformGroups: [] })).toThrow(
      /securityGroups must be an array/,
    );
  });
});
