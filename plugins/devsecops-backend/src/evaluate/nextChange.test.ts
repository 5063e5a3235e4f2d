import { ConfigReader } from '@backstage/config';
import { emptyEvidence } from '../__testUtils__/evidence';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { nextChangeAt } from './nextChange';
import { evaluateEntity } from './scorecard';
import { EntityEvidence } from './types';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();
const config = readScorecardConfig(new ConfigReader({})).evaluation;
const freshness = (id: string) => config.controls.find(c => c.id === id)!.freshnessDays;

const evidence = (partial: Partial<EntityEvidence> = {}) =>
  emptyEvidence(
    { entityRef: 'component:default/payments-api', kind: 'Component', type: 'service', ownerRef: 'group:default/team-payments' },
    partial,
  );

const fact = (name: string, value: unknown, observedAt: string) => ({
  entityRef: 'component:default/payments-api',
  fact: name,
  value,
  source: 'test',
  observedAt,
  recordedBy: 'test',
  recordedAt: observedAt,
});

/** An entity with something of every clock-dependent kind. */
const rich = evidence({
  reports: [{ id: 'r1', controls: ['dependency-scan'], scannedAt: at(-3.3) }],
  openFindings: [
    { id: 'f1', control: 'dependency-scan', severity: 'high', ruleId: 'CVE-1', fingerprint: 'a', kind: 'sca', firstSeenAt: at(-6.7) },
    { id: 'f2', control: 'dependency-scan', severity: 'critical', ruleId: 'CVE-2', fingerprint: 'b', kind: 'sca', firstSeenAt: at(-1.2) },
    { id: 'f3', control: 'dependency-scan', severity: 'low', ruleId: 'CVE-3', fingerprint: 'c', kind: 'sca', firstSeenAt: at(-20.4) },
  ],
  resolvedFindings: [{ severity: 'high', kind: 'sca', firstSeenAt: at(-40), resolvedAt: at(-30) }],
  facts: [
    fact('branch_protection.required_reviews', 2, at(-freshness('code-review') + 0.4)),
    fact('secret_scanning.enabled', true, at(-2.05)),
  ],
  exceptions: [
    { id: 'x1', control: 'dependency-scan', ruleId: 'CVE-1', approvedAt: at(-5), expiresAt: at(0.8) },
    { id: 'x2', control: 'code-review', approvedAt: at(-1), expiresAt: at(2.25) },
  ],
  lapsedExceptions: [{ id: 'x0', approvedAt: at(-50), lapsedAt: at(-20) }],
  exercises: [
    { id: 'e1', scenario: 'leaked-secrets', heldOn: at(-364.6).slice(0, 10), scopeRef: 'group:default/team-payments', participants: [], findings: [], followUps: [], recordedBy: 'u', recordedAt: at(-364) },
  ],
});

const withoutTime = (e: EntityEvidence, t: Date) => JSON.stringify({ ...evaluateEntity(e, config, t), evaluatedAt: '' });

describe('nextChangeAt', () => {
  it('is undefined for an entity with no dated evidence: its scorecard never changes by itself', () => {
    expect(nextChangeAt(evidence(), config, NOW)).toBeUndefined();
  });

  it('is an exception expiry itself: active while expiresAt > now', () => {
    const e = evidence({ exceptions: [{ id: 'x', control: 'code-review', approvedAt: at(-0.01), expiresAt: at(0.001) }] });
    expect(nextChangeAt(e, config, NOW)?.toISOString()).toBe(at(0.001));
  });

  it('is one millisecond after a freshness window ends (stale once age > window)', () => {
    const days = freshness('code-review');
    const e = evidence({ facts: [fact('branch_protection.required_reviews', 1, at(-days + 0.01))] });
    const boundary = Date.parse(at(0.01)) + 1;
    // At or before it (a day of the fact's age may tick first: the instants are a superset).
    expect(nextChangeAt(e, config, NOW)!.getTime()).toBeGreaterThanOrEqual(boundary - 1);
    expect(nextChangeAt(e, config, new Date(boundary - 1))!.getTime()).toBe(boundary);
    const state = (t: number) => evaluateEntity(e, config, new Date(t)).controls.find(c => c.controlId === 'code-review')!.state;
    expect(state(boundary - 1)).toBe('passing');
    expect(state(boundary)).toBe('stale');
  });

  it('is when an open finding passes its SLA', () => {
    const sla = config.severityPolicy.slaDays.critical;
    const e = evidence({
      openFindings: [{ id: 'f', control: 'dependency-scan', severity: 'critical', ruleId: 'R', fingerprint: 'f', kind: 'sca', firstSeenAt: at(-sla + 0.5) }],
      reports: [{ id: 'r', controls: ['dependency-scan'], scannedAt: at(-0.001) }],
    });
    const next = nextChangeAt(e, config, NOW)!;
    expect(next.getTime()).toBeLessThanOrEqual(Date.parse(at(0.5)) + 1);
    const pastSla = (t: Date) => evaluateEntity(e, config, t).metrics.pastSla.critical;
    expect(pastSla(new Date(Date.parse(at(0.5))))).toBe(0);
    expect(pastSla(new Date(Date.parse(at(0.5)) + 1))).toBe(1);
  });

  it('never skips a change: across 60 successive instants, the scorecard anywhere before the next one equals the one at the previous', () => {
    let t = NOW;
    let changes = 0;
    for (let i = 0; i < 60; i++) {
      const next = nextChangeAt(rich, config, t);
      if (!next) break;
      expect(next.getTime()).toBeGreaterThan(t.getTime());
      const here = withoutTime(rich, t);
      for (const fraction of [0.25, 0.5, 0.75]) {
        const between = new Date(t.getTime() + Math.floor((next.getTime() - t.getTime()) * fraction));
        expect(withoutTime(rich, between)).toBe(here);
      }
      expect(withoutTime(rich, new Date(next.getTime() - 1))).toBe(here);
      if (withoutTime(rich, next) !== here) changes++;
      t = next;
    }
    // The fixture's expiries, windows, SLAs and exception age move it many times over these instants.
    expect(changes).toBeGreaterThan(10);
  });
});
