import { EntityHistory, EntityMetrics } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Sparkline, TrendPoint } from '../shared/charts';

const days = (value?: number) => (value === undefined ? '—' : `${value} d`);
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

type Snapshot = EntityHistory['snapshots'][number];

interface Tile {
  label: string;
  value: string;
  detail: string;
  /** The same measure in each daily snapshot, for its trend. */
  trend: (s: Snapshot) => number | undefined;
  unit?: string;
}

/** The seed's Stage 4 measures, what is open or past its SLA, and how each moved day by day. */
export function MetricsPanel({ metrics, history }: { metrics: EntityMetrics; history?: Snapshot[] }) {
  const tiles: Tile[] = [
    {
      label: 'Mean time to patch',
      value: days(metrics.meanTimeToPatchDays),
      detail: `${metrics.patchedCount} critical/high patched`,
      trend: s => s.metrics.meanTimeToPatchDays,
      unit: ' d',
    },
    {
      label: 'Mean time to rotate',
      value: days(metrics.meanTimeToRotateDays),
      // Which came first for each secret: its rotation ticket closing, or the secret gone from the scan.
      detail: `${metrics.rotatedCount} secrets rotated${metrics.rotatedBy ? ` (ticket closed ${metrics.rotatedBy.ticketClosed} · gone from scan ${metrics.rotatedBy.secretGone})` : ''}`,
      trend: s => s.metrics.meanTimeToRotateDays,
      unit: ' d',
    },
    {
      label: 'Exception age',
      value: days(metrics.meanExceptionAgeDays),
      detail: 'mean, active exceptions',
      trend: s => s.metrics.meanExceptionAgeDays,
      unit: ' d',
    },
    {
      label: 'Past SLA',
      value: String(sum(metrics.pastSla)),
      detail: `critical ${metrics.pastSla.critical} · high ${metrics.pastSla.high}`,
      trend: s => sum(s.metrics.pastSla),
    },
    {
      label: 'Open findings',
      value: String(sum(metrics.openBySeverity)),
      detail: `critical ${metrics.openBySeverity.critical} · high ${metrics.openBySeverity.high} · medium ${metrics.openBySeverity.medium}`,
      trend: s => sum(s.metrics.openBySeverity),
    },
  ];
  return (
    <Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(5, 1fr)' } }}>
        {tiles.map(tile => (
          <Box key={tile.label} aria-label={tile.label} role="group">
            <Typography variant="overline" component="p">{tile.label}</Typography>
            <Typography variant="h5" component="p">{tile.value}</Typography>
            <Typography variant="caption" color="text.secondary">{tile.detail}</Typography>
            {history && history.length > 0 && (
              <Sparkline
                label={tile.label}
                unit={tile.unit}
                points={history.map((s): TrendPoint => ({ day: s.day, value: tile.trend(s) }))}
              />
            )}
          </Box>
        ))}
      </Box>
      {history && history.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          Trends appear once daily snapshots exist: the backend writes one per service every day.
        </Typography>
      )}
    </Box>
  );
}
