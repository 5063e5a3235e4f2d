import { BackstageCredentials, BackstageUserPrincipal, PermissionsService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  devsecopsHumanAttestationPermissions,
  HumanAttestation,
  HumanAttestationInput,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { EntityResolver } from '../catalog/EntityResolver';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { HumanAttestationStore } from '../store/HumanAttestationStore';
import { SummaryStore } from '../store/SummaryStore';
import { checkHumanAttestation, DEFAULT_VALIDITY_DAYS, HumanAttestationValidity } from './humanAttestationInput';

export const HUMAN_ATTESTATION_RECORDED = 'human-attestation.recorded';

/**
 * Records named human attestations: what only people know (a control-failure review held,
 * template feedback, a threat-model review), by the signed-in user, authorized per kind on its
 * scope (the responsibility model lives in the permission policy), appended to the evidence log
 * in the same transaction; the entities it counts for are refreshed once it has committed.
 */
export class HumanAttestationService {
  constructor(
    private readonly o: {
      knex: Knex;
      entities: EntityResolver;
      permissions: PermissionsService;
      store: HumanAttestationStore;
      evidenceLog: EvidenceLogStore;
      /** Which entities a group owns, to refresh them after a group-scoped attestation. */
      summaries: SummaryStore;
      onEvidenceChanged: OnEvidenceChanged;
      validity?: HumanAttestationValidity;
      now?: () => Date;
    },
  ) {}

  /** `POST /v1/human-attestations`: users only (the router refuses service tokens). */
  async record(
    input: HumanAttestationInput,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<HumanAttestation> {
    const now = this.o.now?.() ?? new Date();
    // The scope and the permission first: the fields are judged only for those who may record.
    const scopeRef = await this.resolveScope(input.scopeRef);
    const permission = devsecopsHumanAttestationPermissions[input.kind];
    const [decision] = await this.o.permissions.authorize([{ permission, resourceRef: scopeRef }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The permission policy does not allow ${permission.name} on ${scopeRef} for ${credentials.principal.userEntityRef}`,
      );
    }
    const checked = checkHumanAttestation(input, this.o.validity ?? DEFAULT_VALIDITY_DAYS, now);
    const recordedBy = credentials.principal.userEntityRef;
    const attestation: HumanAttestation = {
      id: randomUUID(),
      kind: input.kind,
      scopeRef,
      date: checked.date,
      details: checked.details,
      expiresAt: checked.expiresAt.toISOString(),
      recordedBy,
      recordedAt: now.toISOString(),
    };
    const recorded = await this.o.knex.transaction(async tx => {
      const stored = await this.o.store.insert(tx, attestation);
      await this.o.evidenceLog.append(tx, {
        kind: HUMAN_ATTESTATION_RECORDED,
        entityRef: stored.scopeRef,
        subjectId: stored.id,
        actor: recordedBy,
        at: now,
        payload: stored,
      });
      return stored;
    });
    await this.o.onEvidenceChanged(await this.countedBy(recorded.scopeRef));
    return recorded;
  }

  /**
   * The scopes whose attestations count for an entity: the entity, its owner group and the
   * groups above it (as the EvidenceLoader reads them).
   */
  async scopesOf(entityRef: string): Promise<string[]> {
    const resolved = await this.o.entities.resolve({ entityRef }, { anyKind: true });
    const scopes = [resolved.entityRef];
    const spec = (resolved.entity.spec ?? {}) as Record<string, unknown>;
    let owner = typeof spec.owner === 'string' && spec.owner ? groupRef(spec.owner) : undefined;
    for (let depth = 0; owner && !scopes.includes(owner) && depth < 10; depth++) {
      scopes.push(owner);
      if (!owner.startsWith('group:')) break;
      try {
        const group = await this.o.entities.resolve({ entityRef: owner }, { anyKind: true });
        const parent = (group.entity.spec as Record<string, unknown> | undefined)?.parent;
        owner = typeof parent === 'string' && parent ? groupRef(parent) : undefined;
      } catch {
        break;
      }
    }
    return scopes;
  }

  /** The entity it was made for, or every entity owned by the group or a group below it. */
  private async countedBy(scopeRef: string): Promise<string[]> {
    if (!scopeRef.startsWith('group:')) return [scopeRef];
    const groups = new Set(await this.o.entities.groupAndDescendants(scopeRef));
    return (await this.o.summaries.all()).filter(s => s.ownerRef && groups.has(s.ownerRef)).map(s => s.entityRef);
  }

  /** The catalog ref of a scope (an entity or a group; kind defaults to group, as for exercises). */
  async resolveScope(raw: string): Promise<string> {
    let ref: string;
    try {
      ref = groupRef(raw);
    } catch (error) {
      throw new InputError(`Malformed scope '${raw}': ${(error as Error).message}`);
    }
    return (await this.o.entities.resolve({ entityRef: ref }, { anyKind: true })).entityRef;
  }
}

function groupRef(raw: string): string {
  return stringifyEntityRef(parseEntityRef(raw, { defaultKind: 'group', defaultNamespace: 'default' }));
}
