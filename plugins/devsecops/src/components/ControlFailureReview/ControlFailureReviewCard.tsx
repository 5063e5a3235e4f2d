import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ControlFailure, PendingControlFailureReview } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devsecopsApiRef } from '../../api';
import { ServiceLink } from './ServiceLink';
import { HumanAttestationDialog } from '../EntitySecurity/HumanAttestationDialog';

/** Where a failure stands now, in words. */
export function failureStatusText(failure: ControlFailure): string {
  switch (failure.status) {
    case 'still-failing':
      return 'Still failing';
    case 'excepted':
      return 'Excepted (approved exception)';
    case 'fixed':
      return `Fixed on ${failure.endedOn}`;
    default:
      return 'No current evidence';
  }
}

function previousReviewText(pending: PendingControlFailureReview): string {
  const previous = pending.previousReview;
  if (!previous) return `Never reviewed: the last ${pending.windowDays} days.`;
  return `Since the previous review on ${previous.date} (recorded by ${previous.recordedBy}, ${previous.failuresReviewed} failures reviewed).`;
}

/**
 * The control-failure review of a team (`group`) or of the org (optionally one `lifecycle`): every control that failed for one
 * of its services since the previous review and that no review has covered — what failed, since
 * when, for how long, and whether it is now fixed, excepted or still failing — and the sign-off
 * that records the review with those failures.
 */
export function ControlFailureReviewCard(props: { group?: string; lifecycle?: string }) {
  const api = useApi(devsecopsApiRef);
  const [signing, setSigning] = useState(false);
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.getPendingControlFailureReview({
        ...(props.group ? { group: props.group } : {}),
        ...(props.lifecycle ? { lifecycle: props.lifecycle } : {}),
      }),
    [api, props.group, props.lifecycle],
  );
  const title = 'Control-failure review';
  if (loading && !value) return <InfoCard title={title}><Progress /></InfoCard>;
  if (error) return <InfoCard title={title}><ResponseErrorPanel error={error} /></InfoCard>;
  if (!value) return null;
  const { failures } = value;
  const open = failures.filter(f => f.status !== 'fixed').length;
  return (
    <InfoCard
      title={title}
      subheader={`${failures.length} failures to review (${open} not fixed) across ${value.entityCount} services. ${previousReviewText(value)}`}
      action={
        value.signOffScopeRef ? (
          <Button variant="contained" size="small" sx={{ mt: 1, mr: 1 }} onClick={() => setSigning(true)}>
            Sign off review
          </Button>
        ) : undefined
      }
    >
      {!value.signOffScopeRef && (
        <Typography variant="body2" gutterBottom>
          The catalog has no single top-level group to record an organisation-wide review for: sign off per team, on its Security tab.
        </Typography>
      )}
      {failures.length === 0 ? (
        <Typography variant="body2">No control failures since the previous review.</Typography>
      ) : (
        <TableContainer sx={{ maxHeight: 480 }}>
          <Table size="small" stickyHeader aria-label="control failures to review">
            <TableHead>
              <TableRow>
                <TableCell>Service</TableCell>
                <TableCell>Control</TableCell>
                <TableCell>Failing since</TableCell>
                <TableCell align="right">Days</TableCell>
                <TableCell>Now</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {failures.map(failure => (
                <TableRow key={failure.key}>
                  <TableCell>
                    <ServiceLink entityRef={failure.entityRef} />
                  </TableCell>
                  <TableCell>{failure.controlTitle}</TableCell>
                  <TableCell>{failure.since}</TableCell>
                  <TableCell align="right">{failure.days}</TableCell>
                  <TableCell>{failureStatusText(failure)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {value.signOffScopeRef && signing && (
        <HumanAttestationDialog
          kind="control-failure-review"
          entityRef={value.signOffScopeRef}
          failures={failures.map(f => f.key)}
          open
          onClose={() => setSigning(false)}
          onRecorded={retry}
        />
      )}
    </InfoCard>
  );
}
