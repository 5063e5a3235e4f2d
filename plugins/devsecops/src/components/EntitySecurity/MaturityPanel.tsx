import { HumanAttestationKind, MaturityResult } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { ReasonText } from '../shared/ReasonText';
import { WrappingListItemText } from '../shared/WrappingListItemText';
import { HUMAN_CRITERIA, HumanAttestationDialog } from './HumanAttestationDialog';

/**
 * The stage reached, the ordered next steps, and every stage's criteria met or missing; an unmet
 * human criterion (control-failure review, template feedback) offers to record the attestation
 * when the panel knows its entity.
 */
export function MaturityPanel({
  maturity,
  entityRef,
  ownerRef,
  onRecorded,
}: {
  maturity: MaturityResult;
  entityRef?: string;
  ownerRef?: string;
  onRecorded?: () => void;
}) {
  const current = maturity.stages.find(s => s.stage === maturity.stage);
  const [recording, setRecording] = useState<HumanAttestationKind>();
  const action = (criterion: { id: string; met: boolean }) => {
    const human = HUMAN_CRITERIA[criterion.id];
    if (!entityRef || criterion.met || !human) return null;
    return (
      <Button size="small" variant="outlined" sx={{ ml: 1, flexShrink: 0 }} onClick={() => setRecording(human.kind)}>
        {human.action}
      </Button>
    );
  };
  return (
    <Stack spacing={2} sx={{ overflowWrap: 'anywhere' }}>
      <Box>
        <Typography variant="h4" component="p" data-testid="maturity-stage">
          Stage {maturity.stage}
          <Typography component="span" variant="h6" color="text.secondary" sx={{ ml: 1 }}>
            {current ? current.title : 'Not yet at stage 1'}
          </Typography>
        </Typography>
        {maturity.nextSteps.length > 0 && (
          <>
            <Typography variant="subtitle2" sx={{ mt: 1 }}>
              Next steps to stage {maturity.stage + 1}
            </Typography>
            <List dense aria-label="next steps">
              {maturity.nextSteps.map((step, index) => (
                <ListItem key={step.id} disableGutters>
                  <WrappingListItemText primary={`${index + 1}. ${step.title}`} secondary={<ReasonText reason={step.reason} />} />
                </ListItem>
              ))}
            </List>
          </>
        )}
      </Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', xl: 'repeat(2, minmax(0, 1fr))' }, overflowWrap: 'anywhere' }}>
        {maturity.stages.map(stage => (
          <Box key={stage.stage} component="section" aria-label={`Stage ${stage.stage} criteria`}>
            <Typography variant="subtitle2">
              Stage {stage.stage}: {stage.title} {stage.met ? '— met' : ''}
            </Typography>
            <List dense>
              {stage.criteria.map(criterion => (
                <ListItem key={criterion.id} disableGutters>
                  <ListItemIcon sx={{ minWidth: 32 }}>
                    {criterion.met ? (
                      <CheckCircleIcon color="success" fontSize="small" titleAccess="met" />
                    ) : (
                      <RadioButtonUncheckedIcon color="disabled" fontSize="small" titleAccess="missing" />
                    )}
                  </ListItemIcon>
                  <WrappingListItemText primary={criterion.title} secondary={<ReasonText reason={criterion.reason} />} />
                  {action(criterion)}
                </ListItem>
              ))}
            </List>
          </Box>
        ))}
      </Box>
      {recording && entityRef && (
        <HumanAttestationDialog
          open
          kind={recording}
          entityRef={entityRef}
          ownerRef={ownerRef}
          onClose={() => setRecording(undefined)}
          onRecorded={() => onRecorded?.()}
        />
      )}
    </Stack>
  );
}
