import { useApi } from '@backstage/core-plugin-api';
import { Campaign, CampaignInput } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { devsecopsApiRef } from '../../api';
import { fieldOfMessage } from '../shared/fieldError';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const list = (text: string) => text.split(/[,\s]+/).map(t => t.trim()).filter(Boolean);

const FIELDS = {
  title: /\btitle\b/,
  goal: /\bgoal\b/,
  scope: /\bscope\b|No catalog/,
  startDate: /\bstartDate\b/,
  targetDate: /\btargetDate\b/,
  ownerRef: /\bownerRef\b/,
};
type Field = keyof typeof FIELDS;

/**
 * Creates a campaign (POST /v1/campaigns): a goal (a stage, or controls to pass) over a scope
 * (group, lifecycle, tag), with start and target days and an owner. The server decides who may
 * (devsecops.campaign.manage); its refusal shows under the field it names, or at the bottom.
 */
export function CreateCampaignDialog(props: { open: boolean; onClose: () => void; onCreated: (campaign: Campaign) => void }) {
  const api = useApi(devsecopsApiRef);
  const [title, setTitle] = useState('');
  const [goalType, setGoalType] = useState<'stage' | 'controls'>('stage');
  const [stage, setStage] = useState('2');
  const [controls, setControls] = useState('');
  const [group, setGroup] = useState('');
  const [lifecycle, setLifecycle] = useState('production');
  const [tag, setTag] = useState('');
  const [startDate, setStartDate] = useState(inDays(0));
  const [targetDate, setTargetDate] = useState(inDays(60));
  const [ownerRef, setOwnerRef] = useState('');
  const [error, setError] = useState<{ message: string; field?: Field }>();
  const [busy, setBusy] = useState(false);

  const feedback = (field: Field, help?: string) => {
    const message = error?.field === field ? error.message : undefined;
    return { error: !!message, helperText: message ?? help, FormHelperTextProps: message ? { role: 'alert' } : undefined };
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const input: CampaignInput = {
      title: title.trim(),
      goal: goalType === 'stage' ? { type: 'stage', stage: Number(stage) } : { type: 'controls', controls: list(controls) },
      scope: Object.fromEntries(
        Object.entries({ group: group.trim(), lifecycle: lifecycle.trim(), tag: tag.trim() }).filter(([, v]) => v),
      ),
      startDate,
      targetDate,
      ownerRef: ownerRef.trim(),
    };
    try {
      props.onCreated(await api.createCampaign(input));
    } catch (e) {
      const message = (e as Error).message;
      setError({ message, field: fieldOfMessage(message, FIELDS) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>New campaign</DialogTitle>
      <DialogContent>
        <Stack spacing={2} mt={1}>
          <TextField label="Title" required value={title} onChange={e => setTitle(e.target.value)} {...feedback('title')} />
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField select label="Goal" value={goalType} onChange={e => setGoalType(e.target.value as 'stage' | 'controls')} sx={{ minWidth: 200 }}>
              <MenuItem value="stage">Reach a maturity stage</MenuItem>
              <MenuItem value="controls">Pass controls</MenuItem>
            </TextField>
            {goalType === 'stage' ? (
              <TextField label="Stage" type="number" value={stage} onChange={e => setStage(e.target.value)} inputProps={{ min: 1, max: 4 }} {...feedback('goal')} />
            ) : (
              <TextField
                label="Controls"
                placeholder="dependency-scan, sast"
                value={controls}
                onChange={e => setControls(e.target.value)}
                sx={{ flex: 1 }}
                {...feedback('goal', 'Control ids, separated by commas')}
              />
            )}
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField label="Team (group)" placeholder="acme" value={group} onChange={e => setGroup(e.target.value)} {...feedback('scope', 'Empty: every service')} />
            <TextField label="Lifecycle" value={lifecycle} onChange={e => setLifecycle(e.target.value)} />
            <TextField label="Tag" value={tag} onChange={e => setTag(e.target.value)} />
          </Stack>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField label="Start" type="date" value={startDate} onChange={e => setStartDate(e.target.value)} InputLabelProps={{ shrink: true }} {...feedback('startDate')} />
            <TextField label="Target" type="date" value={targetDate} onChange={e => setTargetDate(e.target.value)} InputLabelProps={{ shrink: true }} {...feedback('targetDate')} />
          </Stack>
          <TextField
            label="Owner"
            required
            placeholder="group:default/platform-team"
            value={ownerRef}
            onChange={e => setOwnerRef(e.target.value)}
            {...feedback('ownerRef', 'The group that runs the campaign')}
          />
          {error && !error.field && (
            <Typography color="error" role="alert">
              {error.message}
            </Typography>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button variant="contained" onClick={submit} disabled={busy || !title.trim() || !ownerRef.trim()}>
          Create campaign
        </Button>
      </DialogActions>
    </Dialog>
  );
}
