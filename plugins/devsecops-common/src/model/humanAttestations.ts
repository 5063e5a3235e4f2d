/**
 * Named human attestations: what only people know (a control-failure review held, recurring
 * findings fed back into a platform template, a threat model reviewed, CI logs verified to redact
 * secrets), recorded by a signed-in user for an entity or a group, with an expiry.
 */

/** @public */
export type HumanAttestationKind =
  | 'control-failure-review'
  | 'template-feedback'
  | 'threat-model-review'
  | 'ci-log-redaction';

/** @public */
export const HUMAN_ATTESTATION_KINDS: HumanAttestationKind[] = [
  'control-failure-review',
  'template-feedback',
  'threat-model-review',
  'ci-log-redaction',
];

/** The body of `POST /v1/human-attestations`; which fields a kind requires is checked per kind. @public */
export interface HumanAttestationInput {
  kind: HumanAttestationKind;
  /** The entity or group it is made for (kind defaults to group). */
  scopeRef: string;
  /** The day the review was held or the change made (YYYY-MM-DD). */
  date: string;
  /** Default: the date plus the kind's validity (devsecops.humanAttestations.validityDays). */
  expiresAt?: string;
  /** control-failure-review: who attended (user refs), the notes, the failures reviewed. */
  attendees?: string[];
  notesUrl?: string;
  failuresReviewed?: number;
  failures?: string[];
  /** template-feedback: the template (entity ref or URL), the findings fed back, the change. */
  template?: string;
  findings?: string[];
  changeUrl?: string;
  /** threat-model-review: the threat model, its reviewer, whether high-risk changes were flagged. */
  url?: string;
  reviewer?: string;
  highRiskChangesFlagged?: boolean;
  /**
   * ci-log-redaction: the CI system checked (`GitHub Actions`, `GitLab CI`, …), how it was
   * verified (e.g. "secrets registered as masked; no step prints the environment; a canary secret
   * ran through the pipeline and the log showed ***"), and `url`: the log, run or review showing it.
   */
  ciSystem?: string;
  verification?: string;
}

/** A recorded human attestation. @public */
export interface HumanAttestation {
  id: string;
  kind: HumanAttestationKind;
  scopeRef: string;
  /** YYYY-MM-DD */
  date: string;
  /** The kind's fields as recorded (attendees, notesUrl, template, findings, …). */
  details: Record<string, unknown>;
  expiresAt: string;
  /** The signed-in user who recorded it. */
  recordedBy: string;
  recordedAt: string;
}
