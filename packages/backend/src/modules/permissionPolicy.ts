import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DevsecopsResponsibilityPolicy } from '@devsecops-scorecard/plugin-devsecops-node';

/** The demo organisation's security/compliance owner and platform team (examples/org.yaml). */
export const SECURITY_GROUP = 'group:default/security-compliance';
export const PLATFORM_GROUP = 'group:default/platform-team';

/**
 * The demo portal's permission policy: the devsecops plugin's example policy after the operating
 * model's responsibility model (`DevsecopsResponsibilityPolicy` from
 * `@devsecops-scorecard/plugin-devsecops-node`; its documentation lists each decision), with the
 * demo organisation's security/compliance and platform groups. Every other permission (the
 * catalog's, the other plugins') is allowed to signed-in users.
 */
export function createDemoPermissionPolicy(): DevsecopsResponsibilityPolicy {
  return new DevsecopsResponsibilityPolicy({
    securityGroups: [SECURITY_GROUP],
    platformGroups: [PLATFORM_GROUP],
  });
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'devsecops-demo-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(createDemoPermissionPolicy());
      },
    });
  },
});
