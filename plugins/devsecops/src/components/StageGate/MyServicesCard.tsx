import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { StageGateChip } from './StageGateChip';
import { useStageGateIndex } from './stageGateIndex';

/**
 * "My services": the services the signed-in user's teams own, each with its stage and production
 * gate, denied ones first; each links to its Security tab. For a home page.
 */
export function MyServicesCard({ title = 'My services: stage and release gate' }: { title?: string }) {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(() => identityApi.getBackstageIdentity(), [identityApi]);
  const index = useStageGateIndex();
  const error = identity.error ?? index.error;
  const owned = identity.value?.ownershipEntityRefs ?? [];
  const rows = [...(index.value?.values() ?? [])]
    .filter(r => r.ownerRef && owned.includes(r.ownerRef))
    .sort(
      (a, b) =>
        Number(b.productionGate === 'deny') - Number(a.productionGate === 'deny') ||
        a.stage - b.stage ||
        a.entityRef.localeCompare(b.entityRef),
    );
  return (
    <InfoCard title={title}>
      {error && <ResponseErrorPanel error={error} />}
      {!error && (!identity.value || !index.value) && <Progress />}
      {identity.value && index.value && rows.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          None of your teams owns a scored service.
        </Typography>
      )}
      {rows.length > 0 && (
        <List dense aria-label="my services" sx={{ overflowWrap: 'anywhere' }}>
          {rows.map(r => {
            const name = parseEntityRef(r.entityRef).name;
            return (
              <ListItem key={r.entityRef} disableGutters>
                <Stack direction="row" gap={1} alignItems="center" justifyContent="space-between" sx={{ width: '100%', minWidth: 0 }}>
                  <Typography variant="body2" sx={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={r.entityRef}>
                    {name}
                    {r.ownerRef && <Typography component="span" variant="caption" color="text.secondary"> · {parseEntityRef(r.ownerRef).name}</Typography>}
                  </Typography>
                  <StageGateChip row={r} />
                </Stack>
              </ListItem>
            );
          })}
        </List>
      )}
      <Typography variant="caption" display="block" mt={1}>
        <Link to="/devsecops">Org overview</Link>
      </Typography>
    </InfoCard>
  );
}
