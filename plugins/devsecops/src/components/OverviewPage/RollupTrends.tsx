import { RollupHistory } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Sparkline, StageTrendChart } from '../shared/charts';

type Day = RollupHistory['days'][number];

/** The mean share of applicable controls passing (or excepted) across every control that day. */
export function meanAdoptionPct(day: Pick<Day, 'controlAdoption'>): number | undefined {
  const shares = Object.values(day.controlAdoption)
    .map(a => a.passingPct)
    .filter((p): p is number => p !== undefined);
  if (shares.length === 0) return undefined;
  return Math.round((shares.reduce((a, b) => a + b, 0) / shares.length) * 10) / 10;
}

/** Trends of a roll-up scope: stages over time and the org-level measures beside it. */
export function RollupTrends({ history }: { history: RollupHistory }) {
  const days = history.days;
  const series = (pick: (d: Day) => number | undefined) => days.map(d => ({ day: d.day, value: pick(d) }));
  const measures: Array<[string, Array<{ day: string; value?: number }>, string?]> = [
    ['Controls passing (mean across controls)', series(meanAdoptionPct), '%'],
    ['Production gate pass rate', series(d => d.gate.passRatePct), '%'],
    ['Mean time to patch', series(d => d.metrics.meanTimeToPatchDays), ' d'],
    ['Mean time to rotate', series(d => d.metrics.meanTimeToRotateDays), ' d'],
    ['Mean time to remediate (runtime)', series(d => d.metrics.meanTimeToRemediateDays), ' d'],
    ['Open critical and high', series(d => d.metrics.openBySeverity.critical + d.metrics.openBySeverity.high)],
  ];
  return (
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' } }}>
      <StageTrendChart days={days} />
      <Box>
        {measures.map(([label, points, unit]) => (
          <Box key={label} sx={{ mb: 1 }}>
            <Typography variant="overline" component="p" sx={{ lineHeight: 1.5 }}>
              {label}
            </Typography>
            <Sparkline label={label} points={points} unit={unit} height={32} />
          </Box>
        ))}
      </Box>
    </Box>
  );
}
