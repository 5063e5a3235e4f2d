import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import Button from '@mui/material/Button';
import { ReactNode, useState } from 'react';
import { Digest } from '../shared/Digest';
import { saveBlob } from '../shared/download';
import { devsecopsApiRef } from '../../api';


/** The latest production release traced from source to runtime owner, with its gaps. */
/** Downloads the entity's audit package (last 90 days). */
export function ExportAuditPackageButton({ entityRef }: { entityRef: string }) {
  const api = useApi(devsecopsApiRef);
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  return (
    <Stack direction="row" alignItems="center" gap={1}>
      <Button
        variant="outlined"
        size="small"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            const { blob, filename } = await api.exportAuditPackage({ entity: entityRef });
            saveBlob(blob, filename);
            setState({});
          } catch (e) {
            setState({ error: (e as Error).message });
          }
        }}
      >
        Export audit package
      </Button>
      <Typography variant="caption" color="text.secondary">
        {state.error ?? 'zip with JSON, CSV, the evidence-log segment and a manifest; verify with `devsecops verify-package`'}
      </Typography>
    </Stack>
  );
}

export function EvidenceChainPanel({ entityRef }: { entityRef: string }) {
  const api = useApi(devsecopsApiRef);
  const { value: chain, loading, error } = useAsync(
    () => api.getEvidenceChain({ entity: entityRef, environment: 'production' }),
    [api, entityRef],
  );
  const notReleased = (
    <Typography variant="body2" color="text.secondary">
      No production deployment recorded yet. CD records one with{' '}
      <code>devsecops deploy --environment production …</code> (or <code>POST /api/devsecops/v1/deployments</code>).
    </Typography>
  );
  if (loading) return <Progress />;
  if (error) {
    // Older backends answered 404 for an entity without a production deployment.
    if ((error as ResponseError).response?.status === 404) return notReleased;
    return <ResponseErrorPanel error={error} />;
  }
  if (!chain) return null;
  // The backend answers 200 with the gap named when nothing was released to production.
  if (!chain.deployment && !chain.artifactDigest) return notReleased;
  const steps: Array<[string, ReactNode | undefined]> = [
    ['Source', chain.source.commit ? `commit ${chain.source.commit.slice(0, 12)}${chain.source.branch ? ` on ${chain.source.branch}` : ''}` : undefined],
    [
      'Artifact',
      chain.artifact ? (
        <>
          {chain.artifact.name ?? ''} <Digest value={chain.artifactDigest ?? chain.artifact.digest} />
        </>
      ) : undefined,
    ],
    ['SBOM and scans', chain.sbom || chain.scans.length ? `${chain.sbom ? `SBOM with ${chain.sbom.components} components` : 'no SBOM'}, ${chain.scans.length} scan(s)` : undefined],
    ['Signature', chain.signature ? `${chain.signature.verified ? 'verified' : 'NOT verified'}: ${chain.signature.reason}` : undefined],
    ['Approval', chain.approval?.approver ? `${chain.approval.approver}${chain.approval.changeRef ? ` (${chain.approval.changeRef})` : ''}` : undefined],
    ['Release gate', chain.gateDecision ? `${chain.gateDecision.decision} by ${chain.gateDecision.policy}` : undefined],
    ['Runtime owner', chain.runtimeOwner?.ownerRef],
  ];
  return (
    <Stack spacing={2} sx={{ overflowWrap: 'anywhere' }}>
      <Box component="ol" aria-label="evidence chain" sx={{ m: 0, pl: 2.5 }}>
        {steps.map(([label, value]) => (
          <li key={label}>
            <Typography variant="body2" component="div">
              <strong>{label}:</strong>{' '}
              {value ?? <Chip size="small" icon={<WarningAmberIcon />} label="missing" color="warning" />}
            </Typography>
          </li>
        ))}
      </Box>
      {chain.gaps.length > 0 ? (
        <Alert severity="warning">
          Gaps: {chain.gaps.join('; ')}.
        </Alert>
      ) : (
        <Alert severity="success">Complete: every link from source to runtime owner is recorded.</Alert>
      )}
      {chain.evidenceLog.length > 0 && (
        <Typography variant="caption" color="text.secondary">
          Evidence log record #{chain.evidenceLog[0].seq}, hash {chain.evidenceLog[0].hash.slice(0, 16)}…
        </Typography>
      )}
    </Stack>
  );
}
