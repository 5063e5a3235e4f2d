/** @public */
export type ExceptionStatus = 'requested' | 'approved' | 'rejected' | 'revoked' | 'expired';

/** What an exception covers on its entity; at least a control, narrowed by the other fields. @public */
export interface ExceptionScope {
  control: string;
  ruleId?: string;
  vulnerabilityId?: string;
  fingerprint?: string;
  artifactDigest?: string;
}

/** @public */
export type RiskRating = 'critical' | 'high' | 'medium' | 'low';

/** @public */
export interface ExceptionEvent {
  action: 'requested' | 'approved' | 'rejected' | 'revoked' | 'expired' | 'renewal-requested';
  actor: string;
  reason?: string;
  at: string;
  fromStatus?: ExceptionStatus;
  toStatus: ExceptionStatus;
}

/** A risk accepted for a while, by a named risk owner, with its whole history. @public */
export interface ExceptionRecord {
  id: string;
  entityRef: string;
  /** Catalog owner of the entity when requested. */
  ownerRef?: string;
  scope: ExceptionScope;
  riskStatement: string;
  riskRating: RiskRating;
  compensatingControls?: string;
  requester: string;
  /** A user or a group whose members may decide. */
  riskOwner: string;
  expiresAt: string;
  status: ExceptionStatus;
  requestedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  /** The exception this one renews, when it is a renewal. */
  renewalOf?: string;
  events: ExceptionEvent[];
}
