import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CrossServiceFinding, SharedByServices } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { ServiceLink } from '../ControlFailureReview/ServiceLink';
import { HumanAttestationDialog } from '../EntitySecurity/HumanAttestationDialog';

const THRESHOLDS = [2, 3, 4, 5, 10];

const itemText = (item: SharedByServices, of: number) =>
  `${item.name}${item.version ? `@${item.version}` : ''} (${item.services} of ${of})`;

/** What the services share, in words: the base image, components and workflows. */
export function sharedText(finding: CrossServiceFinding): string {
  const parts: string[] = [];
  const list = (label: string, items: SharedByServices[]) => {
    if (items.length > 0) parts.push(`${label}: ${items.map(i => itemText(i, finding.services)).join(', ')}`);
  };
  list('Base image', finding.shared.baseImages);
  list('Component', finding.shared.components);
  list('Reusable workflow', finding.shared.workflows);
  return parts.length > 0 ? parts.join('; ') : 'Nothing recorded in common (no SBOM or workflow facts)';
}

/**
 * Recurring findings for the platform team: the same rule, CVE or misconfiguration open in at
 * least N services (of a group, or the org) with the base image, SBOM components and reusable
 * workflows they share — each with a way to record the template feedback it led to.
 */
export function RecurringFindingsCard(props: { group?: string; lifecycle?: string }) {
  const api = useApi(devsecopsApiRef);
  const [minServices, setMinServices] = useState<number>();
  const [feedback, setFeedback] = useState<CrossServiceFinding>();
  const [recorded, setRecorded] = useState<string>();
  const { value, loading, error } = useAsync(
    () =>
      api.listRecurringFindings({
        ...(props.group ? { group: props.group } : {}),
        ...(props.lifecycle ? { lifecycle: props.lifecycle } : {}),
        ...(minServices ? { minServices } : {}),
      }),
    [api, props.group, props.lifecycle, minServices],
  );
  const threshold = minServices ?? value?.minServices ?? 3;
  return (
    <InfoCard
      title="Recurring findings across services"
      subheader="The same rule or vulnerability open in several services, with what they share: fix it once in the platform template"
    >
      <TextField
        select
        size="small"
        label="Open in at least"
        value={threshold}
        onChange={e => setMinServices(Number(e.target.value))}
        sx={{ mb: 2, minWidth: 180 }}
      >
        {[...new Set([...THRESHOLDS, threshold])].sort((a, b) => a - b).map(n => (
          <MenuItem key={n} value={n}>
            {n} services
          </MenuItem>
        ))}
      </TextField>
      {recorded && (
        <Typography variant="body2" role="status" gutterBottom>
          Template feedback recorded for {recorded}.
        </Typography>
      )}
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !loading && value.items.length === 0 && (
        <Typography variant="body2">No finding is open in {value.minServices} or more of the services you can read.</Typography>
      )}
      {value && !loading && value.items.length > 0 && (
        <TableContainer sx={{ maxHeight: 560 }}>
          <Table size="small" stickyHeader aria-label="recurring findings">
            <TableHead>
              <TableRow>
                <TableCell>Finding</TableCell>
                <TableCell>Severity</TableCell>
                <TableCell>Services</TableCell>
                <TableCell>Shared</TableCell>
                <TableCell>Template feedback</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.items.map(finding => (
                <TableRow key={`${finding.kind}:${finding.key}`}>
                  <TableCell>
                    <Typography variant="body2" fontWeight="bold">
                      {finding.key}
                    </Typography>
                    <Typography variant="body2">{finding.title}</Typography>
                  </TableCell>
                  <TableCell>{finding.severity}</TableCell>
                  <TableCell>
                    {finding.services}:{' '}
                    {finding.entityRefs.map((ref, i) => (
                      <span key={ref}>
                        {i > 0 && ', '}
                        <ServiceLink entityRef={ref} />
                      </span>
                    ))}
                  </TableCell>
                  <TableCell>{sharedText(finding)}</TableCell>
                  <TableCell>
                    {value.feedbackScopeRef ? (
                      <Button size="small" onClick={() => setFeedback(finding)} aria-label={`Record template feedback for ${finding.key}`}>
                        Record template feedback
                      </Button>
                    ) : (
                      'Filter by a group to record feedback'
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {feedback && value?.feedbackScopeRef && (
        <HumanAttestationDialog
          key={feedback.key}
          kind="template-feedback"
          entityRef={value.feedbackScopeRef}
          initialFindings={[feedback.key]}
          open
          onClose={() => setFeedback(undefined)}
          onRecorded={() => setRecorded(feedback.key)}
        />
      )}
    </InfoCard>
  );
}
