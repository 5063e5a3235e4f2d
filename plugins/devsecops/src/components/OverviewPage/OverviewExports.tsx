import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ControlState,
  DevsecopsApi,
  EntityScorecard,
  PipelineControl,
  Rollup,
  RollupQuery,
  toCsv,
} from '@devsecops-scorecard/plugin-devsecops-common';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { devsecopsApiRef } from '../../api';
import { saveBlob } from '../shared/download';
import { HeatMapSort, sortTeams } from './HeatMap';
import { heatState } from './statePalette';

const COUNTED: ControlState[] = ['passing', 'failing', 'stale', 'not_reported', 'excepted', 'not_applicable', 'error'];

/** The heat map as CSV: one line per team and control, in the map's order, with every state's count. */
export function heatMapCsv(rollup: Rollup, controls: readonly PipelineControl[], sort: HeatMapSort): string {
  const rows = sortTeams(rollup.owners ?? [], sort).flatMap(team =>
    controls.map(control => {
      const adoption = team.controlAdoption[control.id];
      return [
        team.scope.ref,
        team.entityCount,
        control.id,
        control.title,
        heatState(adoption?.states).replace('_', ' '),
        ...COUNTED.map(s => adoption?.states[s] ?? 0),
        adoption?.passingPct,
      ];
    }),
  );
  return toCsv(['team', 'services', 'control', 'control title', 'cell state', ...COUNTED.map(s => s.replace('_', ' ')), 'passing %'], rows);
}

/** Every control state of every service in the roll-up, one line each, with its reason and evidence date. */
export function controlStatesCsv(rollup: Rollup, scorecards: EntityScorecard[]): string {
  const byRef = new Map(rollup.entities.map(e => [e.entityRef, e]));
  const rows = scorecards.flatMap(s =>
    s.controls.map(c => [
      s.entityRef,
      s.ownerRef,
      s.type,
      s.maturity.stage,
      byRef.get(s.entityRef)?.productionGate,
      c.stage,
      c.controlId,
      c.state.replace('_', ' '),
      c.reason,
      c.lastEvidenceAt,
    ]),
  );
  return toCsv(
    ['entity', 'owner', 'type', 'maturity stage', 'production gate', 'pipeline stage', 'control', 'state', 'reason', 'last evidence'],
    rows,
  );
}

/** Scorecards of many entities, a few requests at a time. */
async function scorecardsOf(api: DevsecopsApi, refs: string[]): Promise<EntityScorecard[]> {
  const out: EntityScorecard[] = [];
  for (let i = 0; i < refs.length; i += 6) {
    out.push(...(await Promise.all(refs.slice(i, i + 6).map(ref => api.getScorecard(ref)))));
  }
  return out;
}

const csvBlob = (text: string) => new Blob([text], { type: 'text/csv' });

/** CSV buttons of the heat map card: the map itself, and every control state of every service. */
export function HeatMapCsvButtons({
  rollup,
  controls,
  sort,
}: {
  rollup: Rollup;
  controls: readonly PipelineControl[];
  sort: HeatMapSort;
}) {
  const api = useApi(devsecopsApiRef);
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  return (
    <Stack direction="row" gap={1} flexWrap="wrap" alignItems="center">
      <Button size="small" onClick={() => saveBlob(csvBlob(heatMapCsv(rollup, controls, sort)), 'devsecops-heat-map.csv')}>
        Heat map CSV
      </Button>
      <Button
        size="small"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            const scorecards = await scorecardsOf(api, rollup.entities.map(e => e.entityRef));
            saveBlob(csvBlob(controlStatesCsv(rollup, scorecards)), 'devsecops-control-states.csv');
            setState({});
          } catch (e) {
            setState({ error: (e as Error).message });
          }
        }}
      >
        {state.busy ? 'Reading scorecards…' : 'Every control state CSV'}
      </Button>
      {state.error && (
        <Typography variant="caption" color="error">
          {state.error}
        </Typography>
      )}
    </Stack>
  );
}

/**
 * The audit package of what the overview shows: the selected group's, or the organisation's when
 * no scope is selected (a system or domain has no package of its own; the API takes an entity, a
 * group or the org). The backend decides who may export which.
 */
export function ScopeAuditPackageButton({ query }: { query: RollupQuery }) {
  const api = useApi(devsecopsApiRef);
  const [state, setState] = useState<{ busy?: boolean; error?: string; done?: string }>({});
  if (query.system || query.domain) {
    return (
      <Typography variant="caption" color="text.secondary">
        Audit packages cover a service, a group or the organisation: choose a group, or no scope, to export one.
      </Typography>
    );
  }
  const label = query.group ? `Export ${parseEntityRef(query.group).name} audit package` : 'Export organisation audit package';
  return (
    <Stack direction="row" gap={1} alignItems="center" flexWrap="wrap">
      <Button
        variant="outlined"
        size="small"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          try {
            const { blob, filename } = await api.exportAuditPackage(query.group ? { group: query.group } : { org: true });
            saveBlob(blob, filename);
            setState({ done: filename });
          } catch (e) {
            setState({ error: (e as Error).message });
          }
        }}
      >
        {label}
      </Button>
      <Typography variant="caption" color={state.error ? 'error' : 'text.secondary'} role="status">
        {state.error ?? (state.done ? `Saved ${state.done}` : 'last 90 days: evidence, exceptions, gate decisions and a manifest')}
      </Typography>
    </Stack>
  );
}
