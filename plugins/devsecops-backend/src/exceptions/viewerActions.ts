import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  ExceptionActionDecision,
  ExceptionRecord,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionAccess, UserCredentials } from './ExceptionAccess';

/**
 * The actions a person may take on an exception, each with the reason when not: the same checks,
 * in the same order, as ExceptionService's approve/reject/revoke/renew (state, separation of
 * duties, the permission policy), so the page offers exactly what the server would accept.
 */
export async function viewerActions(
  record: ExceptionRecord,
  credentials: UserCredentials,
  access: ExceptionAccess,
): Promise<ExceptionActionDecision[]> {
  const claims = await access.claims(credentials);
  const me = credentials.principal.userEntityRef;
  const policy = async (permission: Parameters<ExceptionAccess['allows']>[0], resourceRef: string) =>
    (await access.allows(permission, credentials, resourceRef))
      ? undefined
      : `The permission policy does not allow you ${permission.name}`;

  const decide = async (): Promise<string | undefined> => {
    if (me === record.requester) return 'You requested this exception; someone else must decide';
    if (!claims.includes(record.riskOwner)) return `Only the risk owner ${record.riskOwner} (or its members) may decide`;
    if (record.status !== 'requested') return `It is ${record.status}, not awaiting a decision`;
    return policy(devsecopsExceptionDecidePermission, record.id);
  };
  const revoke = async (): Promise<string | undefined> => {
    if (!claims.includes(record.riskOwner) && !(record.ownerRef && claims.includes(record.ownerRef))) {
      return `Only the risk owner ${record.riskOwner} or the owners of ${record.entityRef} may revoke`;
    }
    if (record.status !== 'approved') return `Only approved exceptions can be revoked (this one is ${record.status})`;
    return policy(devsecopsExceptionRevokePermission, record.id);
  };
  const renew = async (): Promise<string | undefined> => {
    if (!['approved', 'expired'].includes(record.status)) {
      return `Only approved or expired exceptions are renewed (this one is ${record.status})`;
    }
    return policy(devsecopsExceptionRequestPermission, record.entityRef);
  };

  const decision = async (action: ExceptionActionDecision['action'], why: Promise<string | undefined>) => {
    const reason = await why;
    return reason ? { action, allowed: false, reason } : { action, allowed: true };
  };
  const decideReason = decide();
  return Promise.all([
    decision('approve', decideReason),
    decision('reject', decideReason),
    decision('revoke', revoke()),
    decision('renew', renew()),
  ]);
}
