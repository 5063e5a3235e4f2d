import {
  CapabilityId,
  ControlDefinition,
  ControlFact,
  Deployment,
  Exercise,
  HumanAttestation,
  HumanAttestationKind,
  FindingSeverity,
  GateDecision,
  RuntimeMonitor,
  ResponsibilityGroups,
  RuntimeSignal,
} from '@devsecops-scorecard/plugin-devsecops-common';

/** The entity as the evaluation needs it, taken from the catalog. */
export interface EntityFacts {
  entityRef: string;
  kind: string;
  type?: string;
  ownerRef?: string;
  lifecycle?: string;
  /** The `devsecops.io/tier` annotation (per-tier SLA days, devsecops.severityPolicy.byTier). */
  tier?: string;
}

/** An approved exception, as far as evaluation cares: what it covers and until when. */
export interface ExceptionCover {
  id: string;
  control?: string;
  ruleId?: string;
  vulnerabilityId?: string;
  fingerprint?: string;
  artifactDigest?: string;
  approvedAt: string;
  expiresAt: string;
}

/**
 * An approved exception that is no longer in force: it expired or was revoked. Only exception
 * age reads it, with the age it reached when it lapsed.
 */
export interface LapsedException {
  id: string;
  approvedAt: string;
  /** When it stopped counting: its expiry, or its revocation if that came first. */
  lapsedAt: string;
}

export interface OpenFinding {
  id: string;
  control: string;
  severity: FindingSeverity;
  ruleId: string;
  vulnerabilityId?: string;
  fingerprint: string;
  artifactDigest?: string;
  kind: string;
  firstSeenAt: string;
  /** Listed in CISA KEV (imported catalog, else the scanner's word). */
  kev?: boolean;
  /** EPSS probability (imported feed, else the scanner's). */
  epss?: number;
}

export interface ResolvedFinding {
  /** The finding's id (matches a ticket's subject). */
  id?: string;
  severity: FindingSeverity;
  kind: string;
  firstSeenAt: string;
  resolvedAt: string;
}

/** A secret finding whose linked ticket was closed (tickets/TicketStore). */
export interface SecretTicketClosure {
  findingId: string;
  firstSeenAt: string;
  closedAt: string;
  /** When the secret was gone from the scans, if it is. */
  resolvedAt?: string;
}

export interface ReportSighting {
  id: string;
  controls: string[];
  scannedAt: string;
  artifactDigest?: string;
}

/** Everything recorded about one entity: the pure core's only input besides config and time. */
export interface EntityEvidence {
  entity: EntityFacts;
  /** Newest report per control (more are fine). */
  reports: ReportSighting[];
  openFindings: OpenFinding[];
  /** Resolved findings within the metrics window. */
  resolvedFindings: ResolvedFinding[];
  /**
   * Secret findings with a closed rotation ticket whose closure or resolution falls within the
   * metrics window (absent: none). A secret counts as rotated at whichever comes first.
   */
  secretTicketClosures?: SecretTicketClosure[];
  /** Current value of each fact. */
  facts: ControlFact[];
  /** Newest deployment per environment. */
  deployments: Deployment[];
  /** Newest gate decision per environment. */
  gateDecisions: GateDecision[];
  /** Approved exceptions (expired ones may be included; evaluation ignores them). */
  exceptions: ExceptionCover[];
  /**
   * Approved exceptions that lapsed (expired or revoked) within the metrics window, for exception
   * age only: a lapse keeps the age the exception reached until it leaves the window
   * (absent: none).
   */
  lapsedExceptions?: LapsedException[];
  /** Signature verifications recorded for the entity's artifacts, newest first. */
  signatures: SignatureVerification[];
  /**
   * What the catalog says about each deployment's approver (looked up by the EvidenceLoader, so
   * evaluation stays pure). A deployment's approval counts only with a check without a problem.
   */
  approverChecks?: ApproverCheck[];
  /** Open runtime signals and those remediated within the metrics window (absent: none). */
  runtimeSignals?: RuntimeSignal[];
  /** Tabletop exercises held for the entity, its owner group or an ancestor group (absent: none). */
  exercises?: Exercise[];
  /** Runtime sources last heard from per runtime control (heartbeats; absent: none). */
  runtimeMonitors?: RuntimeMonitor[];
  /**
   * Named human attestations in force for the entity, its owner group or an ancestor group,
   * newest first (absent: none).
   */
  humanAttestations?: HumanAttestation[];
  /** The newest audit-package export that covered the entity (the portal's own record of it). */
  lastExport?: EvidenceExport;
}

/** An audit package exported from the portal that covered an entity: who, when, which range. */
export interface EvidenceExport {
  at: string;
  actor: string;
  from: string;
  to: string;
  scope: string;
}

/** A deployment's approver as the catalog knows it. */
export interface ApproverCheck {
  deploymentId: string;
  /** The approver's catalog User ref, when it resolves to one. */
  userRef?: string;
  /**
   * Why the approval does not count as a separate person's (a bot, the deployer itself, not a
   * catalog User); absent: a catalog User other than the deployer approved.
   */
  problem?: string;
}

export interface SignatureVerification {
  digest: string;
  verified: boolean;
  reason: string;
  at: string;
  /** Evidence id (fact observation or attestation). */
  id: string;
}

export interface SeverityPolicy {
  /** Days an open finding of each severity may stay open before it is past its SLA. */
  slaDays: Record<FindingSeverity, number>;
  /** Days by `spec.lifecycle` (e.g. experimental, production) over `slaDays`, per severity. */
  byLifecycle?: Record<string, Partial<Record<FindingSeverity, number>>>;
  /** Days by the entity's `devsecops.io/tier` annotation, over lifecycle and `slaDays`, per severity. */
  byTier?: Record<string, Partial<Record<FindingSeverity, number>>>;
  /** Whether the adopter configured the policy (a stage 1 criterion), not just the defaults. */
  configured: boolean;
}

export interface MetricTargets {
  meanTimeToPatchDays: number;
  meanTimeToRotateDays: number;
  meanExceptionAgeDays: number;
  /**
   * Resolved findings older than this do not count towards the means, nor do exceptions that
   * lapsed longer ago.
   */
  windowDays: number;
}

export interface EvaluationConfig {
  controls: ControlDefinition[];
  severityPolicy: SeverityPolicy;
  metricTargets: MetricTargets;
  stages: StageDefinition[];
  /** The platform and security/compliance groups (devsecops.responsibility; absent: none named). */
  responsibility?: ResponsibilityGroups;
}

/** A maturity criterion, decided from controls, facts, ownership, deployments or metrics. */
export type CriterionRule =
  | { type: 'controls'; controls: string[]; states: string[] }
  | { type: 'fact'; fact: string; equals?: string | number | boolean; atLeast?: number; atMost?: number; withinDays?: number }
  | { type: 'owner' }
  | { type: 'severity-policy' }
  | { type: 'exception-records' }
  | { type: 'traceable-deployment'; environment: string }
  | { type: 'metrics' }
  /** An exercise of the scenario was held within the window (default 365 days). */
  | { type: 'exercise'; scenario: string; withinDays?: number }
  /** An audit package covering the entity was exported from the portal within the window. */
  | { type: 'evidence-export'; withinDays: number }
  /**
   * A named human attestation of the kind is in force (unexpired) and was held within the window
   * (default: its validity).
   */
  | { type: 'human-attestation'; kind: HumanAttestationKind; withinDays?: number }
  | { type: 'any'; rules: CriterionRule[] }
  | { type: 'all'; rules: CriterionRule[] };

export interface CriterionDefinition {
  id: string;
  title: string;
  rule: CriterionRule;
  /** The responsibility model's capability it belongs to. */
  capability?: CapabilityId;
}

export interface StageDefinition {
  stage: number;
  title: string;
  criteria: CriterionDefinition[];
}
