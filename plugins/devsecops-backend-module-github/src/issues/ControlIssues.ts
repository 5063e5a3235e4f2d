import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { ControlChangedEvent } from '@devsecops-scorecard/plugin-devsecops-common';
import { GITHUB_SLUG_ANNOTATION } from '../GithubPullProvider';
import { GithubIssue, GithubIssuesClient } from './GithubIssuesClient';

const DAY_MS = 86_400_000;

/** The label every issue this module opens carries (listing by label is consistent; search is not). */
export const CONTROL_ISSUE_LABEL = 'devsecops-scorecard';

/** One control of a stored scorecard, as `GET /v1/scorecards` returns it. */
export interface ScorecardControl {
  controlId: string;
  title: string;
  state: string;
  reason: string;
}

/** A daily snapshot, as `GET /v1/scorecards/history` returns it. */
export interface ControlSnapshot {
  /** YYYY-MM-DD (UTC) */
  day: string;
  controlStates: Record<string, string>;
}

/** What the module reads from the devsecops plugin. */
export interface ScorecardReader {
  /** The entity's stored controls; `undefined` when it has no scorecard. */
  controls(entityRef: string): Promise<ScorecardControl[] | undefined>;
  /** Daily snapshots of the last `days` days, oldest first. */
  history(entityRef: string, days: number): Promise<ControlSnapshot[]>;
}

export interface ControlIssuesOptions {
  clients: GithubIssuesClient[];
  reader: ScorecardReader;
  /** Open an issue once a control has failed this many days. */
  openAfterDays: number;
  /** The portal's `app.baseUrl`, for links. */
  appBaseUrl: string;
  logger: { info(message: string): void; warn(message: string): void };
  now?: () => number;
}

/** The hidden marker that ties an issue to one entity and control, so nothing is opened twice. */
export function issueMarker(entityRef: string, controlId: string): string {
  return `<!-- devsecops-scorecard:control-issue entity="${entityRef}" control="${controlId}" -->`;
}

const MARKER = /<!-- devsecops-scorecard:control-issue entity="([^"]+)" control="([^"]+)" -->/;

/** The entity and control an issue body's marker names. */
export function parseIssueMarker(body: string | null | undefined): { entityRef: string; controlId: string } | undefined {
  const match = MARKER.exec(body ?? '');
  return match ? { entityRef: match[1], controlId: match[2] } : undefined;
}

/**
 * The first day of the unbroken run of daily snapshots, ending at the newest, in which the control
 * was failing; `undefined` when the newest snapshot does not show it failing. A missing day ends
 * the run (unknown is not failing).
 */
export function failingSinceDay(snapshots: ControlSnapshot[], controlId: string): string | undefined {
  const days = [...snapshots].sort((a, b) => a.day.localeCompare(b.day));
  let since: string | undefined;
  for (let i = days.length - 1; i >= 0; i--) {
    if (days[i].controlStates[controlId] !== 'failing') break;
    if (since && Date.parse(since) - Date.parse(days[i].day) !== DAY_MS) break;
    since = days[i].day;
  }
  return since;
}

/** The entity's Security tab, anchored at the control (as the plugin's events link it). */
export function controlLink(entityRef: string, controlId: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/security#control-${controlId}`;
}

/**
 * Opens one GitHub issue in an entity's repository for a control failing longer than
 * `openAfterDays`, and closes it when the control passes again. The issue body carries a marker
 * (entity and control); before opening, the repository's open issues with the label are read, so a
 * re-delivered event, a repeated check or a second instance finds the issue instead of opening
 * another.
 */
export class ControlIssues {
  private readonly now: () => number;

  constructor(private readonly options: ControlIssuesOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A `devsecops.control.changed` event: failing → check the failing time; passing → close. */
  async onControlChanged(event: ControlChangedEvent, entity: Entity | undefined): Promise<void> {
    const target = this.target(entity, event.entityRef);
    if (!target) return;
    if (event.to === 'passing') {
      const open = await this.openIssues(target);
      const issue = open.get(event.controlId);
      if (issue) await this.resolve(target, issue, `passes again (${event.at}): ${event.reason}`);
    } else if (event.to === 'failing') {
      await this.check(entity!, [event.controlId]);
    }
  }

  /**
   * The scheduled check of one entity: opens issues for controls failing longer than the
   * threshold, closes those whose control passes. `only`: limit to these controls.
   */
  async check(entity: Entity, only?: string[]): Promise<{ opened: number; closed: number }> {
    const result = { opened: 0, closed: 0 };
    const entityRef = stringifyEntityRef(entity);
    const target = this.target(entity, entityRef);
    if (!target) return result;
    const controls = (await this.options.reader.controls(entityRef))?.filter(
      c => !only || only.includes(c.controlId),
    );
    if (!controls) return result;
    const open = await this.openIssues(target);
    const failing = controls.filter(c => c.state === 'failing' && !open.has(c.controlId));
    const history = failing.length && this.options.openAfterDays > 0
      ? await this.options.reader.history(entityRef, this.options.openAfterDays + 2)
      : [];
    const today = new Date(this.now()).toISOString().slice(0, 10);
    for (const control of failing) {
      const since = this.options.openAfterDays > 0 ? failingSinceDay(history, control.controlId) : today;
      if (!since || this.now() - Date.parse(since) < this.options.openAfterDays * DAY_MS) continue;
      await this.open(target, control, since);
      result.opened++;
    }
    for (const control of controls) {
      const issue = open.get(control.controlId);
      if (issue && control.state === 'passing') {
        await this.resolve(target, issue, `passes again: ${control.reason}`);
        result.closed++;
      }
    }
    return result;
  }

  private target(entity: Entity | undefined, entityRef: string) {
    const slug = entity?.metadata.annotations?.[GITHUB_SLUG_ANNOTATION];
    if (!entity || !slug) {
      this.options.logger.info(
        `No GitHub issue for ${entityRef}: ${entity ? `no ${GITHUB_SLUG_ANNOTATION} annotation` : 'not in the catalog'}`,
      );
      return undefined;
    }
    const client = this.clientFor(entity);
    if (!client) {
      this.options.logger.warn(`No GitHub issue for ${entityRef}: no GitHub integration configured`);
      return undefined;
    }
    return { entityRef, slug, client };
  }

  /** The client of the integration whose host the entity's source location names, else github.com. */
  private clientFor(entity: Entity): GithubIssuesClient | undefined {
    const clients = this.options.clients;
    const source = entity.metadata.annotations?.['backstage.io/source-location'] ?? '';
    const host = /^url:https?:\/\/([^/]+)\//.exec(source)?.[1];
    return (
      (host && clients.find(c => c.host === host)) || clients.find(c => c.host === 'github.com') || clients[0]
    );
  }

  /** This entity's open issues by control. */
  private async openIssues(target: { entityRef: string; slug: string; client: GithubIssuesClient }) {
    const byControl = new Map<string, GithubIssue>();
    for (const issue of await target.client.listOpenIssues(target.slug, CONTROL_ISSUE_LABEL)) {
      const marker = parseIssueMarker(issue.body);
      const known = marker && byControl.get(marker.controlId);
      if (marker?.entityRef === target.entityRef && (!known || issue.number < known.number)) {
        byControl.set(marker.controlId, issue);
      }
    }
    return byControl;
  }

  private async open(
    target: { entityRef: string; slug: string; client: GithubIssuesClient },
    control: ScorecardControl,
    since: string,
  ) {
    const { name } = parseEntityRef(target.entityRef);
    const link = `${this.options.appBaseUrl.replace(/\/+$/, '')}${controlLink(target.entityRef, control.controlId)}`;
    const body = [
      `The DevSecOps scorecard has found the control **${control.title}** (\`${control.controlId}\`) failing for \`${target.entityRef}\` since ${since}.`,
      '',
      `> ${control.reason}`,
      '',
      `See the control and what makes it pass: ${link}`,
      '',
      'This issue was opened by the DevSecOps scorecard and is closed when the control passes again.',
      '',
      issueMarker(target.entityRef, control.controlId),
    ].join('\n');
    const issue = await target.client.createIssue(target.slug, {
      title: `DevSecOps: ${control.title} failing for ${name}`,
      body,
      labels: [CONTROL_ISSUE_LABEL],
    });
    this.options.logger.info(`Opened ${issue.html_url} for ${target.entityRef} ${control.controlId}`);
    await this.closeDuplicates(target, control.controlId);
  }

  /**
   * Two instances (an event on one, the check on another) can both find no issue and both open
   * one. After opening, the open issues are listed again: every one with the same marker but the
   * oldest (lowest number) is closed as a duplicate of it, so one stays whichever instance looks.
   */
  private async closeDuplicates(
    target: { entityRef: string; slug: string; client: GithubIssuesClient },
    controlId: string,
  ) {
    const same = (await target.client.listOpenIssues(target.slug, CONTROL_ISSUE_LABEL))
      .filter(i => {
        const marker = parseIssueMarker(i.body);
        return marker?.entityRef === target.entityRef && marker.controlId === controlId;
      })
      .sort((a, b) => a.number - b.number);
    for (const duplicate of same.slice(1)) {
      await target.client.comment(target.slug, duplicate.number, `Duplicate of #${same[0].number}.`);
      await target.client.close(target.slug, duplicate.number, 'not_planned');
      this.options.logger.info(`Closed ${duplicate.html_url} as a duplicate of #${same[0].number}`);
    }
  }

  private async resolve(
    target: { entityRef: string; slug: string; client: GithubIssuesClient },
    issue: GithubIssue,
    why: string,
  ) {
    await target.client.comment(target.slug, issue.number, `The DevSecOps scorecard reports this control ${why}`);
    await target.client.close(target.slug, issue.number);
    this.options.logger.info(`Closed ${issue.html_url} for ${target.entityRef}`);
  }
}
