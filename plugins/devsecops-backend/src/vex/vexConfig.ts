import { Config } from '@backstage/config';

/** How long a VEX statement is in force after it was made, unless `devsecops.vex.maxAgeDays` says. */
export const DEFAULT_VEX_MAX_AGE_DAYS = 90;

/** `devsecops.vex.maxAgeDays`: a whole number of days from 1 to 3650. */
export function readVexMaxAgeDays(root: Config): number {
  const days = root.getOptionalNumber('devsecops.vex.maxAgeDays');
  if (days === undefined) return DEFAULT_VEX_MAX_AGE_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(
      `Invalid devsecops configuration: devsecops.vex.maxAgeDays must be a whole number of days from 1 to 3650 (got ${days})`,
    );
  }
  return days;
}
