import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ResponsibilityGroups } from '@devsecops-scorecard/plugin-devsecops-common';
import { CampaignService } from '../campaigns/CampaignService';
import { overdueFollowUps } from '../runtime/exercises';
import { RollupService, subtree } from '../scorecard/RollupService';
import { DigestStore } from '../store/DigestStore';
import { ExceptionStore } from '../store/ExceptionStore';
import { ExerciseStore } from '../store/ExerciseStore';
import { GoalSummary, SummaryStore } from '../store/SummaryStore';
import { DigestState, weekOf, weeklyDigest, WeeklyDigest } from './weeklyDigest';

const DAY = 86_400_000;
const EXPIRY_WINDOW_DAYS = 14;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}

export interface DigestServiceOptions {
  store: DigestStore;
  summaries: SummaryStore;
  rollups: RollupService;
  exceptions: Pick<ExceptionStore, 'approvedExpiringBefore'>;
  exercises: Pick<ExerciseStore, 'heldFor'>;
  campaigns: Pick<CampaignService, 'list'>;
  notifications: NotificationService;
  /** devsecops.responsibility: the platform team and the security owner receive the org digest. */
  responsibility?: ResponsibilityGroups;
  logger: LoggerService;
  now?: () => Date;
}

/** What one digest run reads once for every scope it composes. */
interface Week {
  today: string;
  from: string;
  all: GoalSummary[];
  weekAgo: Map<string, DigestState>;
  groups: Map<string, string[]>;
  expiring: Array<{ id: string; entityRef: string; expiresAt: string }>;
}

/**
 * The weekly digest: per team, what improved and regressed over the week (the daily snapshots
 * against today's summaries), exceptions expiring within 14 days, campaign progress and overdue
 * exercise follow-ups; the same over the organisation for the platform team and the security
 * owner. Sent as Backstage notifications (topic `devsecops-digest`), each once per recipient and
 * week across instances.
 */
export class DigestService {
  constructor(private readonly options: DigestServiceOptions) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** A group's digest (its services and those of groups below it), or the organisation's. */
  async preview(group?: string): Promise<WeeklyDigest> {
    let ref: string | undefined;
    if (group !== undefined) {
      try {
        ref = stringifyEntityRef(parseEntityRef(group, { defaultKind: 'group', defaultNamespace: 'default' }));
      } catch (error) {
        throw new InputError(`group: malformed group ref '${group}': ${(error as Error).message}`);
      }
      if (parseEntityRef(ref).kind !== 'group') throw new InputError(`group: '${group}' is not a group ref`);
    }
    const week = await this.load();
    if (ref && !week.groups.has(ref)) throw new InputError(`group: no catalog group ${ref}`);
    return this.compose(ref ? { kind: 'group', ref } : { kind: 'org' }, week);
  }

  /**
   * Sends this week's digests not sent yet: each team owning services, then the org digest to
   * the platform team and the security owner. Claimed first, so two instances send each once.
   * Returns how many were sent.
   */
  async sendDue(): Promise<number> {
    const week = await this.load();
    const key = weekOf(week.today);
    const teams = [...new Set(week.all.flatMap(s => (s.ownerRef?.startsWith('group:') ? [s.ownerRef] : [])))].sort();
    let sent = 0;
    for (const team of teams) {
      sent += await this.sendOnce(`team:${team}`, key, team, () => this.compose({ kind: 'group', ref: team }, week));
    }
    const org = [...new Set([this.options.responsibility?.platformTeam, this.options.responsibility?.securityOwner])];
    // Composed once, only when some owner has not had this week's.
    const orgDigest = once(() => this.compose({ kind: 'org' }, week));
    for (const recipient of org) {
      if (!recipient) continue;
      sent += await this.sendOnce(`org:${recipient}`, key, recipient, orgDigest);
    }
    return sent;
  }

  private async sendOnce(claimKey: string, week: string, recipient: string, digest: () => Promise<WeeklyDigest>) {
    const { store, notifications, logger } = this.options;
    if (!(await store.claim(claimKey, week, this.now()))) return 0;
    try {
      const d = await digest();
      const name = d.scope.kind === 'org' ? 'the organisation' : parseEntityRef(d.scope.ref).name;
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipient },
        payload: {
          title: `Weekly security digest for ${name}, ${d.from} to ${d.to}`,
          description: d.summary,
          link: d.link,
          topic: 'devsecops-digest',
          severity: 'low',
        },
      });
      return 1;
    } catch (error) {
      await store.release(claimKey, week);
      logger.warn(`Could not send the weekly digest to ${recipient}: ${error}`);
      return 0;
    }
  }

  private async compose(scope: WeeklyDigest['scope'], week: Week): Promise<WeeklyDigest> {
    const owners = scope.kind === 'group' ? subtree(week.groups, scope.ref) : undefined;
    const current = owners ? week.all.filter(s => s.ownerRef && owners.has(s.ownerRef)) : week.all;
    const refs = new Set(current.map(s => s.entityRef));
    const todayMs = Date.parse(`${week.today}T00:00:00Z`);
    // A team the catalog no longer lists has no campaigns to read (list would answer 404).
    const listed = owners && !week.groups.has((scope as { ref: string }).ref) ? [] : await this.options.campaigns.list(scope.kind === 'group' ? { group: scope.ref } : {});
    const campaigns = listed
      .filter(c => c.status === 'active')
      .map(c => {
        const counts = c.team ?? c.counts;
        return { id: c.id, title: c.title, targetDate: c.targetDate, daysLeft: c.daysLeft, inScope: counts.inScope, done: counts.done };
      });
    // Follow-ups of exercises held for the scope's groups or its services.
    const scopes = owners ? [...owners, ...refs] : [...week.groups.keys(), ...refs];
    const exercises = [];
    for (let i = 0; i < scopes.length; i += 500) exercises.push(...(await this.options.exercises.heldFor(scopes.slice(i, i + 500))));
    return weeklyDigest({
      scope,
      from: week.from,
      to: week.today,
      current,
      weekAgo: week.weekAgo,
      expiringExceptions: week.expiring
        .filter(e => refs.has(e.entityRef))
        .map(e => ({ ...e, daysLeft: Math.ceil((Date.parse(e.expiresAt) - todayMs) / DAY) })),
      campaigns,
      overdueFollowUps: overdueFollowUps(exercises, week.today).map(f => ({
        exerciseId: f.exerciseId,
        index: f.index,
        action: f.action,
        owner: f.owner,
        due: f.due,
        daysOverdue: f.daysOverdue,
        scopeRef: f.scopeRef,
      })),
    });
  }

  private async load(): Promise<Week> {
    const now = this.now();
    const today = utcDay(now);
    const from = utcDay(new Date(now.getTime() - 7 * DAY));
    const { summaries } = await this.options.rollups.scoped({}, {
      all: await this.options.summaries.goalStates(),
      groups: () => Promise.resolve(new Map()),
    });
    const history = await this.options.summaries.historyOf(summaries.map(s => s.entityRef), from);
    const weekAgo = new Map<string, DigestState>();
    for (const day of [...history.keys()].sort().reverse()) {
      for (const s of history.get(day)!) weekAgo.set(s.entityRef, s);
    }
    const expiring = (await this.options.exceptions.approvedExpiringBefore(now, new Date(now.getTime() + EXPIRY_WINDOW_DAYS * DAY)))
      .map(e => ({ id: e.id, entityRef: e.entityRef, expiresAt: e.expiresAt }))
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
    return { today, from, all: summaries, weekAgo, groups: await this.options.rollups.groups(), expiring };
  }
}
