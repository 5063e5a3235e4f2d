import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionStore } from '../store/ExceptionStore';

/**
 * Sends exception notifications through Backstage notifications, each at most once per
 * exception and kind (claimed in the database first, so restarts and other instances skip it).
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

  async awaitingDecision(record: ExceptionRecord) {
    await this.send(record, 'awaiting-decision', [record.riskOwner], {
      title: `Exception awaiting your decision: ${name(record.entityRef)} ${record.scope.control}`,
      description: `${record.requester} asks to accept "${record.riskStatement}" until ${record.expiresAt.slice(0, 10)}.`,
      severity: 'high',
    });
  }

  async expired(record: ExceptionRecord) {
    await this.send(record, 'expired', recipients(record), {
      title: `Exception expired: ${name(record.entityRef)} ${record.scope.control}`,
      description: `The accepted risk counts as a failure again from ${record.expiresAt.slice(0, 10)}. Fix it or request a renewal.`,
      severity: 'high',
    });
  }

  /** Warnings N days before expiry, and reminders for requests still awaiting a decision. */
  async sendDue(): Promise<number> {
    const now = this.now();
    let sent = 0;
    for (const days of [...this.options.warnDaysBeforeExpiry].sort((a, b) => a - b)) {
      const until = new Date(now.getTime() + days * 86_400_000);
      for (const record of await this.options.store.approvedExpiringBefore(now, until)) {
        if (
          await this.send(record, `expires-in-${days}d`, recipients(record), {
            title: `Exception expires in ${days} day${days === 1 ? '' : 's'}: ${name(record.entityRef)} ${record.scope.control}`,
            description: `Expires ${record.expiresAt.slice(0, 10)}. Fix the failure or request a renewal before then.`,
            severity: days <= 3 ? 'high' : 'normal',
          })
        ) sent++;
      }
    }
    for (const record of await this.options.store.awaitingDecision()) {
      if (await this.awaitingDecisionOnce(record)) sent++;
    }
    return sent;
  }

  private async awaitingDecisionOnce(record: ExceptionRecord) {
    return this.send(record, 'awaiting-decision', [record.riskOwner], {
      title: `Exception awaiting your decision: ${name(record.entityRef)} ${record.scope.control}`,
      description: `${record.requester} asks to accept "${record.riskStatement}" until ${record.expiresAt.slice(0, 10)}.`,
      severity: 'high',
    });
  }

  private async send(
    record: ExceptionRecord,
    kind: string,
    to: string[],
    payload: { title: string; description: string; severity: 'high' | 'normal' },
  ): Promise<boolean> {
    if (!(await this.options.store.claimNotification(record.id, kind, this.now()))) return false;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: to },
        payload: {
          ...payload,
          topic: 'devsecops-exceptions',
          link: `/devsecops/exceptions?id=${record.id}`,
        },
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
