import { ControlResult } from '@devsecops-scorecard/plugin-devsecops-common';
import { useApi } from '@backstage/core-plugin-api';
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

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Requests an exception for one failing control of an entity; a named risk owner decides. */
export function RequestExceptionDialog(props: {
  entityRef: string;
  control: ControlResult;
  open: boolean;
  onClose: () => void;
  onRequested: () => void;
}) {
  const api = useApi(devsecopsApiRef);
  const [riskStatement, setRiskStatement] = useState('');
  const [riskRating, setRiskRating] = useState<'critical' | 'high' | 'medium' | 'low'>('medium');
  const [compensatingControls, setCompensatingControls] = useState('');
  const [riskOwner, setRiskOwner] = useState('group:default/security-compliance');
  const [vulnerabilityId, setVulnerabilityId] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Request an exception: {props.control.title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {props.control.reason}. The risk owner decides; you cannot approve your own request.
        </Typography>
        <Stack spacing={2} mt={1}>
          <TextField label="CVE or rule id (optional: narrows the exception)" value={vulnerabilityId} onChange={e => setVulnerabilityId(e.target.value)} />
          <TextField label="Risk statement" required multiline minRows={2} value={riskStatement} onChange={e => setRiskStatement(e.target.value)} helperText="Why the risk is acceptable for now (at least 10 characters)" />
          <TextField select label="Risk rating" value={riskRating} onChange={e => setRiskRating(e.target.value as any)}>
            {['critical', 'high', 'medium', 'low'].map(r => (
              <MenuItem key={r} value={r}>{r}</MenuItem>
            ))}
          </TextField>
          <TextField label="Compensating controls" value={compensatingControls} onChange={e => setCompensatingControls(e.target.value)} />
          <TextField label="Risk owner (user or group)" value={riskOwner} onChange={e => setRiskOwner(e.target.value)} />
          <TextField label="Expires" type="date" value={expires} onChange={e => setExpires(e.target.value)} InputLabelProps={{ shrink: true }} />
          {error && <Typography color="error" role="alert">{error}</Typography>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={busy || riskStatement.trim().length < 10}
          onClick={async () => {
            setBusy(true);
            setError(undefined);
            try {
              await api.requestException({
                entityRef: props.entityRef,
                scope: {
                  control: props.control.controlId,
                  ...(vulnerabilityId.trim() ? { vulnerabilityId: vulnerabilityId.trim() } : {}),
                },
                riskStatement: riskStatement.trim(),
                riskRating,
                compensatingControls: compensatingControls.trim() || undefined,
                riskOwner: riskOwner.trim(),
                expiresAt: new Date(`${expires}T23:59:59Z`).toISOString(),
              });
              props.onRequested();
              props.onClose();
            } catch (e) {
              setError((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          Request
        </Button>
      </DialogActions>
    </Dialog>
  );
}
