import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import {
  ControlAdoption,
  ControlHeatMap,
  StageDistribution,
  TeamsTable,
} from '../OverviewPage/OrgRollup';
import { entityLink } from '../OverviewPage/links';
import { RollupTrends } from '../OverviewPage/RollupTrends';
import { DemoDataNotice } from '../shared/DemoDataNotice';
import { ControlFailureReviewCard } from '../ControlFailureReview';
import { ScopeChecklistCard } from '../Checklist';
import { GroupCampaignsCard } from '../Campaigns';

/**
 * The scorecard of a group (its services and its sub-teams', through the catalog hierarchy) or of
 * a system (the components in it, by owning team): whichever the entity page is.
 */
export function ScopeSecurityContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const scope = entity.kind.toLocaleLowerCase('en-US') === 'system' ? { system: entityRef } : { group: entityRef };
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(
    () => Promise.all([api.getRollup(scope), api.getRollupHistory(scope, 90), api.getControlStack()]),
    [api, entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const [rollup, history, { controls }] = value;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} sx={{ '&:empty': { display: 'none' } }}>
        <DemoDataNotice />
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title={`Maturity across ${rollup.entityCount} services`}>
          <StageDistribution rollup={rollup} />
          <Typography variant="body2" sx={{ mt: 2 }}>
            Production gate: {rollup.gate.allow} allowed, {rollup.gate.deny} denied, {rollup.gate.undecided} without a decision.
            Open critical findings: {rollup.metrics.openBySeverity.critical}, past SLA: {Object.values(rollup.metrics.pastSla).reduce((a, b) => a + b, 0)}.
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Services by team">
          <TeamsTable rollup={rollup} />
        </InfoCard>
      </Grid>
      {rollup.children && rollup.children.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Sub-teams">
            <Table size="small" aria-label="sub-teams">
              <TableHead>
                <TableRow>
                  <TableCell>Team</TableCell>
                  <TableCell align="right">Services</TableCell>
                  <TableCell>Stages 0 / 1 / 2 / 3 / 4</TableCell>
                  <TableCell align="right">Gate pass rate</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rollup.children.map(child => (
                  <TableRow key={child.scope.ref}>
                    <TableCell>
                      <Link to={entityLink(child.scope.ref!)!}>{parseEntityRef(child.scope.ref!).name}</Link>
                    </TableCell>
                    <TableCell align="right">{child.entityCount}</TableCell>
                    <TableCell>{['0', '1', '2', '3', '4'].map(s => child.stageDistribution[s] ?? 0).join(' / ')}</TableCell>
                    <TableCell align="right">{child.gate.passRatePct === undefined ? '—' : `${child.gate.passRatePct}%`}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
      )}
      {scope.group && (
        <Grid item xs={12}>
          <ControlFailureReviewCard group={entityRef} />
        </Grid>
      )}
      {scope.group && <Grid item xs={12}><GroupCampaignsCard /></Grid>}
      {scope.group && (
        <Grid item xs={12}>
          <ScopeChecklistCard group={entityRef} />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="Trends" subheader={`Last 90 days of daily snapshots of the ${scope.system ? "system's" : "team's"} services`}>
          <RollupTrends history={history} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Control adoption by team">
          <ControlHeatMap rollup={rollup} controls={controls} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Control adoption">
          <ControlAdoption rollup={rollup} controls={controls} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
