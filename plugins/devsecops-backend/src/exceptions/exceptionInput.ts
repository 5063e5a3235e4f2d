import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ExceptionScope } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { parseInstant } from '../validation/inputTimes';

/** The parts of an exception request checked before anything is looked up: each a 400 naming the field. */

/** An expiry in the future and at most `maxDurationDays` away. */
export function checkExpiry(value: string, now: Date, maxDurationDays: number): Date {
  const expiresAt = parseInstant('expiresAt', value);
  if (expiresAt <= now) {
    throw new InputError(`expiresAt ${value} is in the past; an exception must expire in the future`);
  }
  const max = new Date(now.getTime() + maxDurationDays * 86_400_000);
  if (expiresAt > max) {
    throw new InputError(
      `expiresAt ${value} is more than ${maxDurationDays} days away (devsecops.exceptions.maxDurationDays)`,
    );
  }
  return expiresAt;
}

/** A scope naming a known control, its artifact digest (if any) normalised. */
export function checkScope(scope: ExceptionScope, controlIds: string[]): ExceptionScope {
  if (!controlIds.includes(scope.control)) {
    throw new InputError(`scope.control '${scope.control}' is not a control; controls: ${controlIds.join(', ')}`);
  }
  let artifactDigest: string | undefined;
  if (scope.artifactDigest !== undefined) {
    artifactDigest = normalizeDigest(scope.artifactDigest);
    if (!artifactDigest) {
      throw new InputError(`Malformed scope.artifactDigest '${scope.artifactDigest}': use algorithm:hex`);
    }
  }
  return { ...scope, artifactDigest };
}

/** A user or group ref (default kind user, namespace default), stringified. */
export function parsePrincipal(value: string, field: string): string {
  try {
    const ref = parseEntityRef(value, { defaultKind: 'user', defaultNamespace: 'default' });
    if (!['user', 'group'].includes(ref.kind.toLowerCase())) {
      throw new Error('must be a user or a group');
    }
    return stringifyEntityRef(ref);
  } catch (error) {
    throw new InputError(`Malformed ${field} '${value}': ${(error as Error).message}`);
  }
}

/** The scope's narrowing fields in words (for "matches no finding"). */
export function describeScope(scope: ExceptionScope): string {
  return Object.entries(scope)
    .filter(([key, value]) => key !== 'control' && value)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
}
