import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Exercise, ExerciseFollowUp } from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { devsecopsApiRef } from '../../api';
import { DemoDataNotice } from '../shared/DemoDataNotice';
import { RecordExerciseDialog } from './RecordExerciseDialog';

/** A follow-up's line: action, owner, due day, and who marked it done. */
function followUpText(f: ExerciseFollowUp) {
  const done = f.done ? ` — done${f.doneBy ? ` by ${f.doneBy}` : ''}${f.doneAt ? ` on ${f.doneAt.slice(0, 10)}` : ''}` : '';
  return `${f.action} (${f.owner}, due ${f.due})${done}`;
}

/**
 * Tabletop exercises across the org (or one team or service): record one, mark follow-ups done,
 * the follow-ups past their due day first, then each exercise and the recurring findings.
 */
export function ExercisesPage() {
  const api = useApi(devsecopsApiRef);
  const [recording, setRecording] = useState(false);
  const [typedScope, setTypedScope] = useState('');
  const [scope, setScope] = useState('');
  const [actionError, setActionError] = useState<string>();
  useDebounce(() => setScope(typedScope.trim()), 400, [typedScope]);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listExercises({ ...(scope ? { scope } : {}), limit: 100 }),
    [api, scope],
  );

  const mark = async (exercise: Pick<Exercise, 'id'>, index: number, done: boolean) => {
    setActionError(undefined);
    try {
      await api.setExerciseFollowUpDone(exercise.id, index, done);
      retry();
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  return (
    <Stack spacing={2}>
      <DemoDataNotice />
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap" useFlexGap>
        <Button variant="contained" onClick={() => setRecording(true)}>
          Record an exercise
        </Button>
        <TextField
          size="small"
          label="Team or service"
          placeholder="team-payments (empty: the whole org)"
          value={typedScope}
          onChange={e => setTypedScope(e.target.value)}
          sx={{ minWidth: 260 }}
        />
      </Stack>
      {actionError && (
        <Typography color="error" role="alert">
          {actionError}
        </Typography>
      )}
      {loading && !value && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          <InfoCard title={`Overdue follow-ups (${value.overdueFollowUps.length})`}>
            {value.overdueFollowUps.length === 0 ? (
              <Typography variant="body2">No follow-up is past its due day.</Typography>
            ) : (
              <Box component="ul" aria-label="overdue follow-ups" sx={{ pl: 0, m: 0, listStyle: 'none' }}>
                {value.overdueFollowUps.map(f => (
                  <Box component="li" key={`${f.exerciseId}-${f.index}`} sx={{ py: 0.5, overflowWrap: 'anywhere' }}>
                    <Typography variant="body2" component="span">
                      <strong>{f.daysOverdue} days overdue</strong>: {f.action} — {f.owner}, due {f.due} ({f.scenario} exercise of{' '}
                      {f.scopeRef} on {f.heldOn}){' '}
                    </Typography>
                    <Button size="small" onClick={() => mark({ id: f.exerciseId }, f.index, true)} aria-label={`Mark done: ${f.action}`}>
                      Mark done
                    </Button>
                  </Box>
                ))}
              </Box>
            )}
          </InfoCard>
          <InfoCard title={`Exercises (${value.totalCount})`}>
            {value.items.length === 0 && <Typography variant="body2">No exercise recorded{scope ? ` for ${scope}` : ''} yet.</Typography>}
            <Stack spacing={2} component="ul" sx={{ pl: 0, m: 0, listStyle: 'none' }} aria-label="exercises">
              {value.items.map(exercise => (
                <Box component="li" key={exercise.id} sx={{ overflowWrap: 'anywhere' }}>
                  <Typography variant="subtitle1" component="h3">
                    {exercise.scenario} — {exercise.scopeRef}, {exercise.heldOn}
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    Participants: {exercise.participants.join(', ')} · recorded by {exercise.recordedBy}
                  </Typography>
                  {exercise.findings.length > 0 && (
                    <Typography variant="body2">Findings: {exercise.findings.map(f => f.title).join('; ')}</Typography>
                  )}
                  {exercise.followUps.map((f, index) => (
                    <Box key={index}>
                      <FormControlLabel
                        control={<Checkbox size="small" checked={!!f.done} onChange={e => mark(exercise, index, e.target.checked)} />}
                        label={<Typography variant="body2">{followUpText(f)}</Typography>}
                      />
                    </Box>
                  ))}
                </Box>
              ))}
            </Stack>
          </InfoCard>
          {value.recurringFindings.length > 0 && (
            <InfoCard title="Recurring findings">
              <Box component="ul" sx={{ pl: 2.5, m: 0 }}>
                {value.recurringFindings.map(f => (
                  <li key={f.title}>
                    <Typography variant="body2">
                      {f.title}: {f.occurrences} exercise{f.occurrences === 1 ? '' : 's'} ({f.scenarios.join(', ')}), last {f.lastHeldOn}
                    </Typography>
                  </li>
                ))}
              </Box>
            </InfoCard>
          )}
        </>
      )}
      <RecordExerciseDialog open={recording} defaultScope={scope} onClose={() => setRecording(false)} onRecorded={retry} />
    </Stack>
  );
}
