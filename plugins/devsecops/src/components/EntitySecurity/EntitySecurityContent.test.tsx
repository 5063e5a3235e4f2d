import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider, mockApis } from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { fireEvent, screen, within } from '@testing-library/react';
import { devsecopsApiRef } from '../../api';
import { fakeDevsecopsApi, fakeDevsecopsApiWithDast, sampleScorecard } from '../../testUtils/fakeDevsecopsApi';
import { EntitySecurityContent } from './EntitySecurityContent';
import { EntitySecurityCard } from './EntitySecurityCard';

// Rendering the tab and typing into its dialogs takes seconds on 2 cores shared with the rest of the suite.
jest.setTimeout(30_000);

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const render = (api = fakeDevsecopsApi(), element = <EntitySecurityContent />) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [devsecopsApiRef, api],
        [configApiRef, mockApis.config({ data: { backend: { baseUrl: 'https://portal.example.com' } } })],
      ]}
    >
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );

describe('EntitySecurityContent', () => {
  it('shows the stage, next steps, gate reasons, control states and findings', async () => {
    const listFindings = jest.fn(fakeDevsecopsApi().listFindings);
    await render(fakeDevsecopsApi({ listFindings }));

    expect(await screen.findByTestId('summary-stage')).toHaveTextContent('Stage 1 — Stabilize the basics');
    expect(screen.getByTestId('summary-next-step')).toHaveTextContent(
      'Next step: Move onto reusable CI/CD workflows. No observation of the shared (reusable) CI workflow.',
    );
    // The criteria are folded: one click shows them.
    fireEvent.click(screen.getByRole('button', { name: /every stage's criteria/ }));
    expect(screen.getByTestId('maturity-stage')).toHaveTextContent('Stage 1');
    expect(screen.getByRole('list', { name: 'next steps' })).toHaveTextContent('Move onto reusable CI/CD workflows');
    // Criteria reasons are sentences too: the fact's words, not its key.
    expect(screen.getByRole('list', { name: 'next steps' })).toHaveTextContent('No observation of the shared (reusable) CI workflow.');
    expect(screen.getByRole('list', { name: 'next steps' })).not.toHaveTextContent('ci.reusable_workflow');
    const gate = screen.getByRole('region', { name: 'production release gate' });
    expect(within(gate).getByText('Denied')).toBeInTheDocument();
    expect(within(gate).getByText(/CVE-2026-1/)).toBeInTheDocument();
    expect(within(screen.getByTestId('control-container-scan')).getByText('Failing')).toBeInTheDocument();
    expect(within(screen.getByTestId('control-sast')).getByText('Not reported')).toBeInTheDocument();
    expect(await screen.findByText('openssl: remote code execution')).toBeInTheDocument();
    // A reason's CVE links to the finding's row.
    const cveLink = within(screen.getByTestId('control-container-scan')).getByRole('link', { name: 'CVE-2026-1' });
    expect(cveLink).toHaveAttribute('href', '#finding-CVE-2026-1');
    expect(document.getElementById('finding-CVE-2026-1')).toHaveTextContent('openssl: remote code execution');
    expect(within(screen.getByRole('region', { name: 'Build controls' })).getByTestId('stage-count-build')).toHaveTextContent(
      '1 of 4 turned on, 0 passing',
    );
    expect(screen.getByRole('region', { name: 'Build controls' })).toHaveTextContent(
      'Fails when: Critical exploitable dependency with no exception',
    );
    const chain = await screen.findByRole('list', { name: 'evidence chain' });
    expect(chain).toHaveTextContent('commit 4f2c9a1d0b7e');
    expect(chain).toHaveTextContent('user:default/paula-payne (CHG-1042)');
    expect(screen.getByText(/Gaps: no signature verification recorded for this digest/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export audit package' })).toBeEnabled();
    expect(listFindings).toHaveBeenCalledWith(
      expect.objectContaining({ entity: 'component:default/payments-api', status: ['open'], orderBy: 'severity', limit: 10, offset: 0 }),
    );

    // Pagination is the backend's: the next page asks for the next offset.
    fireEvent.click(screen.getByRole('button', { name: /next page/i }));
    expect(listFindings).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 10 }));
  });

  it('says an entity without a production deployment has none yet (200 with the gap named, no error)', async () => {
    const getEvidenceChain = jest.fn(async () => ({
      entityRef: 'component:default/payments-api',
      environment: 'production',
      source: {},
      scans: [],
      evidenceLog: [],
      gaps: ['no production deployment of component:default/payments-api recorded'],
    }));
    await render(fakeDevsecopsApi({ getEvidenceChain }));
    expect(await screen.findByText(/No production deployment recorded yet/)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'evidence chain' })).not.toBeInTheDocument();
    expect(getEvidenceChain).toHaveBeenCalledWith({ entity: 'component:default/payments-api', environment: 'production' });
  });

  it('lists a control added only in app-config (dast) under its stage, from the scorecard', async () => {
    await render(fakeDevsecopsApiWithDast());
    const build = await screen.findByRole('region', { name: 'Build controls' });
    const dast = within(build).getByTestId('control-dast');
    expect(dast).toHaveTextContent('DAST');
    expect(within(dast).getByText('Failing')).toBeInTheDocument();
    expect(dast).toHaveTextContent('1 open finding(s) at high or above without an exception (ZAP-40012)');
    expect(within(dast).getByRole('button', { name: 'Request exception' })).toBeInTheDocument();
  });

  it("draws each metric's 90-day trend from the daily snapshots", async () => {
    const api = fakeDevsecopsApi();
    const getScorecardHistory = jest.spyOn(api, 'getScorecardHistory');
    await render(api);
    expect(await screen.findByRole('img', { name: 'Mean time to patch trend: 20 d on 2026-11-26 → 12.5 d on 2026-11-28' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Open findings trend: 5 on 2026-11-26 → 3 on 2026-11-28' })).toBeInTheDocument();
    // Nothing rotated in the window: said so rather than drawn as zero.
    expect(screen.getByRole('img', { name: 'Mean time to rotate trend: no data yet' })).toBeInTheDocument();
    expect(getScorecardHistory).toHaveBeenCalledWith('component:default/payments-api', 90);
  });

  it('says when there is no history yet', async () => {
    await render(fakeDevsecopsApi({ getScorecardHistory: async () => ({ entityRef: 'component:default/payments-api', snapshots: [] }) }));
    expect(await screen.findByText(/Trends appear once daily snapshots exist/)).toBeInTheDocument();
  });

  it('shows runtime signals with their timeline and the exercises held for the service or its team', async () => {
    const api = fakeDevsecopsApi();
    const listExercises = jest.spyOn(api, 'listExercises');
    await render(api);
    const signals = await screen.findByRole('table', { name: 'runtime signals' });
    expect(signals).toHaveTextContent('Exploit attempt against /pay blocked by WAF');
    expect(signals).toHaveTextContent('remediated after 3 d');
    expect(screen.getByText(/Leaked secrets — 2026-10-01 \(team-payments, 2 participants\)/)).toBeInTheDocument();
    expect(screen.getByText(/Write the rotation runbook — dana, due 2026-10-15 \(overdue\)/)).toBeInTheDocument();
    const scenarios = screen.getByLabelText('scenarios held within a year');
    expect(scenarios).toHaveTextContent('Leaked secrets: held');
    expect(scenarios).toHaveTextContent('Cloud account abuse: not held');
    expect(listExercises).toHaveBeenCalledWith({ scope: 'component:default/payments-api', limit: 20 });
    expect(listExercises).toHaveBeenCalledWith({ scope: 'group:default/team-payments', limit: 20 });
  });

  it('teaches how to upload from CI when there is no evidence at all', async () => {
    await render(
      fakeDevsecopsApi({
        getScorecard: async () => ({
          ...sampleScorecard,
          controls: sampleScorecard.controls.map(c => ({ ...c, state: 'not_reported' as const })),
          latestGateDecisions: [],
        }),
      }),
    );
    expect(await screen.findByText(/every control is/)).toBeInTheDocument();
    expect(screen.getAllByText(/https:\/\/portal\.example\.com\/api\/devsecops\/v1\/reports\?entity=component%3Adefault%2Fpayments-api/).length).toBeGreaterThan(0);
    // In the summary and in the release-gate card, which says how CD asks.
    expect(screen.getByText(/No release decision yet. CD asks before deploying/)).toBeInTheDocument();
    expect(screen.getByText('No release decision yet.')).toBeInTheDocument();
  });

  it('shows the backend error instead of an empty tab', async () => {
    await render(fakeDevsecopsApi({ getScorecard: async () => { throw new Error('devsecops backend unavailable'); } }));
    expect((await screen.findAllByText(/devsecops backend unavailable/)).length).toBeGreaterThan(0);
  });
});

describe('EntitySecurityCard', () => {
  it('summarises stage, production gate and open critical/high findings', async () => {
    await render(fakeDevsecopsApi(), <EntitySecurityCard />);
    expect(await screen.findByText('Stage 1')).toBeInTheDocument();
    expect(screen.getByText('Production gate: deny')).toBeInTheDocument();
    expect(screen.getByText('1 critical')).toBeInTheDocument();
    expect(screen.getByText('2 high')).toBeInTheDocument();
  });
});
