/** What a ticket is linked to. @public */
export type TicketSubjectKind = 'finding' | 'runtime-signal';

/** @public */
export type TicketStatus = 'open' | 'closed';

/**
 * A remediation or rotation ticket linked to a finding or a runtime signal, kept as evidence
 * (`POST /v1/findings/{id}/tickets`, `POST /v1/runtime-signals/{id}/tickets`). A secret finding
 * counts as rotated when its ticket is closed or the secret is gone from the latest scan, whichever
 * is first. @public
 */
export interface LinkedTicket {
  id: string;
  subjectKind: TicketSubjectKind;
  /** The finding's or runtime signal's id. */
  subjectId: string;
  entityRef: string;
  /** http(s), without credentials. */
  url: string;
  /** The ticket system's id, e.g. `SEC-142`. */
  ticketId?: string;
  /** The ticket system, e.g. `jira`, `github`, `servicenow`. */
  system?: string;
  status: TicketStatus;
  /** When the ticket last changed, as its system says (ISO 8601). */
  updatedAt: string;
  /** When it was closed; absent while open. */
  closedAt?: string;
  linkedAt: string;
  linkedBy: string;
}

/** The body of `POST /v1/findings/{id}/tickets` and `POST /v1/runtime-signals/{id}/tickets`. @public */
export interface TicketLinkInput {
  url: string;
  ticketId?: string;
  system?: string;
  status: TicketStatus;
  /** Default: now. */
  updatedAt?: string;
}
