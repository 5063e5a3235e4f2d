import { InputError } from '@backstage/errors';
import { FindingSeverity, RuntimeSignalKind } from '@devsecops-scorecard/plugin-devsecops-common';
import { EntityLookup } from '../catalog/EntityResolver';
import { parseObservedTime } from '../validation/inputTimes';

/** A runtime signal's input and its detected → contained → remediated timeline checks. */

export interface RuntimeSignalInput extends EntityLookup {
  kind: RuntimeSignalKind;
  severity: FindingSeverity;
  summary: string;
  detectedAt: string;
  containedAt?: string;
  remediatedAt?: string;
  source: string;
}

export interface TimelineInput {
  containedAt?: string;
  remediatedAt?: string;
}

// Tolerated clock difference between the reporting system and this server.
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function parseTime(field: string, value: string, now: Date): Date {
  return parseObservedTime(field, value, now, CLOCK_SKEW_MS);
}

/** detected ≤ contained ≤ remediated, each where present. */
export function checkOrder(detected: Date, contained?: Date, remediated?: Date) {
  if (contained && contained < detected) {
    throw new InputError(
      `containedAt ${contained.toISOString()} is before detectedAt ${detected.toISOString()}`,
    );
  }
  if (remediated && remediated < detected) {
    throw new InputError(
      `remediatedAt ${remediated.toISOString()} is before detectedAt ${detected.toISOString()}`,
    );
  }
  if (contained && remediated && remediated < contained) {
    throw new InputError(
      `remediatedAt ${remediated.toISOString()} is before containedAt ${contained.toISOString()}`,
    );
  }
}
