import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Grid from '@mui/material/Grid';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useState } from 'react';
import { ControlResult, controlsReadByGate } from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionsTable, RequestExceptionDialog } from '../Exceptions';
import { devsecopsApiRef } from '../../api';
import { ControlStackStates } from './ControlStackStates';
import { FindingsTable } from './FindingsTable';
import { GateDecisions } from './GateDecisions';
import { MaturityPanel } from './MaturityPanel';
import { MetricsPanel } from './MetricsPanel';
import { RuntimePanel } from './RuntimePanel';
import { SecuritySummary } from './SecuritySummary';
import { UploadHowTo } from './UploadHowTo';
import { UploadsPanel } from './UploadsPanel';
import { DemoDataNotice } from '../shared/DemoDataNotice';
import { EvidenceChainPanel, ExportAuditPackageButton } from './EvidenceChainPanel';
import { EntityChecklistCard } from '../Checklist';
import { EntityCampaignsCard } from '../Campaigns';

/**
 * The entity's Security tab, answer first: a summary (gate, failing/stale/not-reported controls by
 * name, stage and next step), the controls by stage, then findings, maturity criteria (folded),
 * release gate, exceptions, metrics, runtime, evidence chain and uploads.
 */
export function EntitySecurityContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(devsecopsApiRef);
  const { value: scorecard, loading, error, retry } = useAsyncRetry(() => api.getScorecard(entityRef), [api, entityRef]);
  const exceptions = useAsyncRetry(() => api.listExceptions({ entity: entityRef, limit: 100 }), [api, entityRef]);
  // Trends are an extra: the tab works without them if the history cannot be read.
  const history = useAsync(() => api.getScorecardHistory(entityRef, 90), [api, entityRef]);
  const [requesting, setRequesting] = useState<ControlResult>();
  const refresh = () => {
    retry();
    exceptions.retry();
  };

  if (loading && !scorecard) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!scorecard) return null;

  const noEvidence = scorecard.controls.every(c => c.state === 'not_reported' || c.state === 'not_applicable');

  const gateControls = controlsReadByGate(
    scorecard.latestGateDecisions.flatMap(d => d.requirements.map(r => r.requirement)),
  );

  // Answer first: the summary, then the controls by stage, then what explains them.
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} sx={{ '&:empty': { display: 'none' } }}>
        <DemoDataNotice />
      </Grid>
      {noEvidence && (
        <Grid item xs={12}>
          <InfoCard title="Get started">
            <UploadHowTo entityRef={entityRef} />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <SecuritySummary scorecard={scorecard} onRequestException={setRequesting} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Pipeline controls"
          subheader="By delivery stage: what fails the stage, the evidence that proves it, and each control's state"
        >
          <ControlStackStates controls={scorecard.controls} onRequestException={setRequesting} gateControls={gateControls} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} id="findings">
        <InfoCard title="Findings">
          <FindingsTable entityRef={entityRef} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard title="Maturity">
          <Accordion disableGutters elevation={0} sx={{ '&::before': { display: 'none' } }}>
            <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-controls="maturity-criteria" id="maturity-criteria-header">
              <Typography variant="body2">
                Stage {scorecard.maturity.stage}: every stage's criteria, met or missing
              </Typography>
            </AccordionSummary>
            <AccordionDetails id="maturity-criteria">
              <MaturityPanel
                maturity={scorecard.maturity}
                entityRef={entityRef}
                ownerRef={scorecard.ownerRef}
                onRecorded={retry}
              />
            </AccordionDetails>
          </Accordion>
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard title="Release gate">
          <GateDecisions decisions={scorecard.latestGateDecisions} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Exceptions">
          {exceptions.error && <ResponseErrorPanel error={exceptions.error} />}
          {exceptions.value && <ExceptionsTable exceptions={exceptions.value.items} onChanged={refresh} />}
        </InfoCard>
      </Grid>
      <Grid item xs={12}><EntityCampaignsCard /></Grid>
      <Grid item xs={12}>
        <EntityChecklistCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Metrics" subheader="Now, and day by day over the last 90 days">
          <MetricsPanel metrics={scorecard.metrics} history={history.value?.snapshots} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Runtime and response">
          <RuntimePanel entityRef={entityRef} ownerRef={scorecard.ownerRef} metrics={scorecard.metrics} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Evidence chain of the latest production release">
          <EvidenceChainPanel entityRef={entityRef} />
          <Box mt={2}>
            <ExportAuditPackageButton entityRef={entityRef} />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} id="uploads">
        <InfoCard title="Uploads" subheader="The reports behind the controls: tool, commit, artifact and the kept body">
          <UploadsPanel entityRef={entityRef} />
        </InfoCard>
      </Grid>
      {requesting && (
        <RequestExceptionDialog
          open
          entityRef={entityRef}
          control={requesting}
          onClose={() => setRequesting(undefined)}
          onRequested={refresh}
        />
      )}
    </Grid>
  );
}
