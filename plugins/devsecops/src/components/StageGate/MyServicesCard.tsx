import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { entityLink } from '../OverviewPage/links';
import { failingFirst, MyService, myService, ownedRows } from './myServices';
import { StageGateChip } from './StageGateChip';
import { StageGateRow, useStageGateIndex } from './stageGateIndex';

/** How many services get their scorecard read (one request each); the rest are counted. */
export const MY_SERVICES_SHOWN = 10;

function useMyServices(rows: StageGateRow[] | undefined) {
  const api = useApi(devsecopsApiRef);
  const key = rows?.map(r => r.entityRef).join(',');
  return useAsync(async (): Promise<Array<MyService | { row: StageGateRow; error: string }>> => {
    if (!rows) return [];
    const results = await Promise.allSettled(rows.map(r => api.getScorecard(r.entityRef)));
    const read: MyService[] = [];
    const failed: Array<{ row: StageGateRow; error: string }> = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') read.push(myService(rows[i], result.value));
      else failed.push({ row: rows[i], error: (result.reason as Error)?.message ?? String(result.reason) });
    });
    return [...failingFirst(read), ...failed];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
}

function ServiceItem({ item }: { item: MyService | { row: StageGateRow; error: string } }) {
  const { row } = item;
  const name = parseEntityRef(row.entityRef).name;
  const link = entityLink(row.entityRef);
  return (
    <ListItem disableGutters divider sx={{ display: 'block' }} data-testid={`my-service-${name}`}>
      <Stack direction="row" gap={1} alignItems="center" justifyContent="space-between" flexWrap="wrap" sx={{ minWidth: 0 }}>
        <Typography variant="subtitle2" component="span" sx={{ minWidth: 0, overflowWrap: 'anywhere' }} title={row.entityRef}>
          {link ? (
            <Link to={link} underline="always" aria-label={`${name}: Security tab`}>
              {name}
            </Link>
          ) : (
            name
          )}
          {row.ownerRef && (
            <Typography component="span" variant="caption" color="text.secondary">
              {' '}· {parseEntityRef(row.ownerRef).name}
            </Typography>
          )}
        </Typography>
        <StageGateChip row={row} />
      </Stack>
      {'error' in item ? (
        <Typography variant="body2" color="error">
          Its scorecard could not be read: {item.error}
        </Typography>
      ) : (
        <>
          {item.failing.length > 0 && (
            <Typography variant="body2" data-testid="my-service-failing">
              {item.failing.length} failing: {item.failing.join(', ')}
            </Typography>
          )}
          <Typography variant="body2" data-testid="my-service-next-step">
            <strong>Next step:</strong> {item.nextStep}
          </Typography>
        </>
      )}
    </ListItem>
  );
}

/**
 * The body of "My services" (the home-page widget's content): the services the signed-in user's
 * teams own, failing first, each with stage and production gate, what fails and the one next
 * step, linking to its Security tab; an empty state that says what to do.
 */
export function MyServicesContent() {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(() => identityApi.getBackstageIdentity(), [identityApi]);
  const index = useStageGateIndex();
  const owned = identity.value && index.value ? ownedRows(index.value.values(), identity.value.ownershipEntityRefs) : undefined;
  const services = useMyServices(owned?.slice(0, MY_SERVICES_SHOWN));
  const error = identity.error ?? index.error ?? services.error;
  const teams = (identity.value?.ownershipEntityRefs ?? []).filter(ref => ref.startsWith('group:'));

  if (error) return <ResponseErrorPanel error={error} />;
  if (!owned || services.loading || !services.value) return <Progress />;
  return (
    <Box sx={{ overflowWrap: 'anywhere' }}>
      {owned.length === 0 && teams.length === 0 && (
        <Typography variant="body2" data-testid="my-services-empty">
          You are not in any team in the catalog, so no service is yours here. Ask your catalog admin to add
          you to your team's Group (its members or your User's memberOf).
        </Typography>
      )}
      {owned.length === 0 && teams.length > 0 && (
        <Typography variant="body2" data-testid="my-services-empty">
          None of your teams ({teams.map(t => parseEntityRef(t).name).join(', ')}) owns a scored service yet.
          Add the evidence upload to your services' CI (<code>devsecops upload</code>, see the plugin's
          docs/ci), or check that their <code>spec.owner</code> names your team.
        </Typography>
      )}
      {services.value.length > 0 && (
        <List dense aria-label="my services" disablePadding>
          {services.value.map(item => (
            <ServiceItem key={item.row.entityRef} item={item} />
          ))}
        </List>
      )}
      <Typography variant="body2" mt={1}>
        {owned.length > MY_SERVICES_SHOWN && `${owned.length - MY_SERVICES_SHOWN} more of your services: `}
        <Link to="/devsecops" underline="always">
          Org overview
        </Link>
      </Typography>
    </Box>
  );
}

/** "My services" as a card of its own (for an overview page or a legacy home page). */
export function MyServicesCard({ title = 'My services: stage and release gate' }: { title?: string }) {
  return (
    <InfoCard title={title}>
      <MyServicesContent />
    </InfoCard>
  );
}
