import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ExceptionsQuery } from '@devsecops-scorecard/plugin-devsecops-common';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devsecopsApiRef } from '../../api';
import { ExceptionsTable } from './ExceptionsTable';
import { DemoDataNotice } from '../shared/DemoDataNotice';

const TABS: Array<{ label: string; query: ExceptionsQuery }> = [
  { label: 'Awaiting my decision', query: { riskOwner: 'me', status: ['requested'] } },
  { label: 'Expiring in 7 days', query: { expiringWithinDays: 7 } },
  { label: 'Expiring in 30 days', query: { expiringWithinDays: 30 } },
  { label: 'Expired', query: { status: ['expired'] } },
  { label: 'All', query: {} },
];

/** The risk owner's queue: what awaits a decision, what expires soon, what has expired. */
export function ExceptionQueue() {
  const api = useApi(devsecopsApiRef);
  const [tab, setTab] = useState(0);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listExceptions({ ...TABS[tab].query, limit: 200 }),
    [api, tab],
  );
  return (
    <InfoCard title="Exceptions">
      <DemoDataNotice />
      <Tabs value={tab} onChange={(_e, v) => setTab(v)} aria-label="exception queues">
        {TABS.map(t => (
          <Tab key={t.label} label={t.label} />
        ))}
      </Tabs>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && <ExceptionsTable exceptions={value.items} onChanged={retry} showEntity />}
    </InfoCard>
  );
}
