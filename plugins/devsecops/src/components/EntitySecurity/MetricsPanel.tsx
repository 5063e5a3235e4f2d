import { EntityMetrics } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

const days = (value?: number) => (value === undefined ? '—' : `${value} d`);

/** The seed's Stage 4 measures, and what is open or past its SLA. */
export function MetricsPanel({ metrics }: { metrics: EntityMetrics }) {
  const tiles: Array<[string, string, string]> = [
    ['Mean time to patch', days(metrics.meanTimeToPatchDays), `${metrics.patchedCount} critical/high patched`],
    ['Mean time to rotate', days(metrics.meanTimeToRotateDays), `${metrics.rotatedCount} secrets rotated`],
    ['Exception age', days(metrics.meanExceptionAgeDays), 'mean, active exceptions'],
    [
      'Past SLA',
      String(Object.values(metrics.pastSla).reduce((a, b) => a + b, 0)),
      `critical ${metrics.pastSla.critical} · high ${metrics.pastSla.high}`,
    ],
    [
      'Open findings',
      String(Object.values(metrics.openBySeverity).reduce((a, b) => a + b, 0)),
      `critical ${metrics.openBySeverity.critical} · high ${metrics.openBySeverity.high} · medium ${metrics.openBySeverity.medium}`,
    ],
  ];
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(5, 1fr)' } }}>
      {tiles.map(([label, value, detail]) => (
        <Box key={label} aria-label={label}>
          <Typography variant="overline" component="p">{label}</Typography>
          <Typography variant="h5" component="p">{value}</Typography>
          <Typography variant="caption" color="text.secondary">{detail}</Typography>
        </Box>
      ))}
    </Box>
  );
}
