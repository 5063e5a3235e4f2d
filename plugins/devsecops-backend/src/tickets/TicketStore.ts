import { LinkedTicket, TicketStatus, TicketSubjectKind } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { DbTime } from '../store/rowTypes';
import { fromDbTime, fromDbTimeOrUndefined, toDbTime } from '../store/time';

const TABLE = 'devsecops_tickets';
// Read only, to know what a ticket links: the findings table belongs to FindingStore.
const FINDINGS = 'devsecops_findings';

interface TicketRow {
  id: string;
  subject_kind: TicketSubjectKind;
  subject_id: string;
  entity_ref: string;
  url: string;
  ticket_id: string | null;
  system: string | null;
  status: TicketStatus;
  ticket_updated_at: DbTime;
  closed_at: DbTime | null;
  linked_at: DbTime;
  linked_by: string;
}

/** A secret finding with a closed ticket: what the rotation metric needs. */
export interface SecretTicketClosure {
  findingId: string;
  firstSeenAt: string;
  /** When its (first) ticket was closed. */
  closedAt: string;
  /** When the secret was gone from the scans, if it is. */
  resolvedAt?: string;
}

/** Tickets linked to findings and runtime signals (devsecops_tickets). */
export class TicketStore {
  constructor(private readonly knex: Knex) {}

  async get(
    subjectKind: TicketSubjectKind,
    subjectId: string,
    url: string,
    tx: Knex | Knex.Transaction = this.knex,
  ): Promise<LinkedTicket | undefined> {
    const row = await tx<TicketRow>(TABLE).where({ subject_kind: subjectKind, subject_id: subjectId, url }).first();
    return row ? toTicket(row) : undefined;
  }

  async insert(tx: Knex.Transaction, ticket: LinkedTicket): Promise<void> {
    await tx<TicketRow>(TABLE).insert(toRow(ticket));
  }

  /** Updates what the ticket system says of a linked ticket (status, id, system, times). */
  async update(tx: Knex.Transaction, ticket: LinkedTicket): Promise<void> {
    const { id, subject_kind, subject_id, url, linked_at, linked_by, ...changes } = toRow(ticket);
    await tx<TicketRow>(TABLE).where({ id }).update(changes);
  }

  /** An entity's tickets, newest change first; optionally of one subject. */
  async list(filter: {
    entityRefs?: string[];
    subjectKind?: TicketSubjectKind;
    subjectId?: string;
    limit: number;
  }): Promise<LinkedTicket[]> {
    const rows = await this.knex<TicketRow>(TABLE)
      .modify(q => {
        if (filter.entityRefs) q.whereIn('entity_ref', filter.entityRefs);
        if (filter.subjectKind) q.where('subject_kind', filter.subjectKind);
        if (filter.subjectId) q.where('subject_id', filter.subjectId);
      })
      .orderBy([{ column: 'ticket_updated_at', order: 'desc' }, { column: 'id', order: 'asc' }])
      .limit(filter.limit);
    return rows.map(toTicket);
  }

  /** The entity and kind of a finding, to link a ticket to it. */
  async finding(id: string): Promise<{ entityRef: string; kind: string } | undefined> {
    const row = await this.knex(FINDINGS).where({ id }).first('entity_ref', 'kind');
    return row ? { entityRef: row.entity_ref, kind: row.kind } : undefined;
  }

  /**
   * Secret findings of an entity with a closed ticket, where the ticket or the secret's
   * disappearance falls at or after `since`: the first closure per finding.
   */
  async secretTicketClosures(entityRef: string, since: Date): Promise<SecretTicketClosure[]> {
    const at = toDbTime(since);
    const rows = await this.knex(`${TABLE} as t`)
      // Finding ids are bigints; a ticket's subject id is text (it may name a runtime signal's uuid).
      // The cast keeps PostgreSQL from the id index, so the findings are narrowed to the entity's
      // (a ticket's entity is its finding's): without that, every evaluation scanned every finding
      // (120–200 ms an entity at 10M findings, bench:scale).
      .joinRaw(`join ${FINDINGS} as f on cast(f.id as varchar(64)) = t.subject_id`)
      .where({ 't.subject_kind': 'finding', 't.entity_ref': entityRef, 'f.entity_ref': entityRef, 't.status': 'closed', 'f.kind': 'secret' })
      .where(q => q.where('t.closed_at', '>=', at).orWhere('f.resolved_at', '>=', at))
      .select('f.id as finding_id', 'f.first_seen_at', 'f.resolved_at', 'f.status as finding_status', 't.closed_at');
    const byFinding = new Map<string, SecretTicketClosure>();
    for (const row of rows) {
      const closedAt = fromDbTime(row.closed_at);
      const known = byFinding.get(String(row.finding_id));
      if (known && Date.parse(known.closedAt) <= Date.parse(closedAt)) continue;
      byFinding.set(String(row.finding_id), {
        findingId: String(row.finding_id),
        firstSeenAt: fromDbTime(row.first_seen_at),
        closedAt,
        ...(row.finding_status === 'resolved' && row.resolved_at ? { resolvedAt: fromDbTime(row.resolved_at) } : {}),
      });
    }
    return [...byFinding.values()];
  }
}

function toRow(t: LinkedTicket): TicketRow {
  return {
    id: t.id,
    subject_kind: t.subjectKind,
    subject_id: t.subjectId,
    entity_ref: t.entityRef,
    url: t.url,
    ticket_id: t.ticketId ?? null,
    system: t.system ?? null,
    status: t.status,
    ticket_updated_at: toDbTime(new Date(t.updatedAt)),
    closed_at: t.closedAt ? toDbTime(new Date(t.closedAt)) : null,
    linked_at: toDbTime(new Date(t.linkedAt)),
    linked_by: t.linkedBy,
  };
}

function toTicket(r: TicketRow): LinkedTicket {
  const closedAt = fromDbTimeOrUndefined(r.closed_at);
  return {
    id: r.id,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    entityRef: r.entity_ref,
    url: r.url,
    ...(r.ticket_id ? { ticketId: r.ticket_id } : {}),
    ...(r.system ? { system: r.system } : {}),
    status: r.status,
    updatedAt: fromDbTime(r.ticket_updated_at),
    ...(closedAt ? { closedAt } : {}),
    linkedAt: fromDbTime(r.linked_at),
    linkedBy: r.linked_by,
  };
}
