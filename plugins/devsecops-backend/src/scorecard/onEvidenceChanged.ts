import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Called by every service that records evidence (reports, facts, deployments, gate decisions,
 * runtime signals, exercises, attestations, exception decisions) once its write has committed,
 * with the entities whose scorecard the write may change.
 */
export type OnEvidenceChanged = (entityRefs: string[]) => Promise<void>;

/**
 * The one hook: re-evaluates each entity and stores its summary. The write is committed, so a
 * failed refresh must not turn it into an error; it is logged and swallowed (the next write, the
 * refresh job at the stored scorecard's next change, or the daily snapshot re-evaluates).
 */
export function refreshScorecardsQuietly(
  scorecards: { refresh(entityRef: string): Promise<unknown> },
  logger: LoggerService,
): OnEvidenceChanged {
  return async entityRefs => {
    for (const entityRef of new Set(entityRefs)) {
      try {
        await scorecards.refresh(entityRef);
      } catch (error) {
        logger.warn(`Could not refresh the scorecard summary of ${entityRef}: ${error}`);
      }
    }
  };
}
