import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devsecopsApiRef } from '../../api';
import { CampaignDetail } from './CampaignDetail';
import { CampaignList } from './CampaignList';
import { CreateCampaignDialog } from './CreateCampaignDialog';

const BASE = '/devsecops/campaigns';

function CampaignRoute() {
  const { id } = useParams();
  return <CampaignDetail id={id!} />;
}

function CampaignIndex() {
  const api = useApi(devsecopsApiRef);
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const { value, loading, error } = useAsyncRetry(() => api.listCampaigns(), [api]);
  return (
    <Stack spacing={2}>
      <div>
        <Button variant="contained" onClick={() => setCreating(true)}>
          New campaign
        </Button>
      </div>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && <CampaignList campaigns={value.items} basePath={BASE} />}
      <CreateCampaignDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={campaign => {
          setCreating(false);
          navigate(`${BASE}/${encodeURIComponent(campaign.id)}`);
        }}
      />
    </Stack>
  );
}

/**
 * Campaigns: the list (with "New campaign") at the root and one campaign at `/<id>` (the links
 * reminders carry). Mount it at `/devsecops/campaigns/*`.
 */
export function CampaignsPage() {
  return (
    <Routes>
      <Route path="/" element={<CampaignIndex />} />
      <Route path="/:id" element={<CampaignRoute />} />
    </Routes>
  );
}
