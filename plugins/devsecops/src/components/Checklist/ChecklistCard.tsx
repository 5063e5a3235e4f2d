import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ChecklistItemResult, ChecklistState } from '@devsecops-scorecard/plugin-devsecops-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
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

const INTRO =
  "The operating model's DevSecOps checklist. Each item is measured from collected evidence, a person's attestation or what the portal enforces; an item nothing measures yet says how to turn its evidence on.";

/** The DevSecOps checklist of one service, for its Security tab. */
export function EntityChecklistCard(props: { entityRef: string }) {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(() => api.getChecklist({ entity: props.entityRef }), [api, props.entityRef]);
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
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
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
