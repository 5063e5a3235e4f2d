import { FindingSeverity } from './evidence';
import { PipelineStageId } from './controlStack';
import { RuntimeSignalKind } from './runtime';
import { CapabilityId, Responsibility } from './responsibility';

/**
 * A control's result is never just pass/fail: no evidence is "not_reported" (never a pass),
 * evidence older than the control's window is "stale", a failure covered by an approved,
 * unexpired exception is "excepted".
 * @public
 */
export type ControlState =
  | 'passing'
  | 'failing'
  | 'not_reported'
  | 'stale'
  | 'excepted'
  | 'not_applicable'
  | 'error';

/** One condition on an observed control fact. @public */
export interface FactCondition {
  fact: string;
  equals?: string | number | boolean;
  atLeast?: number;
  atMost?: number;
}

/** How a control decides, from which evidence. @public */
export type ControlRule =
  | {
      /** Open findings of the control's reports at or above this severity fail it. */
      type: 'findings';
      failOnSeverity: FindingSeverity;
      /**
       * Only exploitable findings fail (`devsecops.exploitability.failOn: exploitable`): listed in
       * CISA KEV or with an EPSS score at or above the threshold. Absent: severity alone decides.
       */
      exploitable?: { epssThreshold: number };
    }
  | {
      /** An observed control fact; passes when equal to `equals` (default true) or ≥ `atLeast`. */
      type: 'fact';
      fact: string;
      equals?: string | number | boolean;
      atLeast?: number;
      /**
       * Runtime signal kinds that fail the control while one of them is open (not remediated) at
       * high or critical severity, even when the fact holds ("monitoring is on, and it caught something").
       */
      failOnOpenSignals?: RuntimeSignalKind[];
      /**
       * Further conditions that fail the control when their fact is observed and does not hold
       * (code review: required status checks, owner review). An unobserved one is named in the
       * reason, never a failure: CI that posts only the main fact is judged on it alone.
       */
      whenObserved?: FactCondition[];
      /**
       * "Monitoring is on" also when the entity's runtime source was heard from within the
       * freshness window: a heartbeat for this control, or a signal of the `failOnOpenSignals` kinds.
       */
      monitoredBySignals?: boolean;
    }
  | {
      /** Fails while an open runtime signal of these kinds at or above the severity exists. */
      type: 'runtime-signals';
      kinds: RuntimeSignalKind[];
      failOnSeverity?: FindingSeverity;
    }
  | {
      /** The latest production deployment names an approver. */
      type: 'deployment-approval';
      environment: string;
    }
  | {
      /** The latest gate decision for the environment allowed the deployment. */
      type: 'gate-decision';
      environment: string;
    }
  | {
      /** The artifact of the latest deployment to the environment has a verified signature. */
      type: 'signature';
      environment: string;
    };

/** A pipeline control as evaluated: the seed's row plus how it is decided. @public */
export interface ControlDefinition {
  id: string;
  stage: PipelineStageId;
  title: string;
  /** Evidence older than this many days makes the control stale. */
  freshnessDays: number;
  rule: ControlRule;
  /** Entity spec.type values the control applies to; absent means every type. */
  appliesToTypes?: string[];
  /** The responsibility model's capability it belongs to (model/responsibility). */
  capability?: CapabilityId;
}

/** Points at the evidence behind a result. @public */
export interface EvidenceRef {
  kind: 'report' | 'finding' | 'fact' | 'deployment' | 'gate-decision' | 'exception' | 'runtime-signal' | 'exercise';
  id: string;
  /** When the evidence was observed or received. */
  at?: string;
}

/** @public */
export interface ControlResult {
  controlId: string;
  stage: PipelineStageId;
  title: string;
  state: ControlState;
  /** One sentence a product team can act on. */
  reason: string;
  /** Time of the newest evidence, if any. */
  lastEvidenceAt?: string;
  evidence: EvidenceRef[];
  /** Who acts, provides and decides for it (absent: the control names no capability). */
  responsibility?: Responsibility;
}

/** One requirement of a release policy, in the seed's vocabulary. @public */
export type GateRequirement =
  | { branch_protection: string }
  | { artifact_signature: 'verified' }
  | { sbom: 'generated' }
  | { secrets_scan: 'passed' }
  | { container_critical_vulns: 'none' | 'none_or_approved_exception' }
  | { deployment_owner: 'service_catalog_match' };

/** @public */
export interface GateRequirementResult {
  requirement: string;
  expected: string;
  passed: boolean;
  reason: string;
  evidence: EvidenceRef[];
}

/** @public */
export interface GateDecision {
  id: string;
  policy: string;
  environment: string;
  entityRef: string;
  artifactDigest: string;
  decision: 'allow' | 'deny';
  requirements: GateRequirementResult[];
  decidedAt: string;
  /** Who asked: the CD pipeline's principal, or `deployment` when evaluated for a recorded deploy. */
  requestedBy: string;
  deploymentId?: string;
}

/** @public */
export interface StageCriterionResult {
  id: string;
  title: string;
  met: boolean;
  reason: string;
  /** Who acts, provides and decides for it (absent: the criterion names no capability). */
  responsibility?: Responsibility;
}

/** @public */
export interface StageResult {
  stage: number;
  title: string;
  criteria: StageCriterionResult[];
  met: boolean;
}

/** @public */
export interface MaturityResult {
  /** Highest N such that every criterion of stages 1..N holds; 0 when stage 1 is not met. */
  stage: number;
  stages: StageResult[];
  /** Unmet criteria of the next stage, in order: what to do next. */
  nextSteps: StageCriterionResult[];
}

/** @public */
export interface EntityMetrics {
  /** Mean days from first seen to resolved, for critical and high vulnerabilities resolved in the window. */
  meanTimeToPatchDays?: number;
  patchedCount: number;
  /**
   * Mean days from first seen to rotated for secret findings rotated in the window: rotated when
   * the linked ticket was closed or the secret was gone from the latest scan, whichever is first.
   */
  meanTimeToRotateDays?: number;
  rotatedCount: number;
  /** Of `rotatedCount`, how many a closed ticket and how many the secret's disappearance rotated (absent when none). */
  rotatedBy?: { ticketClosed: number; secretGone: number };
  /** Open findings past their severity's SLA. */
  pastSla: Record<FindingSeverity, number>;
  openBySeverity: Record<FindingSeverity, number>;
  /**
   * Mean age in days of the exceptions in force at some time within the metrics window: an
   * active one aged until now, one that expired or was revoked within the window aged until it
   * lapsed (undefined when there are none).
   */
  meanExceptionAgeDays?: number;
  /** Mean days from detected to remediated for runtime signals remediated in the window. */
  meanTimeToRemediateDays?: number;
  remediatedCount?: number;
}

/** Everything the Security tab needs for one entity. @public */
export interface EntityScorecard {
  entityRef: string;
  ownerRef?: string;
  type?: string;
  evaluatedAt: string;
  controls: ControlResult[];
  maturity: MaturityResult;
  metrics: EntityMetrics;
  latestGateDecisions: GateDecision[];
}

/** Aggregates over many entities: a group (recursively), a system, a domain or the org. @public */
export interface Rollup {
  scope: { kind: 'group' | 'system' | 'domain' | 'org'; ref?: string };
  entityCount: number;
  /** Entities per maturity stage, 0–4. */
  stageDistribution: Record<string, number>;
  /** Per control: entities in each state, and the share passing (or excepted) among those it applies to. */
  controlAdoption: Record<string, { states: Partial<Record<ControlState, number>>; passingPct?: number }>;
  gate: { allow: number; deny: number; undecided: number; passRatePct?: number };
  metrics: {
    meanTimeToPatchDays?: number;
    meanTimeToRotateDays?: number;
    /** Of the secrets rotated in scope: by a closed ticket, or gone from the scan (absent: none rotated, or none recorded which). */
    rotatedBy?: { ticketClosed: number; secretGone: number };
    meanExceptionAgeDays?: number;
    /** Runtime signals: detected → remediated, weighted by how many were remediated. */
    meanTimeToRemediateDays?: number;
    openBySeverity: Record<FindingSeverity, number>;
    pastSla: Record<FindingSeverity, number>;
  };
  /** The entities in scope, by entity ref: all of them, or one page when `entitiesLimit` was given. */
  entities: Array<{ entityRef: string; ownerRef?: string; type?: string; stage: number; productionGate?: 'allow' | 'deny' }>;
  /** With `entitiesLimit`: how many entities are in scope, and the cursor of the next page if any. */
  entitiesPage?: { total: number; nextCursor?: string };
  /** For a group: the same roll-up for each direct sub-group (without their entity lists). */
  children?: Array<Omit<Rollup, 'entities' | 'children' | 'owners'>>;
  /** The same roll-up for each owning team of the entities in scope (groups × controls). */
  owners?: Array<Omit<Rollup, 'entities' | 'children' | 'owners'>>;
}

/** One entity's daily snapshots, oldest first. @public */
export interface EntityHistory {
  entityRef: string;
  snapshots: Array<{
    day: string;
    stage: number;
    controlStates: Record<string, ControlState>;
    metrics: EntityMetrics;
    productionGate?: 'allow' | 'deny';
  }>;
}

/** A roll-up per day from the daily snapshots, oldest first. @public */
export interface RollupHistory {
  scope: Rollup['scope'];
  lifecycle?: string;
  days: Array<{ day: string } & Omit<Rollup, 'scope' | 'entities' | 'children' | 'owners'>>;
}
