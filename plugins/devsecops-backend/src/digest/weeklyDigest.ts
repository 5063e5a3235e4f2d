import { parseEntityRef } from '@backstage/catalog-model';
import { ControlState, OverdueFollowUp } from '@devsecops-scorecard/plugin-devsecops-common';

/** Where a service stands (a stored summary) or stood (a daily snapshot). */
export interface DigestState {
  entityRef: string;
  stage: number;
  controlStates: Record<string, ControlState>;
}

export interface DigestControlChange {
  entityRef: string;
  controlId: string;
  from: ControlState;
  to: ControlState;
}

export interface DigestStageChange {
  entityRef: string;
  from: number;
  to: number;
}

/** A team's (or the organisation's) week: GET /v1/digests/preview and the weekly notification. */
export interface WeeklyDigest {
  scope: { kind: 'group'; ref: string } | { kind: 'org' };
  /** The week compared: the oldest daily snapshot on or after `from` against today's summaries. */
  from: string;
  to: string;
  /** Services in scope today, and those of them with a snapshot in the week to compare with. */
  services: number;
  compared: number;
  improved: { controls: DigestControlChange[]; stages: DigestStageChange[] };
  regressed: { controls: DigestControlChange[]; stages: DigestStageChange[] };
  /** Approved exceptions of services in scope expiring within the next 14 days. */
  expiringExceptions: Array<{ id: string; entityRef: string; expiresAt: string; daysLeft: number }>;
  /** Active campaigns with services in scope, with the scope's progress in each. */
  campaigns: Array<{ id: string; title: string; targetDate: string; daysLeft: number; inScope: number; done: number }>;
  overdueFollowUps: Array<Pick<OverdueFollowUp, 'exerciseId' | 'index' | 'action' | 'owner' | 'due' | 'daysOverdue' | 'scopeRef'>>;
  /** Nothing improved or regressed and nothing needs attention. */
  quiet: boolean;
  /** The counts as one sentence (the notification's description). */
  summary: string;
  /** Where the recipient reads more: the team's Security tab, or the org overview. */
  link: string;
}

/** A control state that meets the bar, one that an exception covers, and one that does not. */
const GOOD: ControlState[] = ['passing', 'not_applicable'];
const BAD: ControlState[] = ['failing', 'stale', 'not_reported'];

export interface DigestInput {
  scope: WeeklyDigest['scope'];
  from: string;
  to: string;
  current: DigestState[];
  /** Each service's oldest snapshot in the week (by entity ref). */
  weekAgo: Map<string, DigestState>;
  expiringExceptions: WeeklyDigest['expiringExceptions'];
  campaigns: WeeklyDigest['campaigns'];
  overdueFollowUps: WeeklyDigest['overdueFollowUps'];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The week of a scope (pure): a control improved when it went from failing, stale or not
 * reported to passing (or not applicable); it regressed when it went from passing, not
 * applicable or excepted to failing, stale or not reported (an exception expiring counts). A
 * stage rose or dropped. Services without a snapshot in the week are not compared.
 */
export function weeklyDigest(input: DigestInput): WeeklyDigest {
  const improved: WeeklyDigest['improved'] = { controls: [], stages: [] };
  const regressed: WeeklyDigest['regressed'] = { controls: [], stages: [] };
  let compared = 0;
  for (const now of [...input.current].sort((a, b) => a.entityRef.localeCompare(b.entityRef))) {
    const before = input.weekAgo.get(now.entityRef);
    if (!before) continue;
    compared++;
    for (const controlId of Object.keys(now.controlStates).sort()) {
      const from = before.controlStates[controlId] ?? 'not_reported';
      const to = now.controlStates[controlId];
      if (from === to) continue;
      const change = { entityRef: now.entityRef, controlId, from, to };
      if (BAD.includes(from) && GOOD.includes(to)) improved.controls.push(change);
      else if (!BAD.includes(from) && BAD.includes(to)) regressed.controls.push(change);
    }
    if (now.stage > before.stage) improved.stages.push({ entityRef: now.entityRef, from: before.stage, to: now.stage });
    if (now.stage < before.stage) regressed.stages.push({ entityRef: now.entityRef, from: before.stage, to: now.stage });
  }
  const quiet =
    improved.controls.length + improved.stages.length + regressed.controls.length + regressed.stages.length === 0 &&
    input.expiringExceptions.length === 0 &&
    input.overdueFollowUps.length === 0 &&
    input.campaigns.every(c => c.done === c.inScope);
  const summary = quiet
    ? `A quiet week: nothing improved or regressed over ${plural(input.current.length, 'service')}, no exception expires within 14 days, no follow-up is overdue${input.campaigns.length > 0 ? ', every campaign is done' : ''}.`
    : `${[
        `${plural(improved.controls.length, 'control')} improved, ${plural(regressed.controls.length, 'control')} regressed`,
        `${plural(improved.stages.length, 'stage')} up, ${plural(regressed.stages.length, 'stage')} down`,
        `${plural(input.expiringExceptions.length, 'exception')} expiring within 14 days`,
        `${plural(input.campaigns.length, 'active campaign')}${input.campaigns.length > 0 ? ` (${plural(input.campaigns.reduce((n, c) => n + c.inScope - c.done, 0), 'service')} not done)` : ''}`,
        `${plural(input.overdueFollowUps.length, 'overdue exercise follow-up')}`,
      ].join('; ')}.`;
  return {
    scope: input.scope,
    from: input.from,
    to: input.to,
    services: input.current.length,
    compared,
    improved,
    regressed,
    expiringExceptions: input.expiringExceptions,
    campaigns: input.campaigns,
    overdueFollowUps: input.overdueFollowUps,
    quiet,
    summary,
    link: digestLink(input.scope),
  };
}

/** A team's Security tab, or the org overview. */
export function digestLink(scope: WeeklyDigest['scope']): string {
  if (scope.kind === 'org') return '/devsecops';
  const { namespace, name } = parseEntityRef(scope.ref);
  return `/catalog/${encodeURIComponent(namespace)}/group/${encodeURIComponent(name)}/security`;
}

/** The Monday (UTC) of a day's ISO week: a digest is sent once per recipient and week. */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
}
