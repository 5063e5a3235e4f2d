import { ControlResult, PIPELINE_STAGES } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { CONTROL_STATE_LOOK } from './controlStates';

/** The five delivery stages as columns, each control with its state, reason and last evidence. */
export function ControlStackStates({
  controls,
  onRequestException,
}: {
  controls: ControlResult[];
  onRequestException?: (control: ControlResult) => void;
}) {
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 1.5,
        gridTemplateColumns: { xs: '1fr', md: 'repeat(5, minmax(0, 1fr))' },
      }}
    >
      {PIPELINE_STAGES.map(stage => (
        <Paper key={stage.id} variant="outlined" sx={{ p: 1.5, minWidth: 0, overflowWrap: 'anywhere' }} component="section" aria-label={`${stage.title} controls`}>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            {stage.title}
          </Typography>
          <Stack spacing={1}>
            {controls
              .filter(c => c.stage === stage.id)
              .map(control => {
                const look = CONTROL_STATE_LOOK[control.state];
                return (
                  <Box key={control.controlId} data-testid={`control-${control.controlId}`}>
                    <Stack direction="row" alignItems="center" justifyContent="space-between" gap={1}>
                      <Typography variant="body2" fontWeight={500}>
                        {control.title}
                      </Typography>
                      <Tooltip title={control.reason}>
                        <Chip size="small" label={look.label} color={look.color} variant={control.state === 'not_applicable' ? 'outlined' : 'filled'} />
                      </Tooltip>
                    </Stack>
                    <Typography variant="caption" color="text.secondary" display="block">
                      {control.reason}
                      {control.lastEvidenceAt ? ` · evidence ${new Date(control.lastEvidenceAt).toLocaleDateString()}` : ''}
                    </Typography>
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
      ))}
    </Box>
  );
}
