import { useApi } from '@backstage/core-plugin-api';
import { HumanAttestationInput, HumanAttestationKind } from '@devsecops-scorecard/plugin-devsecops-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { devsecopsApiRef } from '../../api';

/** The maturity criteria a person attests, and the kind of attestation each takes. */
export const HUMAN_CRITERIA: Record<string, { kind: HumanAttestationKind; action: string }> = {
  'failure-review': { kind: 'control-failure-review', action: 'Record review' },
  'feedback-into-templates': { kind: 'template-feedback', action: 'Record template feedback' },
};

const TITLES: Record<HumanAttestationKind, string> = {
  'control-failure-review': 'Record a control-failure review',
  'template-feedback': 'Record template feedback',
  'threat-model-review': 'Record a threat-model review',
  'ci-log-redaction': 'Record a CI log redaction check',
};

const DATE_LABELS: Record<HumanAttestationKind, string> = {
  'control-failure-review': 'Date of the review',
  'template-feedback': 'Date of the change',
  'threat-model-review': 'Date of the review',
  'ci-log-redaction': 'Date of the check',
};

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map(s => s.trim())
    .filter(Boolean);

/**
 * Records a named human attestation as the signed-in user (`POST /v1/human-attestations`); the
 * backend's permission policy decides who may (the responsibility model), and its refusal is shown.
 */
export function HumanAttestationDialog(props: {
  kind: HumanAttestationKind;
  entityRef: string;
  ownerRef?: string;
  open: boolean;
  onClose: () => void;
  onRecorded: () => void;
  /** template-feedback: the findings fed back, pre-filled (from the recurring findings). */
  initialFindings?: string[];
  /** control-failure-review: the failures reviewed (their keys, from the pending review), sent instead of a count. */
  failures?: string[];
}) {
  const api = useApi(devsecopsApiRef);
  const { kind } = props;
  const [scopeRef, setScopeRef] = useState(props.ownerRef ?? props.entityRef);
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [attendees, setAttendees] = useState('');
  const [notesUrl, setNotesUrl] = useState('');
  const [failuresReviewed, setFailuresReviewed] = useState('0');
  const [template, setTemplate] = useState('');
  const [findings, setFindings] = useState((props.initialFindings ?? []).join(', '));
  const [changeUrl, setChangeUrl] = useState('');
  const [url, setUrl] = useState('');
  const [reviewer, setReviewer] = useState('');
  const [highRisk, setHighRisk] = useState('yes');
  const [ciSystem, setCiSystem] = useState('GitHub Actions');
  const [verification, setVerification] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const input = (): HumanAttestationInput => {
    if (kind === 'template-feedback') return { kind, scopeRef, date, template, findings: list(findings), changeUrl };
    if (kind === 'threat-model-review') {
      return { kind, scopeRef, date, url, reviewer: reviewer.trim(), highRiskChangesFlagged: highRisk === 'yes' };
    }
    if (kind === 'ci-log-redaction') return { kind, scopeRef, date, ciSystem, verification, url };
    return {
      kind,
      scopeRef,
      date,
      attendees: list(attendees),
      notesUrl,
      ...(props.failures ? { failures: props.failures } : { failuresReviewed: Number(failuresReviewed) }),
    };
  };

  const field = (label: string, value: string, set: (v: string) => void, extra: object = {}) => (
    <TextField fullWidth margin="dense" label={label} value={value} onChange={e => set(e.target.value)} {...extra} />
  );

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm" aria-labelledby="human-attestation-title">
      <DialogTitle id="human-attestation-title">{TITLES[kind]}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          Recorded in your name, kept in the evidence log and audit packages, and counted until it expires.
        </Typography>
        <TextField select fullWidth margin="dense" label="For" value={scopeRef} onChange={e => setScopeRef(e.target.value)}>
          {props.ownerRef && <MenuItem value={props.ownerRef}>{props.ownerRef} (every service it owns)</MenuItem>}
          <MenuItem value={props.entityRef}>{props.entityRef}</MenuItem>
        </TextField>
        {field(DATE_LABELS[kind], date, setDate, {
          type: 'date',
          InputLabelProps: { shrink: true },
        })}
        {kind === 'template-feedback' && (
          <>
            {field('Template (entity ref or URL)', template, setTemplate)}
            {field('Findings fed back (ids or rule ids, comma-separated)', findings, setFindings)}
            {field('Link to the change', changeUrl, setChangeUrl)}
          </>
        )}
        {kind === 'threat-model-review' && (
          <>
            {field('Link to the threat model', url, setUrl)}
            {field('Reviewer (user ref)', reviewer, setReviewer)}
            <TextField select fullWidth margin="dense" label="High-risk changes flagged" value={highRisk} onChange={e => setHighRisk(e.target.value)}>
              <MenuItem value="yes">Yes: the review names the high-risk changes (blast radius)</MenuItem>
              <MenuItem value="no">No high-risk changes</MenuItem>
            </TextField>
          </>
        )}
        {kind === 'ci-log-redaction' && (
          <>
            {field('CI system', ciSystem, setCiSystem)}
            {field('How it was verified', verification, setVerification, {
              multiline: true,
              minRows: 2,
              helperText: 'e.g. secrets registered as masked; a canary secret printed as ***; no step prints the environment',
            })}
            {field('Link to the run or review showing it', url, setUrl)}
          </>
        )}
        {kind === 'control-failure-review' && (
          <>
            {field('Attendees (user refs, comma-separated)', attendees, setAttendees)}
            {field('Link to the notes', notesUrl, setNotesUrl)}
            {props.failures ? (
              <Typography variant="body2">{props.failures.length} failures reviewed, listed with the review.</Typography>
            ) : (
              field('Failures reviewed', failuresReviewed, setFailuresReviewed, { type: 'number', inputProps: { min: 0 } })
            )}
          </>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 1 }} role="alert">
            {error}
          </Alert>
        )}
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
              await api.recordHumanAttestation(input());
              props.onRecorded();
              props.onClose();
            } catch (e) {
              setError((e as Error).message);
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
