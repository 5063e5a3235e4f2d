import { findingDueAt, isPastDue } from './dueDates';

const SLA = { critical: 7, high: 30, medium: 90, low: 180, info: 365 };

describe('due dates under the severity SLA', () => {
  it('is first seen plus the days of the severity', () => {
    expect(findingDueAt({ firstSeenAt: '2026-12-01T10:00:00.000Z', severity: 'critical' }, SLA)).toBe('2026-12-08T10:00:00.000Z');
    expect(findingDueAt({ firstSeenAt: '2026-12-01T10:00:00.000Z', severity: 'high' }, SLA)).toBe('2026-12-31T10:00:00.000Z');
  });

  it('is past due only after the due instant', () => {
    const f = { firstSeenAt: '2026-12-01T10:00:00.000Z', severity: 'critical' as const };
    expect(isPastDue(f, SLA, new Date('2026-12-08T10:00:00.000Z'))).toBe(false);
    expect(isPastDue(f, SLA, new Date('2026-12-08T10:00:00.001Z'))).toBe(true);
  });
});
