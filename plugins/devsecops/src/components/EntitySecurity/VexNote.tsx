import { FindingVexStatement } from '@devsecops-scorecard/plugin-devsecops-common';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';

const day = (iso: string) => new Date(iso).toLocaleDateString();

/**
 * The VEX statement that applies to a finding (issue 20): a suppressing `not_affected` says why
 * (justification), by whom (author) and since when / until when; any other status says so, with
 * the action the author asks for. The full statement is in the tooltip and the accessible name.
 */
export function VexNote({ vex }: { vex: FindingVexStatement }) {
  const why = vex.justification?.replace(/_/g, ' ') ?? vex.impactStatement;
  const label = vex.suppresses ? 'suppressed by VEX' : `VEX: ${vex.status.replace(/_/g, ' ')}${vex.status === 'not_affected' ? ' (expired)' : ''}`;
  const detail = [
    `${vex.status.replace(/_/g, ' ')}${why ? `: ${why}` : ''}`,
    vex.impactStatement && vex.impactStatement !== why ? vex.impactStatement : undefined,
    vex.actionStatement ? `Action: ${vex.actionStatement}` : undefined,
    vex.author ? `Stated by ${vex.author} on ${day(vex.statedAt)}` : `Stated on ${day(vex.statedAt)}`,
    vex.suppresses ? `Suppressed since ${day(vex.recordedAt)}, until ${day(vex.expiresAt)}` : undefined,
    !vex.suppresses && vex.status === 'not_affected' ? `Expired on ${day(vex.expiresAt)}` : undefined,
    vex.documentId ? `Document ${vex.documentId}` : undefined,
  ]
    .filter(Boolean)
    .join('. ');
  return (
    <Stack gap={0.25} alignItems="flex-start">
      <Tooltip title={detail}>
        <Chip size="small" variant="outlined" color={vex.suppresses ? 'success' : 'default'} label={label} aria-label={`${label}. ${detail}`} />
      </Tooltip>
      {vex.suppresses && why && (
        <Typography variant="caption" color="text.secondary">
          {why}, since {day(vex.recordedAt)}
        </Typography>
      )}
    </Stack>
  );
}
