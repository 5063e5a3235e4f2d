import { useApi } from '@backstage/core-plugin-api';
import { EXERCISE_SCENARIOS, ExerciseScenario } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import DeleteIcon from '@mui/icons-material/Delete';
import { useState } from 'react';
import { devsecopsApiRef } from '../../api';
import { useFieldErrors } from '../shared/fieldError';

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** Names or refs separated by commas or new lines. */
const list = (text: string) => text.split(/[,\n]/).map(t => t.trim()).filter(Boolean);

const FIELDS = {
  scenario: /\bscenario\b/,
  heldOn: /\bheldOn\b/,
  scopeRef: /\bscope(Ref)?\b|No catalog entity/,
  participants: /\bparticipants\b/,
  findings: /\bfindings\b/,
  followUps: /\bfollowUps\b/,
};

interface FollowUpRow {
  action: string;
  owner: string;
  due: string;
}

/**
 * Records a tabletop exercise (POST /v1/exercises): scenario, day, the team or service it was
 * held for, participants, findings and follow-ups with owner and due day. The server's refusal
 * shows under the field it names.
 */
export function RecordExerciseDialog(props: { open: boolean; defaultScope?: string; onClose: () => void; onRecorded: () => void }) {
  const api = useApi(devsecopsApiRef);
  const [scenario, setScenario] = useState<ExerciseScenario>('leaked-secrets');
  const [heldOn, setHeldOn] = useState(today());
  const [scopeRef, setScopeRef] = useState(props.defaultScope ?? '');
  const [participants, setParticipants] = useState('');
  const [findings, setFindings] = useState('');
  const [followUps, setFollowUps] = useState<FollowUpRow[]>([]);
  const { messageFor, general, clear, refused, feedback } = useFieldErrors(FIELDS);
  const [busy, setBusy] = useState(false);

  const setFollowUp = (index: number, change: Partial<FollowUpRow>) =>
    setFollowUps(rows => rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="md">
      <DialogTitle>Record a tabletop exercise</DialogTitle>
      <DialogContent>
        <Stack spacing={2} mt={1}>
          <TextField select label="Scenario" value={scenario} onChange={e => setScenario(e.target.value as ExerciseScenario)} {...feedback('scenario')}>
            {EXERCISE_SCENARIOS.map(s => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Held on"
            type="date"
            value={heldOn}
            onChange={e => setHeldOn(e.target.value)}
            InputLabelProps={{ shrink: true }}
            inputProps={{ max: today() }}
            {...feedback('heldOn')}
          />
          <TextField
            label="Held for (team or service)"
            required
            placeholder="group:default/team-payments"
            value={scopeRef}
            onChange={e => setScopeRef(e.target.value)}
            {...feedback('scopeRef', 'A group counts for every service it and its sub-teams own')}
          />
          <TextField
            label="Participants"
            required
            placeholder="user:default/dana, user:default/rita"
            value={participants}
            onChange={e => setParticipants(e.target.value)}
            {...feedback('participants', 'Separated by commas')}
          />
          <TextField
            label="Findings"
            multiline
            minRows={2}
            value={findings}
            onChange={e => setFindings(e.target.value)}
            {...feedback('findings', 'One per line')}
          />
          <Typography variant="subtitle2" component="h3">
            Follow-ups
          </Typography>
          {followUps.map((row, index) => (
            <Stack key={index} direction={{ xs: 'column', sm: 'row' }} spacing={1} alignItems={{ sm: 'flex-start' }} aria-label={`follow-up ${index + 1}`} role="group">
              <TextField size="small" label="Action" value={row.action} onChange={e => setFollowUp(index, { action: e.target.value })} sx={{ flex: 2 }} />
              <TextField size="small" label="Owner" value={row.owner} onChange={e => setFollowUp(index, { owner: e.target.value })} sx={{ flex: 1 }} />
              <TextField
                size="small"
                label="Due"
                type="date"
                value={row.due}
                onChange={e => setFollowUp(index, { due: e.target.value })}
                InputLabelProps={{ shrink: true }}
              />
              <IconButton aria-label={`remove follow-up ${index + 1}`} onClick={() => setFollowUps(rows => rows.filter((_r, i) => i !== index))}>
                <DeleteIcon />
              </IconButton>
            </Stack>
          ))}
          {messageFor('followUps') && (
            <Typography color="error" role="alert" variant="body2">
              {messageFor('followUps')}
            </Typography>
          )}
          <div>
            <Button onClick={() => setFollowUps(rows => [...rows, { action: '', owner: '', due: inDays(30) }])}>Add a follow-up</Button>
          </div>
          {general && (
            <Typography color="error" role="alert">
              {general}
            </Typography>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={busy || !scopeRef.trim() || list(participants).length === 0}
          onClick={async () => {
            setBusy(true);
            clear();
            try {
              await api.recordExercise({
                scenario,
                heldOn,
                scopeRef: scopeRef.trim(),
                participants: list(participants),
                findings: findings.split('\n').map(t => t.trim()).filter(Boolean).map(title => ({ title })),
                followUps: followUps
                  .filter(f => f.action.trim())
                  .map(f => ({ action: f.action.trim(), owner: f.owner.trim(), due: f.due })),
              });
              props.onRecorded();
              props.onClose();
            } catch (e) {
              refused(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          Record
        </Button>
      </DialogActions>
    </Dialog>
  );
}
