import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';

/** Overview card: stage, production gate, open critical and high findings. */
export function EntitySecurityCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(() => api.getScorecard(entityRef), [api, entityRef]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const production = value.latestGateDecisions.find(d => d.environment === 'production');
  const failing = value.controls.filter(c => c.state === 'failing').length;
  let gateColor: 'success' | 'error' | 'default' = 'default';
  if (production) gateColor = production.decision === 'allow' ? 'success' : 'error';
  return (
    <InfoCard title="Security">
      <Stack spacing={1}>
        <Typography variant="h5" component="p">Stage {value.maturity.stage}</Typography>
        <Stack direction="row" gap={1} flexWrap="wrap">
          <Chip
            size="small"
            label={production ? `Production gate: ${production.decision}` : 'No production gate decision'}
            color={gateColor}
          />
          <Chip size="small" label={`${value.metrics.openBySeverity.critical} critical`} color={value.metrics.openBySeverity.critical ? 'error' : 'default'} />
          <Chip size="small" label={`${value.metrics.openBySeverity.high} high`} color={value.metrics.openBySeverity.high ? 'warning' : 'default'} />
          <Chip size="small" label={`${failing} failing controls`} />
        </Stack>
        {value.maturity.nextSteps[0] && (
          <Typography variant="body2" color="text.secondary">
            Next: {value.maturity.nextSteps[0].title}
          </Typography>
        )}
      </Stack>
    </InfoCard>
  );
}
