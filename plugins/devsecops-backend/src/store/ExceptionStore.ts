import {
  ExceptionEvent,
  ExceptionRecord,
  ExceptionStatus,
  Page,
  RiskRating,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { DevsecopsExceptionQuery } from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { ExceptionCover, LapsedException } from '../evaluate/types';
import { dbText } from './text';
import { DbBigInt, DbTime } from './rowTypes';
import { fromDbTime, fromDbTimeOrUndefined, toDbTime } from './time';

const TABLE = 'devsecops_exceptions';
const EVENTS = 'devsecops_exception_events';
const NOTIFICATIONS = 'devsecops_exception_notifications';

/** A row of devsecops_exceptions. */
interface ExceptionRow {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  scope_control: string;
  scope_rule_id: string | null;
  scope_vulnerability_id: string | null;
  scope_fingerprint: string | null;
  scope_artifact_digest: string | null;
  risk_statement: string;
  risk_rating: ExceptionRecord['riskRating'];
  compensating_controls: string | null;
  requester: string;
  risk_owner: string;
  expires_at: DbTime;
  status: ExceptionStatus;
  requested_at: DbTime;
  decided_at: DbTime | null;
  decided_by: string | null;
  renewal_of: string | null;
  /** Optimistic lock. */
  version: number | string;
}

/** A row of devsecops_exception_events. */
interface ExceptionEventRow {
  id: DbBigInt;
  exception_id: string;
  action: ExceptionEvent['action'];
  actor: string;
  reason: string | null;
  at: DbTime;
  from_status: ExceptionStatus | null;
  to_status: ExceptionStatus;
}

/** A row of devsecops_exception_notifications. */
interface ExceptionNotificationRow {
  exception_id: string;
  /** awaiting-decision | expires-in-<N>d | expired */
  kind: string;
  sent_at: DbTime;
}

export interface ExceptionFilter {
  entityRef?: string;
  riskOwners?: string[];
  requester?: string;
  /** The entity's owning team when requested. */
  ownerRef?: string;
  riskRating?: RiskRating;
  /** By expiry; soonest first by default. */
  order?: 'asc' | 'desc';
  statuses?: ExceptionStatus[];
  /** Approved exceptions expiring between now and now + days. */
  expiringWithinDays?: number;
  /**
   * Only exceptions these conditions match: a conditional `devsecops.exception.read` decision in
   * its query form (IS_RISK_OWNER → risk_owner, IS_ENTITY_OWNER → owner_ref).
   */
  readable?: PermissionCriteria<DevsecopsExceptionQuery>;
  now: Date;
  limit: number;
  offset: number;
}

const EXCEPTION_QUERY_COLUMNS: Record<DevsecopsExceptionQuery['property'], keyof ExceptionRow> = {
  riskOwner: 'risk_owner',
  ownerRef: 'owner_ref',
  requester: 'requester',
};

/** A permission decision's query form as a where clause (all of, any of, not, column IN values). */
function whereCriteria(builder: Knex.QueryBuilder, criteria: PermissionCriteria<DevsecopsExceptionQuery>): void {
  if ('allOf' in criteria) {
    builder.where(all => criteria.allOf.forEach(c => all.andWhere(b => whereCriteria(b, c))));
  } else if ('anyOf' in criteria) {
    builder.where(any => criteria.anyOf.forEach(c => any.orWhere(b => whereCriteria(b, c))));
  } else if ('not' in criteria) {
    builder.whereNot(b => whereCriteria(b, criteria.not));
  } else if (criteria.values.length === 0) {
    builder.whereRaw('1 = 0');
  } else {
    builder.whereIn(EXCEPTION_QUERY_COLUMNS[criteria.property], criteria.values);
  }
}

/** Owns devsecops_exceptions, their events and the notifications already sent for them. */
export class ExceptionStore {
  constructor(private readonly knex: Knex) {}

  async insert(
    tx: Knex.Transaction,
    record: Omit<ExceptionRecord, 'events'>,
    event: ExceptionEvent,
  ): Promise<void> {
    await tx<ExceptionRow>(TABLE).insert({
      id: record.id,
      entity_ref: record.entityRef,
      owner_ref: record.ownerRef ?? null,
      scope_control: record.scope.control,
      scope_rule_id: dbText(record.scope.ruleId, 255),
      scope_vulnerability_id: dbText(record.scope.vulnerabilityId, 128),
      scope_fingerprint: record.scope.fingerprint ?? null,
      scope_artifact_digest: record.scope.artifactDigest ?? null,
      risk_statement: dbText(record.riskStatement),
      risk_rating: record.riskRating,
      compensating_controls: dbText(record.compensatingControls),
      requester: record.requester,
      risk_owner: record.riskOwner,
      expires_at: toDbTime(new Date(record.expiresAt)),
      status: record.status,
      requested_at: toDbTime(new Date(record.requestedAt)),
      renewal_of: record.renewalOf ?? null,
      version: 1,
    });
    await this.addEvent(tx, record.id, event);
  }

  /**
   * Moves an exception from one status to another, only if nobody else moved it first (version
   * check): two instances deciding at once, or a decision racing the expiry job, end with one
   * winner and one 409.
   */
  async transition(
    tx: Knex.Transaction,
    id: string,
    expected: { status: ExceptionStatus; version: number },
    change: { status: ExceptionStatus; decidedAt?: Date; decidedBy?: string },
    event: ExceptionEvent,
  ): Promise<boolean> {
    const updated = await tx<ExceptionRow>(TABLE)
      .where({ id, status: expected.status, version: expected.version })
      .update({
        status: change.status,
        ...(change.decidedAt ? { decided_at: toDbTime(change.decidedAt) } : {}),
        ...(change.decidedBy ? { decided_by: change.decidedBy } : {}),
        version: expected.version + 1,
      });
    if (updated !== 1) return false;
    await this.addEvent(tx, id, event);
    return true;
  }

  private async addEvent(tx: Knex.Transaction, id: string, event: ExceptionEvent) {
    await tx<ExceptionEventRow>(EVENTS).insert({
      exception_id: id,
      action: event.action,
      actor: event.actor,
      reason: dbText(event.reason),
      at: toDbTime(new Date(event.at)),
      from_status: event.fromStatus ?? null,
      to_status: event.toStatus,
    });
  }

  async get(id: string): Promise<(ExceptionRecord & { version: number }) | undefined> {
    const row = await this.knex<ExceptionRow>(TABLE).where({ id }).first();
    if (!row) return undefined;
    const events = await this.knex<ExceptionEventRow>(EVENTS).where({ exception_id: id }).orderBy('id', 'asc');
    return { ...toRecord(row, events), version: Number(row.version) };
  }

  async list(filter: ExceptionFilter): Promise<Page<ExceptionRecord>> {
    const query = this.knex<ExceptionRow>(TABLE).where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.riskOwners) builder.whereIn('risk_owner', filter.riskOwners);
      if (filter.requester) builder.where('requester', filter.requester);
      if (filter.ownerRef) builder.where('owner_ref', filter.ownerRef);
      if (filter.riskRating) builder.where('risk_rating', filter.riskRating);
      if (filter.statuses) builder.whereIn('status', filter.statuses);
      if (filter.readable) builder.where(b => whereCriteria(b, filter.readable!));
      if (filter.expiringWithinDays !== undefined) {
        builder
          .where('status', 'approved')
          .where('expires_at', '>', toDbTime(filter.now))
          .where('expires_at', '<=', toDbTime(new Date(filter.now.getTime() + filter.expiringWithinDays * 86_400_000)));
      }
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .clone()
      .select('*')
      .orderBy([
        { column: 'expires_at', order: filter.order ?? 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    const events = rows.length
      ? await this.knex<ExceptionEventRow>(EVENTS).whereIn('exception_id', rows.map(r => r.id)).orderBy('id', 'asc')
      : [];
    return {
      items: rows.map(r => toRecord(r, events.filter(e => e.exception_id === r.id))),
      totalCount: Number(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  /** Approved exceptions of an entity that have not expired: what evaluation honours. */
  async activeFor(entityRef: string, now: Date): Promise<ExceptionCover[]> {
    const rows = await this.knex<ExceptionRow>(TABLE)
      .where({ entity_ref: entityRef, status: 'approved' })
      .where('expires_at', '>', toDbTime(now));
    return rows.map(r => ({
      id: r.id,
      control: r.scope_control,
      ruleId: r.scope_rule_id ?? undefined,
      vulnerabilityId: r.scope_vulnerability_id ?? undefined,
      fingerprint: r.scope_fingerprint ?? undefined,
      artifactDigest: r.scope_artifact_digest ?? undefined,
      approvedAt: fromDbTime(r.decided_at ?? r.requested_at),
      expiresAt: fromDbTime(r.expires_at),
    }));
  }

  /**
   * Approved exceptions of an entity that stopped being in force between `since` and `now`: past
   * their expiry (marked expired or not yet) or revoked. An exception lapses at its expiry, or at
   * its revocation (the revoked event) when that came first. What exception age reads besides the
   * active ones.
   */
  async lapsedSince(entityRef: string, since: Date, now: Date): Promise<LapsedException[]> {
    const rows: Array<Pick<ExceptionRow, 'id' | 'decided_at' | 'requested_at' | 'expires_at'> & { revoked_at: DbTime | null }> =
      await this.knex(`${TABLE} as x`)
      .leftJoin(`${EVENTS} as ev`, join => join.on('ev.exception_id', 'x.id').andOnVal('ev.to_status', 'revoked'))
      .select('x.id', 'x.decided_at', 'x.requested_at', 'x.expires_at', 'ev.at as revoked_at')
      .where('x.entity_ref', entityRef)
      .whereIn('x.status', ['approved', 'expired', 'revoked'])
      // An exception lapses at its expiry at the latest: one that expired before `since` did not lapse since.
      .where('x.expires_at', '>=', toDbTime(since))
      .where(b => b.where('x.expires_at', '<=', toDbTime(now)).orWhere('x.status', 'revoked'));
    const lapsed: LapsedException[] = [];
    for (const r of rows) {
      const expiresAt = fromDbTime(r.expires_at);
      const revokedAt = fromDbTimeOrUndefined(r.revoked_at);
      const lapsedAt = revokedAt && revokedAt < expiresAt ? revokedAt : expiresAt;
      if (lapsedAt < toDbTime(since) || lapsedAt > toDbTime(now)) continue;
      lapsed.push({ id: r.id, approvedAt: fromDbTime(r.decided_at ?? r.requested_at), lapsedAt });
    }
    return lapsed;
  }

  /** Approved exceptions past their expiry that are not yet marked expired. */
  async dueForExpiry(now: Date): Promise<Array<{ id: string; version: number; entityRef: string }>> {
    const rows = await this.knex<ExceptionRow>(TABLE)
      .select('id', 'version', 'entity_ref')
      .where({ status: 'approved' })
      .where('expires_at', '<=', toDbTime(now));
    return rows.map(r => ({ id: r.id, version: Number(r.version), entityRef: r.entity_ref }));
  }

  /** Approved exceptions expiring within the window (for warnings). */
  async approvedExpiringBefore(now: Date, until: Date) {
    const rows = await this.knex<ExceptionRow>(TABLE)
      .where({ status: 'approved' })
      .where('expires_at', '>', toDbTime(now))
      .where('expires_at', '<=', toDbTime(until));
    return rows.map(r => toRecord(r, []));
  }

  async awaitingDecision() {
    const rows = await this.knex<ExceptionRow>(TABLE).where({ status: 'requested' });
    return rows.map(r => toRecord(r, []));
  }

  /**
   * Claims a notification: true only for the first caller ever (primary key), so a restart or a
   * second instance never sends it again.
   */
  async claimNotification(exceptionId: string, kind: string, now: Date): Promise<boolean> {
    const inserted = await this.knex<ExceptionNotificationRow>(NOTIFICATIONS)
      .insert({ exception_id: exceptionId, kind, sent_at: toDbTime(now) })
      .onConflict(['exception_id', 'kind'])
      .ignore()
      .returning('exception_id');
    return inserted.length === 1;
  }

  async releaseNotification(exceptionId: string, kind: string): Promise<void> {
    await this.knex<ExceptionNotificationRow>(NOTIFICATIONS).where({ exception_id: exceptionId, kind }).delete();
  }
}

function toRecord(row: ExceptionRow, events: ExceptionEventRow[]): ExceptionRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref ?? undefined,
    scope: {
      control: row.scope_control,
      ruleId: row.scope_rule_id ?? undefined,
      vulnerabilityId: row.scope_vulnerability_id ?? undefined,
      fingerprint: row.scope_fingerprint ?? undefined,
      artifactDigest: row.scope_artifact_digest ?? undefined,
    },
    riskStatement: row.risk_statement,
    riskRating: row.risk_rating,
    compensatingControls: row.compensating_controls ?? undefined,
    requester: row.requester,
    riskOwner: row.risk_owner,
    expiresAt: fromDbTime(row.expires_at),
    status: row.status,
    requestedAt: fromDbTime(row.requested_at),
    decidedAt: fromDbTimeOrUndefined(row.decided_at),
    decidedBy: row.decided_by ?? undefined,
    renewalOf: row.renewal_of ?? undefined,
    events: events.map(e => ({
      action: e.action,
      actor: e.actor,
      reason: e.reason ?? undefined,
      at: fromDbTime(e.at),
      fromStatus: e.from_status ?? undefined,
      toStatus: e.to_status,
    })),
  };
}
