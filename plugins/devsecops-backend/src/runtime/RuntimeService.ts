import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult, ResourcePermission } from '@backstage/plugin-permission-common';
import {
  devsecopsExerciseRecordPermission,
  devsecopsRuntimeUpdatePermission,
  Exercise,
  FindingSeverity,
  RuntimeSignal,
  RuntimeSignalKind,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { ExerciseStore } from '../store/ExerciseStore';
import { RuntimeSignalStore } from '../store/RuntimeSignalStore';
import { RuntimeMonitorStore } from '../store/RuntimeMonitorStore';
import { SummaryStore } from '../store/SummaryStore';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { checkExerciseDays, ExerciseInput, ownerRef } from './exercises';
import { HeartbeatInput, HeartbeatRecorded, HeartbeatRecorder } from './heartbeats';
import { checkOrder, parseTime, RuntimeSignalInput, TimelineInput } from './signals';

// The runtime area's parts: signals (input and timeline checks), heartbeats (the monitors),
// exercises (input checks, recurring findings); this service records all three.
export { overdueFollowUps, recurringFindings } from './exercises';
export type { ExerciseInput } from './exercises';
export { MONITORED_CONTROLS } from './heartbeats';
export type { HeartbeatInput, HeartbeatRecorded } from './heartbeats';
export type { RuntimeSignalInput, TimelineInput } from './signals';

/** The body of `POST /v1/runtime-signals` as the OpenAPI document admits it: a signal or a heartbeat. */
export interface RuntimeRecordInput extends EntityLookup {
  kind: RuntimeSignalKind | 'heartbeat';
  monitors?: string[];
  severity?: FindingSeverity;
  summary?: string;
  detectedAt?: string;
  containedAt?: string;
  remediatedAt?: string;
  source: string;
}

/**
 * Records runtime signals with their detected → contained → remediated timeline, and tabletop
 * exercises; every write is appended to the evidence log in the same transaction, and the
 * scorecards it changes are refreshed once it has committed.
 */
export class RuntimeService {
  private readonly heartbeats: HeartbeatRecorder;

  constructor(
    private readonly options: {
      knex: Knex;
      entities: EntityResolver;
      /** Timeline updates and exercises are resource permissions on the entity (or group scope). */
      permissions: PermissionsService;
      signals: RuntimeSignalStore;
      /** Heartbeats: which runtime source was last heard from (absent: heartbeats are refused). */
      monitors?: RuntimeMonitorStore;
      exercises: ExerciseStore;
      evidenceLog: EvidenceLogStore;
      /** Which entities a group owns, to refresh them after a group exercise. */
      summaries: SummaryStore;
      onEvidenceChanged: OnEvidenceChanged;
      now?: () => Date;
    },
  ) {
    this.heartbeats = new HeartbeatRecorder({ ...options, now: () => this.now() });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** `POST /v1/runtime-signals`: a heartbeat, or an alert or incident with its timeline. */
  async record(input: RuntimeRecordInput, writer: EvidenceWriter): Promise<RuntimeSignal | HeartbeatRecorded> {
    const { kind, monitors, severity, summary, detectedAt } = input;
    if (kind === 'heartbeat') {
      return this.recordHeartbeat({ ...input, kind, monitors: monitors ?? [] }, writer);
    }
    if (monitors !== undefined) throw new InputError('monitors is for kind heartbeat only');
    if (severity === undefined || summary === undefined || detectedAt === undefined) {
      const missing = Object.entries({ severity, summary, detectedAt }).filter(([, v]) => v === undefined).map(([k]) => k);
      // Worded like the OpenAPI validator's refusal (every kind but heartbeat requires them).
      throw new InputError(
        `${missing.map(field => `request/body must have required property '${field}'`).join(', ')} (kind ${kind}; only a heartbeat goes without severity, summary and detectedAt)`,
      );
    }
    return this.recordSignal({ ...input, kind, severity, summary, detectedAt }, writer);
  }

  /**
   * A heartbeat moves the entity's monitor of each listed control forward (one row per entity,
   * control and source); the evidence log records a monitor when it is first heard from, or again
   * after a day of silence, not every heartbeat.
   */
  async recordHeartbeat(input: HeartbeatInput, writer: EvidenceWriter): Promise<HeartbeatRecorded> {
    return this.heartbeats.record(input, writer);
  }

  async recordSignal(input: RuntimeSignalInput, writer: EvidenceWriter): Promise<RuntimeSignal> {
    const recordedBy = writer.name;
    const now = this.now();
    const detectedAt = parseTime('detectedAt', input.detectedAt, now);
    const containedAt = input.containedAt === undefined ? undefined : parseTime('containedAt', input.containedAt, now);
    const remediatedAt = input.remediatedAt === undefined ? undefined : parseTime('remediatedAt', input.remediatedAt, now);
    checkOrder(detectedAt, containedAt, remediatedAt);
    const resolved = await this.options.entities.resolveForWrite(input, writer);
    const signal: RuntimeSignal = {
      id: randomUUID(),
      entityRef: resolved.entityRef,
      kind: input.kind,
      severity: input.severity,
      summary: input.summary,
      detectedAt: detectedAt.toISOString(),
      containedAt: containedAt?.toISOString(),
      remediatedAt: remediatedAt?.toISOString(),
      source: input.source,
      recordedBy,
      recordedAt: now.toISOString(),
    };
    const recorded = await this.options.knex.transaction(async tx => {
      const stored = await this.options.signals.insert(tx, signal);
      await this.options.evidenceLog.append(tx, {
        kind: 'runtime-signal.recorded',
        entityRef: stored.entityRef,
        subjectId: stored.id,
        actor: recordedBy,
        at: now,
        payload: stored,
      });
      return stored;
    });
    await this.options.onEvidenceChanged([recorded.entityRef]);
    return recorded;
  }

  /**
   * Records containment or remediation: `devsecops.runtime.update` on the signal's entity (a
   * policy can allow only its owners; tooling with a service token is not restricted by policies).
   */
  async updateTimeline(id: string, input: TimelineInput, credentials: Credentials): Promise<RuntimeSignal> {
    if (input.containedAt === undefined && input.remediatedAt === undefined) {
      throw new InputError('Pass containedAt, remediatedAt or both');
    }
    const existing = await this.options.signals.get(id);
    if (!existing) throw new NotFoundError(`No runtime signal ${id}`);
    await this.authorize(devsecopsRuntimeUpdatePermission, existing.entityRef, credentials);
    const actor = actorName(credentials);
    const now = this.now();
    const contained = input.containedAt === undefined ? undefined : parseTime('containedAt', input.containedAt, now);
    const remediated = input.remediatedAt === undefined ? undefined : parseTime('remediatedAt', input.remediatedAt, now);
    const signal = await this.options.knex.transaction(async tx => {
      const current = await this.options.signals.get(id, tx);
      if (!current) throw new NotFoundError(`No runtime signal ${id}`);
      if (contained && current.containedAt) {
        throw new ConflictError(`Runtime signal ${id} was already contained at ${current.containedAt}`);
      }
      if (remediated && current.remediatedAt) {
        throw new ConflictError(`Runtime signal ${id} was already remediated at ${current.remediatedAt}`);
      }
      checkOrder(
        new Date(current.detectedAt),
        contained ?? (current.containedAt ? new Date(current.containedAt) : undefined),
        remediated ?? (current.remediatedAt ? new Date(current.remediatedAt) : undefined),
      );
      const updated = await this.options.signals.updateTimeline(tx, id, {
        containedAt: contained?.toISOString(),
        remediatedAt: remediated?.toISOString(),
      });
      await this.options.evidenceLog.append(tx, {
        kind: 'runtime-signal.updated',
        entityRef: updated.entityRef,
        subjectId: updated.id,
        actor,
        at: now,
        payload: {
          id: updated.id,
          containedAt: contained?.toISOString(),
          remediatedAt: remediated?.toISOString(),
        },
      });
      return updated;
    });
    await this.options.onEvidenceChanged([signal.entityRef]);
    return signal;
  }

  /**
   * Records an exercise: `devsecops.exercise.record` on its scope (the group it was held for, or
   * the entity), so a policy can require the recorder to belong to that group or own the entity.
   */
  async recordExercise(input: ExerciseInput, credentials: Credentials): Promise<Exercise> {
    const recordedBy = actorName(credentials);
    const now = this.now();
    const heldOn = checkExerciseDays(input, now);
    const scopeRef = await this.resolveScope(input.scopeRef);
    await this.authorize(devsecopsExerciseRecordPermission, scopeRef, credentials);
    const exercise: Exercise = {
      id: randomUUID(),
      scenario: input.scenario,
      heldOn,
      scopeRef,
      participants: input.participants,
      findings: input.findings ?? [],
      followUps: (input.followUps ?? []).map(f => ({ ...f, owner: ownerRef(f.owner) })),
      recordedBy,
      recordedAt: now.toISOString(),
    };
    const recorded = await this.options.knex.transaction(async tx => {
      const stored = await this.options.exercises.insert(tx, exercise);
      await this.options.evidenceLog.append(tx, {
        kind: 'exercise.recorded',
        entityRef: stored.scopeRef,
        subjectId: stored.id,
        actor: recordedBy,
        at: now,
        payload: stored,
      });
      return stored;
    });
    await this.options.onEvidenceChanged(await this.countedBy(recorded.scopeRef));
    return recorded;
  }

  /**
   * Marks an exercise's follow-up done (or not done again): `devsecops.exercise.record` on the
   * exercise's scope, the people who record its exercises. Appended to the evidence log; no
   * scorecard reads follow-ups, so nothing is re-evaluated.
   */
  async setFollowUpDone(id: string, index: number, done: boolean, credentials: Credentials): Promise<Exercise> {
    const exercise = await this.options.exercises.get(id);
    if (!exercise) throw new NotFoundError(`No exercise ${id}`);
    const followUp = exercise.followUps[index];
    if (!followUp) {
      throw new NotFoundError(`Exercise ${id} has no follow-up ${index} (it has ${exercise.followUps.length}, numbered from 0)`);
    }
    await this.authorize(devsecopsExerciseRecordPermission, exercise.scopeRef, credentials);
    const actor = actorName(credentials);
    const now = this.now();
    return this.options.knex.transaction(async tx => {
      const updated = await this.options.exercises.setFollowUpDone(
        tx,
        id,
        index,
        done ? { doneAt: now.toISOString(), doneBy: actor } : undefined,
      );
      await this.options.evidenceLog.append(tx, {
        kind: done ? 'exercise.follow-up-done' : 'exercise.follow-up-reopened',
        entityRef: exercise.scopeRef,
        subjectId: id,
        actor,
        at: now,
        payload: { exerciseId: id, index, action: followUp.action, owner: followUp.owner, due: followUp.due, done },
      });
      return updated;
    });
  }

  /**
   * The entities an exercise counts for: the entity it was held for, or every entity owned by
   * the group or a group below it.
   */
  private async countedBy(scopeRef: string): Promise<string[]> {
    if (!scopeRef.startsWith('group:')) return [scopeRef];
    const groups = new Set(await this.groupAndDescendants(scopeRef));
    return (await this.options.summaries.all())
      .filter(s => s.ownerRef && groups.has(s.ownerRef))
      .map(s => s.entityRef);
  }

  /** A group and every group below it (spec.children in the catalog), for refreshing owned entities. */
  async groupAndDescendants(groupRef: string): Promise<string[]> {
    return this.options.entities.groupAndDescendants(groupRef);
  }

  private async authorize(permission: ResourcePermission, resourceRef: string, credentials: Credentials) {
    const [decision] = await this.options.permissions.authorize([{ permission, resourceRef }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`The permission policy does not allow ${permission.name} on ${resourceRef}`);
    }
  }

  /** The catalog ref of an exercise scope (an entity or a group); kind defaults to group. */
  async resolveScope(raw: string): Promise<string> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(raw, { defaultKind: 'group', defaultNamespace: 'default' }));
    } catch (error) {
      throw new InputError(`Malformed scope '${raw}': ${(error as Error).message}`);
    }
    return (await this.options.entities.resolve({ entityRef: ref }, { anyKind: true })).entityRef;
  }
}

type Credentials = BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>;

/** The name recorded as the actor of a write: a user's entity ref or a service's subject. */
function actorName(credentials: Credentials): string {
  const principal = credentials.principal;
  return principal.type === 'user' ? principal.userEntityRef : principal.subject;
}
