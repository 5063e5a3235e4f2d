import { ExceptionStatus } from './exceptions';
import { ControlState } from './scorecard';

/**
 * Topics the devsecops backend publishes on Backstage's events service
 * (`@backstage/plugin-events-node`), for modules that open tickets, post to chat or trigger a
 * rescan. Payloads are the interfaces below; docs/events.md describes them.
 * @public
 */
export const DEVSECOPS_EVENT_TOPICS = {
  controlChanged: 'devsecops.control.changed',
  stageChanged: 'devsecops.stage.changed',
  gateDecided: 'devsecops.gate.decided',
  exceptionChanged: 'devsecops.exception.changed',
} as const;

/** A control of an entity changed state after new evidence (compared with its stored scorecard). @public */
export interface ControlChangedEvent {
  entityRef: string;
  ownerRef?: string;
  controlId: string;
  /** The state before; absent when the entity had no stored scorecard. */
  from?: ControlState;
  to: ControlState;
  /** The control's reason now, one sentence. */
  reason: string;
  /** When it was evaluated (ISO 8601). */
  at: string;
  /** The entity's Security tab, anchored at the control (a path in the portal). */
  link: string;
}

/** An entity's maturity stage changed. @public */
export interface StageChangedEvent {
  entityRef: string;
  ownerRef?: string;
  from?: number;
  to: number;
  /** The unmet criteria of the next stage now (ids). */
  nextSteps: string[];
  at: string;
  link: string;
}

/** A release gate decision was recorded (by the gate API or for a recorded deployment). @public */
export interface GateDecidedEvent {
  decisionId: string;
  entityRef: string;
  ownerRef?: string;
  environment: string;
  policy: string;
  artifactDigest: string;
  decision: 'allow' | 'deny';
  /** The requirements that failed (names), empty when allowed. */
  failedRequirements: string[];
  decidedAt: string;
  requestedBy: string;
  link: string;
}

/** An exception was requested, decided, revoked, renewed or expired. @public */
export interface ExceptionChangedEvent {
  exceptionId: string;
  entityRef: string;
  ownerRef?: string;
  control: string;
  /** requested, renewal-requested, approved, rejected, revoked, expired. */
  action: string;
  status: ExceptionStatus;
  /** Who acted (a user ref, or system:expiry). */
  actor: string;
  riskOwner: string;
  expiresAt: string;
  at: string;
  link: string;
}
