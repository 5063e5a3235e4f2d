import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, BasicPermission, ResourcePermission } from '@backstage/plugin-permission-common';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';

export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * Who may act on an exception: the user's claims, the separation-of-duties checks that hold
 * whatever the permission policy says, the permission policy itself, and the audit events.
 */
export class ExceptionAccess {
  constructor(
    private readonly o: { permissions: PermissionsService; userInfo: UserInfoService; auditor: AuditorService },
  ) {}

  /** The refs the user acts as: themselves and the groups they belong to. */
  async claims(credentials: UserCredentials): Promise<string[]> {
    const info = await this.o.userInfo.getUserInfo(credentials);
    return [...new Set([credentials.principal.userEntityRef, ...info.ownershipEntityRefs])];
  }

  async mustBeRiskOwner(record: ExceptionRecord, credentials: UserCredentials) {
    const claims = await this.claims(credentials);
    if (!claims.includes(record.riskOwner)) {
      throw new NotAllowedError(`Only the risk owner ${record.riskOwner} (or its members) may decide this exception`);
    }
  }

  async mustBeRiskOwnerOrEntityOwner(record: ExceptionRecord, credentials: UserCredentials) {
    const claims = await this.claims(credentials);
    if (!claims.includes(record.riskOwner) && !(record.ownerRef && claims.includes(record.ownerRef))) {
      throw new NotAllowedError(`Only the risk owner ${record.riskOwner} or the owners of ${record.entityRef} may revoke this exception`);
    }
  }

  async authorize(
    permission: BasicPermission | ResourcePermission,
    credentials: UserCredentials,
    resourceRef?: string,
  ) {
    const [decision] = await this.o.permissions.authorize(
      [resourceRef ? { permission: permission as ResourcePermission, resourceRef } : { permission: permission as BasicPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`The permission policy does not allow ${permission.name}`);
    }
  }

  /** Whether the permission policy allows it, without throwing (for the actions a viewer is offered). */
  async allows(permission: BasicPermission | ResourcePermission, credentials: UserCredentials, resourceRef?: string) {
    try {
      await this.authorize(permission, credentials, resourceRef);
      return true;
    } catch (error) {
      if (error instanceof NotAllowedError) return false;
      throw error;
    }
  }

  async audit(eventId: string, credentials: UserCredentials, id: string, meta: Record<string, string | undefined>) {
    const event = await this.o.auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: { exceptionId: id, actor: credentials.principal.userEntityRef, ...Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) } as any,
    });
    await event.success();
  }
}
