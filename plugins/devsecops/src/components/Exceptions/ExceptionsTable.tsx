import { Link } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { ExceptionAction, ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ExceptionActionDialog } from './ExceptionActionDialog';
import { describeScope, exceptionPath, securityTabPath, shortRef } from './exceptionLinks';

export const STATUS_COLOR = {
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

const ACTIONS: Array<[ExceptionAction, string]> = [
  ['approve', 'Approve'],
  ['reject', 'Reject'],
  ['revoke', 'Revoke'],
  ['renew', 'Renew'],
];

/**
 * Exceptions with the quick actions the signed-in user may take: a table, and a card per
 * exception below 600 px (risk and actions visible without scrolling sideways). Buttons stay
 * visible but disabled with the reason when the user may not act (requester, not the risk owner,
 * wrong state); the exception's page asks the backend, policy included.
 */
export function ExceptionsTable(props: {
  exceptions: ExceptionRecord[];
  onChanged: () => void;
  showEntity?: boolean;
}) {
  const identity = useApi(identityApiRef);
  const narrow = useMediaQuery('(max-width:599.95px)');
  const { value: claims = [] } = useAsync(async () => {
    const id = await identity.getBackstageIdentity();
    return [id.userEntityRef, ...id.ownershipEntityRefs];
  }, [identity]);
  const [pending, setPending] = useState<{ record: ExceptionRecord; action: ExceptionAction }>();

  const why = (record: ExceptionRecord, action: ExceptionAction): string | undefined => {
    const me = claims[0];
    if (action === 'renew') {
      if (!['approved', 'expired'].includes(record.status))
        return `Only approved or expired exceptions are renewed (this one is ${record.status})`;
      return undefined;
    }
    if (action === 'revoke') {
      if (record.status !== 'approved')
        return `Only approved exceptions can be revoked (this one is ${record.status})`;
      if (!claims.includes(record.riskOwner) && !(record.ownerRef && claims.includes(record.ownerRef))) {
        return `Only ${record.riskOwner} or the owners of the service may revoke`;
      }
      return undefined;
    }
    if (record.status !== 'requested') return `Already ${record.status}`;
    if (record.requester === me) return 'You requested this exception; someone else must decide';
    if (!claims.includes(record.riskOwner)) return `Only ${record.riskOwner} may decide`;
    return undefined;
  };

  const buttons = (record: ExceptionRecord, direction: 'row' | 'column') => (
    <Stack direction={direction} alignItems="flex-start" flexWrap="wrap">
      {ACTIONS.map(([action, label]) => {
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
      })}
    </Stack>
  );

  const risk = (record: ExceptionRecord) => (
    <>
      <Chip size="small" label={record.riskRating} sx={{ mr: 1 }} />
      <Link to={exceptionPath(record.id)}>{record.riskStatement}</Link>
    </>
  );

  const status = (record: ExceptionRecord) => (
    <>
      <Chip size="small" label={record.status} color={STATUS_COLOR[record.status]} />
      <Typography variant="body2" component="span" sx={{ ml: 1 }}>
        <span style={{ whiteSpace: 'nowrap' }}>{record.expiresAt.slice(0, 10)}</span> (
        {expiryCountdown(record.expiresAt)})
      </Typography>
    </>
  );

  if (props.exceptions.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No exceptions here.
      </Typography>
    );
  }
  const dialog = (
    <ExceptionActionDialog pending={pending} onClose={() => setPending(undefined)} onChanged={props.onChanged} />
  );
  if (narrow) {
    return (
      <>
        <Stack spacing={1.5} component="ul" aria-label="exceptions" sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {props.exceptions.map(record => (
            <Paper component="li" variant="outlined" key={record.id} data-testid={`exception-${record.id}`} sx={{ p: 1.5 }}>
              <Typography variant="subtitle2" component="h3" sx={{ overflowWrap: 'anywhere' }}>
                {/* Underlined: a link inside a line of text must not rely on colour alone (axe link-in-text-block). */}
                {props.showEntity && (
                  <Link to={securityTabPath(record.entityRef)} underline="always">
                    {shortRef(record.entityRef)}
                  </Link>
                )}
                {props.showEntity && ' · '}
                {describeScope(record.scope)}
              </Typography>
              <Box sx={{ my: 1, overflowWrap: 'anywhere' }}>{risk(record)}</Box>
              <Box sx={{ mb: 0.5 }}>{status(record)}</Box>
              <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
                Risk owner {shortRef(record.riskOwner)} · requested by {shortRef(record.requester)}
              </Typography>
              {buttons(record, 'row')}
            </Paper>
          ))}
        </Stack>
        {dialog}
      </>
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
            {props.exceptions.map(record => (
              <TableRow key={record.id} data-testid={`exception-${record.id}`}>
                {props.showEntity && (
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <Link to={securityTabPath(record.entityRef)}>{shortRef(record.entityRef)}</Link>
                  </TableCell>
                )}
                <TableCell sx={{ overflowWrap: 'anywhere', minWidth: 120 }}>{describeScope(record.scope)}</TableCell>
                <TableCell sx={{ minWidth: 180, maxWidth: 300 }}>{risk(record)}</TableCell>
                <TableCell title={record.riskOwner} sx={{ whiteSpace: 'nowrap' }}>
                  {shortRef(record.riskOwner)}
                </TableCell>
                <TableCell title={record.requester} sx={{ whiteSpace: 'nowrap' }}>
                  {shortRef(record.requester)}
                </TableCell>
                <TableCell sx={{ minWidth: 150 }}>{status(record)}</TableCell>
                <TableCell>{buttons(record, 'column')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {dialog}
    </>
  );
}
