import { renderInTestApp } from '@backstage/test-utils';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { sampleScorecard } from '../../testUtils/fakeDevsecopsApi';
import { gateExplanation, SecuritySummary } from './SecuritySummary';

const withStates = (states: Record<string, EntityScorecard['controls'][number]['state']>, reasons: Record<string, string> = {}) => ({
  ...sampleScorecard,
  controls: sampleScorecard.controls.map(c => ({
    ...c,
    state: states[c.controlId] ?? 'passing',
    reason: reasons[c.controlId] ?? c.reason,
  })),
});

describe('SecuritySummary', () => {
  it('names the failing, stale and not-reported controls, the gate per environment, the stage and the next step', async () => {
    const onRequestException = jest.fn();
    await renderInTestApp(
      <SecuritySummary
        scorecard={withStates(
          { 'container-scan': 'failing', 'dependency-scan': 'failing', sast: 'stale', sbom: 'not_reported', 'iac-lint': 'not_reported' },
          { 'dependency-scan': '1 open finding(s) at critical or above without an exception (CVE-2026-7)' },
        )}
        onRequestException={onRequestException}
      />,
    );
    expect(screen.getByRole('heading', { name: '2 controls failing' })).toBeInTheDocument();
    const failing = screen.getByRole('list', { name: 'failing controls' });
    expect(within(failing).getAllByRole('listitem').map(li => li.textContent)).toEqual([
      expect.stringMatching(/^Dependency scan: 1 open finding\(s\) at critical or above without an exception \(CVE-2026-7\)\.Request exception$/),
      expect.stringMatching(/^Container scan: 1 open finding\(s\) at critical or above without an exception \(CVE-2026-1\)\.Request exception$/),
    ]);
    // Names link to their control; ids link to the finding rows.
    expect(within(failing).getByRole('link', { name: 'Dependency scan' })).toHaveAttribute('href', '#control-dependency-scan');
    expect(within(failing).getByRole('link', { name: 'CVE-2026-7' })).toHaveAttribute('href', '#finding-CVE-2026-7');
    fireEvent.click(within(screen.getByTestId('summary-failing-container-scan')).getByRole('button', { name: 'Request exception' }));
    expect(onRequestException).toHaveBeenCalledWith(expect.objectContaining({ controlId: 'container-scan' }));

    expect(screen.getByTestId('summary-stale')).toHaveTextContent("1 stale (evidence older than the control's window): SAST");
    expect(screen.getByTestId('summary-not-reported')).toHaveTextContent('2 not reported (no evidence yet, never counted as passing): IaC lint, SBOM');
    expect(screen.getByRole('list', { name: 'release gate per environment' })).toHaveTextContent('production: denied');
    expect(screen.getByTestId('summary-stage')).toHaveTextContent('Stage 1 — Stabilize the basics');
    expect(screen.getByText(/A stage counts controls turned on/)).toBeInTheDocument();
    expect(screen.getByTestId('summary-next-step')).toHaveTextContent('Next step: Move onto reusable CI/CD workflows.');
  });

  it('says when nothing fails and nothing was decided', async () => {
    await renderInTestApp(<SecuritySummary scorecard={{ ...withStates({}), latestGateDecisions: [] }} />);
    expect(screen.getByRole('heading', { name: 'No control fails' })).toBeInTheDocument();
    expect(screen.getByTestId('summary-stale')).toHaveTextContent(/^0 stale$/);
    expect(screen.getByText('No release decision yet.')).toBeInTheDocument();
    expect(screen.queryByTestId('gate-explanation')).not.toBeInTheDocument();
  });
});

describe('gateExplanation', () => {
  const allowed = (states: Record<string, 'failing' | 'passing'>) => {
    const scorecard = withStates(states);
    return {
      ...scorecard,
      latestGateDecisions: scorecard.latestGateDecisions.map(d => ({
        ...d,
        decision: 'allow' as const,
        requirements: [{ requirement: 'container_critical_vulns', expected: 'none', passed: true, reason: 'ok', evidence: [] }],
      })),
    };
  };

  it('explains an allowed gate next to a control it does not read', () => {
    expect(gateExplanation(allowed({ 'dependency-scan': 'failing' }))).toBe(
      'The production gate (production_release) reads only no critical vulnerabilities in the container scan (or an approved exception); ' +
        'Dependency scan fails outside it, so it does not stop the release.',
    );
  });

  it('says nothing when every failing control is one the gate reads', () => {
    expect(gateExplanation(allowed({ 'container-scan': 'failing' }))).toBeUndefined();
  });
});
