import { Campaign, CampaignGoal } from '@devsecops-scorecard/plugin-devsecops-common';
import { createHash } from 'node:crypto';
import { burnup, goalCondition, GoalState, meetsGoal } from '../evaluate/campaigns';
import { CampaignDailyCount, CampaignDayCount, CampaignStore } from '../store/CampaignStore';
import { SummaryStore } from '../store/SummaryStore';

const DAY = 86_400_000;
/** How far back a burn-up is filled from the snapshots (the history the scorecards keep). */
const MAX_HISTORY_DAYS = 730;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * The key a campaign's counts are stored under: its id and a digest of what decides them (goal,
 * scope, start), so a campaign whose declaration changes is counted afresh, not from old rows.
 */
export function countsKey(campaign: Campaign): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([campaign.goal, campaign.scope, campaign.startDate]))
    .digest('hex')
    .slice(0, 16);
  return `${campaign.id}#${digest}`;
}

/** A campaign's counts today, and per owning team its services not done (what reminders say). */
export interface DayTally extends CampaignDayCount {
  notDoneByOwner: Map<string, number>;
}

/**
 * The daily job's part: a campaign's counts today, one row for every team (per-team progress is
 * counted live on the campaign page; the burn-up only sums a day), from the services in its scope
 * today (the stored summaries the day's snapshot was copied from), for `CampaignStore.replaceDay`;
 * and the owning teams' services not done, for the reminders. What `counts` and `markTeams`
 * count, in one loop without a mark per service: the daily pass tallies every campaign's scope.
 */
export function dayCounts(goal: CampaignGoal, controls: string[], states: GoalState[]): DayTally {
  let done = 0;
  let excepted = 0;
  const notDoneByOwner = new Map<string, number>();
  for (const state of states) {
    if (meetsGoal(goal, state)) {
      done++;
      // Done through an exception: one standing in for a goal control (evaluate/campaigns exceptedFor).
      if (controls.some(id => state.controlStates[id] === 'excepted')) excepted++;
    } else if (state.ownerRef) {
      notDoneByOwner.set(state.ownerRef, (notDoneByOwner.get(state.ownerRef) ?? 0) + 1);
    }
  }
  return { inScope: states.length, done, excepted, notDoneByOwner };
}

/**
 * The campaign's burn-up from its stored daily counts (a day's rows summed: one per day, or per
 * team in rows an older version stored). Days since the start that have none (the
 * campaign began before its counts, or a day's snapshots were rewritten) are counted once from
 * the snapshots of the services in scope today and stored (a day without snapshots as a zero
 * row, so it is not counted again); today, until the daily job stores it, is counted live.
 * Days on which no service in scope had a snapshot are left out, as the snapshots show them.
 */
export async function storedBurnup(
  store: CampaignStore,
  summaries: Pick<SummaryStore, 'dailyCounts'>,
  campaign: Campaign,
  states: Array<{ entityRef: string }>,
  today: string,
): Promise<Array<{ day: string; inScope: number; done: number }>> {
  if (campaign.startDate > today) return [];
  const key = countsKey(campaign);
  const from = [campaign.startDate, addDays(today, -MAX_HISTORY_DAYS)].sort()[1];
  const byDay = new Map<string, { inScope: number; done: number }>();
  for (const row of await store.dailyCounts(key, from)) {
    const day = byDay.get(row.day) ?? { inScope: 0, done: 0 };
    day.inScope += row.inScope;
    day.done += row.done;
    byDay.set(row.day, day);
  }
  const missing: string[] = [];
  for (let day = from; day < today; day = addDays(day, 1)) if (!byDay.has(day)) missing.push(day);
  const refs = states.map(s => s.entityRef);
  const condition = goalCondition(campaign.goal);
  if (missing.length > 0) {
    const counted = await summaries.dailyCounts(refs, missing[0], condition);
    const fill: CampaignDailyCount[] = missing.map(day => ({
      day,
      ownerRef: '',
      inScope: counted.get(day)?.inScope ?? 0,
      done: counted.get(day)?.done ?? 0,
      // Snapshots do not say which services met the goal through an exception (the burn-up does not show it).
      excepted: 0,
    }));
    await store.putDailyCounts(key, fill);
    for (const c of fill) byDay.set(c.day, { inScope: c.inScope, done: c.done });
  }
  if (!byDay.has(today)) {
    const live = (await summaries.dailyCounts(refs, today, condition)).get(today);
    if (live) byDay.set(today, live);
  }
  return burnup(
    new Map([...byDay].filter(([, c]) => c.inScope > 0)),
    campaign.startDate,
    today,
  );
}
