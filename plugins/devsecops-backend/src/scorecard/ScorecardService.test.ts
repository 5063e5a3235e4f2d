import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { testEntities } from '../__testUtils__/testBackend';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { EntityResolver } from '../catalog/EntityResolver';
import * as evaluation from '../evaluate/scorecard';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { applyMigrations } from '../store/migrations';
import { ReportStore } from '../store/ReportStore';
import { SummaryStore } from '../store/SummaryStore';
import { ScorecardService } from './ScorecardService';

// The real evaluator, watched: a stored read must not call it.
jest.mock('../evaluate/scorecard', () => {
  const actual = jest.requireActual('../evaluate/scorecard');
  return { ...actual, evaluateEntity: jest.fn(actual.evaluateEntity) };
});
const evaluateSpy = evaluation.evaluateEntity as jest.MockedFunction<typeof evaluation.evaluateEntity>;

jest.setTimeout(60_000);

const databases = TestDatabases.create();
const REF = 'component:default/payments-api';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const withoutTime = (s: EntityScorecard) => ({ ...s, evaluatedAt: undefined });

describe.each(databases.eachSupportedId())('stored scorecards on %p', databaseId => {
  it('stay stored reads across an exception expiry and a freshness boundary, and are what an evaluation gives', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const catalog = catalogServiceMock({ entities: testEntities });
    const auth = mockServices.auth();
    const facts = new FactStore(knex);
    const summaries = new SummaryStore(knex);
    const settings = readScorecardConfig(new ConfigReader({}));
    const freshnessDays = settings.evaluation.controls.find(c => c.id === 'code-review')!.freshnessDays;
    let now = new Date('2026-11-28T12:00:00Z');
    const expiresAt = '2026-11-28T12:05:00.000Z';
    // The review fact leaves code-review's freshness window at 13:00 (plus the millisecond of `>`).
    const staleAt = new Date('2026-11-28T13:00:00Z');
    const observedAt = new Date(staleAt.getTime() - freshnessDays * DAY_MS).toISOString();
    const loadSpy = jest.fn();
    const service = new ScorecardService({
      logger: mockServices.logger.mock(),
      settings,
      entities: new EntityResolver(catalog, auth),
      reports: new ReportStore(knex),
      findings: new FindingStore(knex),
      facts,
      deployments: new DeploymentStore(knex),
      decisions: new GateDecisionStore(knex),
      summaries,
      exceptions: {
        activeFor: async (_ref, at) => {
          loadSpy(at.toISOString());
          return at.toISOString() < expiresAt
            ? [{ id: 'x1', control: 'code-review', approvedAt: '2026-11-27T00:00:00.000Z', expiresAt }]
            : [];
        },
      },
      now: () => now,
    });
    await knex.transaction(tx =>
      facts.insert(tx, [
        {
          entityRef: REF,
          fact: 'branch_protection.required_reviews',
          value: 0,
          source: 'test',
          observedAt,
          recordedBy: 'test',
          recordedAt: observedAt,
        },
      ]),
    );
    const read = () => service.scorecard({ entityRef: 'payments-api' });
    const codeReview = (s: EntityScorecard) => s.controls.find(c => c.controlId === 'code-review')!;
    const storedState = async () => (await summaries.get([REF]))[0].controlStates['code-review'];

    // The write's refresh (onEvidenceChanged) stores it with the instant it next changes.
    await service.refresh(REF);
    expect((await summaries.expiringBefore(new Date('2027-01-01T00:00:00Z'), 10))[0].validUntil.toISOString()).toBe(expiresAt);
    evaluateSpy.mockClear();
    loadSpy.mockClear();
    expect(codeReview(await read()).state).toBe('excepted');

    // The job, a few minutes before the expiry, stores the scorecard as it will be after it.
    now = new Date('2026-11-28T12:01:00Z');
    expect(await service.refreshAhead({ ms: 10 * 60_000 })).toEqual({ promoted: 0, ahead: 1, late: 0 });
    expect(loadSpy).toHaveBeenCalledWith(expiresAt); // evidence read as of the instant itself
    evaluateSpy.mockClear();
    loadSpy.mockClear();

    now = new Date('2026-11-28T12:05:00.001Z'); // just past the expiry, no job run since
    const afterExpiry = await read();
    expect(codeReview(afterExpiry).state).toBe('failing');
    expect(codeReview(afterExpiry).reason).not.toMatch(/exception/i);
    expect(evaluateSpy).not.toHaveBeenCalled();
    expect(loadSpy).not.toHaveBeenCalled();

    // Later runs make it current (roll-ups read the summary columns) and store the stale one ahead.
    now = new Date('2026-11-28T12:52:00Z');
    expect(await service.refreshAhead({ ms: 10 * 60_000 })).toEqual({ promoted: 1, ahead: 1, late: 0 });
    expect(await storedState()).toBe('failing');
    evaluateSpy.mockClear();
    loadSpy.mockClear();

    now = new Date(staleAt.getTime()); // the window's last instant: still fresh
    expect(codeReview(await read()).state).toBe('failing');
    now = new Date(staleAt.getTime() + 1);
    const afterWindow = await read();
    expect(codeReview(afterWindow).state).toBe('stale');
    expect(evaluateSpy).not.toHaveBeenCalled();
    expect(loadSpy).not.toHaveBeenCalled();

    // Both stored reads equal a fresh evaluation at the same instants.
    const atExpiry = new Date('2026-11-28T12:05:00.001Z');
    now = atExpiry;
    expect(withoutTime(afterExpiry)).toEqual(withoutTime(await service.refresh(REF)));
    now = new Date(staleAt.getTime() + 1);
    expect(withoutTime(afterWindow)).toEqual(withoutTime(await service.refresh(REF)));
    expect(afterWindow.evaluatedAt).toBe(new Date(staleAt.getTime() + 1).toISOString());
  });

  it('re-evaluates a scorecard whose instant passed while the job was not running, and a write drops what was stored ahead', async () => {
    const knex = await databases.init(databaseId);
    await applyMigrations(knex);
    const summaries = new SummaryStore(knex);
    let now = new Date('2026-11-28T12:00:00Z');
    const expiresAt = '2026-11-28T12:05:00.000Z';
    const service = new ScorecardService({
      logger: mockServices.logger.mock(),
      settings: readScorecardConfig(new ConfigReader({})),
      entities: new EntityResolver(catalogServiceMock({ entities: testEntities }), mockServices.auth()),
      reports: new ReportStore(knex),
      findings: new FindingStore(knex),
      facts: new FactStore(knex),
      deployments: new DeploymentStore(knex),
      decisions: new GateDecisionStore(knex),
      summaries,
      exceptions: {
        activeFor: async (_ref, at) =>
          at.toISOString() < expiresAt
            ? [{ id: 'x1', control: 'code-review', approvedAt: '2026-11-27T00:00:00.000Z', expiresAt }]
            : [],
      },
      now: () => now,
    });
    await service.refresh(REF);
    await service.refreshAhead({ ms: 10 * 60_000 });
    // New evidence: the write's refresh replaces what the job stored ahead.
    await service.refresh(REF);
    expect(await summaries.expiringBefore(new Date('2026-11-28T12:10:00Z'), 10)).toHaveLength(1);
    now = new Date('2026-11-28T12:30:00Z'); // the job missed 12:05
    expect(await service.refreshAhead({ ms: 10 * 60_000 })).toEqual({ promoted: 0, ahead: 0, late: 1 });
    const row = (await summaries.get([REF]))[0];
    expect(row.evaluatedAt).toBe('2026-11-28T12:30:00.000Z');
    expect(await summaries.expiringBefore(new Date('2026-11-28T12:40:00Z'), 10)).toHaveLength(0);
  });
});
