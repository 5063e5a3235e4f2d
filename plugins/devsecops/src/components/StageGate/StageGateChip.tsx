import { Link } from '@backstage/core-components';
import Chip from '@mui/material/Chip';
import { entityLink } from '../OverviewPage/links';
import { GATE_LOOK, lookSx } from '../OverviewPage/statePalette';
import { StageGateRow } from './stageGateIndex';

/** "Stage 2 · ✕ denied": the stage and the production gate, linking to the Security tab. */
export function StageGateChip({ row }: { row: StageGateRow }) {
  const look = GATE_LOOK[row.productionGate ?? 'none'];
  const label = `Stage ${row.stage} · ${look.symbol} ${look.label}`;
  const chip = <Chip size="small" label={label} sx={{ ...lookSx(look), maxWidth: '100%' }} />;
  const link = entityLink(row.entityRef);
  return link ? (
    <Link to={link} underline="none" title={`Security tab: stage ${row.stage}, production gate ${look.label}`}>
      {chip}
    </Link>
  ) : (
    chip
  );
}
