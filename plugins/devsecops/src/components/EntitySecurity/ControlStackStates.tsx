import { ControlResult, ControlState, PIPELINE_STAGES } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { controlAnchor, JumpLink, reportAnchor } from '../shared/JumpLink';
import { ReasonText } from '../shared/ReasonText';
import { Responsibility } from '../shared/Responsibility';
import { CONTROL_STATE_LOOK } from './controlStates';

/** States in which a control is "turned on": it reports fresh evidence, whatever the result. */
export const TURNED_ON: readonly ControlState[] = ['passing', 'failing', 'excepted'];

/** The newest evidence date of a control, linking to its upload when a report stands behind it. */
function EvidenceDate({ control }: { control: ControlResult }) {
  if (!control.lastEvidenceAt) return null;
  const date = new Date(control.lastEvidenceAt).toLocaleDateString();
  const report = control.evidence.find(e => e.kind === 'report');
  return (
    <>
      {' · evidence '}
      {report ? <JumpLink targetId={reportAnchor(report.id)} fallbackId="uploads">{date}</JumpLink> : date}
    </>
  );
}

/**
 * The five delivery stages, each with the seed's fail condition and expected evidence, how many of
 * its controls are turned on and how many pass, and every control with its state, reason (a
 * sentence, ids linking to findings) and last evidence (linking to the upload).
 */
export function ControlStackStates({
  controls,
  onRequestException,
  gateControls,
}: {
  controls: ControlResult[];
  onRequestException?: (control: ControlResult) => void;
  /** Controls a release-gate policy of this entity reads; marked so a reader knows which can deny a release. */
  gateControls?: ReadonlySet<string>;
}) {
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 1.5,
        gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(5, minmax(0, 1fr))' },
      }}
    >
      {PIPELINE_STAGES.map(stage => {
        const inStage = controls.filter(c => c.stage === stage.id && c.state !== 'not_applicable');
        const on = inStage.filter(c => TURNED_ON.includes(c.state)).length;
        const passing = inStage.filter(c => c.state === 'passing' || c.state === 'excepted').length;
        return (
          <Paper
            key={stage.id}
            variant="outlined"
            sx={{ p: 1.5, minWidth: 0, overflowWrap: 'anywhere' }}
            component="section"
            aria-label={`${stage.title} controls`}
          >
            <Typography variant="subtitle2" component="h3">
              {stage.title}
            </Typography>
            <Typography variant="caption" color="text.secondary" display="block" data-testid={`stage-count-${stage.id}`}>
              {on} of {inStage.length} turned on, {passing} passing
            </Typography>
            <Typography variant="caption" display="block">
              <strong>Fails when:</strong> {stage.failCondition}
            </Typography>
            <Typography variant="caption" display="block" gutterBottom>
              <strong>Evidence:</strong> {stage.evidence}
            </Typography>
            <Stack spacing={1} mt={1}>
              {controls
                .filter(c => c.stage === stage.id)
                .map(control => {
                  const look = CONTROL_STATE_LOOK[control.state];
                  return (
                    <Box key={control.controlId} id={controlAnchor(control.controlId)} data-testid={`control-${control.controlId}`} data-state={control.state}>
                      <Stack direction="row" alignItems="center" justifyContent="space-between" gap={1}>
                        <Typography variant="body2" fontWeight={500}>
                          {control.title}
                        </Typography>
                        <Chip
                          size="small"
                          label={look.label}
                          color={look.color}
                          variant={control.state === 'not_applicable' ? 'outlined' : 'filled'}
                        />
                      </Stack>
                      <Typography variant="caption" color="text.secondary" display="block">
                        <ReasonText reason={control.reason} />
                        <EvidenceDate control={control} />
                        {gateControls?.has(control.controlId) ? ' · the release gate reads this control' : ''}
                      </Typography>
                      {control.state === 'failing' && control.responsibility && (
                        <Box component="details" sx={{ mt: 0.5, '& > summary': { cursor: 'pointer', typography: 'caption' } }}>
                          <summary>Who acts, provides, decides</summary>
                          <Responsibility responsibility={control.responsibility} title={`Responsibility for ${control.title}`} />
                        </Box>
                      )}
                      {control.state === 'failing' && onRequestException && (
                        <Button size="small" sx={{ px: 0 }} onClick={() => onRequestException(control)}>
                          Request exception
                        </Button>
                      )}
                    </Box>
                  );
                })}
            </Stack>
          </Paper>
        );
      })}
    </Box>
  );
}
