import { Config } from '@backstage/config';
import { readRiskOwnerSettings, RiskOwnerSettings } from '../exceptions/RiskOwnerPolicy';
import { HumanAttestationValidity, readHumanAttestationValidity } from '../humanAttestations/humanAttestationInput';
import { readReviewSettings, ReviewSettings } from '../reviews/reviewSettings';
import { readVexMaxAgeDays } from '../vex/vexConfig';

export interface DevsecopsConfig {
  maxReportBytes: number;
  bodyRetentionDays: number;
  /**
   * The HMAC key of secret fingerprints; unset only outside production (or with
   * `devsecops.allowGeneratedSecretFingerprintKey`), when a key is generated into the database.
   */
  secretFingerprintKey?: string;
  exceptionMaxDurationDays: number;
  exceptionWarnDaysBeforeExpiry: number[];
  /** `devsecops.exceptions.riskOwners`: who may be named risk owner. */
  riskOwners: RiskOwnerSettings;
  /**
   * `devsecops.permissions.transitiveOwnership` (default false): whether members of groups below
   * an entity's owning group count as its owners when a policy's IS_ENTITY_OWNER condition does
   * not say.
   */
  transitiveOwnership: boolean;
  /** `devsecops.database.healthCheckTimeoutMs`: how long `/health` waits for the database. */
  databaseHealthCheckTimeoutMs: number;
  /** `devsecops.humanAttestations.validityDays` (absent: the defaults). */
  humanAttestationValidity?: HumanAttestationValidity;
  /** `devsecops.reviews` (absent: the defaults). */
  reviews?: ReviewSettings;
  /** `devsecops.vex.maxAgeDays`: how long a VEX statement is in force after it was made (default 90). */
  vexMaxAgeDays?: number;
}

const DEFAULT_MAX_REPORT_BYTES = 50 * 1024 * 1024;
const DEFAULT_BODY_RETENTION_DAYS = 400;

/** Why a generated key is refused in production, and what to set instead. */
export const MISSING_FINGERPRINT_KEY_MESSAGE =
  'devsecops.secretFingerprintKey is required when NODE_ENV=production: secret findings are ' +
  'identified by an HMAC of the secret, and a key generated into the same database as the ' +
  'fingerprints lets anyone with a database dump confirm a guessed secret. Set it from a secret ' +
  'store or an environment variable, e.g. `devsecops: { secretFingerprintKey: ${DEVSECOPS_SECRET_FINGERPRINT_KEY} }` ' +
  'with DEVSECOPS_SECRET_FINGERPRINT_KEY=$(openssl rand -hex 32) (at least 16 characters). ' +
  'To keep the generated key anyway (not recommended), set devsecops.allowGeneratedSecretFingerprintKey: true.';

/**
 * Reads and checks the plugin's config; a bad value stops the backend with the key named.
 * `nodeEnv` (default `process.env.NODE_ENV`) decides whether this is production: there a
 * secret-fingerprint key must be configured unless generating one is explicitly allowed.
 */
export function readDevsecopsConfig(
  root: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): DevsecopsConfig {
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
  const allowGeneratedKey =
    config?.getOptionalBoolean('allowGeneratedSecretFingerprintKey') ?? false;
  if (secretFingerprintKey === undefined && nodeEnv === 'production' && !allowGeneratedKey) {
    throw new Error(MISSING_FINGERPRINT_KEY_MESSAGE);
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
  const databaseHealthCheckTimeoutMs =
    config?.getOptionalNumber('database.healthCheckTimeoutMs') ?? 3000;
  if (
    !Number.isInteger(databaseHealthCheckTimeoutMs) ||
    databaseHealthCheckTimeoutMs < 100 ||
    databaseHealthCheckTimeoutMs > 60_000
  ) {
    throw new Error(
      `devsecops.database.healthCheckTimeoutMs must be an integer from 100 to 60000 (milliseconds), got ${databaseHealthCheckTimeoutMs}`,
    );
  }
  return {
    maxReportBytes,
    bodyRetentionDays,
    secretFingerprintKey,
    exceptionMaxDurationDays,
    exceptionWarnDaysBeforeExpiry,
    riskOwners: readRiskOwnerSettings(root),
    transitiveOwnership: config?.getOptionalBoolean('permissions.transitiveOwnership') ?? false,
    databaseHealthCheckTimeoutMs,
    humanAttestationValidity: readHumanAttestationValidity(config),
    reviews: readReviewSettings(config),
    vexMaxAgeDays: readVexMaxAgeDays(root),
  };
}
