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

/** A user or group that may be named risk owner, as the catalog shows it. @public */
export interface EligibleRiskOwner {
  /** `user:default/…` or `group:default/…`. */
  ref: string;
  displayName: string;
  kind: 'user' | 'group';
  /** For a user offered as a member of a listed group: that group. */
  memberOf?: string;
}

/** Who may be named risk owner of an exception on an entity (GET /v1/exceptions/risk-owners). @public */
export interface RiskOwnerEligibility {
  entityRef: string;
  riskRating: RiskRating;
  control?: string;
  /**
   * True when configuration lists the eligible owners for this rating (and control): only
   * `owners` may be named. False: any catalog user or group except the excluded ones.
   */
  restricted: boolean;
  /** The listed users and groups, and the members of the listed groups, minus the excluded ones. */
  owners: EligibleRiskOwner[];
  /** The configured default: the first listed owner that is eligible for this request. */
  defaultOwner?: string;
  /** Never eligible for this request: the requester, their teams and the entity's owning team. */
  excluded: string[];
  /**
   * The longest expiry the server accepts for a request made now
   * (`devsecops.exceptions.maxDurationDays`), so the dialog caps its date input.
   */
  expiry: { maxDurationDays: number; latest: string };
}
