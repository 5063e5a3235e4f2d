import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { scorecardChanges } from '../events/scorecardChanges';
import { RegressionAlertStore } from '../store/RegressionAlertStore';
import { findingCauses } from './findingCauses';

/** A regression to notify, or a cause that ended. */
export interface RegressionCause {
  /** control:<id> | stage | gate:<environment> */
  cause: string;
  /** Absent: the cause ended (release its claim). */
  alert?: { topic: string; title: string; description: string; link: string; severity: 'high' | 'normal' };
}

/**
 * The regressions between two evaluations of an entity (pure): a control turned failing, the
 * stage dropped, a gate denied, new critical/high findings, findings past their SLA
 * (findingCauses); and the causes that ended (the control no longer failing, the stage back, the
 * environment's gate allowed, the count fallen). Nothing on a first evaluation (no before).
 */
export function regressionCauses(before: EntityScorecard | undefined, after: EntityScorecard): RegressionCause[] {
  if (!before) return [];
  const name = parseEntityRef(after.entityRef).name;
  const changes = scorecardChanges(before, after);
  const out: RegressionCause[] = [];
  for (const c of changes.controls) {
    const cause = `control:${c.controlId}`;
    if (c.to === 'failing') {
      const title = after.controls.find(x => x.controlId === c.controlId)?.title ?? c.controlId;
      out.push({
        cause,
        alert: {
          topic: 'devsecops-control-failing',
          title: `${name}: ${title} is failing`,
          description: c.reason,
          link: c.link,
          severity: 'high',
        },
      });
    } else if (c.from === 'failing') {
      out.push({ cause });
    }
  }
  if (changes.stage && changes.stage.from !== undefined) {
    if (changes.stage.to < changes.stage.from) {
      out.push({
        cause: 'stage',
        alert: {
          topic: 'devsecops-stage-dropped',
          title: `${name} dropped from stage ${changes.stage.from} to ${changes.stage.to}`,
          description: `Unmet now: ${after.maturity.stages.find(s => !s.met)?.criteria.filter(c => !c.met).map(c => c.title).join('; ') || 'see the scorecard'}`,
          link: changes.stage.link,
          severity: 'normal',
        },
      });
    } else {
      out.push({ cause: 'stage' });
    }
  }
  for (const g of changes.gates) {
    const cause = `gate:${g.environment}`;
    if (g.decision === 'deny') {
      out.push({
        cause,
        alert: {
          topic: 'devsecops-gate-denied',
          title: `${name}: release to ${g.environment} denied`,
          description: `Failed: ${g.failedRequirements.join(', ')}`,
          link: g.link,
          severity: 'high',
        },
      });
    } else {
      out.push({ cause });
    }
  }
  out.push(...findingCauses(before, after));
  return out;
}

/** How long alerts are not attempted once the notifications backend answered 404 (not installed). */
export const NOTIFICATIONS_MISSING_PAUSE_MS = 10 * 60_000;
/** How NotificationService's default implementation reports a backend that is not installed. */
const NOT_INSTALLED = /\bstatus 404\b/;

/**
 * Notifies the owning team of each regression once per entity and cause until the cause ends
 * (claimed in the database before sending, so two instances refreshing the same entity send it
 * once); a cause that ended is released, so its next occurrence notifies again. When no
 * notifications backend is installed (its send answers 404), one warning says so and nothing is
 * attempted for ten minutes, instead of a failed call and a warning per entity and cause.
 */
export class RegressionAlerts {
  /** Until when no alert is attempted: the notifications backend answered 404 (not installed). */
  private pausedUntil = 0;

  constructor(
    private readonly options: {
      store: RegressionAlertStore;
      notifications: NotificationService;
      logger: LoggerService;
      /** The users and groups following an entity (alerts/followers: its devsecops.io/followers annotation). */
      followers?: (entityRef: string) => Promise<string[]>;
      now?: () => Date;
    },
  ) {}

  async scorecardChanged(before: EntityScorecard | undefined, after: EntityScorecard) {
    await this.tell(after, regressionCauses(before, after));
  }

  /**
   * Claims and sends the alerts among the causes (each once per entity and cause across
   * instances) and releases the causes that ended. Returns how many were sent.
   */
  async tell(after: EntityScorecard, causes: RegressionCause[]): Promise<number> {
    const { store, notifications, logger } = this.options;
    let recipients: Promise<string[]> | undefined;
    let sent = 0;
    for (const { cause, alert } of causes) {
      if (!alert) {
        await store.release(after.entityRef, cause);
        continue;
      }
      if (!after.ownerRef) continue;
      const now = this.options.now?.() ?? new Date();
      // Without a notifications backend every send fails alike: not asked again for a while.
      if (now.getTime() < this.pausedUntil) continue;
      if (!(await store.claim(after.entityRef, cause, now))) continue;
      try {
        // The owning team and the entity's followers, read once per evaluation (only when it alerts).
        recipients ??= this.recipients(after.entityRef, after.ownerRef);
        const refs = await recipients;
        await notifications.send({ recipients: { type: 'entity', entityRef: refs.length === 1 ? refs[0] : refs }, payload: alert });
        sent++;
      } catch (error) {
        await store.release(after.entityRef, cause);
        if (NOT_INSTALLED.test(String(error))) {
          this.pausedUntil = now.getTime() + NOTIFICATIONS_MISSING_PAUSE_MS;
          logger.warn(
            `The notifications backend is not there (${error}): DevSecOps alerts are not sent for the next ` +
              `${NOTIFICATIONS_MISSING_PAUSE_MS / 60_000} minutes. Install @backstage/plugin-notifications-backend to ` +
              'receive them; evidence-going-stale warnings not sent are tried again by the next daily run.',
          );
        } else {
          logger.warn(`Could not send the ${alert.topic} notification of ${after.entityRef}: ${error}`);
        }
      }
    }
    return sent;
  }

  private async recipients(entityRef: string, ownerRef: string): Promise<string[]> {
    let followers: string[] = [];
    try {
      followers = (await this.options.followers?.(entityRef)) ?? [];
    } catch (error) {
      // The owning team still hears of it when the catalog cannot be asked.
      this.options.logger.warn(`Could not read the followers of ${entityRef}: ${error}`);
    }
    return [ownerRef, ...followers.filter(f => f !== ownerRef)];
  }
}
