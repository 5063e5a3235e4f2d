import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ControlFact,
  EntityScorecard,
  GateDecision,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { randomUUID } from 'node:crypto';
import { ReleasePolicy, ScorecardSettings } from '../config/readScorecardConfig';
import { evaluateControls } from '../evaluate/controls';
import { evaluateGate } from '../evaluate/gate';
import { evaluateEntity } from '../evaluate/scorecard';
import {
  EntityEvidence,
  EntityFacts,
  ExceptionCover,
  LapsedException,
  SignatureVerification,
} from '../evaluate/types';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { ArtifactStore } from '../store/ArtifactStore';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { ReportStore } from '../store/ReportStore';
import { EntitySummary, SummaryStore } from '../store/SummaryStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { RuntimeSignalStore } from '../store/RuntimeSignalStore';
import { ExerciseStore } from '../store/ExerciseStore';

/** Where approved exceptions come from; the exceptions feature plugs in here. */
export interface ExceptionSource {
  activeFor(entityRef: string, now: Date): Promise<ExceptionCover[]>;
  /**
   * Approved exceptions that expired or were revoked between `since` and `now`, for exception age
   * (absent: only active exceptions are measured).
   */
  lapsedSince?(entityRef: string, since: Date, now: Date): Promise<LapsedException[]>;
}

/** How many owner groups up the catalog hierarchy exercises are looked for. */
const MAX_GROUP_DEPTH = 10;

/** Longest a stored scorecard is served without re-evaluation (staleness and SLAs move with time). */
const MAX_SCORECARD_AGE_MS = 10 * 60 * 1000;

/** Signature verifications are recorded as `artifact_signature` facts: `{ digest, verified, reason }`. */
export const SIGNATURE_FACT = 'artifact_signature';

export interface ScorecardServiceOptions {
  logger: LoggerService;
  settings: ScorecardSettings;
  entities: EntityResolver;
  reports: ReportStore;
  findings: FindingStore;
  facts: FactStore;
  deployments: DeploymentStore;
  artifacts: ArtifactStore;
  decisions: GateDecisionStore;
  summaries: SummaryStore;
  exceptions: ExceptionSource;
  evidenceLog: EvidenceLogStore;
  /** Runtime alerts and incidents (absent: none are considered). */
  runtimeSignals?: RuntimeSignalStore;
  /** Tabletop exercises (absent: only the exercise.* facts count). */
  exercises?: ExerciseStore;
  now?: () => Date;
}

/**
 * Ties the stores to the pure evaluation: loads one entity's evidence, evaluates it, keeps its
 * summary current, and decides releases (storing every decision as evidence).
 */
export class ScorecardService {
  constructor(private readonly options: ScorecardServiceOptions) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The entity's scorecard. Every write re-evaluates and stores it, so a read serves the stored
   * one while it is valid: until the next time-based change (an exception expiring) and at most
   * MAX_SCORECARD_AGE_MS, after which staleness and SLA clocks are re-read.
   */
  async scorecard(lookup: EntityLookup): Promise<EntityScorecard> {
    const resolved = await this.options.entities.resolve(lookup);
    const stored = await this.options.summaries.validScorecard(resolved.entityRef, this.now());
    if (stored && stored.ownerRef === entityFacts(resolved.entity).ownerRef) return stored;
    return this.evaluate(resolved.entity);
  }

  /** Re-evaluates an entity after new evidence and stores its summary. */
  async refresh(entityRef: string): Promise<EntityScorecard> {
    const resolved = await this.options.entities.resolve({ entityRef });
    return this.evaluate(resolved.entity);
  }

  /** Evaluates a catalog entity and refreshes its summary and stored scorecard. */
  async evaluate(entity: Entity): Promise<EntityScorecard> {
    const now = this.now();
    const evidence = await this.loadEvidence(entityFacts(entity), now);
    const scorecard = evaluateEntity(evidence, this.options.settings.evaluation, now);
    const validUntil = new Date(
      Math.min(
        now.getTime() + MAX_SCORECARD_AGE_MS,
        ...evidence.exceptions.map(e => new Date(e.expiresAt).getTime()),
      ),
    );
    await this.options.summaries.upsert(toSummary(entity, scorecard), scorecard, validUntil);
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
  async summaryAt(lookup: EntityLookup, at: Date): Promise<EntitySummary> {
    const { entity } = await this.options.entities.resolve(lookup);
    const facts = entityFacts(entity);
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
    const evidence = await this.loadEvidence(facts, at);
    return toSummary(entity, evaluateEntity(evidence, o.settings.evaluation, at));
  }

  policyFor(environment: string): ReleasePolicy | undefined {
    return this.options.settings.policies.find(p => p.environment === environment);
  }

  /**
   * Decides whether an artifact may be released to an environment, under that environment's
   * policy, and stores the decision.
   */
  async decide(request: EntityLookup & {
    artifactDigest: string;
    environment: string;
    claimedOwner?: string;
    requestedBy: string;
    deploymentId?: string;
  }): Promise<GateDecision> {
    const policy = this.policyFor(request.environment);
    if (!policy) {
      throw new InputError(
        `No release policy for environment '${request.environment}'. Policies exist for: ${this.options.settings.policies
          .map(p => p.environment)
          .join(', ')}`,
      );
    }
    const digest = normalizeDigest(request.artifactDigest);
    if (!digest) {
      throw new InputError(
        `Malformed artifactDigest '${request.artifactDigest}': use algorithm:hex, e.g. sha256:<64 hex characters>`,
      );
    }
    const claimedOwnerRef = request.claimedOwner
      ? toOwnerRef(request.claimedOwner)
      : undefined;
    const resolved = await this.options.entities.resolve(request);
    const now = this.now();
    const entity = entityFacts(resolved.entity);
    const evidence = await this.loadEvidence(entity, now);
    const { reports, findings, artifacts } = this.options;
    const [artifactRecords, sbomReports, containerScans, containerFindings] = await Promise.all([
      artifacts.get(digest, entity.entityRef),
      reports.forArtifact(entity.entityRef, digest, 'sbom'),
      reports.forArtifact(entity.entityRef, digest, 'container-scan'),
      findings.openForEntity(entity.entityRef, 'container-scan', digest),
    ]);
    const secretScanning = evaluateControls(
      this.options.settings.evaluation.controls.filter(c => c.id === 'secret-scanning'),
      evidence,
      now,
    )[0];
    const signature = evidence.signatures.find(s => s.digest === digest);
    const outcome = evaluateGate({
      requires: policy.requires,
      entity,
      artifactDigest: digest,
      artifactKnown: artifactRecords.length > 0,
      sbomReports,
      containerScans,
      containerFindings,
      secretScanning,
      facts: evidence.facts,
      signature: signature && {
        verified: signature.verified,
        reason: signature.reason,
        evidence: [{ kind: 'fact', id: signature.id, at: signature.at }],
      },
      claimedOwnerRef,
      exceptions: evidence.exceptions,
      now,
    });
    const decision: GateDecision = {
      id: randomUUID(),
      policy: policy.name,
      environment: request.environment,
      entityRef: entity.entityRef,
      artifactDigest: digest,
      decision: outcome.decision,
      requirements: outcome.requirements,
      decidedAt: now.toISOString(),
      requestedBy: request.requestedBy,
      deploymentId: request.deploymentId,
    };
    // Every decision is evidence: stored and appended to the log together.
    await this.options.evidenceLog.knexTransaction(async tx => {
      await this.options.decisions.insert(decision, tx);
      await this.options.evidenceLog.append(tx, {
        kind: 'gate.decided',
        entityRef: decision.entityRef,
        subjectId: decision.id,
        actor: request.requestedBy,
        at: now,
        payload: decision,
      });
    });
    this.options.logger.info(
      `Release gate ${decision.decision} for ${decision.entityRef} ${digest} to ${decision.environment} (policy ${policy.name}, asked by ${request.requestedBy})`,
    );
    return decision;
  }

  /**
   * Exercises count for an entity when held for it, its owner group or any ancestor group
   * (spec.parent in the catalog); an unreachable group ends the walk.
   */
  private async exerciseScopes(entity: EntityFacts): Promise<string[]> {
    const scopes = [entity.entityRef];
    let group = entity.ownerRef;
    while (group && !scopes.includes(group) && scopes.length <= MAX_GROUP_DEPTH) {
      scopes.push(group);
      if (!group.startsWith('group:')) break;
      try {
        const resolved = await this.options.entities.resolve({ entityRef: group }, { anyKind: true });
        const parent = (resolved.entity.spec as Record<string, unknown> | undefined)?.parent;
        group = typeof parent === 'string' && parent
          ? stringifyEntityRef(parseEntityRef(parent, { defaultKind: 'group', defaultNamespace: resolved.entity.metadata.namespace ?? 'default' }))
          : undefined;
      } catch {
        break;
      }
    }
    return scopes;
  }

  private async loadEvidence(entity: EntityFacts, now: Date): Promise<EntityEvidence> {
    const o = this.options;
    const windowStart = new Date(now.getTime() - o.settings.evaluation.metricTargets.windowDays * 86_400_000);
    const reports = await o.reports.latestPerControl(entity.entityRef);
    const currentArtifacts = Object.fromEntries(
      reports.filter(r => r.artifactDigest).map(r => [r.controls[0], r.artifactDigest!]),
    );
    const [openFindings, resolvedFindings, facts, deployments, gateDecisions, exceptions, signatureFacts] =
      await Promise.all([
        o.findings.openForEntity(entity.entityRef, undefined, undefined, currentArtifacts),
        o.findings.resolvedSince(entity.entityRef, windowStart),
        o.facts.current(entity.entityRef),
        o.deployments.latestPerEnvironment(entity.entityRef),
        o.decisions.latestPerEnvironment(entity.entityRef),
        o.exceptions.activeFor(entity.entityRef, now),
        o.facts.observations(entity.entityRef, SIGNATURE_FACT),
      ]);
    const signatures = signaturesFromFacts(signatureFacts);
    const [runtimeSignals, exercises, lapsedExceptions] = await Promise.all([
      o.runtimeSignals ? o.runtimeSignals.forEvaluation(entity.entityRef, windowStart) : [],
      o.exercises
        ? this.exerciseScopes(entity).then(scopes =>
            o.exercises!.heldFor(scopes, new Date(now.getTime() - 400 * 86_400_000).toISOString().slice(0, 10)),
          )
        : [],
      o.exceptions.lapsedSince ? o.exceptions.lapsedSince(entity.entityRef, windowStart, now) : [],
    ]);
    return {
      runtimeSignals,
      exercises,
      entity,
      reports,
      openFindings,
      resolvedFindings,
      facts,
      deployments,
      gateDecisions,
      exceptions,
      lapsedExceptions,
      signatures,
    };
  }
}

/** Signature verifications recorded as `artifact_signature` facts, newest first per digest. */
export function signaturesFromFacts(facts: ControlFact[]): SignatureVerification[] {
  const signatures: SignatureVerification[] = [];
  for (const fact of facts) {
    const value = fact.value as { digest?: unknown; verified?: unknown; reason?: unknown };
    const digest = normalizeDigest(value?.digest);
    if (!digest || typeof value.verified !== 'boolean') continue;
    if (signatures.some(s => s.digest === digest)) continue; // newest first wins
    signatures.push({
      digest,
      verified: value.verified,
      reason:
        typeof value.reason === 'string'
          ? value.reason
          : `Signature of ${digest} ${value.verified ? 'verified' : 'failed verification'} (${fact.source})`,
      at: fact.observedAt,
      id: `${SIGNATURE_FACT}@${fact.observedAt}`,
    });
  }
  return signatures;
}

export function entityFacts(entity: Entity): EntityFacts {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    type: typeof spec.type === 'string' ? spec.type : undefined,
    ownerRef: typeof spec.owner === 'string' && spec.owner
      ? stringifyEntityRef(parseEntityRef(spec.owner, { defaultKind: 'group', defaultNamespace: entity.metadata.namespace ?? 'default' }))
      : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
  };
}

function toOwnerRef(owner: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(`Malformed claimedOwner '${owner}': ${(error as Error).message}`);
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
