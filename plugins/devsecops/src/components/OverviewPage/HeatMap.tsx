import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ControlState, PipelineControl, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import KeyboardArrowDownIcon from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@mui/icons-material/KeyboardArrowRight';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';
import { entityLink } from './links';
import { HEAT_STATES, heatState, lookSx, STATE_LOOK } from './statePalette';

type TeamRow = NonNullable<Rollup['owners']>[number];

/** How the heat map is sorted: by team name, service count, failing cells, or one control's share passing. */
export interface HeatMapSort {
  by: string;
  dir: 'asc' | 'desc';
}

const failingCells = (row: TeamRow) =>
  Object.values(row.controlAdoption).reduce((n, a) => n + (a.states.failing ?? 0) + (a.states.error ?? 0), 0);

function sortKey(row: TeamRow, by: string): string | number {
  if (by === 'team') return parseEntityRef(row.scope.ref!).name;
  if (by === 'services') return row.entityCount;
  if (by === 'failing') return failingCells(row);
  return row.controlAdoption[by]?.passingPct ?? -1;
}

/** Rows sorted as the heat map shows them (exported for the CSV, which keeps the order). */
export function sortTeams(rows: readonly TeamRow[], sort: HeatMapSort): TeamRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortKey(a, sort.by);
    const y = sortKey(b, sort.by);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order * sign || parseEntityRef(a.scope.ref!).name.localeCompare(parseEntityRef(b.scope.ref!).name);
  });
}

/** The legend: each state's symbol and colour, in the order of what needs action first. */
export function HeatMapLegend() {
  return (
    <Stack direction="row" gap={1} flexWrap="wrap" component="ul" aria-label="legend" sx={{ listStyle: 'none', p: 0, m: 0, mb: 1 }}>
      {HEAT_STATES.map(state => {
        const look = STATE_LOOK[state];
        return (
          <Box component="li" key={state} sx={{ ...lookSx(look), px: 1, borderRadius: 1, fontSize: 12, border: '1px solid', borderColor: 'divider' }}>
            {look.symbol} {look.label}
          </Box>
        );
      })}
      <Typography component="li" variant="caption" color="text.secondary" sx={{ alignSelf: 'center' }}>
        A team's cell takes the first state any of its services is in; the number is services passing of those it applies to.
      </Typography>
    </Stack>
  );
}

function Cell({ label, state, text }: { label: string; state: ControlState; text: string }) {
  const look = STATE_LOOK[state];
  return (
    <TableCell align="center" aria-label={label} data-state={state} sx={{ ...lookSx(look), px: 0.25, fontSize: 12, border: '1px solid #fff' }}>
      {look.symbol}
      {text ? ` ${text}` : ''}
    </TableCell>
  );
}

/** One service's row under its team: each control's own state, from its scorecard. */
function ServiceRows({ entityRefs, controls }: { entityRefs: string[]; controls: readonly PipelineControl[] }) {
  const api = useApi(devsecopsApiRef);
  const { value, loading, error } = useAsync(() => Promise.all(entityRefs.map(ref => api.getScorecard(ref))), [api, entityRefs.join()]);
  if (loading || error) {
    return (
      <TableRow>
        <TableCell colSpan={controls.length + 3}>
          {loading ? <LinearProgress aria-label="loading services" /> : <Typography color="error">{error!.message}</Typography>}
        </TableCell>
      </TableRow>
    );
  }
  return (
    <>
      {value!.map(scorecard => {
        const name = parseEntityRef(scorecard.entityRef).name;
        const link = entityLink(scorecard.entityRef);
        return (
          <TableRow key={scorecard.entityRef} data-testid={`service-row-${name}`}>
            <TableCell sx={{ pl: 4, overflowWrap: 'anywhere' }}>{link ? <Link to={link}>{name}</Link> : name}</TableCell>
            <TableCell align="right">stage {scorecard.maturity.stage}</TableCell>
            <TableCell align="right">{scorecard.controls.filter(c => c.state === 'failing').length}</TableCell>
            {controls.map(control => {
              const state = scorecard.controls.find(c => c.controlId === control.id)?.state ?? 'not_applicable';
              return <Cell key={control.id} label={`${name}, ${control.title}: ${STATE_LOOK[state].label.toLowerCase()}`} state={state} text="" />;
            })}
          </TableRow>
        );
      })}
    </>
  );
}

/**
 * Teams × controls: each cell the state needing action first among the team's services (a
 * distinct colour and symbol per state, see the legend) with services passing of those it
 * applies to. Sortable by team, services, failing cells or a control; a team expands to its
 * services. The columns are the backend's configured catalogue (`GET /controls`).
 */
export function HeatMap({
  rollup,
  controls,
  sort,
  onSort,
}: {
  rollup: Rollup;
  controls: readonly PipelineControl[];
  sort: HeatMapSort;
  onSort: (sort: HeatMapSort) => void;
}) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const rows = sortTeams(rollup.owners ?? [], sort);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No team owns a scored service in this selection.
      </Typography>
    );
  }
  const flipped = sort.dir === 'asc' ? 'desc' : 'asc';
  const header = (by: string, label: string, defaultDir: 'asc' | 'desc' = 'desc') => (
    <TableSortLabel
      active={sort.by === by}
      direction={sort.by === by ? sort.dir : defaultDir}
      onClick={() => onSort({ by, dir: sort.by === by ? flipped : defaultDir })}
    >
      {label}
    </TableSortLabel>
  );
  const toggle = (ref: string) => {
    const next = new Set(open);
    if (next.has(ref)) next.delete(ref);
    else next.add(ref);
    setOpen(next);
  };
  return (
    <>
      <HeatMapLegend />
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="control adoption by team" sx={{ tableLayout: 'fixed', minWidth: 960 }}>
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 150, px: 1 }} sortDirection={sort.by === 'team' ? sort.dir : false}>
                {header('team', 'Team', 'asc')}
              </TableCell>
              <TableCell sx={{ width: 64, px: 0.5 }} align="right" sortDirection={sort.by === 'services' ? sort.dir : false}>
                {header('services', 'Services')}
              </TableCell>
              <TableCell sx={{ width: 60, px: 0.5 }} align="right" sortDirection={sort.by === 'failing' ? sort.dir : false}>
                {header('failing', 'Failing')}
              </TableCell>
              {controls.map(control => (
                <TableCell
                  key={control.id}
                  align="center"
                  sortDirection={sort.by === control.id ? sort.dir : false}
                  sx={{ fontSize: 11, lineHeight: 1.2, px: 0.25, verticalAlign: 'bottom', hyphens: 'auto', overflowWrap: 'anywhere' }}
                >
                  {header(control.id, control.title)}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => {
              const ref = row.scope.ref!;
              const name = parseEntityRef(ref).name;
              const entityRefs = rollup.entities.filter(e => e.ownerRef === ref).map(e => e.entityRef);
              const expanded = open.has(ref);
              return [
                <TableRow key={ref} data-testid={`team-row-${name}`}>
                  <TableCell sx={{ px: 1, overflowWrap: 'anywhere' }}>
                    <Stack direction="row" alignItems="flex-start" gap={0.5}>
                      <IconButton
                        size="small"
                        sx={{ p: 0 }}
                        aria-expanded={expanded}
                        aria-label={`${expanded ? 'Hide' : 'Show'} the services of ${name}`}
                        onClick={() => toggle(ref)}
                        disabled={entityRefs.length === 0}
                      >
                        {expanded ? <KeyboardArrowDownIcon fontSize="small" /> : <KeyboardArrowRightIcon fontSize="small" />}
                      </IconButton>
                      <Box sx={{ minWidth: 0 }}>
                        {entityLink(ref) ? <Link to={entityLink(ref)!}>{name}</Link> : name}
                      </Box>
                    </Stack>
                  </TableCell>
                  <TableCell align="right" sx={{ px: 0.5 }}>{row.entityCount}</TableCell>
                  <TableCell align="right" sx={{ px: 0.5 }}>{failingCells(row)}</TableCell>
                  {controls.map(control => {
                    const adoption = row.controlAdoption[control.id];
                    const state = heatState(adoption?.states);
                    const applies = Object.entries(adoption?.states ?? {}).reduce((n, [s, k]) => (s === 'not_applicable' ? n : n + (k ?? 0)), 0);
                    const passing = (adoption?.states.passing ?? 0) + (adoption?.states.excepted ?? 0);
                    const counts = adoption
                      ? Object.entries(adoption.states)
                          .filter(([s, n]) => n && s !== 'not_applicable')
                          .map(([s, n]) => `${n} ${STATE_LOOK[s as ControlState].label.toLowerCase()}`)
                          .join(', ')
                      : '';
                    return (
                      <Cell
                        key={control.id}
                        state={state}
                        text={state === 'not_applicable' ? '' : `${passing}/${applies}`}
                        label={`${name}, ${control.title}: ${STATE_LOOK[state].label.toLowerCase()}${counts ? ` (${counts})` : ''}`}
                      />
                    );
                  })}
                </TableRow>,
                expanded && <ServiceRows key={`${ref}-services`} entityRefs={entityRefs} controls={controls} />,
              ];
            })}
          </TableBody>
        </Table>
      </Box>
    </>
  );
}
