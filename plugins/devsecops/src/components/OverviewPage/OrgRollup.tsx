import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { ControlState, PipelineControl, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { HeatMap, HeatMapSort } from './HeatMap';
import { entityLink } from './links';
import { GATE_LOOK, lookSx, STATE_LOOK } from './statePalette';

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
                  <Chip
                    key={state}
                    size="small"
                    sx={{ ...lookSx(STATE_LOOK[state as ControlState]), mr: 0.5 }}
                    label={`${state.replace('_', ' ')} ${count}`}
                  />
                ))}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** The heat map with its sort kept in the component (the org overview keeps it in the URL instead). */
export function ControlHeatMap({ rollup, controls }: { rollup: Rollup; controls: readonly PipelineControl[] }) {
  const [sort, setSort] = useState<HeatMapSort>({ by: 'failing', dir: 'desc' });
  return <HeatMap rollup={rollup} controls={controls} sort={sort} onSort={setSort} />;
}

/** Teams (owners) with their services' stages and gate outcomes, linking to each Security tab. */
export function TeamsTable({ rollup }: { rollup: Rollup }) {
  const byOwner = new Map<string, Rollup['entities']>();
  for (const entity of rollup.entities) {
    const owner = entity.ownerRef ?? 'no owner';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), entity]);
  }
  return (
    <Table size="small" aria-label="teams" sx={{ tableLayout: 'fixed' }}>
      <TableHead>
        <TableRow>
          <TableCell sx={{ width: '30%' }}>Team</TableCell>
          <TableCell align="right" sx={{ width: 72 }}>Entities</TableCell>
          <TableCell>Stage and production gate of each</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {[...byOwner.entries()].sort().map(([owner, entities]) => {
          const ownerLink = owner === 'no owner' ? undefined : entityLink(owner);
          const ownerName = owner === 'no owner' ? owner : parseEntityRef(owner).name;
          return (
            <TableRow key={owner}>
              <TableCell sx={{ overflowWrap: 'anywhere' }}>{ownerLink ? <Link to={ownerLink}>{ownerName}</Link> : ownerName}</TableCell>
              <TableCell align="right">{entities.length}</TableCell>
              <TableCell sx={{ minWidth: 0 }}>
                {entities.map(e => {
                  const look = GATE_LOOK[e.productionGate ?? 'none'];
                  const link = entityLink(e.entityRef);
                  const name = parseEntityRef(e.entityRef).name;
                  const label = `${look.symbol} ${name} · ${e.stage}`;
                  const title = `${e.entityRef}: stage ${e.stage}, production gate ${look.label}${link ? '' : ' (no Security tab for this kind)'}`;
                  // The chip inside the link (not the chip as the link): the link's colour never
                  // reaches the chip's text, which keeps the palette's contrast.
                  const chip = <Chip size="small" label={label} sx={{ ...lookSx(look), maxWidth: '100%', cursor: link ? 'pointer' : 'default' }} />;
                  return (
                    <Tooltip key={e.entityRef} describeChild title={title}>
                      <Box component="span" sx={{ display: 'inline-block', maxWidth: '100%', mr: 0.5, mb: 0.5 }}>
                        {link ? (
                          <Link to={link} underline="none">
                            {chip}
                          </Link>
                        ) : (
                          chip
                        )}
                      </Box>
                    </Tooltip>
                  );
                })}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
