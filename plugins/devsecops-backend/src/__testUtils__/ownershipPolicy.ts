import {
  AuthService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DevsecopsResponsibilityPolicy } from '@devsecops-scorecard/plugin-devsecops-node';
import permissionBackend from '@backstage/plugin-permission-backend';

/**
 * The plugin's example policy (DevsecopsResponsibilityPolicy from plugins/devsecops-node) with the
 * demo's groups, as the demo portal installs it (packages/backend/src/modules/permissionPolicy.ts),
 * for tests that run the real permission backend.
 */
export function ownershipTestPolicy(): PermissionPolicy {
  return new DevsecopsResponsibilityPolicy({
    securityGroups: ['group:default/security-compliance'],
    platformGroups: ['group:default/platform-team'],
  });
}

/**
 * The mock auth service, except that a token a plugin requests on behalf of a user carries the
 * plugin as the actor, as real tokens do: the permission integration's apply-conditions endpoint
 * accepts user credentials only with an actor (the permission backend), and the mock's
 * on-behalf-of tokens drop it.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => inner.authenticate(token, options),
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      isPrincipal: ((credentials: any, type: any) => inner.isPrincipal(credentials, type)) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as { type: string; userEntityRef?: string };
        if (principal.type === 'user' && principal.userEntityRef) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});

/**
 * The real permission framework for the test backend: the permission backend evaluating the
 * policy (conditional decisions are sent back to the devsecops plugin's registered rules and
 * resource loader), and the production permissions service that asks it over HTTP.
 */
export function realPermissions(policy: PermissionPolicy = ownershipTestPolicy()) {
  return [
    permissionBackend,
    permissionsServiceFactory,
    authWithActors,
    createBackendModule({
      pluginId: 'permission',
      moduleId: 'test-policy',
      register(env) {
        env.registerInit({
          deps: { policies: policyExtensionPoint },
          async init({ policies }) {
            policies.setPolicy(policy);
          },
        });
      },
    }),
  ];
}
