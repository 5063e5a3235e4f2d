import {
  Link,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { ControlStackBoard } from './ControlStackBoard';
import { ControlAdoption, StageDistribution, TeamsTable } from './OrgRollup';
import Grid from '@mui/material/Grid';
import Button from '@mui/material/Button';
import { saveBlob, toCsv } from '../shared/download';

/**
 * Org overview: the operating model's control stack and the state of the backend. Stage
 * distribution and adoption roll-ups join it as the scorecard engine lands.
 */
export function OverviewContent() {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(
    async () =>
      Promise.all([api.getHealth(), api.getControlStack(), api.listFormats(), api.getRollup()]),
    [api],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const [health, stack, { formats }, rollup] = value!;

  return (
    <Stack spacing={3}>
      <Typography variant="body2">
        <Link to="/devsecops/exceptions">Exception queue</Link> — requests awaiting a risk owner,
        exceptions expiring soon and expired ones.
      </Typography>
      {health.status !== 'ok' && (
        <Alert severity="warning">
          The devsecops backend cannot reach its database; results may be out
          of date.
        </Alert>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} md={5}>
          <InfoCard title={`Maturity across ${rollup.entityCount} services`}>
            <StageDistribution rollup={rollup} />
            <Typography variant="body2" sx={{ mt: 2 }}>
              Production release gate: {rollup.gate.allow} allowed, {rollup.gate.deny} denied,{' '}
              {rollup.gate.undecided} without a decision
              {rollup.gate.passRatePct !== undefined ? ` (${rollup.gate.passRatePct}% pass)` : ''}.
              Mean time to patch:{' '}
              {rollup.metrics.meanTimeToPatchDays !== undefined ? `${rollup.metrics.meanTimeToPatchDays} days` : 'no data yet'}.
            </Typography>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={7}>
          <InfoCard
            title="Teams"
            action={
              <Button
                size="small"
                onClick={() =>
                  saveBlob(
                    new Blob(
                      [
                        toCsv(
                          ['entity', 'owner', 'type', 'stage', 'production gate'],
                          rollup.entities.map(e => [e.entityRef, e.ownerRef, e.type, e.stage, e.productionGate]),
                        ),
                      ],
                      { type: 'text/csv' },
                    ),
                    'devsecops-services.csv',
                  )
                }
              >
                Export CSV
              </Button>
            }
          >
            <TeamsTable rollup={rollup} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Control adoption">
            <ControlAdoption rollup={rollup} />
          </InfoCard>
        </Grid>
      </Grid>
      <InfoCard title="Pipeline control stack">
        <Typography variant="body2" color="text.secondary" mb={2}>
          Every service is evaluated against these controls. A control without
          evidence counts as not reported, never as passing.
        </Typography>
        <ControlStackBoard stack={stack} />
      </InfoCard>
      <InfoCard title="Backend">
        <Typography variant="body2">
          Database: {health.database.client} (
          {health.database.reachable ? 'reachable' : 'unreachable'}),{' '}
          {health.migrations.length} migration(s) applied.
        </Typography>
        <Typography variant="body2">
          Report formats accepted:{' '}
          {formats.length > 0
            ? formats.map(f => f.title).join(', ')
            : 'none registered yet'}
          .
        </Typography>
      </InfoCard>
    </Stack>
  );
}
