import { FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';
import { DEFAULT_SLA_DAYS } from '../config/defaults';
import { computeMetrics } from './metrics';
import {
  EntityEvidence,
  ExceptionCover,
  OpenFinding,
  ResolvedFinding,
  SeverityPolicy,
} from './types';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const daysAhead = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();

const POLICY: SeverityPolicy = { slaDays: DEFAULT_SLA_DAYS, configured: true };
const ZERO = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

function evidence(partial: Partial<EntityEvidence> = {}): EntityEvidence {
  return {
    entity: { entityRef: 'component:default/payments-api', kind: 'Component', type: 'service' },
    reports: [],
    openFindings: [],
    resolvedFindings: [],
    facts: [],
    deployments: [],
    gateDecisions: [],
    exceptions: [],
    signatures: [],
    ...partial,
  };
}

/** A finding resolved `tookMs` after it was first seen, resolved `resolvedDaysAgo` days before now. */
function resolved(kind: string, severity: FindingSeverity, tookMs: number, resolvedDaysAgo = 1): ResolvedFinding {
  const resolvedAt = new Date(NOW.getTime() - resolvedDaysAgo * DAY_MS);
  return {
    kind,
    severity,
    firstSeenAt: new Date(resolvedAt.getTime() - tookMs).toISOString(),
    resolvedAt: resolvedAt.toISOString(),
  };
}

let nextId = 0;
function open(severity: FindingSeverity, ageDays: number, kind = 'sca'): OpenFinding {
  nextId++;
  return {
    id: `f${nextId}`,
    control: 'dependency-scan',
    severity,
    ruleId: `rule-${nextId}`,
    fingerprint: `fp-${nextId}`,
    kind,
    firstSeenAt: daysAgo(ageDays),
  };
}

function exception(id: string, approvedDaysAgo: number, expiresAt = daysAhead(30)): ExceptionCover {
  return { id, control: 'dependency-scan', approvedAt: daysAgo(approvedDaysAgo), expiresAt };
}

describe('computeMetrics', () => {
  it('has no means and zero counts when there is no data', () => {
    const metrics = computeMetrics(evidence(), POLICY, NOW);
    expect(metrics).toEqual({
      meanTimeToPatchDays: undefined,
      patchedCount: 0,
      meanTimeToRotateDays: undefined,
      rotatedCount: 0,
      pastSla: ZERO,
      openBySeverity: ZERO,
      meanExceptionAgeDays: undefined,
    });
  });

  it('measures mean time to patch over critical and high sca findings only', () => {
    const metrics = computeMetrics(
      evidence({
        resolvedFindings: [
          resolved('sca', 'critical', 10 * DAY_MS),
          resolved('sca', 'high', 20 * DAY_MS),
          // Not counted: lower severities, other kinds.
          resolved('sca', 'medium', 200 * DAY_MS),
          resolved('sca', 'low', 300 * DAY_MS),
          resolved('iac', 'high', 90 * DAY_MS),
          resolved('sast', 'critical', 90 * DAY_MS),
          resolved('secret', 'critical', 1 * DAY_MS),
        ],
      }),
      POLICY,
      NOW,
    );
    expect(metrics.meanTimeToPatchDays).toBe(15);
    expect(metrics.patchedCount).toBe(2);
  });

  it('has no mean time to patch when only lower severities or other kinds were resolved', () => {
    const metrics = computeMetrics(
      evidence({ resolvedFindings: [resolved('sca', 'medium', DAY_MS), resolved('iac', 'critical', DAY_MS)] }),
      POLICY,
      NOW,
    );
    expect(metrics.meanTimeToPatchDays).toBeUndefined();
    expect(metrics.patchedCount).toBe(0);
  });

  it('measures mean time to rotate over secret findings only, any severity', () => {
    const metrics = computeMetrics(
      evidence({
        resolvedFindings: [
          resolved('secret', 'critical', 1 * DAY_MS),
          resolved('secret', 'low', 2 * DAY_MS),
          resolved('sca', 'critical', 40 * DAY_MS),
          resolved('sast', 'high', 40 * DAY_MS),
        ],
      }),
      POLICY,
      NOW,
    );
    expect(metrics.meanTimeToRotateDays).toBe(1.5);
    expect(metrics.rotatedCount).toBe(2);
    expect(metrics.meanTimeToPatchDays).toBe(40);
    expect(metrics.patchedCount).toBe(1);
  });

  it('rounds the means to 0.1 day', () => {
    const metrics = computeMetrics(
      evidence({
        resolvedFindings: [
          // (24 h + 32 h) / 2 = 28 h = 1.1666… days → 1.2
          resolved('sca', 'high', 24 * HOUR_MS),
          resolved('sca', 'high', 32 * HOUR_MS),
          // 8 h = 0.333… day → 0.3
          resolved('secret', 'high', 8 * HOUR_MS),
        ],
        // 10 d 3 h = 10.125 days → 10.1
        exceptions: [{ id: 'ex', approvedAt: new Date(NOW.getTime() - 10 * DAY_MS - 3 * HOUR_MS).toISOString(), expiresAt: daysAhead(5) }],
      }),
      POLICY,
      NOW,
    );
    expect(metrics.meanTimeToPatchDays).toBe(1.2);
    expect(metrics.meanTimeToRotateDays).toBe(0.3);
    expect(metrics.meanExceptionAgeDays).toBe(10.1);
  });

  it('counts open findings by severity and those past their severity SLA', () => {
    const metrics = computeMetrics(
      evidence({
        openFindings: [
          open('critical', 8), // past 7
          open('critical', 6),
          open('critical', 7), // exactly on the SLA: not past
          open('high', 31), // past 30
          open('high', 29),
          open('medium', 91), // past 90
          open('low', 179),
          open('info', 366), // past 365
        ],
      }),
      POLICY,
      NOW,
    );
    expect(metrics.openBySeverity).toEqual({ critical: 3, high: 2, medium: 1, low: 1, info: 1 });
    expect(metrics.pastSla).toEqual({ critical: 1, high: 1, medium: 1, low: 0, info: 1 });
  });

  it('uses the configured slaDays, not the defaults', () => {
    const findings = [open('critical', 2), open('high', 5), open('low', 100)];
    const strict: SeverityPolicy = {
      slaDays: { critical: 1, high: 3, medium: 10, low: 50, info: 100 },
      configured: true,
    };
    expect(computeMetrics(evidence({ openFindings: findings }), strict, NOW).pastSla).toEqual({
      ...ZERO,
      critical: 1,
      high: 1,
      low: 1,
    });
    expect(computeMetrics(evidence({ openFindings: findings }), POLICY, NOW).pastSla).toEqual(ZERO);
  });

  it('ignores approved exceptions past their expiry in the active list (the lapsed list carries them)', () => {
    const metrics = computeMetrics(
      evidence({
        exceptions: [
          exception('active-10', 10),
          exception('active-20', 20),
          exception('expired', 300, daysAgo(1)),
          exception('expires-now', 400, NOW.toISOString()),
        ],
      }),
      POLICY,
      NOW,
    );
    expect(metrics.meanExceptionAgeDays).toBe(15);
  });

  it('measures exception age over active exceptions and those that lapsed within the window, each until it lapsed', () => {
    const metrics = computeMetrics(
      evidence({
        // Active, approved 40 days ago: 40.
        exceptions: [exception('active', 40)],
        lapsedExceptions: [
          // Approved 120 days ago, revoked 20 days ago (within the window): 100, its age when it lapsed.
          { id: 'revoked', approvedAt: daysAgo(120), lapsedAt: daysAgo(20) },
          // Approved 70 days ago, expired at NOW (the edge): 70.
          { id: 'expired', approvedAt: daysAgo(70), lapsedAt: NOW.toISOString() },
        ],
      }),
      POLICY,
      NOW,
      180,
    );
    expect(metrics.meanExceptionAgeDays).toBe(70); // (40 + 100 + 70) / 3
  });

  it('keeps a lapsed exception at the age it reached, so the lapse never lowers the mean', () => {
    const old = exception('old', 100);
    const young = exception('young', 10);
    const kept = computeMetrics(evidence({ exceptions: [old, young] }), POLICY, NOW);
    // Revoked now: it leaves the active list for the lapsed one, with its lapse time.
    const revoked = computeMetrics(
      evidence({ exceptions: [young], lapsedExceptions: [{ id: 'old', approvedAt: old.approvedAt, lapsedAt: NOW.toISOString() }] }),
      POLICY,
      NOW,
    );
    expect(kept.meanExceptionAgeDays).toBe(55);
    expect(revoked.meanExceptionAgeDays).toBe(55);
  });

  it('leaves out exceptions that lapsed before the window', () => {
    const lapsedExceptions = [
      // Lapsed 200 days ago, before a 180-day window: left out.
      { id: 'before-window', approvedAt: daysAgo(400), lapsedAt: daysAgo(200) },
      // Lapsed exactly at the window's start: still in it.
      { id: 'window-edge', approvedAt: daysAgo(200), lapsedAt: daysAgo(180) },
    ];
    const metrics = computeMetrics(
      evidence({ exceptions: [exception('active', 30)], lapsedExceptions }),
      POLICY,
      NOW,
      180,
    );
    expect(metrics.meanExceptionAgeDays).toBe(25); // (30 + 20) / 2
    // With a 90-day window only the active one is left.
    expect(computeMetrics(evidence({ exceptions: [exception('active', 30)], lapsedExceptions }), POLICY, NOW, 90).meanExceptionAgeDays).toBe(30);
  });

  it('counts an exception listed both as active and as lapsed once, as active', () => {
    const metrics = computeMetrics(
      evidence({
        exceptions: [exception('both', 10)],
        lapsedExceptions: [{ id: 'both', approvedAt: daysAgo(10), lapsedAt: daysAgo(5) }],
      }),
      POLICY,
      NOW,
    );
    expect(metrics.meanExceptionAgeDays).toBe(10);
  });

  it('has an exception age from lapsed exceptions alone when none is active', () => {
    const metrics = computeMetrics(
      evidence({ lapsedExceptions: [{ id: 'revoked', approvedAt: daysAgo(45), lapsedAt: daysAgo(3) }] }),
      POLICY,
      NOW,
    );
    expect(metrics.meanExceptionAgeDays).toBe(42);
  });

  it('has no exception age when every exception has expired and none lapsed within the window', () => {
    const metrics = computeMetrics(
      evidence({ exceptions: [exception('expired', 30, daysAgo(2))] }),
      POLICY,
      NOW,
    );
    expect(metrics.meanExceptionAgeDays).toBeUndefined();
  });
});
