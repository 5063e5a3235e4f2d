import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Campaign,
  CampaignCounts,
  CampaignOverview,
  CampaignProgress,
  devsecopsCampaignManagePermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { randomUUID } from 'node:crypto';
import { ControlCatalog } from '../config/ControlCatalog';
import {
  counts,
  daysFrom,
  endReport,
  entityProgress,
  exceptedCondition,
  goalCondition,
  goalControls,
  GoalState,
  markCounts,
  markTeams,
  meetsGoal,
} from '../evaluate/campaigns';
import { StageDefinition } from '../evaluate/types';
import { RollupService, ScopedSummary, subtree } from '../scorecard/RollupService';
import { CampaignDayCount, CampaignStore, claimKey } from '../store/CampaignStore';
import { GoalSummary, SummaryStore } from '../store/SummaryStore';
import { countsKey, dayCounts, storedBurnup } from './campaignCounts';
import { CampaignNotice, dueNotification, endedNotice, reminderNotice } from './campaignNotices';
import { CampaignSettings, parseCampaignInput } from './campaignInput';

export interface CampaignServiceOptions {
  store: CampaignStore;
  settings: CampaignSettings;
  summaries: SummaryStore;
  rollups: RollupService;
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  notifications: NotificationService;
  controls: ControlCatalog;
  stages: StageDefinition[];
  entityKinds: string[];
  logger: LoggerService;
  now?: () => Date;
}

/** What one evaluation pass loads once for every campaign it looks at. */
interface Loaded<S extends ScopedSummary = GoalSummary> {
  all: S[];
  groups: () => Promise<Map<string, string[]>>;
  tagged: (tag: string) => Promise<Set<string>>;
  /** Scopes resolved so far (campaigns often share one, e.g. the whole org): the services, or why none. */
  scopes: Map<string, Promise<S[] | NotFoundError>>;
}

/** A started campaign in the daily pass: the services in its scope today, per team those not done. */
interface Started {
  campaign: Campaign;
  states: GoalSummary[];
  notDoneByOwner: Map<string, number>;
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Campaigns: created by the platform and security owners (`devsecops.campaign.manage`) or declared
 * in configuration, evaluated from the stored summaries (where services stand today) and the
 * daily snapshots (since when, and the burn-up) with the pure `evaluate/campaigns`; reminds owning
 * teams before the target date and the campaign's owner when it ends, each once across instances.
 */
export class CampaignService {
  constructor(private readonly options: CampaignServiceOptions) {
    // A declared campaign naming an unknown control or stage stops the backend, naming its key.
    options.settings.declared.forEach((campaign, index) => {
      try {
        this.checkGoal(campaign.goal, `devsecops.campaigns.declared[${index}].`);
      } catch (error) {
        throw new Error(`Invalid devsecops configuration: ${(error as Error).message}`);
      }
    });
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  async create(input: unknown, credentials: BackstageCredentials<BackstageUserPrincipal>): Promise<Campaign> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: devsecopsCampaignManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('The permission policy does not allow devsecops.campaign.manage');
    }
    const fields = parseCampaignInput(input, '', this.options.settings.reminderDaysBefore, this.now());
    this.checkGoal(fields.goal, '');
    // The scope must name catalog entities that exist (404 → a 400 naming the field).
    try {
      await this.options.rollups.scoped(fields.scope, { all: [], groups: () => this.options.rollups.groups() });
    } catch (error) {
      if (error instanceof NotFoundError) throw new InputError(`scope: ${error.message}`);
      throw error;
    }
    const campaign: Campaign & { createdBy: string; createdAt: string } = {
      id: randomUUID(),
      ...fields,
      source: 'api',
      createdBy: credentials.principal.userEntityRef,
      createdAt: this.now().toISOString(),
    };
    await this.options.store.insert(campaign);
    return campaign;
  }

  /** Controls the goal names must exist; a stage goal must be a configured stage. */
  checkGoal(goal: Campaign['goal'], prefix: string) {
    if (goal.type === 'controls') {
      const unknown = goal.controls.filter(id => !this.options.controls.has(id));
      if (unknown.length > 0) throw new InputError(`${prefix}goal.controls: unknown control ${unknown.join(', ')}`);
    } else if (!this.options.stages.some(s => s.stage === goal.stage)) {
      throw new InputError(`${prefix}goal.stage: no maturity stage ${goal.stage} (stages ${this.options.stages.map(s => s.stage).join(', ')})`);
    }
  }

  /** Declared campaigns (checked at start-up) and stored ones, soonest target first. */
  async campaigns(): Promise<Campaign[]> {
    const stored = await this.options.store.list();
    return [...this.options.settings.declared, ...stored].sort(
      (a, b) => a.targetDate.localeCompare(b.targetDate) || a.id.localeCompare(b.id),
    );
  }

  /**
   * Every campaign with its counts; with `entity`, only those the service is in (with its
   * progress); with `group`, only those in which the group or a group below it owns services.
   */
  async list(filter: { entity?: string; group?: string } = {}): Promise<CampaignOverview[]> {
    const today = utcDay(this.now());
    const loaded = await this.load();
    if (filter.group && !(await loaded.groups()).has(filter.group)) {
      throw new NotFoundError(`No catalog group ${filter.group}`);
    }
    const out: CampaignOverview[] = [];
    for (const campaign of await this.campaigns()) {
      const states = await this.inScope(campaign, loaded);
      const controls = goalControls(campaign.goal, this.options.stages);
      const overview = this.overview(campaign, counts(campaign.goal, controls, states), today);
      if (filter.entity) {
        const state = states.find(s => s.entityRef === filter.entity);
        if (!state) continue;
        const [entity] = await this.progressOf(campaign, [state], today);
        out.push({ ...overview, entity });
      } else if (filter.group) {
        const owners = subtree(await loaded.groups(), filter.group);
        const mine = states.filter(s => s.ownerRef && owners.has(s.ownerRef));
        if (mine.length === 0) continue;
        out.push({ ...overview, team: { ownerRef: filter.group, ...counts(campaign.goal, controls, mine) } });
      } else {
        out.push(overview);
      }
    }
    return out;
  }

  /**
   * One campaign: counts, per team, the burn-up, a page of its services (unfinished first), the
   * end report. Where services stand is counted by the database from the stored summaries (no
   * control states parsed but the page's); the burn-up reads the stored daily counts.
   */
  async get(id: string, page: { limit: number; offset: number }): Promise<CampaignProgress> {
    const campaign = await this.find(id);
    const today = utcDay(this.now());
    const controls = goalControls(campaign.goal, this.options.stages);
    const all = await this.options.summaries.goalMarks(goalCondition(campaign.goal), {
      controls: exceptedCondition(controls),
    });
    const marks = await this.inScope(campaign, this.loader(all));
    const sorted = [...marks].sort((a, b) => Number(a.met) - Number(b.met) || a.entityRef.localeCompare(b.entityRef));
    const ended = today > campaign.targetDate;
    // The end report needs every service's done day; a running campaign only the page's.
    const listedRefs = (ended ? sorted : sorted.slice(page.offset, page.offset + page.limit)).map(m => m.entityRef);
    const byRef = new Map((await this.options.summaries.goalStates(listedRefs)).map(s => [s.entityRef, s]));
    const listed = listedRefs.flatMap(ref => byRef.get(ref) ?? []);
    const progress = await this.progressOf(campaign, listed, today);
    return {
      ...this.overview(campaign, markCounts(marks), today),
      teams: markTeams(marks),
      burnup: await storedBurnup(this.options.store, this.options.summaries, campaign, marks, today),
      entities: {
        items: ended ? progress.slice(page.offset, page.offset + page.limit) : progress,
        totalCount: marks.length,
        ...page,
      },
      ...(ended ? { report: endReport(campaign.targetDate, progress) } : {}),
    };
  }

  /**
   * The daily job's campaign pass: today's counts of every started campaign, one row each (what
   * its burn-up reads), then the reminders and end reports due (`remind`). The campaigns, the
   * summaries and the claims so far are each read once for the pass, and each scope resolved
   * once. Returns how many notifications were sent.
   */
  async notifyDue(): Promise<number> {
    const today = utcDay(this.now());
    // The claims so far are read while the summaries load (which campaigns are due is a matter of dates).
    const listed = this.campaigns();
    const due = listed.then(all => all.filter(c => c.startDate <= today && dueNotification(c, today) !== undefined));
    const [loaded, campaigns, claimed] = await Promise.all([
      this.load(),
      listed,
      due.then(d => (d.length > 0 ? this.options.store.claimed(d.map(c => c.id)) : new Set<string>())),
    ]);
    const started: Started[] = [];
    const byKey = new Map<string, CampaignDayCount>();
    for (const campaign of campaigns) {
      if (campaign.startDate > today) continue;
      const states = await this.inScope(campaign, loaded);
      const { notDoneByOwner, ...dayCount } = dayCounts(campaign.goal, goalControls(campaign.goal, this.options.stages), states);
      started.push({ campaign, states, notDoneByOwner });
      byKey.set(countsKey(campaign), dayCount);
    }
    if (byKey.size > 0) await this.options.store.replaceDay(today, byKey);
    return this.remind(started, claimed, today);
  }

  /** A day's snapshots were rewritten: its campaign counts are recounted on the next read. */
  async snapshotsChanged(day: string): Promise<void> {
    await this.options.store.forgetDay(day);
  }

  /**
   * Reminders to the owning teams of unfinished services when a reminder offset is reached (one
   * per campaign, team and offset: a campaign created late sends the nearest one only), and the
   * end report to the campaign's owner the day after the target date. Claimed in the database
   * first, so two instances send each once; what `claimed` (read at the start of the pass) holds
   * already is skipped without a write.
   */
  private async remind(started: Started[], claimed: Set<string>, today: string): Promise<number> {
    let sent = 0;
    for (const { campaign, states, notDoneByOwner } of started) {
      const due = dueNotification(campaign, today);
      if (due === undefined) continue;
      if (due === 'ended') {
        if (claimed.has(claimKey(campaign.id, campaign.ownerRef, due))) continue;
        if (await this.claim(campaign.id, campaign.ownerRef, due)) {
          const report = endReport(campaign.targetDate, await this.progressOf(campaign, states, today));
          sent += await this.send(campaign.id, campaign.ownerRef, due, endedNotice(campaign, report));
        }
        continue;
      }
      for (const [ownerRef, left] of notDoneByOwner) {
        // Skip what is claimed already without a write; the claim below decides races.
        if (claimed.has(claimKey(campaign.id, ownerRef, due)) || !(await this.claim(campaign.id, ownerRef, due))) continue;
        sent += await this.send(campaign.id, ownerRef, due, reminderNotice(campaign, left, today));
      }
    }
    return sent;
  }

  private claim(campaignId: string, recipient: string, kind: string) {
    return this.options.store.claimNotification(campaignId, recipient, kind, this.now());
  }

  private async send(
    campaignId: string,
    recipient: string,
    kind: string,
    payload: CampaignNotice,
  ): Promise<number> {
    try {
      await this.options.notifications.send({ recipients: { type: 'entity', entityRef: recipient }, payload });
      return 1;
    } catch (error) {
      // Give the claim back so the next run retries.
      await this.options.store.releaseNotification(campaignId, recipient, kind);
      this.options.logger.warn(`Could not send the ${kind} notification of campaign ${campaignId}: ${error}`);
      return 0;
    }
  }

  private async find(id: string): Promise<Campaign> {
    const declared = this.options.settings.declared.find(c => c.id === id.toLowerCase());
    const campaign = declared ?? (await this.options.store.get(id.toLowerCase()));
    if (!campaign) throw new NotFoundError(`No campaign ${id}`);
    return campaign;
  }

  private overview(campaign: Campaign, progress: CampaignCounts, today: string): CampaignOverview {
    let status: CampaignOverview['status'] = 'active';
    if (today < campaign.startDate) status = 'upcoming';
    else if (today > campaign.targetDate) status = 'ended';
    return {
      ...campaign,
      status,
      daysLeft: daysFrom(today, campaign.targetDate),
      counts: progress,
    };
  }

  /** The services' progress: done day from their snapshots, next step from their stored scorecard. */
  private async progressOf(campaign: Campaign, states: GoalState[], today: string) {
    // Only a service that is done has a done day to find in its snapshots.
    const refs = states.filter(s => meetsGoal(campaign.goal, s)).map(s => s.entityRef);
    const history = refs.length > 0 ? await this.options.summaries.historyOf(refs, campaign.startDate) : new Map();
    const byEntity = new Map<string, Array<GoalState & { day: string }>>();
    for (const [day, snapshots] of [...history.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      for (const s of snapshots) byEntity.set(s.entityRef, [...(byEntity.get(s.entityRef) ?? []), { ...s, day }]);
    }
    const unfinished = states.filter(s => !meetsGoal(campaign.goal, s)).map(s => s.entityRef);
    const scorecards =
      campaign.goal.type === 'stage' && unfinished.length > 0
        ? await this.options.summaries.storedScorecards(unfinished)
        : new Map();
    const controls = goalControls(campaign.goal, this.options.stages);
    const controlTitle = (id: string) => this.options.controls.get(id)?.title ?? id;
    return states.map(state =>
      entityProgress(campaign.goal, controls, state, byEntity.get(state.entityRef) ?? [], today, {
        controlTitle,
        maturity: scorecards.get(state.entityRef)?.maturity,
      }),
    );
  }

  /**
   * The services in a campaign's scope today (a scope naming a vanished group covers none), each
   * scope resolved once per pass (callers do not change the list).
   */
  private async inScope<S extends ScopedSummary>(campaign: Campaign, loaded: Loaded<S>): Promise<S[]> {
    const key = JSON.stringify(campaign.scope);
    let resolved = loaded.scopes.get(key);
    if (!resolved) {
      resolved = this.resolveScope(campaign.scope, loaded);
      loaded.scopes.set(key, resolved);
    }
    const summaries = await resolved;
    if (!(summaries instanceof NotFoundError)) return summaries;
    this.options.logger.warn(`Campaign ${campaign.id}: ${summaries.message}; it covers no services`);
    return [];
  }

  private async resolveScope<S extends ScopedSummary>(scope: Campaign['scope'], loaded: Loaded<S>): Promise<S[] | NotFoundError> {
    const { tag, ...query } = scope;
    let summaries: S[];
    try {
      summaries = (await this.options.rollups.scoped(query, loaded)).summaries;
    } catch (error) {
      if (error instanceof NotFoundError) return error;
      throw error;
    }
    if (!tag) return summaries;
    const tagged = await loaded.tagged(tag);
    return summaries.filter(s => tagged.has(s.entityRef));
  }

  /** The summaries, group tree and tagged entities, each read once per pass. */
  private async load(): Promise<Loaded> {
    return this.loader(await this.options.summaries.goalStates());
  }

  private loader<S extends ScopedSummary>(all: S[]): Loaded<S> {
    const { catalog, auth, entityKinds } = this.options;
    let groups: Promise<Map<string, string[]>> | undefined;
    const tags = new Map<string, Promise<Set<string>>>();
    return {
      all,
      scopes: new Map(),
      groups: () => (groups ??= this.options.rollups.groups()),
      tagged: tag => {
        if (!tags.has(tag)) {
          tags.set(
            tag,
            (async () => {
              const { items } = await catalog.getEntities(
                { filter: { kind: entityKinds, 'metadata.tags': tag }, fields: ['kind', 'metadata.name', 'metadata.namespace'] },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              return new Set(items.map(e => stringifyEntityRef(e)));
            })(),
          );
        }
        return tags.get(tag)!;
      },
    };
  }
}
