import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ExceptionsQuery, RiskRating } from '@devsecops-scorecard/plugin-devsecops-common';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { devsecopsApiRef } from '../../api';
import { DemoDataNotice } from '../shared/DemoDataNotice';
import { ExceptionsTable } from './ExceptionsTable';

export const QUEUE_TABS: Array<{ label: string; query: ExceptionsQuery }> = [
  { label: 'Awaiting my decision', query: { riskOwner: 'me', status: ['requested'] } },
  { label: 'My requests', query: { requester: 'me' } },
  { label: 'Expiring in 7 days', query: { expiringWithinDays: 7 } },
  { label: 'Expiring in 30 days', query: { expiringWithinDays: 30 } },
  { label: 'Expired', query: { status: ['expired'] } },
  { label: 'All', query: {} },
];

/** The queue's filters as the user typed them; empty means "any". */
export interface QueueFilters {
  service: string;
  team: string;
  status: string;
  riskRating: string;
  expiringWithinDays: string;
  order: 'asc' | 'desc';
}

const NO_FILTERS: QueueFilters = { service: '', team: '', status: '', riskRating: '', expiringWithinDays: '', order: 'asc' };

/** A tab's query with the filters; the tab's own criteria win where both speak. */
export function queueQuery(tab: ExceptionsQuery, filters: QueueFilters): ExceptionsQuery {
  const days = Number(filters.expiringWithinDays);
  return {
    ...(filters.service.trim() ? { entity: filters.service.trim() } : {}),
    ...(filters.team.trim() ? { owner: filters.team.trim() } : {}),
    ...(filters.status ? { status: [filters.status] } : {}),
    ...(filters.riskRating ? { riskRating: filters.riskRating as RiskRating } : {}),
    ...(filters.expiringWithinDays !== '' && Number.isInteger(days) && days >= 0 ? { expiringWithinDays: days } : {}),
    ...(filters.order === 'desc' ? { order: 'desc' as const } : {}),
    ...tab,
  };
}

/**
 * The risk owner's queue: what awaits a decision, my requests, what expires soon, what has
 * expired; each tab with its count under the filters (service, team, status, rating, expiring
 * within), sorted by expiry either way.
 */
export function ExceptionQueue() {
  const api = useApi(devsecopsApiRef);
  const [tab, setTab] = useState(0);
  const [typed, setTyped] = useState<QueueFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<QueueFilters>(NO_FILTERS);
  useDebounce(() => setFilters(typed), 400, [typed]);
  const set = (key: keyof QueueFilters) => (e: { target: { value: string } }) =>
    setTyped(current => ({ ...current, [key]: e.target.value }));

  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listExceptions({ ...queueQuery(QUEUE_TABS[tab].query, filters), limit: 200 }),
    [api, tab, filters],
  );
  const { value: counts } = useAsync(
    () =>
      Promise.all(
        QUEUE_TABS.map(t =>
          api
            .listExceptions({ ...queueQuery(t.query, filters), limit: 1 })
            .then(page => page.totalCount)
            .catch(() => undefined),
        ),
      ),
    [api, filters, value],
  );
  const tabFixesStatus = !!QUEUE_TABS[tab].query.status || QUEUE_TABS[tab].query.expiringWithinDays !== undefined;

  return (
    <InfoCard title="Exceptions">
      <DemoDataNotice />
      <Tabs value={tab} onChange={(_e, v) => setTab(v)} aria-label="exception queues" variant="scrollable" allowScrollButtonsMobile>
        {QUEUE_TABS.map((t, i) => (
          <Tab key={t.label} label={counts?.[i] === undefined ? t.label : `${t.label} (${counts[i]})`} />
        ))}
      </Tabs>
      <Stack direction="row" flexWrap="wrap" useFlexGap spacing={1.5} sx={{ my: 2 }} component="form" aria-label="filters" onSubmit={e => e.preventDefault()}>
        <TextField size="small" label="Service" placeholder="payments-api" value={typed.service} onChange={set('service')} />
        <TextField size="small" label="Team" placeholder="team-payments" value={typed.team} onChange={set('team')} />
        <TextField
          size="small"
          select
          label="Status"
          value={tabFixesStatus ? '' : typed.status}
          disabled={tabFixesStatus}
          onChange={set('status')}
          sx={{ minWidth: 130 }}
          helperText={tabFixesStatus ? 'Set by the tab' : undefined}
          // A disabled field's helper text is still read: keep it at AA contrast (4.5:1).
          FormHelperTextProps={{ sx: { '&.Mui-disabled': { color: 'text.secondary' } } }}
        >
          <MenuItem value="">Any</MenuItem>
          {['requested', 'approved', 'rejected', 'revoked', 'expired'].map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField size="small" select label="Risk rating" value={typed.riskRating} onChange={set('riskRating')} sx={{ minWidth: 130 }}>
          <MenuItem value="">Any</MenuItem>
          {['critical', 'high', 'medium', 'low'].map(r => (
            <MenuItem key={r} value={r}>
              {r}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="number"
          label="Expiring within (days)"
          inputProps={{ min: 0, max: 999 }}
          value={typed.expiringWithinDays}
          onChange={set('expiringWithinDays')}
          sx={{ width: 170 }}
        />
        <TextField size="small" select label="Sort by expiry" value={typed.order} onChange={set('order')} sx={{ minWidth: 150 }}>
          <MenuItem value="asc">Soonest first</MenuItem>
          <MenuItem value="desc">Latest first</MenuItem>
        </TextField>
      </Stack>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && !error && <ExceptionsTable exceptions={value.items} onChanged={retry} showEntity />}
    </InfoCard>
  );
}
