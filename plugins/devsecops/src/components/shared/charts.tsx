import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** One value per day; undefined where there is nothing to measure (no patch that day). */
export interface TrendPoint {
  day: string;
  value?: number;
}

export const STAGE_KEYS = ['0', '1', '2', '3', '4'] as const;

/** Stage 0 (nothing yet) to 4 (measured and improving): red through green, readable on white. */
export const STAGE_COLORS: Record<(typeof STAGE_KEYS)[number], string> = {
  '0': '#9e9e9e',
  '1': '#e57373',
  '2': '#ffb74d',
  '3': '#64b5f6',
  '4': '#66bb6a',
};

const shortDay = (day: string) => day.slice(5);

/**
 * How a series moved, in words: the chart's text alternative for screen readers and tests, and
 * the caption sighted users read at a glance.
 */
export function describeTrend(points: TrendPoint[], unit = ''): string {
  const measured = points.filter(p => p.value !== undefined) as Array<Required<TrendPoint>>;
  if (measured.length === 0) return 'no data yet';
  const first = measured[0];
  const last = measured[measured.length - 1];
  const fmt = (v: number) => `${Math.round(v * 10) / 10}${unit}`;
  if (measured.length === 1 || first.value === last.value) {
    return `${fmt(last.value)} since ${first.day}`;
  }
  return `${fmt(first.value)} on ${first.day} → ${fmt(last.value)} on ${last.day}`;
}

/** A small line of one metric over time, with its trend in words underneath. */
export function Sparkline({
  label,
  points,
  unit = '',
  height = 40,
}: {
  label: string;
  points: TrendPoint[];
  unit?: string;
  height?: number;
}) {
  const theme = useTheme();
  const summary = describeTrend(points, unit);
  const measured = points.filter(p => p.value !== undefined).length;
  return (
    <Box role="img" aria-label={`${label} trend: ${summary}`} sx={{ mt: 1 }}>
      {measured > 1 && (
        <Box aria-hidden sx={{ height }}>
          <ResponsiveContainer width="100%" height={height}>
            <LineChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 2, bottom: 2, left: 2 }}>
              <YAxis hide domain={['auto', 'auto']} />
              <Tooltip
                formatter={(value: unknown) => [`${value}${unit}`, label]}
                labelFormatter={(day: unknown) => String(day)}
              />
              <Line
                type="monotone"
                dataKey="value"
                stroke={theme.palette.primary.main}
                strokeWidth={2}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </Box>
      )}
      <Typography variant="caption" color="text.secondary" component="p">
        {summary}
      </Typography>
    </Box>
  );
}

/** How many entities were at each stage, day by day, as stacked areas. */
export function StageTrendChart({
  days,
}: {
  days: Array<{ day: string; stageDistribution: Record<string, number> }>;
}) {
  const data = days.map(d => ({ day: d.day, ...d.stageDistribution }));
  const first = days[0];
  const last = days[days.length - 1];
  const atLeast3 = (d?: { stageDistribution: Record<string, number> }) =>
    d ? (d.stageDistribution['3'] ?? 0) + (d.stageDistribution['4'] ?? 0) : 0;
  const summary =
    days.length === 0
      ? 'No daily snapshots yet: the first is written tonight.'
      : `Services at stage 3 or 4: ${atLeast3(first)} on ${first.day}, ${atLeast3(last)} on ${last.day}.`;
  return (
    <Box role="img" aria-label={`Stage distribution over time. ${summary}`}>
      {days.length > 1 && (
        <Box aria-hidden sx={{ height: 220 }}>
          <ResponsiveContainer width="100%" height={220}>
            <AreaChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} fontSize={12} />
              <YAxis allowDecimals={false} fontSize={12} />
              <Tooltip />
              <Legend formatter={(value: string) => `Stage ${value}`} />
              {STAGE_KEYS.map(stage => (
                <Area
                  key={stage}
                  type="monotone"
                  dataKey={stage}
                  stackId="stages"
                  stroke={STAGE_COLORS[stage]}
                  fill={STAGE_COLORS[stage]}
                  fillOpacity={0.8}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </Box>
      )}
      <Typography variant="caption" color="text.secondary" component="p">
        {summary}
      </Typography>
    </Box>
  );
}

/** Entities per stage for each group, as stacked horizontal bars. */
export function StageByGroupChart({
  rows,
}: {
  rows: Array<{ group: string; stages: Record<string, number> }>;
}) {
  const data = rows.map(r => ({ group: r.group, ...r.stages }));
  const summary = rows
    .map(r => `${r.group}: ${STAGE_KEYS.filter(s => r.stages[s]).map(s => `${r.stages[s]} at stage ${s}`).join(', ') || 'no services'}`)
    .join('; ');
  return (
    <Box role="img" aria-label={`Stage distribution by group. ${summary}`}>
      <Box aria-hidden sx={{ height: Math.max(120, 36 * rows.length + 48) }}>
        <ResponsiveContainer width="100%" height={Math.max(120, 36 * rows.length + 48)}>
          <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} fontSize={12} />
            <YAxis type="category" dataKey="group" width={140} fontSize={12} />
            <Tooltip />
            <Legend formatter={(value: string) => `Stage ${value}`} />
            {STAGE_KEYS.map(stage => (
              <Bar key={stage} dataKey={stage} stackId="stages" fill={STAGE_COLORS[stage]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </Box>
    </Box>
  );
}
