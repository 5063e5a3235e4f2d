import {
  ControlResult,
  controlsReadByGate,
  EntityScorecard,
  GATE_REQUIREMENTS,
} from '@devsecops-scorecard/plugin-devsecops-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Fragment } from 'react';
import { controlAnchor, JumpLink } from '../shared/JumpLink';
import { ReasonText } from '../shared/ReasonText';

function ControlNames({ controls }: { controls: ControlResult[] }) {
  return (
    <>
      {controls.map((c, i) => (
        <Fragment key={c.controlId}>
          {i > 0 && ', '}
          <JumpLink targetId={controlAnchor(c.controlId)}>{c.title}</JumpLink>
        </Fragment>
      ))}
    </>
  );
}

/**
 * Why an allowed gate and a failing control are both true: a policy reads only its requirements'
 * controls. Names the failing controls the gate does not read, and what it does read.
 */
export function gateExplanation(scorecard: EntityScorecard): string | undefined {
  const failing = scorecard.controls.filter(c => c.state === 'failing');
  const notes = scorecard.latestGateDecisions.flatMap(decision => {
    const requirements = decision.requirements.map(r => r.requirement);
    const read = controlsReadByGate(requirements);
    const unread = failing.filter(c => !read.has(c.controlId));
    if (unread.length === 0) return [];
    const reads = requirements.map(r => GATE_REQUIREMENTS[r]?.label ?? r.replace(/_/g, ' ')).join('; ');
    const names = unread.map(c => c.title).join(', ');
    const verb = unread.length === 1 ? 'fails' : 'fail';
    const pronoun = unread.length === 1 ? 'it does' : 'they do';
    const consequence =
      decision.decision === 'allow' ? `, so ${pronoun} not stop the release.` : '; the denial comes from the requirements it reads.';
    return [`The ${decision.environment} gate (${decision.policy}) reads only ${reads}; ${names} ${verb} outside it${consequence}`];
  });
  return notes.length ? notes.join(' ') : undefined;
}

/**
 * The answer first: the release gate per environment, which controls fail, are stale or report
 * nothing (by name, each a link to its control), the stage and the one next step.
 */
export function SecuritySummary({
  scorecard,
  onRequestException,
}: {
  scorecard: EntityScorecard;
  onRequestException?: (control: ControlResult) => void;
}) {
  const byState = (state: ControlResult['state']) => scorecard.controls.filter(c => c.state === state);
  const failing = byState('failing');
  const stale = byState('stale');
  const notReported = byState('not_reported');
  const { maturity } = scorecard;
  const current = maturity.stages.find(s => s.stage === maturity.stage);
  const next = maturity.nextSteps[0];
  const explanation = gateExplanation(scorecard);

  return (
    <Paper variant="outlined" component="section" aria-label="security summary" sx={{ p: 2, overflowWrap: 'anywhere' }}>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 3fr) minmax(0, 2fr)' } }}>
        <Stack spacing={1}>
          <Typography variant="h6" component="h2">
            {failing.length === 0
              ? 'No control fails'
              : `${failing.length} control${failing.length === 1 ? '' : 's'} failing`}
          </Typography>
          {failing.length > 0 && (
            <Box component="ul" aria-label="failing controls" sx={{ m: 0, pl: 2.5 }}>
              {failing.map(control => (
                <li key={control.controlId} data-testid={`summary-failing-${control.controlId}`}>
                  <Typography variant="body2" component="div">
                    <JumpLink targetId={controlAnchor(control.controlId)}>
                      <strong>{control.title}</strong>
                    </JumpLink>
                    : <ReasonText reason={control.reason} />
                    {onRequestException && (
                      <Button size="small" sx={{ ml: 1, py: 0 }} onClick={() => onRequestException(control)}>
                        Request exception
                      </Button>
                    )}
                  </Typography>
                </li>
              ))}
            </Box>
          )}
          <Typography variant="body2" data-testid="summary-stale">
            <strong>{stale.length} stale</strong>
            {stale.length > 0 && (
              <>
                {' '}(evidence older than the control's window): <ControlNames controls={stale} />
              </>
            )}
          </Typography>
          <Typography variant="body2" data-testid="summary-not-reported">
            <strong>{notReported.length} not reported</strong>
            {notReported.length > 0 && (
              <>
                {' '}(no evidence yet, never counted as passing): <ControlNames controls={notReported} />
              </>
            )}
          </Typography>
        </Stack>
        <Stack spacing={1}>
          <Box>
            <Typography variant="subtitle2" component="h3">
              Release gate
            </Typography>
            {scorecard.latestGateDecisions.length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                No release decision yet.
              </Typography>
            ) : (
              <Stack direction="row" gap={1} flexWrap="wrap" aria-label="release gate per environment" component="ul" sx={{ m: 0, p: 0, listStyle: 'none' }}>
                {scorecard.latestGateDecisions.map(d => (
                  <li key={d.id}>
                    <Chip
                      size="small"
                      label={`${d.environment}: ${d.decision === 'allow' ? 'allowed' : 'denied'}`}
                      color={d.decision === 'allow' ? 'success' : 'error'}
                    />
                  </li>
                ))}
              </Stack>
            )}
            {explanation && (
              <Typography variant="caption" color="text.secondary" display="block" mt={0.5} data-testid="gate-explanation">
                {explanation}
              </Typography>
            )}
          </Box>
          <Box>
            <Typography variant="subtitle2" component="h3" data-testid="summary-stage">
              Stage {maturity.stage}
              {current ? ` — ${current.title}` : ' — not yet at stage 1'}
            </Typography>
            <Typography variant="caption" color="text.secondary" display="block">
              A stage counts controls turned on (reporting fresh evidence, passing or failing) unless its
              criterion asks for passing; failing controls can sit in a reached stage.
            </Typography>
            {next && (
              <Typography variant="body2" mt={0.5} data-testid="summary-next-step">
                <strong>Next step:</strong> {next.title}. <ReasonText reason={next.reason} />
              </Typography>
            )}
          </Box>
        </Stack>
      </Box>
    </Paper>
  );
}
