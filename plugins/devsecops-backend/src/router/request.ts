import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devsecopsReadPermission } from '@devsecops-scorecard/plugin-devsecops-common';
import express from 'express';
import { EntityResolver } from '../catalog/EntityResolver';
import { CiIdentityPolicy, evidenceWriter, EvidenceWriter } from '../identity/ciIdentities';
import { spec } from '../schema/openapi';
import { DevsecopsServices } from '../services';

/** The router validated against the OpenAPI document; each area mounts its handlers on it. */
export type DevsecopsApiRouter = ApiRouter<typeof spec>;

/** Who may call: the credential checks every handler starts with. */
export interface Callers {
  /**
   * CI and CD write with a service token; the writer it yields is passed to the service, which
   * checks it against the entity it resolves (`devsecops.ciIdentities`).
   */
  writer(req: express.Request): Promise<EvidenceWriter>;
  /** Users read when the permission policy allows `devsecops.read`; services always may. */
  reader(
    req: express.Request,
  ): Promise<BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>>;
  /** Exceptions and exercises come from people, never from pipelines. */
  person(req: express.Request): Promise<BackstageCredentials<BackstageUserPrincipal>>;
}

/** What an area's routes are given: the services and the caller checks. */
export interface AreaContext {
  router: DevsecopsApiRouter;
  services: DevsecopsServices;
  callers: Callers;
}

export function callers(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
  ciIdentities: CiIdentityPolicy,
): Callers {
  return {
    writer: async req => {
      const credentials = await httpAuth.credentials(req, { allow: ['service'] });
      return evidenceWriter(credentials.principal.subject, ciIdentities);
    },
    reader: async req => {
      const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
      if (credentials.principal.type === 'user') {
        const [decision] = await permissions.authorize(
          [{ permission: devsecopsReadPermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError('The permission policy does not allow devsecops.read');
        }
      }
      return credentials;
    },
    person: req => httpAuth.credentials(req, { allow: ['user'] }),
  };
}

/** The name recorded as the actor of a write: a user's entity ref or a service's subject. */
export function principalName(
  credentials: BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>,
): string {
  const principal = credentials.principal;
  return principal.type === 'user' ? principal.userEntityRef : principal.subject;
}

/** The catalog entity named by `entity` or `repository`, when either is given. */
export async function optionalEntity(
  entities: EntityResolver,
  query: { entity?: string; repository?: string },
): Promise<string | undefined> {
  if (!query.entity && !query.repository) return undefined;
  return (
    await entities.resolve({ entityRef: query.entity, repository: query.repository })
  ).entityRef;
}
