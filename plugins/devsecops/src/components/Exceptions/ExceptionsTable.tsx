import { Link } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { ReasonDialog } from './ReasonDialog';
import { RenewDialog } from './RenewDialog';

const STATUS_COLOR = {
  requested: 'warning',
  approved: 'info',
  rejected: 'default',
  revoked: 'default',
  expired: 'error',
} as const;

export function expiryCountdown(expiresAt: string, now = Date.now()): string {
  const days = Math.round((new Date(expiresAt).getTime() - now) / 86_400_000);
  if (days < 0) return `expired ${-days} d ago`;
  if (days === 0) return 'expires today';
  return `in ${days} d`;
}

type Action = 'approve' | 'reject' | 'revoke' | 'renew';

/**
 * Exceptions with the actions the signed-in user may take. Buttons stay visible but disabled
 * with the reason when the user may not act (requester, not the risk owner, wrong state).
 */
export function ExceptionsTable(props: {
  exceptions: ExceptionRecord[];
  onChanged: () => void;
  showEntity?: boolean;
}) {
  const api = useApi(devsecopsApiRef);
  const identity = useApi(identityApiRef);
  const { value: claims = [] } = useAsync(async () => {
    const id = await identity.getBackstageIdentity();
    return [id.userEntityRef, ...id.ownershipEntityRefs];
  }, [identity]);
  const [pending, setPending] = useState<{
    record: ExceptionRecord;
    action: Action;
  }>();

  const why = (record: ExceptionRecord, action: Action): string | undefined => {
    const me = claims[0];
    if (action === 'renew') {
      if (!['approved', 'expired'].includes(record.status))
        return `Only approved or expired exceptions are renewed (this one is ${record.status})`;
      return undefined;
    }
    if (action === 'revoke') {
      if (record.status !== 'approved')
        return `Only approved exceptions can be revoked (this one is ${record.status})`;
      if (
        !claims.includes(record.riskOwner) &&
        !(record.ownerRef && claims.includes(record.ownerRef))
      ) {
        return `Only ${record.riskOwner} or the owners of the service may revoke`;
      }
      return undefined;
    }
    if (record.status !== 'requested') return `Already ${record.status}`;
    if (record.requester === me)
      return 'You requested this exception; someone else must decide';
    if (!claims.includes(record.riskOwner))
      return `Only ${record.riskOwner} may decide`;
    return undefined;
  };

  /** `group:default/security-compliance` reads as `security-compliance` (the full ref is the title). */
  const shortRef = (ref: string) => {
    try {
      return parseEntityRef(ref).name;
    } catch {
      return ref;
    }
  };

  const button = (record: ExceptionRecord, action: Action, label: string) => {
    const disabledReason = why(record, action);
    return (
      <Tooltip key={action} title={disabledReason ?? ''}>
        <span>
          <Button
            size="small"
            sx={{ whiteSpace: 'nowrap' }}
            disabled={!!disabledReason}
            onClick={() => setPending({ record, action })}
          >
            {label}
          </Button>
        </span>
      </Tooltip>
    );
  };

  if (props.exceptions.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No exceptions here.
      </Typography>
    );
  }
  return (
    <>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="exceptions">
          <TableHead>
            <TableRow sx={{ '& th': { whiteSpace: 'nowrap' } }}>
              {props.showEntity && <TableCell>Service</TableCell>}
              <TableCell>Covers</TableCell>
              <TableCell>Risk</TableCell>
              <TableCell>Risk owner</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>Status and expiry</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.exceptions.map(record => {
              const entity = parseEntityRef(record.entityRef);
              return (
                <TableRow
                  key={record.id}
                  data-testid={`exception-${record.id}`}
                >
                  {props.showEntity && (
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      <Link
                        to={`/catalog/${
                          entity.namespace
                        }/${entity.kind.toLowerCase()}/${entity.name}/security`}
                      >
                        {entity.name}
                      </Link>
                    </TableCell>
                  )}
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {record.scope.control}
                    {[record.scope.vulnerabilityId, record.scope.ruleId]
                      .filter(Boolean)
                      .map(v => ` · ${v}`)}
                  </TableCell>
                  <TableCell sx={{ minWidth: 180, maxWidth: 300 }}>
                    <Chip
                      size="small"
                      label={record.riskRating}
                      sx={{ mr: 1 }}
                    />
                    {record.riskStatement}
                  </TableCell>
                  <TableCell
                    title={record.riskOwner}
                    sx={{ whiteSpace: 'nowrap' }}
                  >
                    {shortRef(record.riskOwner)}
                  </TableCell>
                  <TableCell
                    title={record.requester}
                    sx={{ whiteSpace: 'nowrap' }}
                  >
                    {shortRef(record.requester)}
                  </TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      label={record.status}
                      color={STATUS_COLOR[record.status]}
                    />
                    <Typography variant="body2" component="p" sx={{ mt: 0.5 }}>
                      <span style={{ whiteSpace: 'nowrap' }}>
                        {record.expiresAt.slice(0, 10)}
                      </span>{' '}
                      ({expiryCountdown(record.expiresAt)})
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <Stack direction="column" alignItems="flex-start">
                      {button(record, 'approve', 'Approve')}
                      {button(record, 'reject', 'Reject')}
                      {button(record, 'revoke', 'Revoke')}
                      {button(record, 'renew', 'Renew')}
                    </Stack>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>
      <RenewDialog
        open={pending?.action === 'renew'}
        onClose={() => setPending(undefined)}
        onConfirm={async expiresAt => {
          await api.renewException(pending!.record.id, expiresAt);
          props.onChanged();
        }}
      />
      <ReasonDialog
        open={!!pending && pending.action !== 'renew'}
        title={
          pending
            ? `${pending.action[0].toUpperCase()}${pending.action.slice(
                1,
              )} the exception for ${
                parseEntityRef(pending.record.entityRef).name
              }`
            : ''
        }
        confirm={pending?.action ?? ''}
        onClose={() => setPending(undefined)}
        onConfirm={async reason => {
          await api.changeException(
            pending!.record.id,
            pending!.action as 'approve' | 'reject' | 'revoke',
            reason,
          );
          props.onChanged();
        }}
      />
    </>
  );
}
