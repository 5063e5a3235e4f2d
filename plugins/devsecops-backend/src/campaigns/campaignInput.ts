import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Campaign, CampaignInput } from '@devsecops-scorecard/plugin-devsecops-common';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseCalendarDay } from '../validation/inputTimes';

/** Reminder offsets when a campaign names none: two weeks, one week and one day before. */
export const DEFAULT_REMINDER_DAYS = [14, 7, 1];

// Days before 2000 are a zeroed or mistyped date; target dates further ahead than this too.
const EARLIEST_DAY = '2000-01-01';
const MAX_YEARS_AHEAD = 5;

const name = z.string().min(1).max(255);

const campaignShape = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    goal: z.union([
      z.object({ type: z.literal('stage'), stage: z.number().int().min(1).max(20) }).strict(),
      z.object({ type: z.literal('controls'), controls: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,63}$/)).min(1).max(50) }).strict(),
    ]),
    scope: z
      .object({
        group: name.optional(),
        system: name.optional(),
        domain: name.optional(),
        lifecycle: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/).optional(),
        tag: z.string().regex(/^[a-z0-9:+#.-]{1,63}$/, 'must be a catalog tag (lower-case letters, digits, : + # . -)').optional(),
      })
      .strict()
      .optional(),
    startDate: z.string(),
    targetDate: z.string(),
    ownerRef: name,
    reminderDaysBefore: z.array(z.number().int().min(0).max(365)).max(10).optional(),
  })
  .strict();

/** The issues, each named by its path after `prefix` (empty for the request body), never with the value. */
function describe(error: z.ZodError, prefix: string): string {
  return error.issues.map(issue => `${prefix}${issue.path.join('.') || 'campaign'}: ${issue.message}`).join('; ');
}

/** A campaign day: YYYY-MM-DD that exists, from 2000 on and at most five years ahead. */
function campaignDay(field: string, value: string, now: Date): string {
  const day = parseCalendarDay(field, value);
  if (day < EARLIEST_DAY) throw new InputError(`${field} '${value}' is before the year 2000`);
  const latest = new Date(now.getTime() + MAX_YEARS_AHEAD * 365 * 86_400_000).toISOString().slice(0, 10);
  if (day > latest) throw new InputError(`${field} '${value}' is more than ${MAX_YEARS_AHEAD} years away`);
  return day;
}

/** A group or user ref (kind defaults to group). */
function campaignOwner(field: string, value: string): string {
  const match = /^(?:(group|user):)?(?:([a-zA-Z0-9._-]{1,63})\/)?([a-zA-Z0-9._-]{1,63})$/.exec(value);
  if (!match) throw new InputError(`Malformed ${field} '${value}': a group or user ref, e.g. group:default/platform-team`);
  return `${match[1] ?? 'group'}:${match[2] ?? 'default'}/${match[3]}`;
}

/**
 * Checks a campaign's fields (types, days, ranges); what needs the catalog or the control
 * catalog is checked by the service. `prefix` names where it came from in errors: empty for the
 * request body, `devsecops.campaigns.declared[0].` for configuration.
 */
export function parseCampaignInput(
  input: unknown,
  prefix: string,
  defaultReminderDays: number[],
  now: Date,
): Omit<Campaign, 'id' | 'source'> {
  const parsed = campaignShape.safeParse(input);
  if (!parsed.success) throw new InputError(describe(parsed.error, prefix));
  const value: CampaignInput = parsed.data;
  const startDate = campaignDay(`${prefix}startDate`, value.startDate, now);
  const targetDate = campaignDay(`${prefix}targetDate`, value.targetDate, now);
  if (targetDate < startDate) throw new InputError(`${prefix}targetDate is before its startDate`);
  const scope = Object.fromEntries(Object.entries(value.scope ?? {}).filter(([, v]) => v !== undefined));
  if ([scope.group, scope.system, scope.domain].filter(Boolean).length > 1) {
    throw new InputError(`${prefix}scope: one of group, system or domain, not several`);
  }
  return {
    title: value.title,
    ...(value.description ? { description: value.description } : {}),
    goal: value.goal.type === 'controls' ? { type: 'controls', controls: [...new Set(value.goal.controls)] } : value.goal,
    scope,
    startDate,
    targetDate,
    ownerRef: campaignOwner(`${prefix}ownerRef`, value.ownerRef),
    reminderDaysBefore: [...new Set(value.reminderDaysBefore ?? defaultReminderDays)].sort((a, b) => b - a),
  };
}

/** The stable UUID of a declared campaign: the same key gives the same id on every instance and restart. */
export function declaredCampaignId(key: string): string {
  const h = createHash('sha256').update(`devsecops-campaign:${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface CampaignSettings {
  /** `devsecops.campaigns.reminderDaysBefore` (default 14, 7, 1). */
  reminderDaysBefore: number[];
  /** `devsecops.campaigns.declared`: campaigns as code, read-only through the API. */
  declared: Campaign[];
}

/** Reads `devsecops.campaigns`; a bad declared campaign stops the backend, naming its key. */
export function readCampaignSettings(root: Config, now = new Date()): CampaignSettings {
  const config = root.getOptionalConfig('devsecops.campaigns');
  const where = 'devsecops.campaigns.';
  const days = z
    .array(z.number().int().min(0).max(365))
    .max(10)
    .safeParse(config?.getOptional<unknown>('reminderDaysBefore') ?? DEFAULT_REMINDER_DAYS);
  if (!days.success) throw new Error(`Invalid devsecops configuration: ${describe(days.error, `${where}reminderDaysBefore`)}`);
  const declared = (config?.getOptional<unknown[]>('declared') ?? []).map((raw, index) => {
    const prefix = `${where}declared[${index}].`;
    const { key, ...rest } = (raw ?? {}) as { key?: unknown };
    if (typeof key !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(key)) {
      throw new Error(`Invalid devsecops configuration: ${prefix}key must be lower-case letters, digits and dashes (at most 64)`);
    }
    try {
      // Declared campaigns may have ended long ago: only their shape is checked against today.
      return { id: declaredCampaignId(key), key, source: 'config' as const, ...parseCampaignInput(rest, prefix, days.data, now) };
    } catch (error) {
      throw new Error(`Invalid devsecops configuration: ${(error as Error).message}`);
    }
  });
  const keys = declared.map(c => c.key);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated) throw new Error(`Invalid devsecops configuration: ${where}declared has key ${repeated} twice`);
  return { reminderDaysBefore: [...days.data].sort((a, b) => b - a), declared };
}
