import { FindingSeverity } from './evidence';
import { ControlState } from './scorecard';

/**
 * Control-failure reviews and recurring findings: the inputs of the two Stage 3 and Stage 4
 * criteria that people act on ("review control failures in the same cadence as reliability
 * incidents", "feed recurring findings back into platform templates").
 */

/** Where a control failure stands now. @public */
export type ControlFailureStatus =
  /** Failing today. */
  | 'still-failing'
  /** Failing, covered by an approved, unexpired exception. */
  | 'excepted'
  /** Passing (or not applicable) again since `endedOn`. */
  | 'fixed'
  /** No current evidence (stale, not reported or an evaluation error): nobody knows. */
  | 'unverified';

/**
 * One episode of a control failing (or excepted) for an entity: from the first day a daily
 * snapshot saw it until the day it passed again, or today. @public
 */
export interface ControlFailure {
  /** `<entity ref>#<control id>@<first day>`: what a review's `failures` lists. */
  key: string;
  entityRef: string;
  ownerRef?: string;
  controlId: string;
  controlTitle: string;
  /** The first day it failed (or was excepted); the window's first day when it was already failing then. */
  since: string;
  /** The last day it was seen failing or excepted. */
  lastFailingOn: string;
  /** The day it was seen passing again. */
  endedOn?: string;
  /** Days from `since` to `endedOn` (or today). */
  days: number;
  status: ControlFailureStatus;
  /** The entity's state of the control today. */
  currentState: ControlState;
}

/** `GET /v1/control-failure-reviews/pending`: what the next review of a scope has to look at. @public */
export interface PendingControlFailureReview {
  /** `group` for a team, `org` for every counted entity. */
  scope: { kind: 'group' | 'org'; ref?: string };
  /**
   * The scope a sign-off is recorded for (`scopeRef` of the control-failure-review attestation):
   * the group, or for the org its top-level group; absent when the catalog has no single one.
   */
  signOffScopeRef?: string;
  /** The previous review of the sign-off scope, if any. */
  previousReview?: { id: string; date: string; recordedBy: string; failuresReviewed: number };
  /** The first day looked at: the previous review's day, or `windowDays` ago. */
  since: string;
  windowDays: number;
  entityCount: number;
  /** Failures since the previous review that no review of the scope has covered yet, longest first. */
  failures: ControlFailure[];
}

/** Something the services of a recurring finding share, and how many of them share it. @public */
export interface SharedByServices {
  /** `name@version`, or a workflow path with its refs. */
  name: string;
  version?: string;
  services: number;
}

/** One rule, CVE or misconfiguration open in several services. @public */
export interface CrossServiceFinding {
  /** The CVE (or other vulnerability id) when the scanners gave one, else the rule id. */
  key: string;
  kind: string;
  title: string;
  /** The highest severity among the services. */
  severity: FindingSeverity;
  /** How many services (in the caller's read scope) have it open. */
  services: number;
  entityRefs: string[];
  ownerRefs: string[];
  controls: string[];
  /** The affected packages (name@version) and how many of the services have each. */
  packages: SharedByServices[];
  firstSeenAt: string;
  /** What at least two of the services share, so a platform template can fix it once. */
  shared: {
    /** Operating-system components of their SBOMs: the base image they build on. */
    baseImages: SharedByServices[];
    /** SBOM components carrying the affected packages. */
    components: SharedByServices[];
    /** Reusable CI workflows they call (the latest `ci.reusable_workflows` fact). */
    workflows: SharedByServices[];
  };
}

/** `GET /v1/findings/recurring`. @public */
export interface RecurringFindingsResponse {
  minServices: number;
  scope: { kind: 'group' | 'org'; ref?: string };
  /**
   * The scope template feedback on these findings is recorded for (the group, or for the org its
   * top-level group), so it counts for every service in it; absent when the catalog has no single one.
   */
  feedbackScopeRef?: string;
  items: CrossServiceFinding[];
}
