import {
  AuditorService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionRevokePermission,
  ExceptionRecord,
  ExceptionScope,
  ExceptionStatus,
  Page,
  RiskRating,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { ExceptionFilter, ExceptionStore } from '../store/ExceptionStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { ExceptionNotifier } from './ExceptionNotifier';
import { RiskOwnerPolicy } from './RiskOwnerPolicy';
import { ExceptionAccess, UserCredentials } from './ExceptionAccess';
import { checkExpiry, checkScope, describeScope, parsePrincipal } from './exceptionInput';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { DevsecopsEvents } from '../events/DevsecopsEvents';
import { viewerActions } from './viewerActions';

export interface ExceptionRequestInput extends EntityLookup {
  scope: ExceptionScope;
  riskStatement: string;
  riskRating: RiskRating;
  compensatingControls?: string;
  riskOwner: string;
  expiresAt: string;
}

export interface ExceptionServiceOptions {
  knex: Knex;
  logger: LoggerService;
  store: ExceptionStore;
  evidenceLog: EvidenceLogStore;
  entities: EntityResolver;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  notifier: ExceptionNotifier;
  /** Control ids an exception may name (the control catalogue's). */
  controlIds: string[];
  maxDurationDays: number;
  /** Whether a finding matching the scope exists on the entity (any status). */
  scopeMatches(entityRef: string, scope: ExceptionScope): Promise<boolean>;
  /** Called after any committed change, to re-evaluate the entity at once. */
  onEvidenceChanged: OnEvidenceChanged;
  /** Who may be named risk owner (configuration and the catalog). */
  riskOwners: RiskOwnerPolicy;
  /** Publishes devsecops.exception.changed after each committed transition. */
  events?: Pick<DevsecopsEvents, 'exceptionChanged'>;
  now?: () => Date;
}

/**
 * The exception life cycle: requested → approved | rejected; approved → revoked | expired.
 * Separation of duties is enforced here, whatever the permission policy says: the requester
 * never decides, and only the named risk owner (or a member of the named group) decides.
 */
export class ExceptionService {
  private readonly access: ExceptionAccess;

  constructor(private readonly o: ExceptionServiceOptions) {
    this.access = new ExceptionAccess(o);
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /**
   * Requests an exception: `devsecops.exception.request` on the entity (a resource permission,
   * so a policy can allow only its owners), then the risk owner's eligibility (400 naming the
   * eligible owners).
   */
  async request(input: ExceptionRequestInput, credentials: UserCredentials, renewalOf?: string): Promise<ExceptionRecord> {
    const now = this.now();
    const requester = credentials.principal.userEntityRef;
    const expiresAt = checkExpiry(input.expiresAt, now, this.o.maxDurationDays);
    const riskOwner = parsePrincipal(input.riskOwner, 'riskOwner');
    if (riskOwner === requester) {
      throw new InputError('riskOwner cannot be the requester: a named risk owner other than yourself decides');
    }
    const scope = checkScope(input.scope, this.o.controlIds);
    const resolved = await this.o.entities.resolve(input);
    await this.access.authorize(devsecopsExceptionRequestPermission, credentials, resolved.entityRef);
    await this.o.riskOwners.check(riskOwner, {
      entityRef: resolved.entityRef,
      ownerRef: resolved.ownerRef,
      riskRating: input.riskRating,
      control: scope.control,
      requester,
      requesterClaims: await this.claims(credentials),
    });
    if ((scope.ruleId || scope.vulnerabilityId || scope.fingerprint || scope.artifactDigest) &&
        !(await this.o.scopeMatches(resolved.entityRef, scope))) {
      throw new InputError(
        `The scope matches no finding of ${resolved.entityRef} in control ${scope.control} (${describeScope(scope)})`,
      );
    }
    const record: Omit<ExceptionRecord, 'events'> = {
      id: randomUUID(),
      entityRef: resolved.entityRef,
      ownerRef: resolved.ownerRef,
      scope,
      riskStatement: input.riskStatement,
      riskRating: input.riskRating,
      compensatingControls: input.compensatingControls,
      requester,
      riskOwner,
      expiresAt: expiresAt.toISOString(),
      status: 'requested',
      requestedAt: now.toISOString(),
      renewalOf,
    };
    await this.o.knex.transaction(async tx => {
      const event = {
        action: renewalOf ? ('renewal-requested' as const) : ('requested' as const),
        actor: requester,
        reason: renewalOf ? `Renewal of exception ${renewalOf}` : undefined,
        at: record.requestedAt,
        toStatus: 'requested' as const,
      };
      await this.o.store.insert(tx, record, event);
      await this.o.evidenceLog.append(tx, {
        kind: `exception.${event.action}`,
        entityRef: record.entityRef,
        subjectId: record.id,
        actor: requester,
        at: now,
        payload: { ...record, event },
      });
    });
    await this.access.audit('exception-request', credentials, record.id, { entityRef: record.entityRef, riskOwner });
    const stored = (await this.o.store.get(record.id))!;
    await this.o.events?.exceptionChanged(stored, renewalOf ? 'renewal-requested' : 'requested', requester, record.requestedAt);
    await this.o.notifier.awaitingDecision(stored);
    return stored;
  }

  async renew(id: string, input: Partial<ExceptionRequestInput> & { expiresAt: string }, credentials: UserCredentials) {
    const original = await this.mustGet(id);
    if (!['approved', 'expired'].includes(original.status)) {
      throw new ConflictError(`Exception ${id} is ${original.status}; only approved or expired exceptions are renewed`);
    }
    // A renewal is a new request, reviewed again by the risk owner.
    return this.request(
      {
        entityRef: original.entityRef,
        scope: original.scope,
        riskStatement: input.riskStatement ?? original.riskStatement,
        riskRating: input.riskRating ?? original.riskRating,
        compensatingControls: input.compensatingControls ?? original.compensatingControls,
        riskOwner: input.riskOwner ?? original.riskOwner,
        expiresAt: input.expiresAt,
      },
      credentials,
      id,
    );
  }

  async decide(id: string, decision: 'approve' | 'reject', reason: string, credentials: UserCredentials) {
    const record = await this.mustGet(id);
    const actor = credentials.principal.userEntityRef;
    // Separation of duties comes first: no permission can make a requester their own approver.
    if (actor === record.requester) {
      throw new NotAllowedError('The requester of an exception can never decide it');
    }
    await this.access.mustBeRiskOwner(record, credentials);
    await this.access.authorize(devsecopsExceptionDecidePermission, credentials, id);
    if (record.status !== 'requested') {
      throw new ConflictError(`Exception ${id} is ${record.status}, not awaiting a decision`);
    }
    const now = this.now();
    if (decision === 'approve' && new Date(record.expiresAt) <= now) {
      throw new ConflictError(`Exception ${id} expired on ${record.expiresAt} before it was decided; request a new one`);
    }
    const to: ExceptionStatus = decision === 'approve' ? 'approved' : 'rejected';
    await this.move(record, to, { action: to, actor, reason, at: now.toISOString(), fromStatus: 'requested', toStatus: to }, { decidedAt: now, decidedBy: actor });
    await this.access.audit(`exception-${decision}`, credentials, id, { entityRef: record.entityRef, reason });
    await this.o.onEvidenceChanged([record.entityRef]);
    const decided = (await this.o.store.get(id))!;
    await this.o.notifier.decided(decided);
    return decided;
  }

  async revoke(id: string, reason: string, credentials: UserCredentials) {
    const record = await this.mustGet(id);
    await this.access.mustBeRiskOwnerOrEntityOwner(record, credentials);
    await this.access.authorize(devsecopsExceptionRevokePermission, credentials, id);
    if (record.status !== 'approved') {
      throw new ConflictError(`Exception ${id} is ${record.status}; only approved exceptions can be revoked`);
    }
    const now = this.now();
    await this.move(record, 'revoked', {
      action: 'revoked',
      actor: credentials.principal.userEntityRef,
      reason,
      at: now.toISOString(),
      fromStatus: 'approved',
      toStatus: 'revoked',
    });
    await this.access.audit('exception-revoke', credentials, id, { entityRef: record.entityRef, reason });
    await this.o.onEvidenceChanged([record.entityRef]);
    return (await this.o.store.get(id))!;
  }

  /** Who the requester may name as risk owner of an exception on the entity (for the dialog). */
  async eligibleRiskOwners(
    query: EntityLookup & { riskRating: RiskRating; control?: string },
    credentials: UserCredentials,
  ) {
    if (query.control !== undefined && !this.o.controlIds.includes(query.control)) {
      throw new InputError(`Unknown control '${query.control}'. Controls: ${this.o.controlIds.join(', ')}`);
    }
    const resolved = await this.o.entities.resolve(query);
    const latest = new Date(this.now().getTime() + this.o.maxDurationDays * 86_400_000);
    const eligibility = await this.o.riskOwners.eligibility({
      entityRef: resolved.entityRef,
      ownerRef: resolved.ownerRef,
      riskRating: query.riskRating,
      control: query.control,
      requester: credentials.principal.userEntityRef,
      requesterClaims: await this.claims(credentials),
    });
    return { ...eligibility, expiry: { maxDurationDays: this.o.maxDurationDays, latest: latest.toISOString() } };
  }

  /** Marks approved exceptions past their expiry as expired (evaluation already ignores them). */
  async expireDue(): Promise<number> {
    const now = this.now();
    let expired = 0;
    for (const due of await this.o.store.dueForExpiry(now)) {
      const event = {
        action: 'expired' as const,
        actor: 'system:expiry',
        at: now.toISOString(),
        fromStatus: 'approved' as const,
        toStatus: 'expired' as const,
      };
      const moved = await this.o.knex.transaction(async tx => {
        const ok = await this.o.store.transition(tx, due.id, { status: 'approved', version: due.version }, { status: 'expired' }, event);
        if (ok) {
          await this.o.evidenceLog.append(tx, {
            kind: 'exception.expired',
            entityRef: due.entityRef,
            subjectId: due.id,
            actor: event.actor,
            at: now,
            payload: event,
          });
        }
        return ok;
      });
      if (!moved) continue; // revoked or expired by another instance meanwhile
      expired++;
      const record = (await this.o.store.get(due.id))!;
      await this.o.events?.exceptionChanged(record, 'expired', event.actor, event.at);
      await this.o.notifier.expired(record);
      await this.o.onEvidenceChanged([due.entityRef]);
    }
    return expired;
  }

  /** Warnings before expiry and reminders of requests awaiting a decision. */
  async notifyDue(): Promise<number> {
    return this.o.notifier.sendDue();
  }

  async get(id: string) {
    return this.mustGet(id);
  }

  /** The actions the person may take on the exception, each with the reason when not. */
  async actionsFor(record: ExceptionRecord, credentials: UserCredentials) {
    return viewerActions(record, credentials, this.access);
  }

  async list(filter: {
    entityRef?: string;
    /** A conditional `devsecops.exception.read` decision in query form, applied in the query. */
    readable?: ExceptionFilter['readable'];
    riskOwners?: string[];
    requester?: string;
    ownerRef?: string;
    riskRating?: RiskRating;
    order?: 'asc' | 'desc';
    statuses?: ExceptionStatus[];
    expiringWithinDays?: number;
    limit: number;
    offset: number;
  }): Promise<Page<ExceptionRecord>> {
    return this.o.store.list({ ...filter, now: this.now() });
  }

  /** The refs the user acts as: themselves and the groups they belong to. */
  async claims(credentials: UserCredentials): Promise<string[]> {
    return this.access.claims(credentials);
  }

  /**
   * Applies a transition only from the state the caller checked (status and version read at the
   * start of the request): if anyone changed the exception meanwhile, nothing is written and the
   * caller gets a 409.
   */
  private async move(
    record: ExceptionRecord & { version: number },
    to: ExceptionStatus,
    event: Parameters<ExceptionStore['transition']>[4] & { fromStatus: ExceptionStatus },
    change: { decidedAt?: Date; decidedBy?: string } = {},
  ) {
    const moved = await this.o.knex.transaction(async tx => {
      const ok = await this.o.store.transition(
        tx,
        record.id,
        { status: event.fromStatus, version: record.version },
        { status: to, ...change },
        event,
      );
      if (ok) {
        await this.o.evidenceLog.append(tx, {
          kind: `exception.${event.action}`,
          entityRef: record.entityRef,
          subjectId: record.id,
          actor: event.actor,
          at: new Date(event.at),
          payload: event,
        });
      }
      return ok;
    });
    if (!moved) {
      throw new ConflictError(`Exception ${record.id} changed while you decided; reload it`);
    }
    const changed = await this.o.store.get(record.id);
    if (changed) await this.o.events?.exceptionChanged(changed, event.action, event.actor, event.at);
  }

  private async mustGet(id: string) {
    const record = await this.o.store.get(id);
    if (!record) throw new NotFoundError(`No exception ${id}`);
    return record;
  }

}
