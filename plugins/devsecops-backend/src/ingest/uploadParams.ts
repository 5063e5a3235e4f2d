import { InputError } from '@backstage/errors';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { ControlCatalog } from '../config/ControlCatalog';
import { parseObservedTime } from '../validation/inputTimes';

/** The upload's parameters (query string), checked before the body is parsed: each a 400 naming it. */

/** Scanner clocks may run a little ahead of ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** How far back a scan may be dated: enough to import a year of history. */
const MAX_SCAN_AGE_DAYS = 400;

/** Either `control` (a configured one) or `scanners`, not both. */
export function checkControlChoice(
  control: string | undefined,
  scanners: string[] | undefined,
  controls: ControlCatalog,
): void {
  if (control !== undefined && scanners !== undefined) {
    throw new InputError(
      'Give either control (all findings count for that control) or scanners (the scanners that ran, each covering its own control), not both',
    );
  }
  if (control !== undefined) controls.assertKnown([control]);
}

export function parseDigest(value?: string): string | undefined {
  if (value === undefined) return undefined;
  const digest = normalizeDigest(value);
  if (!digest) {
    throw new InputError(
      `Malformed artifact digest '${value}': use algorithm:hex, e.g. sha256:<64 hex characters>`,
    );
  }
  return digest;
}

/** A scan is at most a year old (history imports) and not in the future beyond clock skew. */
export function parseScannedAt(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const scannedAt = parseObservedTime('scannedAt', value, now, MAX_CLOCK_SKEW_MS);
  if (scannedAt.getTime() < now.getTime() - MAX_SCAN_AGE_DAYS * 86_400_000) {
    throw new InputError(
      `scannedAt '${value}' is more than ${MAX_SCAN_AGE_DAYS} days ago; such a scan says nothing about the code today`,
    );
  }
  return scannedAt > now ? now : scannedAt;
}

export function parseCommit(value?: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9a-fA-F]{7,64}$/.test(value)) {
    throw new InputError(
      `Malformed commit '${value}': use the hexadecimal commit id`,
    );
  }
  return value.toLowerCase();
}
