import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A renewal is a new request: the risk owner reviews it again. */
export function RenewDialog(props: { open: boolean; onClose: () => void; onConfirm: (expiresAt: string) => Promise<void> }) {
  const [date, setDate] = useState(inDays(30));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="xs">
      <DialogTitle>Request a renewal</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          The renewal is a new request with the same scope and risk statement; the risk owner decides again.
        </Typography>
        <TextField
          fullWidth
          margin="dense"
          type="date"
          label="New expiry"
          value={date}
          onChange={e => setDate(e.target.value)}
          InputLabelProps={{ shrink: true }}
          error={!!error}
          helperText={error}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(undefined);
            try {
              await props.onConfirm(new Date(`${date}T23:59:59Z`).toISOString());
              props.onClose();
            } catch (e) {
              setError((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          Request renewal
        </Button>
      </DialogActions>
    </Dialog>
  );
}
