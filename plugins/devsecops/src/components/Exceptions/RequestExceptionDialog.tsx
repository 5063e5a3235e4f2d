import {
  ControlResult,
  EligibleRiskOwner,
  RiskOwnerEligibility,
  RiskRating,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { useApi } from '@backstage/core-plugin-api';
import Autocomplete from '@mui/material/Autocomplete';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { devsecopsApiRef } from '../../api';
import { useFieldErrors } from '../shared/fieldError';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The fields a server refusal can name, and how its message names them. */
const FIELDS = {
  vulnerabilityId: /\bscope\b|matches no finding/,
  riskStatement: /\briskStatement\b/,
  riskRating: /\briskRating\b/,
  compensatingControls: /\bcompensatingControls\b/,
  riskOwner: /\briskOwner\b/,
  expires: /\bexpiresAt\b/,
};

/**
 * The last day an expiry at the end of that day (23:59:59 UTC) stays within the server's maximum.
 */
export function lastExpiryDay(latest: string): string {
  return new Date(Date.parse(latest) - 86_399_000).toISOString().slice(0, 10);
}

const ownerLabel = (owner: EligibleRiskOwner) =>
  owner.displayName === owner.ref ? owner.ref : `${owner.displayName} (${owner.ref})`;

/**
 * The risk owner: one of the eligible owners the backend lists for the entity, rating and control
 * (devsecops.exceptions.riskOwners), preset to the configured default; a free user or group ref
 * only when configuration lists no owners for the rating.
 */
function RiskOwnerField(props: {
  eligibility?: RiskOwnerEligibility;
  loadError?: string;
  /** The server's refusal about the risk owner. */
  error?: string;
  value: string;
  onChange: (ref: string) => void;
}) {
  const { eligibility } = props;
  const label = 'Risk owner (user or group)';
  let helper = 'Any user or group in the catalog except you, your team and the owning team (e.g. user:default/jane).';
  if (props.error) {
    helper = props.error;
  } else if (props.loadError) {
    helper = `Eligible risk owners could not be loaded: ${props.loadError}`;
  } else if (eligibility?.restricted) {
    helper = `Only these may be risk owners of a ${eligibility.riskRating} exception here; never you, your team or the owning team.`;
  }
  if (!eligibility || !eligibility.restricted) {
    return (
      <Autocomplete
        key="any"
        freeSolo
        options={[] as string[]}
        inputValue={props.value}
        onInputChange={(_e, value) => props.onChange(value)}
        renderInput={params => (
          <TextField
            {...params}
            label={label}
            helperText={helper}
            error={!!props.loadError || !!props.error}
            FormHelperTextProps={props.error ? { role: 'alert' } : undefined}
          />
        )}
      />
    );
  }
  const selected = eligibility.owners.find(o => o.ref === props.value) ?? null;
  return (
    <Autocomplete
      key={`eligible-${eligibility.riskRating}`}
      options={eligibility.owners}
      value={selected}
      onChange={(_e, owner) => props.onChange(owner?.ref ?? '')}
      getOptionLabel={ownerLabel}
      isOptionEqualToValue={(a, b) => a.ref === b.ref}
      groupBy={o => (o.kind === 'group' ? 'Groups' : `Members of ${o.memberOf ?? 'the listed groups'}`)}
      noOptionsText="No eligible risk owner: ask your platform team to configure devsecops.exceptions.riskOwners"
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          helperText={helper}
          error={!!props.error}
          FormHelperTextProps={props.error ? { role: 'alert' } : undefined}
        />
      )}
    />
  );
}

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
  const [riskRating, setRiskRating] = useState<RiskRating>('medium');
  const [compensatingControls, setCompensatingControls] = useState('');
  const [riskOwner, setRiskOwner] = useState('');
  const [eligibility, setEligibility] = useState<RiskOwnerEligibility>();
  const [eligibilityError, setEligibilityError] = useState<string>();
  const [vulnerabilityId, setVulnerabilityId] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const { messageFor, general, clear, refused, feedback } = useFieldErrors(FIELDS);
  const [busy, setBusy] = useState(false);
  const { open, entityRef } = props;
  const controlId = props.control.controlId;

  // Who may be named depends on the rating and the control; keep the choice if still eligible,
  // otherwise start from the configured default.
  useEffect(() => {
    if (!open) return undefined;
    let current = true;
    setEligibilityError(undefined);
    api
      .listEligibleRiskOwners({ entity: entityRef, riskRating, control: controlId })
      .then(result => {
        if (!current) return;
        setEligibility(result);
        // Start within the server's maximum (the default 30 days may be beyond a shorter one).
        const last = lastExpiryDay(result.expiry.latest);
        setExpires(previous => (previous > last ? last : previous));
        if (result.restricted) {
          setRiskOwner(previous =>
            result.owners.some(o => o.ref === previous) ? previous : result.defaultOwner ?? '',
          );
        }
      })
      .catch(e => {
        if (!current) return;
        setEligibility(undefined);
        setEligibilityError((e as Error).message);
      });
    return () => {
      current = false;
    };
  }, [api, open, entityRef, riskRating, controlId]);

  const lastDay = eligibility ? lastExpiryDay(eligibility.expiry.latest) : undefined;

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Request an exception: {props.control.title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {props.control.reason}. The risk owner decides; you cannot approve your own request.
        </Typography>
        <Stack spacing={2} mt={1}>
          <TextField
            label="CVE or rule id (optional: narrows the exception)"
            value={vulnerabilityId}
            onChange={e => setVulnerabilityId(e.target.value)}
            {...feedback('vulnerabilityId')}
          />
          <TextField
            label="Risk statement"
            required
            multiline
            minRows={2}
            value={riskStatement}
            onChange={e => setRiskStatement(e.target.value)}
            {...feedback('riskStatement', 'Why the risk is acceptable for now (at least 10 characters)')}
          />
          <TextField
            select
            label="Risk rating"
            value={riskRating}
            onChange={e => setRiskRating(e.target.value as any)}
            {...feedback('riskRating')}
          >
            {['critical', 'high', 'medium', 'low'].map(r => (
              <MenuItem key={r} value={r}>{r}</MenuItem>
            ))}
          </TextField>
          <TextField
            label="Compensating controls"
            value={compensatingControls}
            onChange={e => setCompensatingControls(e.target.value)}
            {...feedback('compensatingControls')}
          />
          <RiskOwnerField
            eligibility={eligibility}
            loadError={eligibilityError}
            error={messageFor('riskOwner')}
            value={riskOwner}
            onChange={setRiskOwner}
          />
          <TextField
            label="Expires"
            type="date"
            value={expires}
            onChange={e => setExpires(e.target.value)}
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: inDays(1), ...(lastDay ? { max: lastDay } : {}) }}
            {...feedback(
              'expires',
              eligibility
                ? `At most ${eligibility.expiry.maxDurationDays} days: until ${lastDay} (devsecops.exceptions.maxDurationDays)`
                : undefined,
            )}
          />
          {general && <Typography color="error" role="alert">{general}</Typography>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          variant="contained"
          disabled={busy || riskStatement.trim().length < 10 || !riskOwner.trim()}
          onClick={async () => {
            setBusy(true);
            clear();
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
              // The client's errors carry the server's message (e.g. who is eligible), shown
              // under the field it names, or below the form.
              refused(e);
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
