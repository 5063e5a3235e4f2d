import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  DEVSECOPS_EVENT_TOPICS,
  EntityScorecard,
  ExceptionChangedEvent,
  ExceptionRecord,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { SummaryStore } from '../store/SummaryStore';
import { scorecardChanges } from './scorecardChanges';

/**
 * Publishes the plugin's events on Backstage's events service (docs/events.md). A failed
 * publish is logged, never turns a committed write into an error.
 */
export class DevsecopsEvents {
  constructor(private readonly options: { events: EventsService; logger: LoggerService }) {}

  private async publish(topic: string, eventPayload: object) {
    try {
      await this.options.events.publish({ topic, eventPayload });
    } catch (error) {
      this.options.logger.warn(`Could not publish ${topic}: ${error}`);
    }
  }

  /** devsecops.control.changed, devsecops.stage.changed and devsecops.gate.decided for one re-evaluation. */
  async scorecardChanged(before: EntityScorecard | undefined, after: EntityScorecard) {
    const changes = scorecardChanges(before, after);
    for (const event of changes.controls) await this.publish(DEVSECOPS_EVENT_TOPICS.controlChanged, event);
    if (changes.stage) await this.publish(DEVSECOPS_EVENT_TOPICS.stageChanged, changes.stage);
    for (const event of changes.gates) await this.publish(DEVSECOPS_EVENT_TOPICS.gateDecided, event);
  }

  /** devsecops.exception.changed, after the transition committed. */
  async exceptionChanged(record: ExceptionRecord, action: string, actor: string, at: string) {
    const event: ExceptionChangedEvent = {
      exceptionId: record.id,
      entityRef: record.entityRef,
      ...(record.ownerRef ? { ownerRef: record.ownerRef } : {}),
      control: record.scope.control,
      action,
      status: record.status,
      actor,
      riskOwner: record.riskOwner,
      expiresAt: record.expiresAt,
      at,
      link: `/devsecops/exceptions/${record.id}`,
    };
    await this.publish(DEVSECOPS_EVENT_TOPICS.exceptionChanged, event);
  }
}

/** Told of each re-evaluation after a write: the stored scorecard before and the new one. */
export interface ScorecardChangeListener {
  scorecardChanged(before: EntityScorecard | undefined, after: EntityScorecard): Promise<void>;
}

/**
 * The refresh hook with events and regression alerts: reads each entity's stored scorecard,
 * re-evaluates it, and tells each listener what changed. Like refreshScorecardsQuietly, a failure
 * is logged and swallowed.
 */
export function refreshPublishingChanges(
  scorecards: { refresh(entityRef: string): Promise<EntityScorecard> },
  summaries: Pick<SummaryStore, 'storedScorecards'>,
  listeners: ScorecardChangeListener[],
  logger: LoggerService,
): OnEvidenceChanged {
  return async entityRefs => {
    for (const entityRef of new Set(entityRefs)) {
      try {
        const before = (await summaries.storedScorecards([entityRef])).get(entityRef);
        const after = await scorecards.refresh(entityRef);
        for (const listener of listeners) await listener.scorecardChanged(before, after);
      } catch (error) {
        logger.warn(`Could not refresh the scorecard summary of ${entityRef}: ${error}`);
      }
    }
  };
}
