import { startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  PermissionCondition,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  devsecopsExerciseRecordPermission,
  devsecopsHumanAttestationPermissions,
  devsecopsRuntimeUpdatePermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  DevsecopsEntityResource,
  devsecopsEntityRules,
  DevsecopsResponsibilityPolicy,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { permissionPolicyModule } from './permissionPolicy';

/** Applies a decision to an entity resource through the plugin's registered rules, as the backend does. */
function allows(decision: any, resource: DevsecopsEntityResource): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result === AuthorizeResult.ALLOW;
  const rules = Object.values(devsecopsEntityRules);
  const apply = (criteria: PermissionCriteria<PermissionCondition>): boolean => {
    if ('anyOf' in criteria) return criteria.anyOf.some(apply);
    if ('allOf' in criteria) return criteria.allOf.every(apply);
    if ('not' in criteria) return !apply(criteria.not);
    const rule = rules.find(r => r.name === criteria.rule)!;
    return rule.apply(resource, criteria.params as any);
  };
  expect(decision.resourceType).toBe('devsecops-entity');
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
const teamPayments = entity('group:default/team-payments', 'group:default/team-payments', ['group:default/dept-product', 'group:default/acme']);

const user = (claims: string[]) =>
  ({ identity: {}, info: { userEntityRef: claims[0], ownershipEntityRefs: claims }, credentials: {} } as any);

/** The policy the demo's module installs in the permission backend. */
async function installedPolicy(): Promise<PermissionPolicy> {
  const setPolicy = jest.fn();
  const backend = await startTestBackend({
    extensionPoints: [[policyExtensionPoint, { setPolicy }]],
    features: [permissionPolicyModule],
  });
  await backend.stop();
  expect(setPolicy).toHaveBeenCalledTimes(1);
  return setPolicy.mock.calls[0][0];
}

/**
 * The demo wiring: the module installs the plugin's DevsecopsResponsibilityPolicy (its decisions
 * are tested in plugins/devsecops-node) with examples/org.yaml's security-compliance and
 * platform-team groups.
 */
describe('the demo permission policy module', () => {
  let policy: PermissionPolicy;
  beforeAll(async () => {
    policy = await installedPolicy();
  });

  it("installs the plugin's responsibility policy", () => {
    expect(policy).toBeInstanceOf(DevsecopsResponsibilityPolicy);
  });

  it('allows the permissions of other plugins to signed-in users', async () => {
    const catalogDelete = createPermission({ name: 'catalog.entity.delete', attributes: { action: 'delete' }, resourceType: 'catalog-entity' });
    expect(await policy.handle({ permission: catalogDelete }, user(['user:default/guest']))).toEqual({ result: AuthorizeResult.ALLOW });
  });

  const rita = user(['user:default/rita', 'group:default/security-compliance']);

  it('lets only the risk owner decide, as a condition the devsecops backend applies', async () => {
    const decision = await policy.handle({ permission: devsecopsExceptionDecidePermission }, rita);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'devsecops',
      resourceType: 'devsecops-exception',
      conditions: {
        anyOf: [
          {
            rule: 'IS_RISK_OWNER',
            resourceType: 'devsecops-exception',
            params: { claims: ['user:default/rita', 'group:default/security-compliance'] },
          },
        ],
      },
    });
  });

  it('lets the risk owner or the owning team revoke', async () => {
    const decision = await policy.handle({ permission: devsecopsExceptionRevokePermission }, rita);
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(JSON.stringify(decision)).toContain('IS_ENTITY_OWNER');
  });

  const paula = user(['user:default/paula-payne', 'group:default/team-payments']);
  const pat = user(['user:default/platform-pat', 'group:default/platform-team']);
  const decide = (permission: ResourcePermission, who: any) => policy.handle({ permission }, who);

  it("lets only an entity's owners request (and renew) its exceptions", async () => {
    const request = devsecopsExceptionRequestPermission;
    expect(allows(await decide(request, paula), productCatalog)).toBe(false); // issue 14: Paula for the storefront
    expect(allows(await decide(request, pat), paymentsApi)).toBe(false); // issue 14: Pat renewed team-payments'
    expect(allows(await decide(request, rita), paymentsApi)).toBe(false);
    expect(allows(await decide(request, paula), paymentsApi)).toBe(true);
  });

  it("lets the owners, the platform team and the security group update an entity's runtime signals", async () => {
    const update = devsecopsRuntimeUpdatePermission;
    expect(allows(await decide(update, paula), cartService)).toBe(false); // issue 14: Paula remediated cart-service's alert
    expect(allows(await decide(update, paula), paymentsApi)).toBe(true);
    expect(allows(await decide(update, pat), cartService)).toBe(true);
    expect(allows(await decide(update, rita), cartService)).toBe(true);
  });

  it('lets members of the scope group or a group above it record exercises, and the security group any', async () => {
    const record = devsecopsExerciseRecordPermission;
    expect(allows(await decide(record, paula), acme)).toBe(false); // issue 14: Paula credited the whole org
    expect(allows(await decide(record, pat), teamPayments)).toBe(false);
    expect(allows(await decide(record, paula), cartService)).toBe(false);
    expect(allows(await decide(record, paula), teamPayments)).toBe(true);
    expect(allows(await decide(record, paula), paymentsApi)).toBe(true);
    const acmeLead = user(['user:default/ceo', 'group:default/acme']);
    expect(allows(await decide(record, acmeLead), teamPayments)).toBe(true);
    expect(allows(await decide(record, rita), acme)).toBe(true);
  });

  it('follows the responsibility model for named human attestations', async () => {
    const review = devsecopsHumanAttestationPermissions['control-failure-review'];
    expect(allows(await decide(review, paula), paymentsApi)).toBe(true); // the owning team
    expect(allows(await decide(review, paula), teamPayments)).toBe(true);
    expect(allows(await decide(review, paula), cartService)).toBe(false); // another team's service
    expect(allows(await decide(review, pat), paymentsApi)).toBe(false);
    expect(allows(await decide(review, rita), cartService)).toBe(true); // security/compliance
    const threatModel = devsecopsHumanAttestationPermissions['threat-model-review'];
    expect(allows(await decide(threatModel, paula), cartService)).toBe(false);
    expect(allows(await decide(threatModel, rita), paymentsApi)).toBe(true);
    // Template feedback: the platform team, which maintains the templates, only.
    const feedback = devsecopsHumanAttestationPermissions['template-feedback'];
    expect(allows(await decide(feedback, pat), teamPayments)).toBe(true);
    expect(allows(await decide(feedback, paula), paymentsApi)).toBe(false);
    expect(allows(await decide(feedback, rita), paymentsApi)).toBe(false);
  });
});
