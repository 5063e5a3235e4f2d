import { ConfigReader } from '@backstage/config';
import { readReviewSettings } from './reviewSettings';

describe('readReviewSettings', () => {
  it('takes the defaults (90 days, 3 services) and the configured values', () => {
    expect(readReviewSettings(undefined)).toEqual({ controlFailureWindowDays: 90, recurringMinServices: 3 });
    expect(
      readReviewSettings(new ConfigReader({ reviews: { controlFailures: { windowDays: 30 }, recurringFindings: { minServices: 5 } } })),
    ).toEqual({ controlFailureWindowDays: 30, recurringMinServices: 5 });
  });

  it('stops on a value out of range, naming the key', () => {
    expect(() => readReviewSettings(new ConfigReader({ reviews: { recurringFindings: { minServices: 1 } } }))).toThrow(
      'devsecops.reviews.recurringFindings.minServices must be an integer from 2 to 1000, got 1',
    );
    expect(() => readReviewSettings(new ConfigReader({ reviews: { controlFailures: { windowDays: 0.5 } } }))).toThrow(
      'devsecops.reviews.controlFailures.windowDays must be an integer from 1 to 730, got 0.5',
    );
  });
});
