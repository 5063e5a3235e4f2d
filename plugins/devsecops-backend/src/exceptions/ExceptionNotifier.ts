import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionStore } from '../store/ExceptionStore';

const DAY_MS = 86_400_000;

/** Where the frontend shows one exception (the notifications' links). */
export function exceptionLink(id: string): string {
  return `/devsecops/exceptions/${encodeURIComponent(id)}`;
}

/**
 * The notification threads of one exception. Backstage notifications replace a user's earlier
 * notification of the same scope (title, description, link; unread again), so a decision updates
 * the risk owner's "awaiting your decision" in place and each expiry warning replaces the last.
 */
const threads = {
  decision: (id: string) => `devsecops-exception:${id}:decision`,
  requester: (id: string) => `devsecops-exception:${id}:requester`,
  expiry: (id: string) => `devsecops-exception:${id}:expiry`,
};

/** Whole days until `at`, rounded up: 6 days and 2 hours reads "7 days", 5 days and 23 hours "6 days". */
export function daysUntil(at: string, now: Date): number {
  return Math.ceil((new Date(at).getTime() - now.getTime()) / DAY_MS);
}

/**
 * Sends exception notifications through Backstage notifications, each at most once per
 * exception and kind (claimed in the database first, so restarts and other instances skip it).
 * Every notification links to the exception's own page.
 */
export class ExceptionNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      store: ExceptionStore;
      logger: LoggerService;
      warnDaysBeforeExpiry: number[];
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  async awaitingDecision(record: ExceptionRecord): Promise<boolean> {
    return this.send(record, 'awaiting-decision', [record.riskOwner], threads.decision(record.id), {
      title: `Exception awaiting your decision: ${name(record.entityRef)} ${record.scope.control}`,
      description: `${record.requester} asks to accept "${record.riskStatement}" until ${day(record.expiresAt)}.`,
      severity: 'high',
    });
  }

  /**
   * A decision: the risk owner's "awaiting your decision" becomes the outcome (same scope, so it
   * no longer asks for anything), and the requester is told.
   */
  async decided(record: ExceptionRecord) {
    if (record.status !== 'approved' && record.status !== 'rejected') return;
    const decision = [...record.events].reverse().find(e => e.toStatus === record.status);
    const by = decision?.actor ?? record.decidedBy ?? 'the risk owner';
    const why = decision?.reason ? ` Reason: ${decision.reason}` : '';
    const outcome = record.status === 'approved' ? `approved until ${day(record.expiresAt)}` : 'rejected';
    await this.send(record, 'decided', [record.riskOwner], threads.decision(record.id), {
      title: `Exception ${record.status}, no decision needed: ${name(record.entityRef)} ${record.scope.control}`,
      description: `${by} ${outcome}.${why}`,
      severity: 'low',
    });
    await this.send(record, `requester-${record.status}`, [record.requester], threads.requester(record.id), {
      title: `Your exception was ${record.status}: ${name(record.entityRef)} ${record.scope.control}`,
      description:
        record.status === 'approved'
          ? `${by} accepted the risk until ${day(record.expiresAt)}.${why}`
          : `${by} rejected it; the failure counts.${why}`,
      severity: 'normal',
    });
  }

  async expired(record: ExceptionRecord) {
    await this.send(record, 'expired', recipients(record), threads.expiry(record.id), {
      title: `Exception expired: ${name(record.entityRef)} ${record.scope.control}`,
      description: `The accepted risk counts as a failure again from ${day(record.expiresAt)}. Fix it or request a renewal.`,
      severity: 'high',
    });
  }

  /**
   * Warnings before expiry, one per configured threshold at most: the tightest threshold the
   * exception is within, saying the real number of days left; and reminders for requests still
   * awaiting a decision.
   */
  async sendDue(): Promise<number> {
    const now = this.now();
    const thresholds = [...this.options.warnDaysBeforeExpiry].sort((a, b) => a - b);
    let sent = 0;
    if (thresholds.length > 0) {
      const until = new Date(now.getTime() + thresholds[thresholds.length - 1] * DAY_MS);
      for (const record of await this.options.store.approvedExpiringBefore(now, until)) {
        const left = daysUntil(record.expiresAt, now);
        const threshold = thresholds.find(t => left <= t);
        if (threshold === undefined) continue;
        const due = await this.send(record, `expires-in-${threshold}d`, recipients(record), threads.expiry(record.id), {
          title: `Exception expires in ${left} day${left === 1 ? '' : 's'}: ${name(record.entityRef)} ${record.scope.control}`,
          description: `Expires ${day(record.expiresAt)}. Fix the failure or request a renewal before then.`,
          severity: left <= 3 ? 'high' : 'normal',
        });
        if (due) sent++;
      }
    }
    for (const record of await this.options.store.awaitingDecision()) {
      if (await this.awaitingDecision(record)) sent++;
    }
    return sent;
  }

  private async send(
    record: ExceptionRecord,
    kind: string,
    to: string[],
    scope: string,
    payload: { title: string; description: string; severity: 'high' | 'normal' | 'low' },
  ): Promise<boolean> {
    if (!(await this.options.store.claimNotification(record.id, kind, this.now()))) return false;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: to },
        payload: { ...payload, topic: 'devsecops-exceptions', scope, link: exceptionLink(record.id) },
      });
      return true;
    } catch (error) {
      // Give the claim back so the next run retries instead of losing the notification.
      await this.options.store.releaseNotification(record.id, kind);
      this.options.logger.warn(`Could not send ${kind} notification for exception ${record.id}: ${error}`);
      return false;
    }
  }
}

function recipients(record: ExceptionRecord): string[] {
  return [...new Set([record.riskOwner, ...(record.ownerRef ? [record.ownerRef] : [])])];
}

function name(ref: string) {
  return parseEntityRef(ref).name;
}

function day(iso: string) {
  return iso.slice(0, 10);
}
