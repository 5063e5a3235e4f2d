/**
 * Campaigns: a time-boxed goal over a scope of services ("every production service of the
 * checkout domain at stage 2 by 30 June"), evaluated from the stored scorecards and the daily
 * snapshots.
 */

/** What a service must reach: a maturity stage, or every listed control passing. @public */
export type CampaignGoal =
  | { type: 'stage'; stage: number }
  | { type: 'controls'; controls: string[] };

/**
 * Which services a campaign covers: the roll-up filters (one of group — with the groups below
 * it —, system or domain; lifecycle) and a catalog tag. Empty: every counted entity.
 * @public
 */
export interface CampaignScope {
  group?: string;
  system?: string;
  domain?: string;
  lifecycle?: string;
  tag?: string;
}

/** A campaign as created through the API or declared in configuration. @public */
export interface Campaign {
  /** A UUID: random for campaigns created through the API, derived from `key` for declared ones. */
  id: string;
  /** The configured key of a declared campaign (devsecops.campaigns.declared[].key). */
  key?: string;
  title: string;
  description?: string;
  goal: CampaignGoal;
  scope: CampaignScope;
  /** YYYY-MM-DD (UTC) */
  startDate: string;
  /** YYYY-MM-DD (UTC): services done after this day are late. */
  targetDate: string;
  /** The platform or security group (or person) that runs it. */
  ownerRef: string;
  /** Days before the target date on which owning teams with unfinished services are reminded. */
  reminderDaysBefore: number[];
  /** `api`: created through POST /v1/campaigns; `config`: devsecops.campaigns.declared. */
  source: 'api' | 'config';
  createdBy?: string;
  createdAt?: string;
}

/** The body of POST /v1/campaigns. @public */
export interface CampaignInput {
  title: string;
  description?: string;
  goal: CampaignGoal;
  scope?: CampaignScope;
  startDate: string;
  targetDate: string;
  ownerRef: string;
  reminderDaysBefore?: number[];
}

/** @public */
export type CampaignStatus = 'upcoming' | 'active' | 'ended';

/** The next thing to do for one service to meet the goal. @public */
export interface CampaignStep {
  /** `control`: a control of the goal to make pass; `criterion`: a maturity criterion to meet. */
  kind: 'control' | 'criterion';
  controlId?: string;
  stage?: number;
  criterionId?: string;
  /** One sentence the owning team can act on. */
  text: string;
}

/** One service of a campaign. @public */
export interface CampaignEntityProgress {
  entityRef: string;
  ownerRef?: string;
  done: boolean;
  /** Done only because an approved exception stands in for a control of the goal. */
  excepted: boolean;
  /** The first day of the run of daily snapshots (or today) in which it has met the goal. */
  doneOn?: string;
  /** Unmet controls of the goal, or unmet criteria of the stages up to the target. */
  stepsLeft: number;
  nextStep?: CampaignStep;
}

/** @public */
export interface CampaignCounts {
  inScope: number;
  done: number;
  /** Of the done ones, those done through an exception. */
  excepted: number;
  donePct?: number;
}

/** A team's share of a campaign: the services it owns in scope. @public */
export interface CampaignTeamProgress extends CampaignCounts {
  ownerRef: string;
}

/** How a campaign ended, from the daily snapshots up to and after the target date. @public */
export interface CampaignReport {
  targetDate: string;
  doneOnTime: string[];
  doneLate: string[];
  excepted: string[];
  notDone: string[];
}

/** A campaign with where it stands (GET /v1/campaigns). @public */
export interface CampaignOverview extends Campaign {
  status: CampaignStatus;
  /** Days until the target date (negative once past). */
  daysLeft: number;
  counts: CampaignCounts;
  /** With `?entity=`: that service in the campaign. */
  entity?: CampaignEntityProgress;
  /** With `?group=`: the services the group (and the groups below it) owns in scope. */
  team?: CampaignCounts & { ownerRef: string };
}

/** One campaign with its progress (GET /v1/campaigns/{id}). @public */
export interface CampaignProgress extends CampaignOverview {
  teams: CampaignTeamProgress[];
  /** Services in scope today that met the goal on each day with snapshots since the start. */
  burnup: Array<{ day: string; inScope: number; done: number }>;
  /** A page of the services, unfinished first (then by entity ref). */
  entities: { items: CampaignEntityProgress[]; totalCount: number; limit: number; offset: number };
  /** Once the target date has passed. */
  report?: CampaignReport;
}
