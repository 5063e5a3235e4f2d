import { LoggerService } from '@backstage/backend-plugin-api';
import type { ScorecardChangeListener } from '../events/DevsecopsEvents';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { CatalogReadIndex } from '../catalog/catalogReadIndex';
import { EntityLookup } from '../catalog/EntityResolver';
import { RecentEntityLookups } from '../catalog/recentEntityLookups';
import { EvidenceWriter } from '../identity/ciIdentities';
import { nextChangeAt } from '../evaluate/nextChange';
import { evaluateEntity } from '../evaluate/scorecard';
import { CatalogColumns, EntitySummary, ExpiringScorecard, SummaryStore } from '../store/SummaryStore';
import { CatalogLookups, entityFacts, EvidenceLoader, EvidenceLoaderOptions } from './EvidenceLoader';

/**
 * Evaluations of a batch in flight at once: each waits mostly on the database (about twenty
 * queries), so a few overlap that wait without taking every pooled connection from requests.
 */
export const EVALUATE_CONCURRENCY = 4;

/** How many candidate instants the refresh job steps over for one entity in one run. */
const MAX_STEPS_AHEAD = 16;

/** A scorecard as JSON without its evaluation time, to tell whether an instant changed anything. */
const withoutTime = (scorecard: EntityScorecard) => JSON.stringify({ ...scorecard, evaluatedAt: '' });

export interface ScorecardServiceOptions extends EvidenceLoaderOptions {
  logger: LoggerService;
  summaries: SummaryStore;
  /**
   * Counted entities' refs and owners for reads by entity ref (absent: every read asks the
   * catalog, reusing its answer for a few seconds).
   */
  readIndex?: CatalogReadIndex;
  now?: () => Date;
}

/**
 * Ties the stores to the pure evaluation: loads one entity's evidence, evaluates it, keeps its
 * summary current. The release gate (gate/ReleaseGateService) reads the same evidence.
 */
export class ScorecardService {
  private readonly evidence: EvidenceLoader;
  /** Reads reuse the catalog's answer for a few seconds; writes resolve afresh. */
  private readonly readLookups: RecentEntityLookups;

  /** Told what time alone changed (events, regression alerts): publishClockChangesTo. */
  private clockListeners: ScorecardChangeListener[] = [];

  constructor(private readonly options: ScorecardServiceOptions) {
    this.evidence = new EvidenceLoader(options);
    this.readLookups = new RecentEntityLookups(options.entities);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The catalog kinds counted (devsecops.scorecard.entityKinds). */
  get entityKinds(): string[] {
    return this.options.settings.entityKinds;
  }

  /** Whether entities of this kind (or this entity ref's kind) are counted: stored summaries and snapshots, roll-ups. */
  counts(kindOrRef: string): boolean {
    const kind = (kindOrRef.includes(':') ? kindOrRef.slice(0, kindOrRef.indexOf(':')) : kindOrRef).toLowerCase();
    return this.options.settings.entityKinds.some(k => k.toLowerCase() === kind);
  }

  /** The entity's scorecard (see scorecardJson). */
  async scorecard(lookup: EntityLookup): Promise<EntityScorecard> {
    return JSON.parse(await this.scorecardJson(lookup));
  }

  /**
   * The entity's scorecard as JSON text, as stored: reads never evaluate. Every write
   * re-evaluates and stores it with the instant it next changes without new evidence
   * (evaluate/nextChange), and the refresh job (refreshAhead) stores the scorecard that follows
   * before that instant comes. Only an entity with nothing stored yet, or whose catalog owner
   * changed since, is evaluated here, once. Reads by entity ref find the entity and its owner in
   * the catalog read index (refreshed every 30 s) when there is one. An entity of a kind that is not counted is evaluated
   * for the answer and nothing is stored: a read never changes what roll-ups count.
   */
  async scorecardJson(lookup: EntityLookup): Promise<string> {
    // By entity ref: the catalog read index knows the entity and its owner, so a stored scorecard
    // is one row read, with no catalog round trip. Anything else takes the catalog path below.
    if (lookup.entityRef && !lookup.repository && this.options.readIndex) {
      const indexed = await this.options.readIndex.lookup(lookup.entityRef);
      if (indexed) {
        const stored = await this.options.summaries.storedScorecard(indexed.entityRef, this.now());
        if (stored && stored.ownerRef === indexed.ownerRef) return stored.json;
      }
    }
    const resolved = await this.readLookups.resolve(lookup);
    if (!this.counts(resolved.entity.kind)) return JSON.stringify(await this.evaluate(resolved.entity));
    const stored = await this.options.summaries.storedScorecard(resolved.entityRef, this.now());
    if (stored && stored.ownerRef === entityFacts(resolved.entity).ownerRef) return stored.json;
    return JSON.stringify(await this.evaluate(resolved.entity));
  }

  /**
   * The scheduled refresh (once across instances): makes the scorecards stored ahead current once
   * their instant has passed, and for every stored scorecard that changes within `lead` evaluates
   * the entity as it will be at that instant and stores it ahead, so reads across the boundary
   * stay stored reads. One whose instant has already passed (the job was late) is re-evaluated now.
   */
  async refreshAhead(lead: { ms: number; limit?: number }): Promise<{ promoted: number; ahead: number; late: number }> {
    const now = this.now();
    const limit = lead.limit ?? 1000;
    const promoted = await this.options.summaries.promoteDue(now, limit, (before, after) => this.clockChanged(before, after));
    let ahead = 0;
    let late = 0;
    for (const expiring of await this.options.summaries.expiringBefore(new Date(now.getTime() + lead.ms), limit)) {
      try {
        if (expiring.validUntil.getTime() <= now.getTime()) {
          const before = this.clockListeners.length > 0 ? (await this.options.summaries.storedScorecards([expiring.entityRef])).get(expiring.entityRef) : undefined;
          await this.clockChanged(before, await this.refresh(expiring.entityRef));
          late++;
          continue;
        }
        if (await this.storeAhead(expiring, now.getTime() + lead.ms)) ahead++;
      } catch (error) {
        if (error instanceof NotFoundError || (error as Error)?.name === 'NotFoundError') {
          // Gone from the catalog: its last scorecard stays as it was, and stops coming due.
          await this.options.summaries.keepAsIs(expiring.entityRef);
          continue;
        }
        this.options.logger.warn(`Could not refresh the scorecard of ${expiring.entityRef} ahead: ${error}`);
      }
    }
    return { promoted, ahead, late };
  }

  /**
   * Where to tell what a scorecard's next instant changed when it comes (a stored-ahead scorecard
   * made current, or a late re-evaluation): `devsecops.control.changed` / `stage.changed` events
   * and regression alerts, as a write's refresh tells them. A promotion is told by the instance
   * whose update moved it, so once across instances.
   */
  publishClockChangesTo(listeners: ScorecardChangeListener[]) {
    this.clockListeners = listeners;
  }

  private async clockChanged(before: EntityScorecard | undefined, after: EntityScorecard) {
    for (const listener of this.clockListeners) {
      try {
        await listener.scorecardChanged(before, after);
      } catch (error) {
        this.options.logger.warn(`Could not tell what time changed in the scorecard of ${after.entityRef}: ${error}`);
      }
    }
  }

  /**
   * Evaluates the entity as of `expiring.validUntil` and stores the result ahead. When nothing
   * changes at that instant (an instant is a candidate, not a certainty), the stored scorecard's
   * validity moves on to the next instant instead, as long as that falls before `horizonMs`.
   */
  private async storeAhead(expiring: ExpiringScorecard, horizonMs: number): Promise<boolean> {
    const { entity } = await this.options.entities.resolve({ entityRef: expiring.entityRef });
    const facts = entityFacts(entity);
    const stored = await this.options.summaries.storedScorecard(expiring.entityRef, new Date(0));
    const current = stored && stored.ownerRef === facts.ownerRef ? withoutTime(JSON.parse(stored.json)) : undefined;
    let step = expiring;
    for (let i = 0; i < MAX_STEPS_AHEAD; i++) {
      const at = step.validUntil;
      const evidence = await this.evidence.load(facts, at);
      const next = evaluateEntity(evidence, this.options.settings.evaluation, at);
      const nextValidUntil = nextChangeAt(evidence, this.options.settings.evaluation, at);
      if (current !== withoutTime(next)) return this.options.summaries.storeAhead(step, next, nextValidUntil);
      if (!(await this.options.summaries.extendValidity(step, nextValidUntil))) return false;
      if (!nextValidUntil || nextValidUntil.getTime() >= horizonMs) return false;
      step = { ...step, validUntil: nextValidUntil };
    }
    return false;
  }

  /** Re-evaluates an entity after new evidence and stores its summary. */
  async refresh(entityRef: string): Promise<EntityScorecard> {
    const resolved = await this.options.entities.resolve({ entityRef });
    return this.evaluate(resolved.entity);
  }

  /**
   * Evaluates a catalog entity and, when its kind is counted (devsecops.scorecard.entityKinds),
   * refreshes its summary and stored scorecard; other kinds are only evaluated.
   */
  async evaluate(entity: Entity, lookups?: CatalogLookups): Promise<EntityScorecard> {
    const now = this.now();
    const evidence = await this.evidence.load(entityFacts(entity), now, lookups);
    const scorecard = evaluateEntity(evidence, this.options.settings.evaluation, now);
    const validUntil = nextChangeAt(evidence, this.options.settings.evaluation, now);
    if (this.counts(entity.kind)) {
      await this.options.summaries.upsert(toSummary(entity, scorecard), scorecard, validUntil);
    }
    return scorecard;
  }

  /**
   * Evaluates a batch of entities as `evaluate` does (the daily snapshot's entities without a
   * current summary), `concurrency` at a time, sharing the catalog's answers about owner groups
   * and approvers for the batch (one minute at most) instead of asking for each entity: at
   * thousands of entities those round trips were most of the cost. Returns the refs stored and
   * those that failed, with why; one failure does not stop the others.
   */
  async evaluateMany(
    entities: Entity[],
    concurrency = EVALUATE_CONCURRENCY,
  ): Promise<{ evaluated: string[]; failed: Array<{ entityRef: string; error: unknown }> }> {
    const lookups = new RecentEntityLookups(this.options.entities, { ttlMs: 60_000, keepNotFound: true });
    const evaluated: string[] = [];
    const failed: Array<{ entityRef: string; error: unknown }> = [];
    let next = 0;
    const worker = async () => {
      while (next < entities.length) {
        const entity = entities[next++];
        try {
          await this.evaluate(entity, lookups);
          evaluated.push(stringifyEntityRef(entity));
        } catch (error) {
          failed.push({ entityRef: stringifyEntityRef(entity), error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, entities.length)) }, worker));
    return { evaluated, failed };
  }

  async summaryOf(entity: Entity): Promise<EntitySummary> {
    return toSummary(entity, await this.evaluate(entity));
  }

  /**
   * The entity as it stood at `at`, for a backfilled daily snapshot (an imported history). Only
   * honest while nothing newer than `at` is recorded, so a later observation refuses it: the
   * history must be imported in time order, one day's evidence then that day's snapshot.
   */
  async summaryAt(lookup: EntityLookup, at: Date, writer: EvidenceWriter): Promise<EntitySummary> {
    const { entity } = await this.options.entities.resolveForWrite(lookup, writer);
    const facts = entityFacts(entity);
    if (!this.counts(entity.kind)) {
      throw new InputError(
        `${facts.entityRef} is a ${entity.kind}; snapshots are kept for the counted kinds only (devsecops.scorecard.entityKinds: ${this.options.settings.entityKinds.join(', ')})`,
      );
    }
    const o = this.options;
    const newest = [
      await o.reports.newestScanOf(facts.entityRef),
      await o.facts.newestObservationAt(facts.entityRef),
      await o.deployments.newestDeploymentAt(facts.entityRef),
    ]
      .filter((t): t is string => !!t)
      .sort()
      .pop();
    if (newest && new Date(newest) > at) {
      throw new ConflictError(
        `${facts.entityRef} has evidence from ${newest}, after ${at.toISOString()}; a snapshot of an earlier day can only be written before newer evidence arrives`,
      );
    }
    const evidence = await this.evidence.load(facts, at);
    return toSummary(entity, evaluateEntity(evidence, o.settings.evaluation, at));
  }
}

function relationRef(entity: Entity, field: 'system' | 'domain', kind: string): string | undefined {
  const value = (entity.spec as Record<string, unknown> | undefined)?.[field];
  if (typeof value !== 'string' || !value) return undefined;
  return stringifyEntityRef(parseEntityRef(value, { defaultKind: kind, defaultNamespace: entity.metadata.namespace ?? 'default' }));
}

/** What a summary keeps of the catalog entity (a change in any of them re-evaluates it). */
export function catalogColumnsOf(entity: Entity): CatalogColumns {
  const facts = entityFacts(entity);
  return {
    ownerRef: facts.ownerRef,
    systemRef: relationRef(entity, 'system', 'system'),
    domainRef: relationRef(entity, 'domain', 'domain'),
    type: facts.type,
    lifecycle: facts.lifecycle,
  };
}

export function toSummary(entity: Entity, scorecard: EntityScorecard): EntitySummary {
  return {
    entityRef: stringifyEntityRef(entity),
    ...catalogColumnsOf(entity),
    stage: scorecard.maturity.stage,
    controlStates: Object.fromEntries(scorecard.controls.map(c => [c.controlId, c.state])),
    metrics: scorecard.metrics,
    productionGate: scorecard.latestGateDecisions.find(d => d.environment === 'production')?.decision,
    evaluatedAt: scorecard.evaluatedAt,
  };
}
