import {
  AuthService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  devsecopsExerciseRecordPermission,
  devsecopsHumanAttestationPermissions,
  devsecopsRuntimeUpdatePermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createDevsecopsEntityConditionalDecision,
  createDevsecopsExceptionConditionalDecision,
  devsecopsEntityConditions,
  devsecopsExceptionConditions,
} from '@devsecops-scorecard/plugin-devsecops-node';
import permissionBackend from '@backstage/plugin-permission-backend';

const SECURITY = 'group:default/security-compliance';
const PLATFORM = 'group:default/platform-team';

/**
 * The demo portal's policy (packages/backend/src/modules/permissionPolicy.ts) in the shape an
 * adopter writes it, for tests that run the real permission backend: the owners of an entity
 * request its exceptions and update its runtime signals (security and platform help with
 * incidents); exercises are recorded by members of the scope group or a group above it (and the
 * security group, which coordinates them); control-failure and threat-model reviews likewise (the
 * owning team or security/compliance), template feedback by the platform team only; decisions by
 * the risk owner.
 */
export class OwnershipTestPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const { permission } = request;
    if (isPermission(permission, devsecopsExceptionRequestPermission)) {
      return createDevsecopsEntityConditionalDecision(permission, devsecopsEntityConditions.isEntityOwner({ claims }));
    }
    if (isPermission(permission, devsecopsRuntimeUpdatePermission)) {
      if (claims.includes(SECURITY) || claims.includes(PLATFORM)) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(permission, devsecopsEntityConditions.isEntityOwner({ claims }));
    }
    if (isPermission(permission, devsecopsExerciseRecordPermission)) {
      if (claims.includes(SECURITY)) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(
        permission,
        devsecopsEntityConditions.isEntityOwner({ claims, transitive: false, ancestors: true }),
      );
    }
    const attestation = devsecopsHumanAttestationPermissions;
    if (isPermission(permission, attestation['template-feedback'])) {
      return { result: claims.includes(PLATFORM) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isPermission(permission, attestation['control-failure-review']) || isPermission(permission, attestation['threat-model-review'])) {
      if (claims.includes(SECURITY)) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(
        permission,
        devsecopsEntityConditions.isEntityOwner({ claims, transitive: false, ancestors: true }),
      );
    }
    if (isPermission(permission, devsecopsExceptionDecidePermission)) {
      return createDevsecopsExceptionConditionalDecision(permission, devsecopsExceptionConditions.isExceptionRiskOwner({ claims }));
    }
    if (isPermission(permission, devsecopsExceptionRevokePermission)) {
      return createDevsecopsExceptionConditionalDecision(permission, {
        anyOf: [
          devsecopsExceptionConditions.isExceptionRiskOwner({ claims }),
          devsecopsExceptionConditions.isExceptionEntityOwner({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
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
export function realPermissions(policy: PermissionPolicy = new OwnershipTestPolicy()) {
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
