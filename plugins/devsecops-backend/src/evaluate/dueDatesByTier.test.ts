import { ConfigReader } from '@backstage/config';
import { DEFAULT_SLA_DAYS } from '../config/defaults';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { slaDaysFor, findingDueAt } from './dueDates';
import { computeMetrics } from './metrics';
import { nextChangeAt } from './nextChange';
import { EntityEvidence, OpenFinding, SeverityPolicy } from './types';

const NOW = new Date('2026-12-06T12:00:00Z');
const DAY_MS = 86_400_000;

const POLICY: SeverityPolicy = {
  slaDays: DEFAULT_SLA_DAYS, // critical 7, high 30
  byLifecycle: { experimental: { critical: 30 }, production: { critical: 3 } },
  byTier: { critical: { critical: 1, high: 7 } },
  configured: true,
};

function evidence(entity: Partial<EntityEvidence['entity']>, openFindings: OpenFinding[]): EntityEvidence {
  return {
    entity: { entityRef: 'component:default/payments-api', kind: 'Component', ...entity },
    reports: [],
    openFindings,
    resolvedFindings: [],
    facts: [],
    deployments: [],
    gateDecisions: [],
    exceptions: [],
    signatures: [],
  };
}

const critical = (ageDays: number): OpenFinding => ({
  id: `f${ageDays}`,
  control: 'dependency-scan',
  severity: 'critical',
  ruleId: `CVE-${ageDays}`,
  fingerprint: `fp-${ageDays}`,
  kind: 'sca',
  firstSeenAt: new Date(NOW.getTime() - ageDays * DAY_MS).toISOString(),
});

describe('SLA days per lifecycle and tier', () => {
  it('the tier annotation overrides the lifecycle, which overrides the severity SLA, per severity', () => {
    expect(slaDaysFor(POLICY, undefined)).toEqual(DEFAULT_SLA_DAYS);
    expect(slaDaysFor(POLICY, { lifecycle: 'deprecated' })).toEqual(DEFAULT_SLA_DAYS);
    expect(slaDaysFor(POLICY, { lifecycle: 'experimental' })).toEqual({ ...DEFAULT_SLA_DAYS, critical: 30 });
    expect(slaDaysFor(POLICY, { lifecycle: 'production' })).toEqual({ ...DEFAULT_SLA_DAYS, critical: 3 });
    // The tier names critical and high; medium keeps the severity SLA.
    expect(slaDaysFor(POLICY, { lifecycle: 'experimental', tier: 'critical' })).toEqual({ ...DEFAULT_SLA_DAYS, critical: 1, high: 7 });
    expect(slaDaysFor(POLICY, { lifecycle: 'production', tier: 'unknown-tier' })).toEqual({ ...DEFAULT_SLA_DAYS, critical: 3 });
    const f = { firstSeenAt: '2026-12-01T00:00:00.000Z', severity: 'critical' as const };
    expect(findingDueAt(f, slaDaysFor(POLICY, { lifecycle: 'experimental' }))).toBe('2026-12-31T00:00:00.000Z');
    expect(findingDueAt(f, slaDaysFor(POLICY, { lifecycle: 'production', tier: 'critical' }))).toBe('2026-12-02T00:00:00.000Z');
  });

  it('past-SLA counts with the same due date: a 5-day-old critical is past SLA in production, not in experimental', () => {
    const finding = [critical(5)];
    expect(computeMetrics(evidence({ lifecycle: 'production' }, finding), POLICY, NOW).pastSla.critical).toBe(1);
    expect(computeMetrics(evidence({ lifecycle: 'experimental' }, finding), POLICY, NOW).pastSla.critical).toBe(0);
    expect(computeMetrics(evidence({}, finding), POLICY, NOW).pastSla.critical).toBe(0); // 7 days
    expect(computeMetrics(evidence({ lifecycle: 'experimental', tier: 'critical' }, [critical(2)]), POLICY, NOW).pastSla.critical).toBe(1);
  });

  it('the stored scorecard changes when the entity SLA passes, not the default one', () => {
    const config = { controls: [], severityPolicy: POLICY, metricTargets: { meanTimeToPatchDays: 30, meanTimeToRotateDays: 7, meanExceptionAgeDays: 90, windowDays: 90 }, stages: [] };
    const next = nextChangeAt(evidence({ lifecycle: 'experimental', tier: 'critical' }, [critical(0)]), config, NOW);
    expect(next?.toISOString()).toBe(new Date(NOW.getTime() + DAY_MS + 1).toISOString());
  });

  it('reads devsecops.severityPolicy.byLifecycle and byTier; refuses a non-number', () => {
    const settings = readScorecardConfig(
      new ConfigReader({
        devsecops: { severityPolicy: { byLifecycle: { experimental: { critical: 30 } }, byTier: { critical: { critical: 1 } } } },
      }),
    );
    expect(settings.evaluation.severityPolicy).toEqual({
      slaDays: DEFAULT_SLA_DAYS,
      byLifecycle: { experimental: { critical: 30 } },
      byTier: { critical: { critical: 1 } },
      configured: true,
    });
    expect(() =>
      readScorecardConfig(new ConfigReader({ devsecops: { severityPolicy: { byTier: { critical: { critical: 'soon' } } } } })),
    ).toThrow(/severityPolicy\.byTier\.critical\.critical/);
    expect(() =>
      readScorecardConfig(new ConfigReader({ devsecops: { severityPolicy: { byTier: { critical: { urgent: 1 } } } } })),
    ).toThrow(/severityPolicy\.byTier\.critical/);
  });
});
