import { randomUUID } from 'node:crypto';
import { BackstageCredentials, BackstageUserPrincipal, PermissionsService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  devsecopsTicketLinkPermission,
  LinkedTicket,
  TicketLinkInput,
  TicketSubjectKind,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { RuntimeSignalStore } from '../store/RuntimeSignalStore';
import { checkTicketLink } from './ticketInput';
import { TicketStore } from './TicketStore';

/** Who links: a person (the permission policy decides) or CI (its token's entities). */
export type TicketCaller =
  | { type: 'user'; credentials: BackstageCredentials<BackstageUserPrincipal> }
  | { type: 'service'; writer: EvidenceWriter };

export interface TicketServiceOptions {
  knex: Knex;
  store: TicketStore;
  runtimeSignals: Pick<RuntimeSignalStore, 'get'>;
  entities: EntityResolver;
  permissions: PermissionsService;
  evidenceLog: EvidenceLogStore;
  onEvidenceChanged: OnEvidenceChanged;
  now?: () => Date;
}

/**
 * Links remediation and rotation tickets to findings and runtime signals, and records their
 * status as it changes: each link and each change is an evidence log entry, and the entity's
 * scorecard is refreshed (a closed ticket rotates a secret finding).
 */
export class TicketService {
  constructor(private readonly o: TicketServiceOptions) {}

  /**
   * Links a ticket (or updates the one with the same URL): `created` when new. A repeat with
   * nothing new changes nothing; an update older than the stored one is refused (409).
   */
  async link(
    subjectKind: TicketSubjectKind,
    subjectId: string,
    input: TicketLinkInput,
    caller: TicketCaller,
  ): Promise<{ ticket: LinkedTicket; created: boolean }> {
    const now = this.o.now?.() ?? new Date();
    const checked = checkTicketLink(input, now);
    const entityRef = await this.subjectEntity(subjectKind, subjectId);
    const actor = await this.authorize(entityRef, caller);

    const result = await this.o.knex.transaction(async tx => {
      const existing = await this.o.store.get(subjectKind, subjectId, checked.url, tx);
      const updatedAt = checked.updatedAt.toISOString();
      if (existing && Date.parse(existing.updatedAt) > checked.updatedAt.getTime()) {
        throw new ConflictError(
          `The ticket linked to ${subjectKind} ${subjectId} was updated at ${existing.updatedAt}, after this update's ${updatedAt}`,
        );
      }
      const ticket: LinkedTicket = {
        id: existing?.id ?? randomUUID(),
        subjectKind,
        subjectId,
        entityRef,
        url: checked.url,
        ...(checked.ticketId ?? existing?.ticketId ? { ticketId: checked.ticketId ?? existing?.ticketId } : {}),
        ...(checked.system ?? existing?.system ? { system: checked.system ?? existing?.system } : {}),
        status: checked.status,
        updatedAt,
        // Closed when first seen closed; a reopened ticket is open again.
        ...(checked.status === 'closed'
          ? { closedAt: existing?.status === 'closed' && existing.closedAt ? existing.closedAt : updatedAt }
          : {}),
        linkedAt: existing?.linkedAt ?? now.toISOString(),
        linkedBy: existing?.linkedBy ?? actor,
      };
      if (existing && sameFacts(existing, ticket)) return { ticket: existing, created: false, changed: false };
      if (existing) await this.o.store.update(tx, ticket);
      else await this.o.store.insert(tx, ticket);
      await this.o.evidenceLog.append(tx, {
        kind: existing ? 'ticket.updated' : 'ticket.linked',
        entityRef,
        subjectId: `${subjectKind}:${subjectId}`,
        actor,
        at: now,
        payload: {
          ticket: ticket.id,
          url: ticket.url,
          ticketId: ticket.ticketId,
          system: ticket.system,
          status: ticket.status,
          updatedAt: ticket.updatedAt,
          closedAt: ticket.closedAt,
        },
      });
      return { ticket, created: !existing, changed: true };
    });
    if (result.changed) await this.o.onEvidenceChanged([entityRef]);
    return { ticket: result.ticket, created: result.created };
  }

  private async subjectEntity(kind: TicketSubjectKind, id: string): Promise<string> {
    if (kind === 'finding') {
      const finding = await this.o.store.finding(id);
      if (!finding) throw new NotFoundError(`No finding ${id}`);
      return finding.entityRef;
    }
    const signal = await this.o.runtimeSignals.get(id);
    if (!signal) throw new NotFoundError(`No runtime signal ${id}`);
    return signal.entityRef;
  }

  /** The owning team (by the permission policy) or a CI token allowed to write the entity's evidence. */
  private async authorize(entityRef: string, caller: TicketCaller): Promise<string> {
    if (caller.type === 'service') {
      await this.o.entities.resolveForWrite({ entityRef }, caller.writer, { anyKind: true });
      return caller.writer.name;
    }
    const [decision] = await this.o.permissions.authorize(
      [{ permission: devsecopsTicketLinkPermission, resourceRef: entityRef }],
      { credentials: caller.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`The permission policy does not allow ${devsecopsTicketLinkPermission.name} on ${entityRef}`);
    }
    return caller.credentials.principal.userEntityRef;
  }
}

function sameFacts(a: LinkedTicket, b: LinkedTicket): boolean {
  return (
    a.status === b.status &&
    a.updatedAt === b.updatedAt &&
    a.ticketId === b.ticketId &&
    a.system === b.system &&
    a.closedAt === b.closedAt
  );
}
