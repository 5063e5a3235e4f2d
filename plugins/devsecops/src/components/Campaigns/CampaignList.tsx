import { Link } from '@backstage/core-components';
import { CampaignOverview } from '@devsecops-scorecard/plugin-devsecops-common';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { countsText, dueText, goalText, scopeText } from './campaignText';

/** Campaigns in a table: goal, scope, target, progress; each links to its page. */
export function CampaignList(props: { campaigns: CampaignOverview[]; basePath: string }) {
  if (props.campaigns.length === 0) {
    return <Typography>No campaigns yet.</Typography>;
  }
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Campaigns">
        <TableHead>
          <TableRow>
            <TableCell>Campaign</TableCell>
            <TableCell>Goal</TableCell>
            <TableCell>Scope</TableCell>
            <TableCell>Target</TableCell>
            <TableCell>Progress</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.campaigns.map(c => (
            <TableRow key={c.id}>
              <TableCell>
                <Link to={`${props.basePath}/${encodeURIComponent(c.id)}`}>{c.title}</Link>
                {c.source === 'config' && (
                  <Typography variant="caption" display="block">
                    declared in configuration
                  </Typography>
                )}
              </TableCell>
              <TableCell>{goalText(c.goal)}</TableCell>
              <TableCell>{scopeText(c.scope)}</TableCell>
              <TableCell>
                {c.targetDate}
                <Typography variant="caption" display="block">
                  {dueText(c)}
                </Typography>
              </TableCell>
              <TableCell sx={{ minWidth: 160 }}>
                <LinearProgress
                  variant="determinate"
                  value={c.counts.donePct ?? 0}
                  aria-label={`${c.title}: ${countsText(c.counts)}`}
                />
                <Typography variant="caption">{countsText(c.counts)}</Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
