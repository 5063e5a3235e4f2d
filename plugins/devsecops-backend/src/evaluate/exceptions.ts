import { ExceptionCover, OpenFinding } from './types';

/** An exception counts while it is approved and its expiry is still ahead. */
export function isActive(exception: ExceptionCover, now: Date): boolean {
  return new Date(exception.expiresAt).getTime() > now.getTime();
}

/**
 * Whether an exception covers a finding: every scope field the exception names must match;
 * an exception naming only a control covers every finding of that control.
 */
export function covers(exception: ExceptionCover, finding: OpenFinding): boolean {
  if (exception.control && exception.control !== finding.control) return false;
  if (exception.ruleId && exception.ruleId !== finding.ruleId) return false;
  if (
    exception.vulnerabilityId &&
    exception.vulnerabilityId !== finding.vulnerabilityId &&
    exception.vulnerabilityId !== finding.ruleId
  ) {
    return false;
  }
  if (exception.fingerprint && exception.fingerprint !== finding.fingerprint) return false;
  if (exception.artifactDigest && exception.artifactDigest !== finding.artifactDigest) return false;
  return true;
}

export function coveringException(
  exceptions: ExceptionCover[],
  finding: OpenFinding,
  now: Date,
): ExceptionCover | undefined {
  return exceptions.find(e => isActive(e, now) && covers(e, finding));
}

/** An exception for the whole control (no narrower scope): excepts a failure of any kind. */
export function controlException(
  exceptions: ExceptionCover[],
  controlId: string,
  now: Date,
): ExceptionCover | undefined {
  return exceptions.find(
    e =>
      isActive(e, now) &&
      e.control === controlId &&
      !e.ruleId &&
      !e.vulnerabilityId &&
      !e.fingerprint &&
      !e.artifactDigest,
  );
}
