import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import Typography from '@mui/material/Typography';
import { StageGateChip } from './StageGateChip';
import { useStageGateIndex } from './stageGateIndex';

/** The catalog table's cell: the entity's stage and production gate, or a dash when not scored. */
export function StageGateCell({ entity }: { entity: Entity }) {
  const { value, error } = useStageGateIndex();
  const row = value?.get(stringifyEntityRef(entity));
  if (row) return <StageGateChip row={row} />;
  return (
    <Typography variant="caption" color="text.secondary" title={error ? error.message : 'not scored'}>
      {value || error ? '—' : '…'}
    </Typography>
  );
}
