import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CampaignProgress } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { entityLink } from '../OverviewPage/links';
import { countsText, dueText, goalText, scopeText } from './campaignText';

/** The burn-up in words (the chart's text alternative): how many were done on the first and last day. */
export function describeBurnup(burnup: CampaignProgress['burnup']): string {
  if (burnup.length === 0) return 'no daily snapshots since the start yet';
  const first = burnup[0];
  const last = burnup[burnup.length - 1];
  return `${first.done} of ${first.inScope} done on ${first.day} → ${last.done} of ${last.inScope} on ${last.day}`;
}

function Burnup({ campaign }: { campaign: CampaignProgress }) {
  const summary = describeBurnup(campaign.burnup);
  return (
    <Box role="img" aria-label={`Burn-up: ${summary}`}>
      {campaign.burnup.length > 1 && (
        <Box aria-hidden sx={{ height: 220 }}>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart accessibilityLayer={false} data={campaign.burnup} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Line type="stepAfter" dataKey="inScope" name="in scope" stroke="#9e9e9e" dot={false} />
              <Line type="stepAfter" dataKey="done" name="done" stroke="#2e7d32" />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      )}
      <Typography variant="body2">{summary}</Typography>
    </Box>
  );
}

/** One campaign: where it stands, per team, the burn-up, each service's next step, the end report. */
export function CampaignDetail({ id }: { id: string }) {
  const api = useApi(devsecopsApiRef);
  const { value: campaign, loading, error } = useAsync(() => api.getCampaign(id, { limit: 200 }), [api, id]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const c = campaign!;
  return (
    <Stack spacing={2}>
      <div>
        <Typography variant="h5" component="h2">
          {c.title}
        </Typography>
        <Typography>
          {goalText(c.goal)} · {scopeText(c.scope)} · {c.startDate} to {c.targetDate} ({dueText(c)}) · run by {c.ownerRef}
        </Typography>
        {c.description && <Typography variant="body2">{c.description}</Typography>}
        <Typography variant="h6" component="p" mt={1}>
          {countsText(c.counts)}
          {c.counts.excepted > 0 ? `, ${c.counts.excepted} through exceptions` : ''}
        </Typography>
      </div>
      {c.report && (
        <InfoCard title="End report">
          <Typography>
            {c.report.doneOnTime.length} done on time, {c.report.doneLate.length} late, {c.report.excepted.length} through
            exceptions, {c.report.notDone.length} not done (target {c.report.targetDate}).
          </Typography>
        </InfoCard>
      )}
      <InfoCard title="Burn-up">
        <Burnup campaign={c} />
      </InfoCard>
      <InfoCard title="Teams">
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Progress per team">
            <TableHead>
              <TableRow>
                <TableCell>Team</TableCell>
                <TableCell>Done</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {c.teams.map(t => (
                <TableRow key={t.ownerRef}>
                  <TableCell>{t.ownerRef}</TableCell>
                  <TableCell>{countsText(t)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </InfoCard>
      <InfoCard title={`Services (${c.entities.totalCount})`}>
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Services and their next step">
            <TableHead>
              <TableRow>
                <TableCell>Service</TableCell>
                <TableCell>Team</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Next step</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {c.entities.items.map(e => (
                <TableRow key={e.entityRef}>
                  <TableCell>
                    <Link to={entityLink(e.entityRef) ?? '#'}>{e.entityRef.split('/').pop()}</Link>
                  </TableCell>
                  <TableCell>{e.ownerRef ?? '—'}</TableCell>
                  <TableCell>
                    {e.done
                      ? `done${e.excepted ? ' through an exception' : ''} since ${e.doneOn}`
                      : `${e.stepsLeft} step${e.stepsLeft === 1 ? '' : 's'} left`}
                  </TableCell>
                  <TableCell>{e.nextStep?.text ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {c.entities.totalCount > c.entities.items.length && (
          <Typography variant="caption">
            The first {c.entities.items.length} of {c.entities.totalCount}, unfinished first.
          </Typography>
        )}
      </InfoCard>
    </Stack>
  );
}
