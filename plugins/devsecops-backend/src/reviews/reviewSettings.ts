import { Config } from '@backstage/config';

/** `devsecops.reviews`: the control-failure review window and the recurring-findings threshold. */
export interface ReviewSettings {
  /** Days a scope's first control-failure review looks back (`controlFailures.windowDays`). */
  controlFailureWindowDays: number;
  /** Services a finding must be open in to recur (`recurringFindings.minServices`). */
  recurringMinServices: number;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  controlFailureWindowDays: 90,
  recurringMinServices: 3,
};

function integer(config: Config | undefined, key: string, fallback: number, min: number, max: number): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`devsecops.reviews.${key} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Reads `devsecops.reviews` over the defaults; a bad value stops the backend with the key named. */
export function readReviewSettings(devsecops?: Config): ReviewSettings {
  const config = devsecops?.getOptionalConfig('reviews');
  return {
    controlFailureWindowDays: integer(config, 'controlFailures.windowDays', DEFAULT_REVIEW_SETTINGS.controlFailureWindowDays, 1, 730),
    recurringMinServices: integer(config, 'recurringFindings.minServices', DEFAULT_REVIEW_SETTINGS.recurringMinServices, 2, 1000),
  };
}
