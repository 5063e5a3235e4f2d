import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { PIPELINE_CONTROLS, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
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

/** Control adoption: the share of entities passing each control, coloured like a heat map. */
export function ControlAdoption({ rollup }: { rollup: Rollup }) {
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
        {PIPELINE_CONTROLS.filter(c => rollup.controlAdoption[c.id]).map(control => {
          const adoption = rollup.controlAdoption[control.id];
          const pct = adoption.passingPct;
          return (
            <TableRow key={control.id}>
              <TableCell>{control.title}</TableCell>
              <TableCell
                align="right"
                sx={{
                  bgcolor: pct === undefined ? undefined : `rgba(46, 125, 50, ${0.1 + (pct / 100) * 0.6})`,
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

function entityLink(ref: string) {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/security`;
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
            <TableCell>{owner === 'no owner' ? owner : parseEntityRef(owner).name}</TableCell>
            <TableCell align="right">{entities.length}</TableCell>
            <TableCell>
              {entities.map(e => (
                <Tooltip key={e.entityRef} title={e.productionGate ? `production gate: ${e.productionGate}` : 'no production gate decision'}>
                  <Chip
                    size="small"
                    clickable
                    component={Link}
                    to={entityLink(e.entityRef)}
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
