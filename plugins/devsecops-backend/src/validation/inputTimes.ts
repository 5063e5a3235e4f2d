import { InputError } from '@backstage/errors';

/**
 * Times arrive as strings from CI, scanners and people; these are the one place they are read.
 * `new Date()` alone is too lenient: it rolls 2026-02-30 over to 2 March, so a calendar date that
 * does not exist is refused here instead of being stored as a different day.
 */

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** An ISO-8601 date or date-time whose calendar date exists. */
export function parseInstant(field: string, value: string): Date {
  const time = new Date(value);
  // `new Date()` also reads what is not ISO-8601 ('2026-01-01\u0000', 'March 7'): the shape first.
  if (!ISO_8601.test(value) || Number.isNaN(time.getTime())) {
    throw new InputError(`${field} '${value}' is not an ISO-8601 date-time`);
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (date) {
    const [year, month, day] = date.slice(1).map(Number);
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth) {
      throw new InputError(`${field} '${value}' is not a calendar date`);
    }
  }
  return time;
}

/**
 * When something was observed: not before 2000 (a zeroed clock) and not later than `now` plus
 * the clock skew the caller tolerates.
 */
export function parseObservedTime(field: string, value: string, now: Date, maxFutureMs: number): Date {
  const time = parseInstant(field, value);
  if (time.getTime() > now.getTime() + maxFutureMs) {
    throw new InputError(`${field} '${value}' is in the future`);
  }
  if (time.getUTCFullYear() < 2000) {
    throw new InputError(`${field} '${value}' is before the year 2000`);
  }
  return time;
}

/** A plain calendar day, YYYY-MM-DD, returned as given. */
export function parseCalendarDay(field: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new InputError(`${field} '${value}' is not a date (YYYY-MM-DD)`);
  }
  parseInstant(field, value);
  return value;
}
