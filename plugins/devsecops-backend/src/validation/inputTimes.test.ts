import { parseCalendarDay, parseInstant, parseObservedTime } from './inputTimes';

describe('input times', () => {
  const now = new Date('2026-11-28T12:00:00Z');

  it('reads ISO dates and date-times, and refuses days that do not exist', () => {
    expect(parseInstant('at', '2028-02-29T08:00:00Z').toISOString()).toBe('2028-02-29T08:00:00.000Z');
    expect(parseInstant('at', '2026-03-01').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseInstant('at', '2026-02-29T08:00:00Z')).toThrow("at '2026-02-29T08:00:00Z' is not a calendar date");
    expect(() => parseInstant('at', '2026-06-31')).toThrow('is not a calendar date');
    expect(() => parseInstant('at', 'soon')).toThrow("at 'soon' is not an ISO-8601 date-time");
    // new Date() reads these, ISO-8601 does not.
    expect(() => parseInstant('at', '2026-01-01\u0000')).toThrow('is not an ISO-8601 date-time');
    expect(() => parseInstant('at', 'March 7, 2026')).toThrow('is not an ISO-8601 date-time');
    expect(() => parseInstant('at', '2026-01-01T00:00:00Z junk')).toThrow('is not an ISO-8601 date-time');
    expect(parseInstant('at', '2026-01-01T10:00:00.123+02:00').toISOString()).toBe('2026-01-01T08:00:00.123Z');
  });

  it('bounds observed times by the clock skew the caller allows and by the year 2000', () => {
    const minute = 60_000;
    expect(parseObservedTime('seen', '2026-11-28T12:04:00Z', now, 5 * minute).toISOString()).toBe('2026-11-28T12:04:00.000Z');
    expect(() => parseObservedTime('seen', '2026-11-28T12:06:00Z', now, 5 * minute)).toThrow('is in the future');
    expect(() => parseObservedTime('seen', '1999-12-31T23:59:59Z', now, 5 * minute)).toThrow('before the year 2000');
  });

  it('reads calendar days only in YYYY-MM-DD form', () => {
    expect(parseCalendarDay('day', '2026-11-28')).toBe('2026-11-28');
    expect(() => parseCalendarDay('day', '2026-11-28T00:00:00Z')).toThrow('is not a date (YYYY-MM-DD)');
    expect(() => parseCalendarDay('day', '2026-02-30')).toThrow("day '2026-02-30' is not a calendar date");
  });
});
