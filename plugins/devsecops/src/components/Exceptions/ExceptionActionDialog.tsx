import { useApi } from '@backstage/core-plugin-api';
import { ExceptionAction, ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { devsecopsApiRef } from '../../api';
import { shortRef } from './exceptionLinks';
import { ReasonDialog } from './ReasonDialog';
import { RenewDialog } from './RenewDialog';

/** The dialog of one action on an exception: a reason to decide or revoke, a new expiry to renew. */
export function ExceptionActionDialog(props: {
  pending?: { record: ExceptionRecord; action: ExceptionAction };
  onClose: () => void;
  onChanged: () => void;
  /** The longest expiry a renewal may ask for (YYYY-MM-DD), when known. */
  maxExpiry?: string;
}) {
  const api = useApi(devsecopsApiRef);
  const { pending } = props;
  const verb = pending ? `${pending.action[0].toUpperCase()}${pending.action.slice(1)}` : '';
  return (
    <>
      <RenewDialog
        open={pending?.action === 'renew'}
        onClose={props.onClose}
        onConfirm={async expiresAt => {
          await api.renewException(pending!.record.id, expiresAt);
          props.onChanged();
        }}
      />
      <ReasonDialog
        open={!!pending && pending.action !== 'renew'}
        title={pending ? `${verb} the exception for ${shortRef(pending.record.entityRef)}` : ''}
        confirm={pending?.action ?? ''}
        onClose={props.onClose}
        onConfirm={async reason => {
          await api.changeException(pending!.record.id, pending!.action as 'approve' | 'reject' | 'revoke', reason);
          props.onChanged();
        }}
      />
    </>
  );
}
