import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { EntityLookup } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { evaluateEntity } from '../evaluate/scorecard';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { entityFacts, EvidenceLoader, EvidenceLoaderOptions } from './EvidenceLoader';

/** Longest a stored scorecard is served without re-evaluation (staleness and SLAs move with time). */
const MAX_SCORECARD_AGE_MS = 10 * 60 * 1000;

export interface ScorecardServiceOptions extends EvidenceLoaderOptions {
  logger: LoggerService;
  summaries: SummaryStore;
  now?: () => Date;
}

/**
 * Ties the stores to the pure evaluation: loads one entity's evidence, evaluates it, keeps its
 * summary current. The release gate (gate/ReleaseGateService) reads the same evidence.
 */
export class ScorecardService {
  private readonly evidence: EvidenceLoader;

  constructor(private readonly options: ScorecardServiceOptions) {
    this.evidence = new EvidenceLoader(options);
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

  /**
   * The entity's scorecard. Every write re-evaluates and stores it, so a read serves the stored
   * one while it is valid: until the next time-based change (an exception expiring) and at most
   * MAX_SCORECARD_AGE_MS, after which staleness and SLA clocks are re-read. An entity of a kind
   * that is not counted is evaluated for the answer and nothing is stored: a read never changes
   * what roll-ups count.
   */
  async scorecard(lookup: EntityLookup): Promise<EntityScorecard> {
    const resolved = await this.options.entities.resolve(lookup);
    if (!this.counts(resolved.entity.kind)) return this.evaluate(resolved.entity);
    const stored = await this.options.summaries.validScorecard(resolved.entityRef, this.now());
    if (stored && stored.ownerRef === entityFacts(resolved.entity).ownerRef) return stored;
    return this.evaluate(resolved.entity);
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
  async evaluate(entity: Entity): Promise<EntityScorecard> {
    const now = this.now();
    const evidence = await this.evidence.load(entityFacts(entity), now);
    const scorecard = evaluateEntity(evidence, this.options.settings.evaluation, now);
    const validUntil = new Date(
      Math.min(
        now.getTime() + MAX_SCORECARD_AGE_MS,
        ...evidence.exceptions.map(e => new Date(e.expiresAt).getTime()),
      ),
    );
    if (this.counts(entity.kind)) {
      await this.options.summaries.upsert(toSummary(entity, scorecard), scorecard, validUntil);
    }
    return scorecard;
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

export function toSummary(entity: Entity, scorecard: EntityScorecard): EntitySummary {
  const facts = entityFacts(entity);
  return {
    entityRef: facts.entityRef,
    ownerRef: facts.ownerRef,
    systemRef: relationRef(entity, 'system', 'system'),
    domainRef: relationRef(entity, 'domain', 'domain'),
    type: facts.type,
    lifecycle: facts.lifecycle,
    stage: scorecard.maturity.stage,
    controlStates: Object.fromEntries(scorecard.controls.map(c => [c.controlId, c.state])),
    metrics: scorecard.metrics,
    productionGate: scorecard.latestGateDecisions.find(d => d.environment === 'production')?.decision,
    evaluatedAt: scorecard.evaluatedAt,
  };
}
