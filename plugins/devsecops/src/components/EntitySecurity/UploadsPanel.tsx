import { ResponseErrorPanel } from '@backstage/core-components';
import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/core-plugin-api';
import { Report, responseError } from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { Digest } from '../shared/Digest';
import { saveBlob } from '../shared/download';
import { reportAnchor } from '../shared/JumpLink';

/** Downloads the kept (redacted) body of an upload, with the reader's token. */
function KeptBody({ report }: { report: Report }) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [error, setError] = useState<string>();
  if (!report.bodyStored) return <>not kept (past retention)</>;
  return (
    <>
      <Button
        size="small"
        sx={{ px: 0, minWidth: 0 }}
        aria-label={`Download the kept body of the ${report.tool} upload of ${new Date(report.receivedAt).toLocaleString()}`}
        onClick={async () => {
          try {
            const base = await discoveryApi.getBaseUrl('devsecops');
            const response = await fetchApi.fetch(`${base}/v1/reports/${encodeURIComponent(report.id)}/body`);
            if (!response.ok) throw await responseError(response);
            saveBlob(await response.blob(), `report-${report.id}`);
            setError(undefined);
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        Download
      </Button>
      {report.bodyRedacted ? ' (secrets removed)' : ''}
      {error && (
        <Typography variant="caption" color="error" display="block">
          {error}
        </Typography>
      )}
    </>
  );
}

/**
 * The uploads behind the controls, newest first: when, which tool and control, the commit and
 * artifact, and the kept body. Each row is the target of a control's evidence date.
 */
export function UploadsPanel({ entityRef }: { entityRef: string }) {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(() => api.listReports({ entity: entityRef, limit: 50 }), [api, entityRef]);
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading) return <LinearProgress aria-label="loading uploads" />;
  if (!value || value.items.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No uploads yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="uploads" sx={{ overflowWrap: 'anywhere' }}>
      <TableHead>
        <TableRow>
          <TableCell>Received</TableCell>
          <TableCell>Control</TableCell>
          <TableCell>Tool</TableCell>
          <TableCell>Commit</TableCell>
          <TableCell>Artifact</TableCell>
          <TableCell>Findings</TableCell>
          <TableCell>Kept body</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {value.items.map(report => (
          <TableRow key={report.id} id={reportAnchor(report.id)}>
            <TableCell>{new Date(report.receivedAt).toLocaleString()}</TableCell>
            <TableCell>{report.controls.join(', ') || report.control}</TableCell>
            <TableCell>
              {report.tool}
              {report.toolVersion ? ` ${report.toolVersion}` : ''}
            </TableCell>
            <TableCell>
              {report.sourceCommit ? <code>{report.sourceCommit.slice(0, 12)}</code> : '—'}
              {report.branch ? ` on ${report.branch}` : ''}
            </TableCell>
            <TableCell>{report.artifactDigest ? <Digest value={report.artifactDigest} /> : '—'}</TableCell>
            <TableCell>{report.summary.total}</TableCell>
            <TableCell>
              <KeptBody report={report} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
