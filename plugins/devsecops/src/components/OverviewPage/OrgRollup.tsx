import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { PipelineControl, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';

const STAGES = ['0', '1', '2', '3', '4'];

/** Green in proportion to the share passing; nothing where the control applies to no one. */
const heat = (pct?: number) =>
  pct === undefined ? undefined : `rgba(46, 125, 50, ${0.08 + (pct / 100) * 0.62})`;


/** Share of entities at each stage as a horizontal bar per stage. */
export function StageDistribution({ rollup }: { rollup: Rollup }) {
  const max = Math.max(1, ...Object.values(rollup.stageDistribution));
  return (
    <Box component="figure" aria-label="stage distribution" sx={{ m: 0 }}>
      {STAGES.map(stage => {
        const count = rollup.stageDistribution[stage] ?? 0;
        return (
          <Box key={stage} sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 0.5 }}>
            <Typography variant="body2" sx={{ width: 64 }}>Stage {stage}</Typography>
            <Box sx={{ flex: 1, bgcolor: 'action.hover', borderRadius: 1, height: 18 }}>
              <Box sx={{ width: `${(count / max) * 100}%`, bgcolor: 'primary.main', height: 18, borderRadius: 1 }} />
            </Box>
            <Typography variant="body2" sx={{ width: 32, textAlign: 'right' }}>{count}</Typography>
          </Box>
        );
      })}
    </Box>
  );
}

/**
 * Control adoption: the share of entities passing each control, coloured like a heat map. The
 * controls are the backend's configured catalogue (`GET /controls`), in its order.
 */
export function ControlAdoption({
  rollup,
  controls,
}: {
  rollup: Rollup;
  controls: readonly PipelineControl[];
}) {
  return (
    <Table size="small" aria-label="control adoption">
      <TableHead>
        <TableRow>
          <TableCell>Control</TableCell>
          <TableCell align="right">Passing</TableCell>
          <TableCell>States</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {controls.filter(c => rollup.controlAdoption[c.id]).map(control => {
          const adoption = rollup.controlAdoption[control.id];
          const pct = adoption.passingPct;
          return (
            <TableRow key={control.id}>
              <TableCell>{control.title}</TableCell>
              <TableCell
                align="right"
                sx={{
                  bgcolor: heat(pct),
                  fontWeight: 500,
                }}
              >
                {pct === undefined ? 'n/a' : `${pct}%`}
              </TableCell>
              <TableCell>
                {Object.entries(adoption.states).map(([state, count]) => (
                  <Chip key={state} size="small" sx={{ mr: 0.5 }} label={`${state.replace('_', ' ')} ${count}`} />
                ))}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The Security tab of a component or a group: the drill-down from org to team to service. */
export function securityTabLink(ref: string) {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/security`;
}

/**
 * Groups × controls: the share of each team's services passing (or excepted on) each control.
 * Empty cells are controls that apply to none of the team's services. The columns are the
 * backend's configured catalogue (`GET /controls`), so a control added in app-config shows too.
 */
export function ControlHeatMap({
  rows,
  controls,
}: {
  rows: NonNullable<Rollup['owners']>;
  controls: readonly PipelineControl[];
}) {
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No team owns a scored service in this selection.
      </Typography>
    );
  }
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="control adoption by team" sx={{ tableLayout: 'fixed', minWidth: 880 }}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ width: 128, px: 1 }}>Team</TableCell>
            {controls.map(control => (
              <TableCell
                key={control.id}
                align="center"
                sx={{ fontSize: 11, lineHeight: 1.2, px: 0.25, verticalAlign: 'bottom', hyphens: 'auto' }}
              >
                {control.title}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.scope.ref}>
              <TableCell sx={{ px: 1, overflowWrap: 'anywhere' }}>
                <Link to={securityTabLink(row.scope.ref!)}>{parseEntityRef(row.scope.ref!).name}</Link>
                <Typography variant="caption" component="p" color="text.secondary">
                  {row.entityCount} service{row.entityCount === 1 ? '' : 's'}
                </Typography>
              </TableCell>
              {controls.map(control => {
                const pct = row.controlAdoption[control.id]?.passingPct;
                return (
                  <TableCell
                    key={control.id}
                    align="center"
                    aria-label={`${parseEntityRef(row.scope.ref!).name}, ${control.title}: ${pct === undefined ? 'not applicable' : `${pct}% passing`}`}
                    sx={{ bgcolor: heat(pct), px: 0.25, fontSize: 12, color: 'text.primary' }}
                  >
                    {pct === undefined ? '·' : `${Math.round(pct)}%`}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Teams (owners) with their services' stages and gate outcomes, linking to each Security tab. */
export function TeamsTable({ rollup }: { rollup: Rollup }) {
  const byOwner = new Map<string, Rollup['entities']>();
  for (const entity of rollup.entities) {
    const owner = entity.ownerRef ?? 'no owner';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), entity]);
  }
  return (
    <Table size="small" aria-label="teams">
      <TableHead>
        <TableRow>
          <TableCell>Team</TableCell>
          <TableCell align="right">Entities</TableCell>
          <TableCell>Stage of each</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {[...byOwner.entries()].sort().map(([owner, entities]) => (
          <TableRow key={owner}>
            <TableCell>
              {owner === 'no owner' ? owner : <Link to={securityTabLink(owner)}>{parseEntityRef(owner).name}</Link>}
            </TableCell>
            <TableCell align="right">{entities.length}</TableCell>
            <TableCell>
              {entities.map(e => (
                <Tooltip key={e.entityRef} describeChild title={e.productionGate ? `production gate: ${e.productionGate}` : 'no production gate decision'}>
                  <Chip
                    size="small"
                    clickable
                    component={Link}
                    to={securityTabLink(e.entityRef)}
                    label={`${parseEntityRef(e.entityRef).name} · ${e.stage}`}
                    color={e.productionGate === 'deny' ? 'error' : 'default'}
                    sx={{ mr: 0.5, mb: 0.5, color: e.productionGate === 'deny' ? 'error.contrastText' : 'text.primary' }}
                  />
                </Tooltip>
              ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
