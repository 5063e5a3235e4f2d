import { Campaign } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { DbTime } from './rowTypes';
import { dbText } from './text';
import { fromDbTime, toDbTime } from './time';

const CAMPAIGNS = 'devsecops_campaigns';
const NOTIFICATIONS = 'devsecops_campaign_notifications';
const DAILY_COUNTS = 'devsecops_campaign_daily_counts';

/** A row of devsecops_campaign_daily_counts. */
interface CampaignDailyCountRow {
  campaign_id: string;
  day: string;
  owner_ref: string;
  in_scope: number;
  done: number;
  excepted: number;
}

/**
 * One stored count: every team's services of a campaign on a day (ownerRef ''), or, in rows an
 * older version wrote, one team's (the burn-up sums a day's rows).
 */
export interface CampaignDailyCount extends CampaignDayCount {
  day: string;
  ownerRef: string;
}

/** A campaign's counts on a day: its services in scope, done, and done through an exception. */
export interface CampaignDayCount {
  inScope: number;
  done: number;
  excepted: number;
}

/** The key of a claimed notification in `CampaignStore.claimed`'s set. */
export const claimKey = (campaignId: string, recipient: string, kind: string) => `${campaignId} ${recipient} ${kind}`;

/** A row of devsecops_campaigns. */
interface CampaignRow {
  id: string;
  title: string;
  description: string | null;
  /** JSON: CampaignGoal */
  goal: string;
  /** JSON: CampaignScope */
  scope: string;
  start_date: string;
  target_date: string;
  owner_ref: string;
  /** JSON: number[] */
  reminder_days: string;
  created_by: string;
  created_at: DbTime;
}

/** A row of devsecops_campaign_notifications. */
interface CampaignNotificationRow {
  campaign_id: string;
  recipient: string;
  kind: string;
  claimed_at: DbTime;
}

/** Owns devsecops_campaigns (campaigns created through the API) and their reminder claims. */
export class CampaignStore {
  constructor(private readonly knex: Knex) {}

  async insert(campaign: Campaign & { createdBy: string; createdAt: string }): Promise<void> {
    await this.knex<CampaignRow>(CAMPAIGNS).insert({
      id: campaign.id,
      title: dbText(campaign.title, 200),
      description: dbText(campaign.description ?? null),
      goal: JSON.stringify(campaign.goal),
      scope: JSON.stringify(campaign.scope),
      start_date: campaign.startDate,
      target_date: campaign.targetDate,
      owner_ref: campaign.ownerRef,
      reminder_days: JSON.stringify(campaign.reminderDaysBefore),
      created_by: dbText(campaign.createdBy, 255),
      created_at: toDbTime(new Date(campaign.createdAt)),
    });
  }

  async get(id: string): Promise<Campaign | undefined> {
    const row = await this.knex<CampaignRow>(CAMPAIGNS).where({ id }).first();
    return row ? toCampaign(row) : undefined;
  }

  /** Every stored campaign, soonest target first (a bounded number: campaigns are few). */
  async list(): Promise<Campaign[]> {
    const rows = await this.knex<CampaignRow>(CAMPAIGNS)
      .orderBy([{ column: 'target_date', order: 'asc' }, { column: 'id', order: 'asc' }])
      .limit(1000);
    return rows.map(toCampaign);
  }

  /**
   * The notifications claimed so far of some campaigns (one query for the daily pass), as
   * `campaignId recipient kind` keys.
   */
  async claimed(campaignIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    // Campaigns are at most 1,000 (list): two statements at most, under SQLite's variable limit.
    for (let i = 0; i < campaignIds.length; i += 500) {
      const rows = await this.knex<CampaignNotificationRow>(NOTIFICATIONS)
        .select('campaign_id', 'recipient', 'kind')
        .whereIn('campaign_id', campaignIds.slice(i, i + 500));
      for (const r of rows) out.add(claimKey(r.campaign_id, r.recipient, r.kind));
    }
    return out;
  }

  /** Claims a reminder before it is sent; false when it was claimed already (here or elsewhere). */
  async claimNotification(campaignId: string, recipient: string, kind: string, now: Date): Promise<boolean> {
    const inserted = await this.knex<CampaignNotificationRow>(NOTIFICATIONS)
      .insert({ campaign_id: campaignId, recipient, kind, claimed_at: toDbTime(now) })
      .onConflict(['campaign_id', 'recipient', 'kind'])
      .ignore()
      .returning('campaign_id');
    return inserted.length === 1;
  }

  /** The stored daily counts of a campaign (by its counts key) since a day, every row. */
  async dailyCounts(countsKey: string, sinceDay: string): Promise<CampaignDailyCount[]> {
    const rows = await this.knex<CampaignDailyCountRow>(DAILY_COUNTS)
      .where({ campaign_id: countsKey })
      .where('day', '>=', sinceDay);
    return rows.map(r => ({
      day: r.day,
      ownerRef: r.owner_ref,
      inScope: Number(r.in_scope),
      done: Number(r.done),
      excepted: Number(r.excepted),
    }));
  }

  /** Stores daily counts (a re-run of the same day replaces them; two instances write the same). */
  async putDailyCounts(countsKey: string, counts: CampaignDailyCount[]): Promise<void> {
    const rows = counts.map(c => ({
      campaign_id: countsKey,
      day: c.day,
      owner_ref: c.ownerRef,
      in_scope: c.inScope,
      done: c.done,
      excepted: c.excepted,
    }));
    await this.upsertDailyCounts(rows);
  }

  /**
   * Campaigns' counts of one day, one row each (owner_ref ''), replacing what was stored for that
   * day under their keys. Two statements, no transaction: the per-team rows an older version
   * wrote for the day go first, then each campaign's row is written or replaced. A reader in
   * between finds no row for today and counts today live (only earlier days are back-filled);
   * two instances write the same rows.
   */
  async replaceDay(day: string, byKey: Map<string, CampaignDayCount>): Promise<void> {
    const keys = [...byKey.keys()];
    for (let i = 0; i < keys.length; i += 500) {
      await this.knex<CampaignDailyCountRow>(DAILY_COUNTS)
        .where({ day })
        .whereNot({ owner_ref: '' })
        .whereIn('campaign_id', keys.slice(i, i + 500))
        .delete();
    }
    const rows = [...byKey].map(([key, c]) => ({
      campaign_id: key,
      day,
      owner_ref: '',
      in_scope: c.inScope,
      done: c.done,
      excepted: c.excepted,
    }));
    await this.upsertDailyCounts(rows);
  }

  /** Writes or replaces count rows, 500 a statement (6 columns a row: well under SQLite's bound-variable limit). */
  private async upsertDailyCounts(rows: CampaignDailyCountRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.knex<CampaignDailyCountRow>(DAILY_COUNTS)
        .insert(rows.slice(i, i + 500))
        .onConflict(['campaign_id', 'day', 'owner_ref'])
        .merge();
    }
  }

  /** Forgets every campaign's counts of a day whose snapshots were rewritten (recounted on the next read). */
  async forgetDay(day: string): Promise<void> {
    await this.knex<CampaignDailyCountRow>(DAILY_COUNTS).where({ day }).delete();
  }

  async releaseNotification(campaignId: string, recipient: string, kind: string): Promise<void> {
    await this.knex<CampaignNotificationRow>(NOTIFICATIONS)
      .where({ campaign_id: campaignId, recipient, kind })
      .delete();
  }
}

function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    goal: JSON.parse(row.goal),
    scope: JSON.parse(row.scope),
    startDate: row.start_date,
    targetDate: row.target_date,
    ownerRef: row.owner_ref,
    reminderDaysBefore: JSON.parse(row.reminder_days),
    source: 'api',
    createdBy: row.created_by,
    createdAt: fromDbTime(row.created_at),
  };
}
