import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityMetrics,
  EXERCISE_SCENARIOS,
  Exercise,
  RuntimeSignal,
} from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { devsecopsApiRef } from '../../api';

const DAY = 86_400_000;
const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');
const ageDays = (from: string, to = new Date().toISOString()) =>
  Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / DAY));

const SCENARIO_TITLES: Record<string, string> = {
  'leaked-secrets': 'Leaked secrets',
  'compromised-ci-token': 'Compromised CI token',
  'dependency-compromise': 'Dependency compromise',
  'cloud-account-abuse': 'Cloud account abuse',
};

/** Where a runtime signal stands on its timeline: detected → contained → remediated. */
function timelineState(signal: RuntimeSignal): string {
  if (signal.remediatedAt) return `remediated after ${ageDays(signal.detectedAt, signal.remediatedAt)} d`;
  if (signal.containedAt) return `contained, open ${ageDays(signal.detectedAt)} d`;
  return `open ${ageDays(signal.detectedAt)} d`;
}

function SignalsTable({ signals }: { signals: RuntimeSignal[] }) {
  if (signals.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No runtime alerts or incidents recorded. Monitoring posts them with{' '}
        <code>POST /api/devsecops/v1/runtime-signals</code>; open high or critical ones fail the
        runtime controls.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="runtime signals">
      <TableHead>
        <TableRow>
          <TableCell>Signal</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Detected</TableCell>
          <TableCell>Contained</TableCell>
          <TableCell>State</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {signals.map(signal => (
          <TableRow key={signal.id}>
            <TableCell>
              <Typography variant="body2">{signal.summary}</Typography>
              <Typography variant="caption" color="text.secondary">
                {signal.kind.replace(/-/g, ' ')} · {signal.source}
              </Typography>
            </TableCell>
            <TableCell>{signal.severity}</TableCell>
            <TableCell>{day(signal.detectedAt)}</TableCell>
            <TableCell>{day(signal.containedAt)}</TableCell>
            <TableCell>
              <Chip
                size="small"
                label={timelineState(signal)}
                color={signal.remediatedAt ? 'success' : 'warning'}
                variant="outlined"
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ExerciseList({ exercises, today }: { exercises: Exercise[]; today: string }) {
  const yearAgo = new Date(new Date(today).getTime() - 365 * DAY).toISOString().slice(0, 10);
  const held = new Set(exercises.filter(e => e.heldOn >= yearAgo).map(e => e.scenario));
  return (
    <Box>
      <Box sx={{ mb: 1 }} aria-label="scenarios held within a year">
        {EXERCISE_SCENARIOS.map(scenario => (
          <Chip
            key={scenario}
            size="small"
            sx={{ mr: 0.5, mb: 0.5 }}
            color={held.has(scenario) ? 'success' : 'default'}
            variant={held.has(scenario) ? 'filled' : 'outlined'}
            label={`${SCENARIO_TITLES[scenario]}: ${held.has(scenario) ? 'held' : 'not held'}`}
          />
        ))}
      </Box>
      {exercises.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No tabletop exercise recorded for this service or its team. Stage 4 asks for all four
          scenarios within a year; record one with <code>POST /api/devsecops/v1/exercises</code>.
        </Typography>
      ) : (
        exercises.map(exercise => (
          <Box key={exercise.id} sx={{ mb: 1.5 }}>
            <Typography variant="subtitle2">
              {SCENARIO_TITLES[exercise.scenario] ?? exercise.scenario} — {exercise.heldOn} (
              {parseEntityRef(exercise.scopeRef).name}, {exercise.participants.length} participants)
            </Typography>
            {exercise.findings.map(finding => (
              <Typography key={finding.title} variant="body2">
                • {finding.title}
                {finding.recurring ? ' (recurring)' : ''}
              </Typography>
            ))}
            {exercise.followUps.map(followUp => {
              const overdue = !followUp.done && followUp.due < today;
              let status = '';
              if (followUp.done) status = ' (done)';
              else if (overdue) status = ' (overdue)';
              return (
                <Typography
                  key={`${followUp.action}-${followUp.owner}`}
                  variant="body2"
                  color={overdue ? 'error' : 'text.secondary'}
                >
                  → {followUp.action} — {parseEntityRef(followUp.owner, { defaultKind: 'user' }).name}, due{' '}
                  {followUp.due}
                  {status}
                </Typography>
              );
            })}
          </Box>
        ))
      )}
    </Box>
  );
}

/**
 * Runtime: alerts and incidents with their response timeline and mean time to remediate, and the
 * tabletop exercises held for the service or its team.
 */
export function RuntimePanel({
  entityRef,
  ownerRef,
  metrics,
}: {
  entityRef: string;
  ownerRef?: string;
  metrics: EntityMetrics;
}) {
  const api = useApi(devsecopsApiRef);
  const { value, error } = useAsync(async () => {
    const scopes = [entityRef, ...(ownerRef ? [ownerRef] : [])];
    const [signals, ...exercisePages] = await Promise.all([
      api.listRuntimeSignals({ entity: entityRef, limit: 50 }),
      ...scopes.map(scope => api.listExercises({ scope, limit: 20 })),
    ]);
    const exercises = exercisePages
      .flatMap(p => p.items)
      .sort((a, b) => b.heldOn.localeCompare(a.heldOn));
    return { signals: signals.items, exercises };
  }, [api, entityRef, ownerRef]);

  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const today = new Date().toISOString().slice(0, 10);
  const open = value.signals.filter(s => !s.remediatedAt).length;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <Typography variant="subtitle1" component="h3">
          Alerts and incidents
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {open} open · mean time to remediate{' '}
          {metrics.meanTimeToRemediateDays === undefined
            ? '— (nothing remediated in the window)'
            : `${metrics.meanTimeToRemediateDays} d over ${metrics.remediatedCount ?? 0}`}
        </Typography>
        <SignalsTable signals={value.signals} />
      </Grid>
      <Grid item xs={12} md={5}>
        <Typography variant="subtitle1" component="h3">
          Tabletop exercises
        </Typography>
        <ExerciseList exercises={value.exercises} today={today} />
      </Grid>
    </Grid>
  );
}
