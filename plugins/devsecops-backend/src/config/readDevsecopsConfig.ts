import { Config } from '@backstage/config';

export interface DevsecopsConfig {
  maxReportBytes: number;
  bodyRetentionDays: number;
  secretFingerprintKey?: string;
  exceptionMaxDurationDays: number;
  exceptionWarnDaysBeforeExpiry: number[];
}

const DEFAULT_MAX_REPORT_BYTES = 50 * 1024 * 1024;
const DEFAULT_BODY_RETENTION_DAYS = 400;

/** Reads and checks the plugin's config; a bad value stops the backend with the key named. */
export function readDevsecopsConfig(root: Config): DevsecopsConfig {
  const config = root.getOptionalConfig('devsecops');
  const maxReportBytes =
    config?.getOptionalNumber('ingest.maxReportBytes') ??
    DEFAULT_MAX_REPORT_BYTES;
  if (!Number.isInteger(maxReportBytes) || maxReportBytes < 1024) {
    throw new Error(
      `devsecops.ingest.maxReportBytes must be an integer of at least 1024, got ${maxReportBytes}`,
    );
  }
  const bodyRetentionDays =
    config?.getOptionalNumber('evidence.bodyRetentionDays') ??
    DEFAULT_BODY_RETENTION_DAYS;
  if (!Number.isInteger(bodyRetentionDays) || bodyRetentionDays < 1) {
    throw new Error(
      `devsecops.evidence.bodyRetentionDays must be a positive integer, got ${bodyRetentionDays}`,
    );
  }
  const secretFingerprintKey = config?.getOptionalString(
    'secretFingerprintKey',
  );
  if (secretFingerprintKey !== undefined && secretFingerprintKey.length < 16) {
    throw new Error(
      'devsecops.secretFingerprintKey must be at least 16 characters long',
    );
  }
  const exceptionMaxDurationDays =
    config?.getOptionalNumber('exceptions.maxDurationDays') ?? 90;
  if (!Number.isInteger(exceptionMaxDurationDays) || exceptionMaxDurationDays < 1 || exceptionMaxDurationDays > 730) {
    throw new Error(
      `devsecops.exceptions.maxDurationDays must be an integer from 1 to 730, got ${exceptionMaxDurationDays}`,
    );
  }
  const exceptionWarnDaysBeforeExpiry =
    config?.getOptional<number[]>('exceptions.warnDaysBeforeExpiry') ?? [14, 3];
  if (!Array.isArray(exceptionWarnDaysBeforeExpiry) || exceptionWarnDaysBeforeExpiry.some(d => !Number.isInteger(d) || d < 1)) {
    throw new Error('devsecops.exceptions.warnDaysBeforeExpiry must be a list of positive whole days, e.g. [14, 3]');
  }
  return {
    maxReportBytes,
    bodyRetentionDays,
    secretFingerprintKey,
    exceptionMaxDurationDays,
    exceptionWarnDaysBeforeExpiry,
  };
}
