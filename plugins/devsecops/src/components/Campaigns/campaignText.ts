import { Campaign, CampaignOverview } from '@devsecops-scorecard/plugin-devsecops-common';

/** The goal in words: "stage 2" or "dependency-scan, sast passing". */
export function goalText(goal: Campaign['goal']): string {
  return goal.type === 'stage' ? `Reach stage ${goal.stage}` : `${goal.controls.join(', ')} passing`;
}

/** The scope in words: "group:default/acme, production, tag pci" or "every service". */
export function scopeText(scope: Campaign['scope']): string {
  const parts = [
    scope.group,
    scope.system,
    scope.domain,
    scope.lifecycle,
    scope.tag ? `tag ${scope.tag}` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'every service';
}

/** "due in 12 days", "due today", "ended 3 days ago", "starts in 4 days". */
export function dueText(c: Pick<CampaignOverview, 'status' | 'daysLeft' | 'startDate'>): string {
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (c.status === 'ended') return `ended ${days(-c.daysLeft)} ago`;
  if (c.daysLeft === 0) return 'due today';
  const due = `due in ${days(c.daysLeft)}`;
  return c.status === 'upcoming' ? `starts ${c.startDate}, ${due}` : due;
}

/** "3 of 5 services done (60%)". */
export function countsText(counts: CampaignOverview['counts']): string {
  const pct = counts.donePct !== undefined ? ` (${counts.donePct}%)` : '';
  return `${counts.done} of ${counts.inScope} service${counts.inScope === 1 ? '' : 's'} done${pct}`;
}

/** The entity card's summary: "Part of 2 campaigns, due in 12 days, 1 step left". */
export function entitySummary(campaigns: CampaignOverview[]): string {
  if (campaigns.length === 0) return 'Part of no campaign';
  const open = campaigns.filter(c => c.status !== 'ended' && c.entity && !c.entity.done);
  const soonest = [...open].sort((a, b) => a.daysLeft - b.daysLeft)[0];
  const steps = open.reduce((n, c) => n + (c.entity?.stepsLeft ?? 0), 0);
  const head = `Part of ${campaigns.length} campaign${campaigns.length === 1 ? '' : 's'}`;
  if (!soonest) return `${head}, every goal met`;
  return `${head}, ${dueText(soonest)}, ${steps} step${steps === 1 ? '' : 's'} left`;
}
