import { GATE_REQUIREMENTS, GateDecision } from '@devsecops-scorecard/plugin-devsecops-common';
import CancelIcon from '@mui/icons-material/Cancel';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Digest } from '../shared/Digest';
import { ReasonText } from '../shared/ReasonText';
import { WrappingListItemText } from '../shared/WrappingListItemText';

/** The latest release decision per environment, with each requirement's reason. */
export function GateDecisions({ decisions }: { decisions: GateDecision[] }) {
  if (decisions.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No release decision yet. CD asks before deploying with{' '}
        <code>POST /api/devsecops/v1/gate/decisions</code>, and every recorded deployment to an
        environment with a policy is judged.
      </Typography>
    );
  }
  return (
    <Stack spacing={2} sx={{ overflowWrap: 'anywhere' }}>
      {decisions.map(decision => (
        <section key={decision.id} aria-label={`${decision.environment} release gate`}>
          <Stack direction="row" alignItems="center" gap={1} flexWrap="wrap">
            <Typography variant="subtitle1" textTransform="capitalize" sx={{ overflowWrap: 'normal' }}>
              {decision.environment}
            </Typography>
            <Chip
              size="small"
              label={decision.decision === 'allow' ? 'Allowed' : 'Denied'}
              color={decision.decision === 'allow' ? 'success' : 'error'}
            />
            <Typography variant="caption" color="text.secondary">
              <Digest value={decision.artifactDigest} /> · {new Date(decision.decidedAt).toLocaleString()} · policy{' '}
              {decision.policy}
            </Typography>
          </Stack>
          <Typography variant="caption" color="text.secondary" display="block">
            This gate reads only the requirements below; a control they do not name can fail without
            denying the release.
          </Typography>
          <List dense>
            {decision.requirements.map(r => (
              <ListItem key={r.requirement} disableGutters>
                <ListItemIcon sx={{ minWidth: 32 }}>
                  {r.passed ? (
                    <CheckCircleIcon color="success" fontSize="small" titleAccess="passed" />
                  ) : (
                    <CancelIcon color="error" fontSize="small" titleAccess="failed" />
                  )}
                </ListItemIcon>
                <WrappingListItemText
                  primary={GATE_REQUIREMENTS[r.requirement]?.label ?? `${r.requirement.replace(/_/g, ' ')}: ${r.expected.replace(/_/g, ' ')}`}
                  secondary={<ReasonText reason={r.reason} />}
                />
              </ListItem>
            ))}
          </List>
        </section>
      ))}
    </Stack>
  );
}
