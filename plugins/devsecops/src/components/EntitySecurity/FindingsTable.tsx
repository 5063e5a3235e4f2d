import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { FindingsQuery, LinkedTicket } from '@devsecops-scorecard/plugin-devsecops-common';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { findingAnchor } from '../shared/JumpLink';
import { DueDate, ExploitabilityCell } from './ExploitabilityCell';
import { VexNote } from './VexNote';

const SEVERITY_COLOR = {
  critical: 'error',
  high: 'warning',
  medium: 'info',
  low: 'default',
  info: 'default',
} as const;

type Order = NonNullable<FindingsQuery['orderBy']>;

/** Findings of one entity, paginated, filtered and sorted by the backend. */
export function FindingsTable({ entityRef }: { entityRef: string }) {
  const api = useApi(devsecopsApiRef);
  const [status, setStatus] = useState('open');
  const [severity, setSeverity] = useState('all');
  const [orderBy, setOrderBy] = useState<Order>('severity');
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(10);

  const { value, loading, error } = useAsync(
    () =>
      api.listFindings({
        entity: entityRef,
        status: status === 'all' ? undefined : [status],
        severity: severity === 'all' ? undefined : [severity],
        orderBy,
        order,
        limit: rowsPerPage,
        offset: page * rowsPerPage,
      }),
    [api, entityRef, status, severity, orderBy, order, page, rowsPerPage],
  );

  // Tickets linked to this entity's findings (remediation, rotation), shown next to each finding.
  const tickets = useAsync(() => api.listTickets({ entity: entityRef, subjectKind: 'finding' }), [api, entityRef]);
  const ticketsOf = (findingId: string) => tickets.value?.items.filter(t => t.subjectId === findingId) ?? [];

  const sortBy = (column: Order) => {
    if (orderBy === column) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setOrderBy(column);
      setOrder(column === 'severity' || column === 'exploitability' ? 'desc' : 'asc');
    }
    setPage(0);
  };
  const header = (column: Order, label: string) => (
    <TableSortLabel active={orderBy === column} direction={orderBy === column ? order : 'asc'} onClick={() => sortBy(column)}>
      {label}
    </TableSortLabel>
  );

  return (
    <Stack spacing={1}>
      <Stack direction="row" gap={2}>
        <FormControl size="small" sx={{ minWidth: 140 }}>
          <InputLabel id="findings-status">Status</InputLabel>
          <Select labelId="findings-status" label="Status" value={status} onChange={e => { setStatus(e.target.value); setPage(0); }}>
            {['open', 'resolved', 'suppressed', 'all'].map(s => (
              <MenuItem key={s} value={s}>{s}</MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" sx={{ minWidth: 140 }}>
          <InputLabel id="findings-severity">Severity</InputLabel>
          <Select labelId="findings-severity" label="Severity" value={severity} onChange={e => { setSeverity(e.target.value); setPage(0); }}>
            {['all', 'critical', 'high', 'medium', 'low', 'info'].map(s => (
              <MenuItem key={s} value={s}>{s}</MenuItem>
            ))}
          </Select>
        </FormControl>
      </Stack>
      {error && <ResponseErrorPanel error={error} />}
      {loading && <LinearProgress aria-label="loading findings" />}
      <Table size="small" aria-label="findings">
        <TableHead>
          <TableRow>
            <TableCell>{header('severity', 'Severity')}</TableCell>
            <TableCell>{header('exploitability', 'Exploitability')}</TableCell>
            <TableCell>{header('ruleId', 'Rule / CVE')}</TableCell>
            <TableCell>Title</TableCell>
            <TableCell>Where</TableCell>
            <TableCell>{header('control', 'Control')}</TableCell>
            <TableCell>Tool</TableCell>
            <TableCell>{header('firstSeenAt', 'First seen')}</TableCell>
            <TableCell>Due</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Ticket</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value?.items.map((f, index) => (
            <TableRow
              key={f.id}
              // The first row of each CVE or rule id is where a reason's link to that id lands.
              id={value.items.findIndex(o => (o.vulnerabilityId ?? o.ruleId) === (f.vulnerabilityId ?? f.ruleId)) === index ? findingAnchor(f.vulnerabilityId ?? f.ruleId) : undefined}
            >
              <TableCell>
                <Chip size="small" label={f.severity} color={SEVERITY_COLOR[f.severity]} />
              </TableCell>
              <TableCell>
                <ExploitabilityCell exploitability={f.exploitability} />
              </TableCell>
              <TableCell>{f.vulnerabilityId ?? f.ruleId}</TableCell>
              <TableCell sx={{ maxWidth: 320 }}>{f.title}</TableCell>
              <TableCell sx={{ wordBreak: 'break-all' }}>
                {f.package ? `${f.package.name}@${f.package.version ?? '?'}${f.fixedVersions.length ? ` → ${f.fixedVersions.join(', ')}` : ''}` : f.location}
              </TableCell>
              <TableCell>{f.control}</TableCell>
              <TableCell>{f.tool}</TableCell>
              <TableCell>{new Date(f.firstSeenAt).toLocaleDateString()}</TableCell>
              <TableCell>
                <DueDate dueAt={f.dueAt} />
              </TableCell>
              <TableCell>
                {f.status}{f.resolvedAt ? ` ${new Date(f.resolvedAt).toLocaleDateString()}` : ''}
                {f.vex && <VexNote vex={f.vex} />}
              </TableCell>
              <TableCell>
                {ticketsOf(f.id).map(t => (
                  <TicketLink key={t.id} ticket={t} />
                ))}
              </TableCell>
            </TableRow>
          ))}
          {value && value.items.length === 0 && (
            <TableRow>
              <TableCell colSpan={11}>
                <Typography variant="body2" color="text.secondary">No findings match these filters.</Typography>
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      <TablePagination
        component="div"
        count={value?.totalCount ?? 0}
        page={page}
        rowsPerPage={rowsPerPage}
        rowsPerPageOptions={[10, 25, 50, 100]}
        onPageChange={(_e, p) => setPage(p)}
        onRowsPerPageChange={e => { setRowsPerPage(Number(e.target.value)); setPage(0); }}
      />
    </Stack>
  );
}

/** A linked ticket: its id (or system) linking to it, and whether it is open or closed. */
function TicketLink({ ticket }: { ticket: LinkedTicket }) {
  const label = ticket.ticketId ?? ticket.system ?? 'ticket';
  return (
    <Stack direction="row" gap={0.5} alignItems="center">
      <Link href={ticket.url} target="_blank" rel="noopener noreferrer" aria-label={`ticket ${label} (${ticket.status})`}>
        {label}
      </Link>
      <Chip size="small" variant="outlined" label={ticket.status} color={ticket.status === 'closed' ? 'success' : 'default'} />
    </Stack>
  );
}
