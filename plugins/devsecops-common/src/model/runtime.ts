import { FindingSeverity } from './evidence';

/** What runtime monitoring raised. @public */
export type RuntimeSignalKind =
  | 'audit-log-alert'
  | 'vulnerability-alert'
  | 'incident'
  | 'suspicious-control-plane-action';

/** @public */
export const RUNTIME_SIGNAL_KINDS: RuntimeSignalKind[] = [
  'audit-log-alert',
  'vulnerability-alert',
  'incident',
  'suspicious-control-plane-action',
];

/** An alert or incident of one entity with its timeline: detected, contained, remediated. @public */
export interface RuntimeSignal {
  id: string;
  entityRef: string;
  kind: RuntimeSignalKind;
  severity: FindingSeverity;
  summary: string;
  detectedAt: string;
  containedAt?: string;
  remediatedAt?: string;
  source: string;
  recordedBy: string;
  recordedAt: string;
}

/**
 * A runtime source last heard from for one runtime control of an entity: a heartbeat
 * (`POST /v1/runtime-signals` with `kind: heartbeat`) says the monitoring is on. @public
 */
export interface RuntimeMonitor {
  entityRef: string;
  /** The runtime control it evidences: cloud-audit-logs, workload-telemetry or vulnerability-monitoring. */
  control: string;
  /** The sending system, e.g. aws-cloudtrail, aws-guardduty, falco. */
  source: string;
  firstSeenAt: string;
  lastSeenAt: string;
  recordedBy: string;
  recordedAt: string;
}

/** The seed's four tabletop scenarios. @public */
export type ExerciseScenario =
  | 'leaked-secrets'
  | 'compromised-ci-token'
  | 'dependency-compromise'
  | 'cloud-account-abuse';

/** @public */
export const EXERCISE_SCENARIOS: ExerciseScenario[] = [
  'leaked-secrets',
  'compromised-ci-token',
  'dependency-compromise',
  'cloud-account-abuse',
];

/** An action an exercise raised, with its owner and due day (YYYY-MM-DD). @public */
export interface ExerciseFollowUp {
  action: string;
  owner: string;
  due: string;
  done?: boolean;
  /** When and by whom it was marked done (POST /v1/exercises/{id}/follow-ups/{index}). */
  doneAt?: string;
  doneBy?: string;
}

/** A follow-up past its due day and not done, with its exercise (GET /v1/exercises). @public */
export interface OverdueFollowUp extends ExerciseFollowUp {
  exerciseId: string;
  /** Its position in the exercise's followUps (the path of the completion endpoint). */
  index: number;
  scenario: ExerciseScenario;
  scopeRef: string;
  heldOn: string;
  daysOverdue: number;
}

/** A tabletop exercise held for an entity or a group. @public */
export interface Exercise {
  id: string;
  scenario: ExerciseScenario;
  /** YYYY-MM-DD */
  heldOn: string;
  /** The entity or group it was held for. */
  scopeRef: string;
  participants: string[];
  findings: Array<{ title: string; recurring?: boolean }>;
  followUps: ExerciseFollowUp[];
  recordedBy: string;
  recordedAt: string;
}

/** An exercise finding seen in more than one exercise, or marked as recurring. @public */
export interface RecurringFinding {
  title: string;
  occurrences: number;
  scenarios: ExerciseScenario[];
  scopes: string[];
  lastHeldOn: string;
}
