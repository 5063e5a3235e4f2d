import { EntityEvidence, EntityFacts } from '../evaluate/types';

/** An entity's evidence with nothing recorded yet, for the pure evaluation's tests. */
export function emptyEvidence(entity: EntityFacts, extra: Partial<EntityEvidence> = {}): EntityEvidence {
  return {
    entity,
    reports: [],
    openFindings: [],
    resolvedFindings: [],
    facts: [],
    deployments: [],
    gateDecisions: [],
    exceptions: [],
    signatures: [],
    ...extra,
  };
}
