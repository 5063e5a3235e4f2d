import {
  Link,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Rollup,
  RollupQuery,
  toCsv,
} from '@devsecops-scorecard/plugin-devsecops-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import Grid from '@mui/material/Grid';
import Button from '@mui/material/Button';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { StageByGroupChart } from '../shared/charts';
import { DemoDataNotice } from '../shared/DemoDataNotice';
import { PortfolioSearchBox } from '../PortfolioSearch/PortfolioSearchBox';
import { MyServicesCard } from '../StageGate';
import { saveBlob } from '../shared/download';
import { ControlStackBoard } from './ControlStackBoard';
import { HeatMap, HeatMapSort } from './HeatMap';
import { ControlAdoption, StageDistribution, TeamsTable } from './OrgRollup';
import { HeatMapCsvButtons, ScopeAuditPackageButton } from './OverviewExports';
import { RollupFilters } from './RollupFilters';
import { RollupTrends } from './RollupTrends';
import { ResponsibilityMatrixCard } from '../Responsibility';
import { ControlFailureReviewCard } from '../ControlFailureReview';
import { RecurringFindingsCard } from '../RecurringFindings';
import { getRollupInPages } from './rollupPages';

const QUERY_KEYS = ['group', 'system', 'domain', 'lifecycle'] as const;

/** The roll-up query a URL's search parameters hold (only the keys present). */
export function queryFromParams(params: URLSearchParams): RollupQuery {
  const query: RollupQuery = {};
  for (const key of QUERY_KEYS) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  return query;
}

function scopeTitle(query: RollupQuery): string {
  const ref = query.group ?? query.system ?? query.domain;
  const scope = ref ? parseEntityRef(ref).name : 'the organisation';
  return query.lifecycle ? `${scope} (${query.lifecycle})` : scope;
}

/** Entities per stage for each sub-team of a group, or for each owning team otherwise. */
function stagesByGroup(rollup: Rollup) {
  const rows = rollup.children?.length ? rollup.children : rollup.owners ?? [];
  return rows.map(r => ({
    group: parseEntityRef(r.scope.ref!).name,
    stages: r.stageDistribution,
  }));
}

/**
 * Org overview for platform teams: where every team stands (stages, gate, controls), how that
 * moved over 90 days, filtered by group, system, domain and lifecycle, with the control stack
 * every service is measured against.
 */
export function OverviewContent() {
  const api = useApi(devsecopsApiRef);
  // Filters and the heat map's sort live in the URL: a link shares the view, a reload restores it.
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const sort: HeatMapSort = {
    by: params.get('sort') ?? 'failing',
    dir: params.get('dir') === 'asc' ? 'asc' : 'desc',
  };
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  const setQuery = (q: RollupQuery) =>
    update({ group: q.group, system: q.system, domain: q.domain, lifecycle: q.lifecycle });
  const base = useAsync(
    async () =>
      Promise.all([api.getHealth(), api.getControlStack(), api.listFormats()]),
    [api],
  );
  const scoped = useAsync(
    async () =>
      // The entity list in pages: aggregates and team rows come with the first.
      Promise.all([getRollupInPages(api, query), api.getRollupHistory(query, 90)]),
    [api, query.group, query.system, query.domain, query.lifecycle],
  );

  if (base.loading) return <Progress />;
  if (base.error) return <ResponseErrorPanel error={base.error} />;
  const [health, stack, { formats }] = base.value!;
  const [rollup, history] = scoped.value ?? [];

  return (
    <Stack spacing={3}>
      <DemoDataNotice />
      <PortfolioSearchBox />
      <MyServicesCard title="Your teams' services" />
      <Typography variant="body2">
        <Link to="/devsecops/exceptions" underline="always">
          Exception queue
        </Link>{' '}
        — requests awaiting a risk owner, exceptions expiring soon and expired
        ones. Select a team below to open its Security tab; from there each
        service's.
      </Typography>
      {health.status !== 'ok' && (
        <Alert severity="warning">
          The devsecops backend cannot reach its database; results may be out of
          date.
        </Alert>
      )}
      <RollupFilters value={query} onChange={setQuery} />
      <ScopeAuditPackageButton query={query} />
      {scoped.error && <ResponseErrorPanel error={scoped.error} />}
      {!rollup && !scoped.error && <Progress />}
      {rollup && history && (
        // A Stack resets its children's margins; the Grid's negative margins need a wrapper.
        <Box>
          <Grid container spacing={3}>
            <Grid item xs={12} md={5}>
              <InfoCard
                title={`Maturity across ${rollup.entityCount} services`}
                subheader={scopeTitle(query)}
              >
                <StageDistribution rollup={rollup} />
                <Typography variant="body2" sx={{ mt: 2 }}>
                  Production release gate: {rollup.gate.allow} allowed,{' '}
                  {rollup.gate.deny} denied, {rollup.gate.undecided} without a
                  decision
                  {rollup.gate.passRatePct !== undefined
                    ? ` (${rollup.gate.passRatePct}% pass)`
                    : ''}
                  . Mean time to patch:{' '}
                  {rollup.metrics.meanTimeToPatchDays !== undefined
                    ? `${rollup.metrics.meanTimeToPatchDays} days`
                    : 'no data yet'}
                  .
                </Typography>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={7}>
              <InfoCard title="Stage distribution by group">
                <StageByGroupChart rows={stagesByGroup(rollup)} />
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <InfoCard
                title="Trends"
                subheader={`Last 90 days of daily snapshots, ${scopeTitle(
                  query,
                )}`}
              >
                <RollupTrends history={history} />
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <InfoCard
                title="Control adoption by team"
                subheader="Each team's services by control state; open a team for its services"
                action={
                  <HeatMapCsvButtons
                    rollup={rollup}
                    controls={stack.controls}
                    sort={sort}
                  />
                }
              >
                <HeatMap
                  rollup={rollup}
                  controls={stack.controls}
                  sort={sort}
                  onSort={next => update({ sort: next.by, dir: next.dir })}
                />
              </InfoCard>
            </Grid>
            <Grid item xs={12} lg={6}>
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
                              [
                                'entity',
                                'owner',
                                'type',
                                'stage',
                                'production gate',
                              ],
                              rollup.entities.map(e => [
                                e.entityRef,
                                e.ownerRef,
                                e.type,
                                e.stage,
                                e.productionGate,
                              ]),
                            ),
                          ],
                          { type: 'text/csv' },
                        ),
                        'devsecops-services.csv',
                      )
                    }
                  >
                    Services CSV
                  </Button>
                }
              >
                <TeamsTable rollup={rollup} />
              </InfoCard>
            </Grid>
            <Grid item xs={12} lg={6}>
              <InfoCard title="Control adoption">
                <ControlAdoption rollup={rollup} controls={stack.controls} />
              </InfoCard>
            </Grid>
          </Grid>
        </Box>
      )}
      {!query.system && !query.domain && (
        <>
          <ControlFailureReviewCard group={query.group} lifecycle={query.lifecycle} />
          <RecurringFindingsCard group={query.group} lifecycle={query.lifecycle} />
        </>
      )}
      <InfoCard title="Pipeline control stack">
        <Typography variant="body2" color="text.secondary" mb={2}>
          Every service is evaluated against these controls. A control without
          evidence counts as not reported, never as passing.
        </Typography>
        <ControlStackBoard stack={stack} />
      </InfoCard>
      <ResponsibilityMatrixCard />
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
