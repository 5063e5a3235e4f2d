import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ChecklistItemId, ChecklistItemResult, ChecklistState, HumanAttestationKind } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devsecopsApiRef } from '../../api';
import { HumanAttestationDialog } from '../EntitySecurity/HumanAttestationDialog';
import { ReasonText } from '../shared/ReasonText';

/** A state in words and a symbol, never colour alone. */
const STATE_LABEL: Record<ChecklistState, string> = {
  met: '✓ met',
  unmet: '✗ not met',
  not_measured: '? not measured',
  not_applicable: '– not applicable',
};

const SOURCE_LABEL: Record<NonNullable<ChecklistItemResult['source']>, string> = {
  collected: 'collected evidence',
  attested: 'attested by a person',
  portal: 'enforced by the portal',
};

/**
 * The items a person vouches for: CI log redaction (the platform team checks it) and the
 * blast-radius context of IaC reviews (a threat-model review). The backend's policy decides who
 * may record; its refusal is shown in the dialog.
 */
export const ATTESTED_ITEMS: Partial<Record<ChecklistItemId, { kind: HumanAttestationKind; action: string }>> = {
  'ci-log-redaction': { kind: 'ci-log-redaction', action: 'Record CI log check' },
  'iac-review': { kind: 'threat-model-review', action: 'Record threat-model review' },
};

const INTRO =
  "The operating model's DevSecOps checklist. Each item is measured from collected evidence, a person's attestation or what the portal enforces; an item nothing measures yet says how to turn its evidence on.";

/** The DevSecOps checklist of one service, for its Security tab. */
export function EntityChecklistCard(props: { entityRef: string }) {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.getChecklist({ entity: props.entityRef }), [api, props.entityRef]);
  const [recording, setRecording] = useState<HumanAttestationKind>();
  return (
    <InfoCard title="DevSecOps checklist">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <Typography variant="body2" color="text.secondary" mb={2}>
            {INTRO}
          </Typography>
          <Table size="small" aria-label="DevSecOps checklist">
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">Item</TableCell>
                <TableCell component="th" scope="col">State</TableCell>
                <TableCell component="th" scope="col">Why</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.items.map(item => (
                <TableRow key={item.id}>
                  <TableCell component="th" scope="row">{item.title}</TableCell>
                  <TableCell>
                    {STATE_LABEL[item.state]}
                    {item.source && (
                      <Typography variant="caption" display="block" color="text.secondary">
                        {SOURCE_LABEL[item.source]}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <ReasonText reason={item.reason} />
                    {item.howToMeasure && (
                      <Typography variant="body2" color="text.secondary">
                        To measure it: {item.howToMeasure}
                      </Typography>
                    )}
                    {ATTESTED_ITEMS[item.id] && item.state !== 'not_applicable' && (
                      <Button size="small" variant={item.state === 'met' ? 'text' : 'outlined'} sx={{ mt: 0.5 }} onClick={() => setRecording(ATTESTED_ITEMS[item.id]!.kind)}>
                        {ATTESTED_ITEMS[item.id]!.action}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {recording && (
            <HumanAttestationDialog
              kind={recording}
              entityRef={value.entityRef}
              ownerRef={value.ownerRef}
              open
              onClose={() => setRecording(undefined)}
              onRecorded={retry}
            />
          )}
        </>
      )}
    </InfoCard>
  );
}

/** The DevSecOps checklist of a team's services (its group and the groups below), for the group Security tab. */
export function ScopeChecklistCard(props: { group: string }) {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(() => api.getScopeChecklist({ group: props.group }), [api, props.group]);
  return (
    <InfoCard title="DevSecOps checklist">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <Typography variant="body2" color="text.secondary" mb={2}>
            {INTRO} Counted over the team's {value.entityCount} services
            {value.truncated ? ' (the first by name; more are in scope)' : ''}.
          </Typography>
          <Table size="small" aria-label="DevSecOps checklist by service count">
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">Item</TableCell>
                <TableCell component="th" scope="col" align="right">Met</TableCell>
                <TableCell component="th" scope="col" align="right">Not met</TableCell>
                <TableCell component="th" scope="col" align="right">Not measured</TableCell>
                <TableCell component="th" scope="col" align="right">Not applicable</TableCell>
                <TableCell component="th" scope="col">To measure it</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.items.map(item => (
                <TableRow key={item.id}>
                  <TableCell component="th" scope="row">{item.title}</TableCell>
                  <TableCell align="right">{item.counts.met}</TableCell>
                  <TableCell align="right">{item.counts.unmet}</TableCell>
                  <TableCell align="right">{item.counts.not_measured}</TableCell>
                  <TableCell align="right">{item.counts.not_applicable}</TableCell>
                  <TableCell>{item.howToMeasure ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </InfoCard>
  );
}
