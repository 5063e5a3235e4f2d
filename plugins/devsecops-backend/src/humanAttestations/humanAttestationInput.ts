import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  HumanAttestationInput,
  HumanAttestationKind,
  HUMAN_ATTESTATION_KINDS,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { parseCalendarDay, parseInstant } from '../validation/inputTimes';

/** How long an attestation of each kind counts, in days from the day it was held. */
export type HumanAttestationValidity = Record<HumanAttestationKind, number>;

export const DEFAULT_VALIDITY_DAYS: HumanAttestationValidity = {
  'control-failure-review': 90,
  'template-feedback': 180,
  'threat-model-review': 365,
  // CI settings, runners and workflows drift: a redaction check is redone twice a year.
  'ci-log-redaction': 180,
};

/** `devsecops.humanAttestations.validityDays` over the defaults (whole days, 1 to 730). */
export function readHumanAttestationValidity(config?: Config): HumanAttestationValidity {
  const out = { ...DEFAULT_VALIDITY_DAYS };
  for (const kind of HUMAN_ATTESTATION_KINDS) {
    const days = config?.getOptionalNumber(`humanAttestations.validityDays.${kind}`);
    if (days === undefined) continue;
    if (!Number.isInteger(days) || days < 1 || days > 730) {
      throw new Error(`devsecops.humanAttestations.validityDays.${kind} must be an integer from 1 to 730, got ${days}`);
    }
    out[kind] = days;
  }
  return out;
}

/** The fields each kind requires, and those it may carry. */
const FIELDS: Record<HumanAttestationKind, { required: string[]; optional: string[] }> = {
  'control-failure-review': { required: ['attendees', 'notesUrl'], optional: ['failuresReviewed', 'failures'] },
  'template-feedback': { required: ['template', 'findings', 'changeUrl'], optional: [] },
  'threat-model-review': { required: ['url', 'reviewer', 'highRiskChangesFlagged'], optional: [] },
  'ci-log-redaction': { required: ['ciSystem', 'verification', 'url'], optional: [] },
};
const COMMON = ['kind', 'scopeRef', 'date', 'expiresAt'];

// Days before 2000 are a zeroed or mistyped date.
const EARLIEST_DAY = '2000-01-01';

/** The checked attestation: its day, its expiry and the kind's fields (refs normalised). */
export interface CheckedAttestation {
  date: string;
  expiresAt: Date;
  details: Record<string, unknown>;
}

/**
 * Checks a `POST /v1/human-attestations` body beyond its schema: the kind's required fields and
 * no other kind's, the day (not in the future), the expiry (after the day, at most the kind's
 * validity after it; default: the full validity), links (http or https) and user refs.
 */
export function checkHumanAttestation(
  input: HumanAttestationInput,
  validity: HumanAttestationValidity,
  now: Date,
): CheckedAttestation {
  const kind = input.kind;
  const fields = FIELDS[kind];
  if (!fields) throw new InputError(`Unknown kind '${kind}'; use one of ${HUMAN_ATTESTATION_KINDS.join(', ')}`);
  const body = input as unknown as Record<string, unknown>;
  const foreign = Object.keys(body).filter(k => !COMMON.includes(k) && !fields.required.includes(k) && !fields.optional.includes(k));
  if (foreign.length) throw new InputError(`${foreign.join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not a field of kind ${kind}`);
  const missing = fields.required.filter(k => body[k] === undefined);
  if (missing.length) throw new InputError(`Kind ${kind} requires ${missing.join(', ')}`);

  const date = parseCalendarDay('date', input.date);
  if (date > now.toISOString().slice(0, 10)) throw new InputError(`date '${input.date}' is in the future`);
  if (date < EARLIEST_DAY) throw new InputError(`date '${input.date}' is before the year 2000`);
  const days = validity[kind];
  const latest = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
  let expiresAt = latest;
  if (input.expiresAt !== undefined) {
    expiresAt = parseInstant('expiresAt', input.expiresAt);
    if (expiresAt <= now) {
      throw new InputError(`expiresAt ${input.expiresAt} is in the past; leave it out to take the kind's validity`);
    }
    if (expiresAt > latest) {
      throw new InputError(
        `expiresAt ${input.expiresAt} is more than ${days} days away from the date ${date} (devsecops.humanAttestations.validityDays.${kind})`,
      );
    }
  }

  const details: Record<string, unknown> = {};
  if (kind === 'control-failure-review') {
    details.attendees = unique(input.attendees!.map((a, i) => userRef(`attendees[${i}]`, a)));
    details.notesUrl = link('notesUrl', input.notesUrl!);
    if (input.failuresReviewed === undefined && input.failures === undefined) {
      throw new InputError('Kind control-failure-review requires failuresReviewed or failures (the failures reviewed)');
    }
    if (input.failures !== undefined) details.failures = input.failures;
    details.failuresReviewed = input.failuresReviewed ?? input.failures!.length;
  } else if (kind === 'template-feedback') {
    details.template = /^https?:/i.test(input.template!) ? link('template', input.template!) : entityRef('template', input.template!);
    details.findings = unique(input.findings!);
    details.changeUrl = link('changeUrl', input.changeUrl!);
  } else if (kind === 'ci-log-redaction') {
    details.ciSystem = text('ciSystem', input.ciSystem!, 100);
    details.verification = text('verification', input.verification!, 1000);
    details.url = link('url', input.url!);
  } else {
    details.url = link('url', input.url!);
    details.reviewer = userRef('reviewer', input.reviewer!);
    details.highRiskChangesFlagged = input.highRiskChangesFlagged;
  }
  return { date, expiresAt, details };
}

/** Free text a person typed: trimmed, not blank, at most `max` characters. */
function text(field: string, value: string, max: number): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!trimmed) throw new InputError(`${field} must not be blank`);
  if (trimmed.length > max) throw new InputError(`${field} is longer than ${max} characters`);
  return trimmed;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function link(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${field} '${value}' is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${field} '${value}' is not an http or https link`);
  }
  return value;
}

function entityRef(field: string, value: string, defaultKind = 'component'): string {
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(`${field} '${value}' is neither an entity ref nor a URL: ${(error as Error).message}`);
  }
}

/** A person: `dana` or `user:default/dana`; another kind is refused. */
function userRef(field: string, value: string): string {
  const ref = entityRef(field, value, 'user');
  if (!ref.startsWith('user:')) throw new InputError(`${field} '${value}' is not a user ref`);
  return ref;
}
