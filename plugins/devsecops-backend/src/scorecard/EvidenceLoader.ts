import type { TicketStore } from '../tickets/TicketStore';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { ControlFact, Deployment, factCounts } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { EntityResolver } from '../catalog/EntityResolver';
import { ScorecardSettings } from '../config/readScorecardConfig';
import { TIER_ANNOTATION } from '../evaluate/dueDates';
import {
  ApproverCheck,
  EntityEvidence,
  EntityFacts,
  EvidenceExport,
  ExceptionCover,
  LapsedException,
  SignatureVerification,
} from '../evaluate/types';
import { DeploymentStore } from '../store/DeploymentStore';
import { ExerciseStore } from '../store/ExerciseStore';
import { HumanAttestationStore } from '../store/HumanAttestationStore';
import { FactStore } from '../store/FactStore';
import { FindingStore } from '../store/FindingStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { ReportStore } from '../store/ReportStore';
import { RuntimeSignalStore } from '../store/RuntimeSignalStore';
import { RuntimeMonitorStore } from '../store/RuntimeMonitorStore';
import { EVIDENCE_EXPORTED, EvidenceLogStore } from '../store/EvidenceLogStore';
import { VexService } from '../vex/VexService';

/** Where approved exceptions come from; the exceptions feature plugs in here. */
export interface ExceptionSource {
  activeFor(entityRef: string, now: Date): Promise<ExceptionCover[]>;
  /**
   * Approved exceptions that expired or were revoked between `since` and `now`, for exception age
   * (absent: only active exceptions are measured).
   */
  lapsedSince?(entityRef: string, since: Date, now: Date): Promise<LapsedException[]>;
}

/** Signature verifications are recorded as `artifact_signature` facts: `{ digest, verified, reason }`. */
export const SIGNATURE_FACT = 'artifact_signature';

/**
 * The source AttestationService records its verifications under (`attestation (<kind>)`). Only
 * those count: an `artifact_signature` row with another source is a claim recorded through
 * POST /v1/facts before that endpoint refused the name, never a verification.
 */
export const VERIFICATION_SOURCE_PREFIX = 'attestation (';

/** Names CI systems give their bot accounts: `github-actions[bot]`, `bot:…`, `release-bot`. */
const BOT_NAME = /\[bot\]$|^bot:|(^|[-_.\s])bot$/i;

/** How many owner groups up the catalog hierarchy exercises are looked for. */
const MAX_GROUP_DEPTH = 10;

/** How evidence loading asks the catalog about groups and users (EntityResolver, or a cache of it). */
export type CatalogLookups = Pick<EntityResolver, 'resolve'>;

/** The stores one entity's evidence is read from. */
export interface EvidenceLoaderOptions {
  settings: ScorecardSettings;
  entities: EntityResolver;
  reports: ReportStore;
  findings: FindingStore;
  facts: FactStore;
  deployments: DeploymentStore;
  decisions: GateDecisionStore;
  exceptions: ExceptionSource;
  /** Runtime alerts and incidents (absent: none are considered). */
  runtimeSignals?: RuntimeSignalStore;
  /** Runtime sources last heard from (heartbeats; absent: none). */
  runtimeMonitors?: RuntimeMonitorStore;
  /** Tabletop exercises (absent: only the exercise.* facts count). */
  exercises?: ExerciseStore;
  /** The evidence log, for the portal's own acts (audit-package exports; absent: none). */
  evidenceLog?: EvidenceLogStore;
  /** Named human attestations (absent: only the facts of the human criteria count). */
  humanAttestations?: HumanAttestationStore;
  /** Closed rotation tickets of secret findings (absent: only a secret's disappearance rotates it). */
  tickets?: Pick<TicketStore, 'secretTicketClosures'>;
  /** VEX statements: findings they suppress are not open problems (absent: none apply). */
  vex?: Pick<VexService, 'withoutSuppressed'>;
}

/**
 * Reads everything the pure evaluation needs about one entity at one time; shared by the
 * scorecard and the release gate so both judge the same evidence.
 */
export class EvidenceLoader {
  constructor(private readonly o: EvidenceLoaderOptions) {}

  /**
   * `lookups` answers the catalog questions (owner-group ancestry, approvers); a batch of
   * evaluations passes a short-lived cache (RecentEntityLookups), a write the resolver itself.
   */
  async load(entity: EntityFacts, now: Date, lookups: CatalogLookups = this.o.entities): Promise<EntityEvidence> {
    const o = this.o;
    const windowStart = new Date(now.getTime() - o.settings.evaluation.metricTargets.windowDays * 86_400_000);
    const reports = await o.reports.latestPerControl(entity.entityRef);
    const currentArtifacts = Object.fromEntries(
      reports.filter(r => r.artifactDigest).map(r => [r.controls[0], r.artifactDigest!]),
    );
    const [openFindings, resolvedFindings, facts, deployments, gateDecisions, exceptions, signatureFacts] =
      await Promise.all([
        o.findings
          .openForEntity(entity.entityRef, undefined, undefined, currentArtifacts)
          .then(open => (o.vex ? o.vex.withoutSuppressed(entity.entityRef, open, now) : open)),
        o.findings.resolvedSince(entity.entityRef, windowStart),
        o.facts.current(entity.entityRef),
        o.deployments.latestPerEnvironment(entity.entityRef),
        o.decisions.latestPerEnvironment(entity.entityRef),
        o.exceptions.activeFor(entity.entityRef, now),
        o.facts.observations(entity.entityRef, SIGNATURE_FACT),
      ]);
    const signatures = signaturesFromFacts(signatureFacts);
    // Exercises and human attestations count when made for the entity, its owner group or above.
    const scopes = o.exercises || o.humanAttestations ? await this.exerciseScopes(entity, lookups) : [];
    const [runtimeSignals, exercises, lapsedExceptions, approverChecks, lastExport, runtimeMonitors, humanAttestations, secretTicketClosures] = await Promise.all([
      o.runtimeSignals ? o.runtimeSignals.forEvaluation(entity.entityRef, windowStart) : [],
      o.exercises
        ? o.exercises.heldFor(scopes, new Date(now.getTime() - 400 * 86_400_000).toISOString().slice(0, 10))
        : [],
      o.exceptions.lapsedSince ? o.exceptions.lapsedSince(entity.entityRef, windowStart, now) : [],
      Promise.all(deployments.filter(d => d.approver).map(d => this.checkApprover(d, lookups))),
      o.evidenceLog ? this.lastExport(entity.entityRef, now) : undefined,
      o.runtimeMonitors ? o.runtimeMonitors.forEntity(entity.entityRef) : [],
      o.humanAttestations ? o.humanAttestations.inForce(scopes, now) : [],
      o.tickets ? o.tickets.secretTicketClosures(entity.entityRef, windowStart) : [],
    ]);
    return {
      runtimeSignals,
      exercises,
      humanAttestations,
      entity,
      reports,
      openFindings,
      resolvedFindings,
      ...(secretTicketClosures.length ? { secretTicketClosures } : {}),
      // A claim of a fact with its own source (an older version's POST /v1/facts) is not evidence.
      facts: facts.filter(factCounts),
      deployments,
      gateDecisions,
      exceptions,
      lapsedExceptions,
      signatures,
      approverChecks,
      ...(lastExport ? { lastExport } : {}),
      // Heard from at or before the evaluation's clock (snapshots evaluate the past).
      runtimeMonitors: runtimeMonitors.filter(m => Date.parse(m.firstSeenAt) <= now.getTime()).map(m =>
        Date.parse(m.lastSeenAt) <= now.getTime() ? m : { ...m, lastSeenAt: m.firstSeenAt },
      ),
    };
  }

  /** The newest audit-package export covering the entity, recorded at or before `now`. */
  private async lastExport(entityRef: string, now: Date): Promise<EvidenceExport | undefined> {
    const record = await this.o.evidenceLog!.latest(entityRef, EVIDENCE_EXPORTED);
    if (!record || Date.parse(record.at) > now.getTime()) return undefined;
    const payload = record.payload as { from: string; to: string; scope: string };
    return { at: record.at, actor: record.actor, from: payload.from, to: payload.to, scope: payload.scope };
  }

  /**
   * Whether a deployment's approver is a person the catalog knows, other than the deployer: a
   * bot name, the deployer itself, a ref of another kind or a name the catalog does not know is
   * named as the problem. The approver is an entity ref (`user:default/pat`, or `pat`).
   */
  private async checkApprover(deployment: Deployment, lookups: CatalogLookups): Promise<ApproverCheck> {
    const approver = (deployment.approver ?? '').trim();
    const problem = (text: string): ApproverCheck => ({ deploymentId: deployment.id, problem: text });
    if (BOT_NAME.test(approver)) return problem(`${approver} is a bot, not a person`);
    const userRef = asUserRef(approver);
    if (!userRef) return problem(`${approver} is not a catalog entity ref`);
    if (!userRef.startsWith('user:')) return problem(`${userRef} is not a User`);
    const deployer = deployment.deployer.trim();
    if (approver.toLowerCase() === deployer.toLowerCase() || userRef === asUserRef(deployer)) {
      return problem(`${userRef} is the deployer: nobody may approve their own deployment`);
    }
    try {
      const resolved = await lookups.resolve({ entityRef: userRef }, { anyKind: true });
      if (resolved.entity.kind.toLowerCase() !== 'user') return problem(`${userRef} is not a User`);
    } catch (error) {
      if (error instanceof NotFoundError || (error as Error)?.name === 'NotFoundError') {
        return problem(`${userRef} is not a User in the catalog`);
      }
      throw error;
    }
    return { deploymentId: deployment.id, userRef };
  }

  /**
   * Exercises count for an entity when held for it, its owner group or any ancestor group
   * (spec.parent in the catalog); an unreachable group ends the walk.
   */
  private async exerciseScopes(entity: EntityFacts, lookups: CatalogLookups): Promise<string[]> {
    const scopes = [entity.entityRef];
    let group = entity.ownerRef;
    while (group && !scopes.includes(group) && scopes.length <= MAX_GROUP_DEPTH) {
      scopes.push(group);
      if (!group.startsWith('group:')) break;
      try {
        const resolved = await lookups.resolve({ entityRef: group }, { anyKind: true });
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
}

/** `pat` or `user:default/pat` as a full ref (kind defaults to user); undefined when malformed. */
function asUserRef(value: string): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind: 'user', defaultNamespace: 'default' })).toLowerCase();
  } catch {
    return undefined;
  }
}

/** Signature verifications recorded as `artifact_signature` facts, newest first per digest. */
export function signaturesFromFacts(facts: ControlFact[]): SignatureVerification[] {
  const signatures: SignatureVerification[] = [];
  for (const fact of facts) {
    if (!fact.source.startsWith(VERIFICATION_SOURCE_PREFIX)) continue;
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

/** What evaluation reads of a catalog entity: its ref, kind, type, owner and lifecycle. */
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
    tier: entity.metadata.annotations?.[TIER_ANNOTATION] || undefined,
  };
}
