import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ExceptionAction,
  ExceptionActionDecision,
  ExceptionEvent,
  ExceptionRecord,
} from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ReactNode, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devsecopsApiRef } from '../../api';
import { ExceptionActionDialog } from './ExceptionActionDialog';
import { ago, describeScope, exceptionPath, scopeNames, securityTabPath, shortRef } from './exceptionLinks';
import { expiryCountdown, STATUS_COLOR } from './ExceptionsTable';

const LABELS: Record<ExceptionAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  revoke: 'Revoke',
  renew: 'Request renewal',
};

const EVENT_WORDS: Record<ExceptionEvent['action'], string> = {
  requested: 'requested it',
  'renewal-requested': 'requested a renewal',
  approved: 'approved it',
  rejected: 'rejected it',
  revoked: 'revoked it',
  expired: 'it expired',
};

/** A term and its value, as a definition list row. */
function Fact(props: { term: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'contents' }}>
      <Typography component="dt" variant="body2" color="text.secondary" sx={{ fontWeight: 600 }}>
        {props.term}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
        {props.children}
      </Typography>
    </Box>
  );
}

/** The findings the exception names: the control's findings its scope matches. */
function CoveredFindings(props: { record: ExceptionRecord }) {
  const api = useApi(devsecopsApiRef);
  const { record } = props;
  const { value, error } = useAsync(
    () => api.listFindings({ entity: record.entityRef, control: [record.scope.control], limit: 200 }),
    [api, record.entityRef, record.scope.control],
  );
  if (error) return <Typography variant="body2">The findings could not be loaded: {error.message}</Typography>;
  if (!value) return <Progress />;
  const covered = value.items.filter(f => scopeNames(record.scope, f));
  if (covered.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No finding of {record.scope.control} matches its scope now (a control-wide exception covers the control&apos;s
        failure itself).
      </Typography>
    );
  }
  return (
    <Box component="ul" sx={{ pl: 2.5, my: 0 }}>
      {covered.map(f => (
        <li key={f.id}>
          <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
            <strong>{f.severity}</strong> {f.vulnerabilityId ?? f.ruleId}: {f.title}
            {f.package ? ` (${f.package.name}${f.package.version ? ` ${f.package.version}` : ''})` : ''} — {f.status}
            , first seen {f.firstSeenAt.slice(0, 10)}
          </Typography>
        </li>
      ))}
    </Box>
  );
}

/** Why the viewer has no button: the reason the backend gave for the first action, or its error. */
function noActionText(viewer: { error: string } | object, decisions: ExceptionActionDecision[]) {
  if ('error' in viewer) return `No action for you here: ${viewer.error}`;
  const reason = decisions[0]?.reason;
  return reason ? `No action for you here: ${reason}.` : 'No action for you here.';
}

/**
 * One exception: what risk is accepted, for what, by whom, until when, and its whole history;
 * with the actions the backend says the viewer may take (state, separation of duties, policy).
 */
export function ExceptionDetail(props: { id: string }) {
  const api = useApi(devsecopsApiRef);
  const [pending, setPending] = useState<ExceptionAction>();
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [record, viewer] = await Promise.all([
      api.getException(props.id),
      api.getExceptionActions(props.id).catch((e: Error) => ({ error: e.message })),
    ]);
    return { record, viewer };
  }, [api, props.id]);

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const { record, viewer } = value;
  const decisions: ExceptionActionDecision[] = 'actions' in viewer ? viewer.actions : [];
  const allowed = decisions.filter(d => d.allowed);
  const decidedEvent = [...record.events].reverse().find(e => e.toStatus === 'approved' || e.toStatus === 'rejected');

  return (
    <InfoCard
      title={`Exception for ${shortRef(record.entityRef)}: ${describeScope(record.scope)}`}
      subheader={<Link to="/devsecops/exceptions">All exceptions</Link>}
    >
      <Stack direction="row" spacing={1} sx={{ mb: 2 }} flexWrap="wrap" useFlexGap>
        <Chip label={record.status} color={STATUS_COLOR[record.status]} />
        <Chip label={`${record.riskRating} risk`} variant="outlined" />
        <Chip label={`expires ${record.expiresAt.slice(0, 10)} (${expiryCountdown(record.expiresAt)})`} variant="outlined" />
      </Stack>

      <section aria-label="actions">
        {allowed.length > 0 ? (
          <Stack direction="row" spacing={1} sx={{ mb: 2 }} flexWrap="wrap" useFlexGap>
            {allowed.map(d => (
              <Button key={d.action} variant={d.action === 'approve' ? 'contained' : 'outlined'} onClick={() => setPending(d.action)}>
                {LABELS[d.action]}
              </Button>
            ))}
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {noActionText(viewer, decisions)}
          </Typography>
        )}
      </section>

      <Box
        component="dl"
        sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '12rem 1fr' }, columnGap: 2, rowGap: { xs: 0.25, sm: 1 }, m: 0 }}
      >
        <Fact term="Risk statement">{record.riskStatement}</Fact>
        <Fact term="Risk rating">{record.riskRating}</Fact>
        <Fact term="Compensating controls">{record.compensatingControls ?? 'None stated'}</Fact>
        <Fact term="Service">
          <Link to={securityTabPath(record.entityRef)}>{record.entityRef}</Link>
        </Fact>
        <Fact term="Scope">{describeScope(record.scope)}</Fact>
        <Fact term="Owning team">{record.ownerRef ?? 'Unknown (no catalog owner when requested)'}</Fact>
        <Fact term="Requested by">{record.requester}</Fact>
        <Fact term="Requested">
          {record.requestedAt.slice(0, 10)} ({ago(record.requestedAt)})
        </Fact>
        <Fact term="Risk owner">{record.riskOwner}</Fact>
        <Fact term="Decided">
          {decidedEvent
            ? `${decidedEvent.toStatus} by ${decidedEvent.actor} on ${decidedEvent.at.slice(0, 10)}${decidedEvent.reason ? `: ${decidedEvent.reason}` : ''}`
            : 'Not yet'}
        </Fact>
        <Fact term="Expires">
          {record.expiresAt.slice(0, 10)} ({expiryCountdown(record.expiresAt)})
        </Fact>
        {record.renewalOf && (
          <Fact term="Renews">
            <Link to={exceptionPath(record.renewalOf)}>the earlier exception</Link>
          </Fact>
        )}
      </Box>

      <Typography variant="h6" component="h2" sx={{ mt: 3, mb: 1 }}>
        Findings it covers
      </Typography>
      <CoveredFindings record={record} />

      <Typography variant="h6" component="h2" sx={{ mt: 3, mb: 1 }}>
        History
      </Typography>
      <Box component="ol" aria-label="history" sx={{ pl: 2.5, my: 0 }}>
        {record.events.map((event, index) => (
          <li key={`${event.at}-${index}`}>
            <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
              <time dateTime={event.at}>{event.at.replace('T', ' ').slice(0, 16)} UTC</time>: {event.actor}{' '}
              {EVENT_WORDS[event.action]}
              {event.fromStatus ? ` (${event.fromStatus} → ${event.toStatus})` : ''}
              {event.reason ? ` — “${event.reason}”` : ''}
            </Typography>
          </li>
        ))}
      </Box>

      <ExceptionActionDialog
        pending={pending ? { record, action: pending } : undefined}
        onClose={() => setPending(undefined)}
        onChanged={retry}
      />
    </InfoCard>
  );
}
