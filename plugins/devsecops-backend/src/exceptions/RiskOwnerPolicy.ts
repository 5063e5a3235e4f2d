import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EligibleRiskOwner,
  RiskOwnerEligibility,
  RiskRating,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { displayNameOf, EntityResolver } from '../catalog/EntityResolver';

export const RISK_RATINGS: RiskRating[] = ['critical', 'high', 'medium', 'low'];

type OwnerLists = Partial<Record<RiskRating, string[]>>;

/** `devsecops.exceptions.riskOwners`: who may be named risk owner, per rating and control. */
export interface RiskOwnerSettings {
  byRating: OwnerLists;
  /** Per control id: lists that replace the rating's list for that control. */
  byControl: Record<string, OwnerLists>;
  /** The entity's owning team (and its members) may be named. Default false. */
  allowOwningTeam: boolean;
  /** The requester's own teams (and their members) may be named. Default false. */
  allowRequesterTeams: boolean;
}

const KEY = 'devsecops.exceptions.riskOwners';

function readLists(config: Config | undefined, path: string): OwnerLists {
  const lists: OwnerLists = {};
  for (const rating of RISK_RATINGS) {
    const raw = config?.getOptionalStringArray(rating);
    if (raw === undefined) continue;
    if (raw.length === 0) {
      throw new Error(`${path}.${rating} lists no risk owner; remove it to allow any, or name users or groups`);
    }
    lists[rating] = raw.map((value, index) => {
      try {
        const ref = parseEntityRef(value, { defaultKind: 'group', defaultNamespace: 'default' });
        if (!['user', 'group'].includes(ref.kind.toLowerCase())) throw new Error('must be a user or a group');
        return stringifyEntityRef(ref);
      } catch (error) {
        throw new Error(`${path}.${rating}[${index}] '${value}' is not a user or group ref: ${(error as Error).message}`);
      }
    });
  }
  return lists;
}

/** Reads `devsecops.exceptions.riskOwners`; a bad ref stops the backend naming the key. */
export function readRiskOwnerSettings(root: Config): RiskOwnerSettings {
  const config = root.getOptionalConfig(KEY);
  const byControl: Record<string, OwnerLists> = {};
  const controls = config?.getOptionalConfig('controls');
  for (const control of controls?.keys() ?? []) {
    byControl[control] = readLists(controls!.getConfig(control), `${KEY}.controls.${control}`);
  }
  return {
    byRating: readLists(config, KEY),
    byControl,
    allowOwningTeam: config?.getOptionalBoolean('allowOwningTeam') ?? false,
    allowRequesterTeams: config?.getOptionalBoolean('allowRequesterTeams') ?? false,
  };
}

export interface EligibilityContext {
  entityRef: string;
  /** The entity's owner in the catalog. */
  ownerRef?: string;
  riskRating: RiskRating;
  control?: string;
  requester: string;
  /** The requester's claims: themselves and their groups. */
  requesterClaims: string[];
}

/**
 * Who may be named risk owner of an exception: the users and groups configured for its rating
 * (and control), or anyone in the catalog when none are; never the requester, and, unless
 * configuration says so, never the requester's teams, the entity's owning team or their members.
 */
export class RiskOwnerPolicy {
  /** Checks the per-control keys against the control catalogue (a typo stops the backend). */
  constructor(
    private readonly settings: RiskOwnerSettings,
    private readonly entities: EntityResolver,
    controlIds: string[],
  ) {
    for (const control of Object.keys(settings.byControl)) {
      if (!controlIds.includes(control)) {
        throw new Error(`${KEY}.controls.${control} is not a control; controls: ${controlIds.join(', ')}`);
      }
    }
  }

  /** The configured list for a rating and control, or undefined when any owner may be named. */
  listed(riskRating: RiskRating, control?: string): string[] | undefined {
    return (control ? this.settings.byControl[control]?.[riskRating] : undefined) ?? this.settings.byRating[riskRating];
  }

  excluded(context: EligibilityContext): string[] {
    const excluded = new Set<string>([context.requester]);
    if (!this.settings.allowRequesterTeams) {
      context.requesterClaims.filter(ref => ref.startsWith('group:')).forEach(ref => excluded.add(ref));
    }
    if (!this.settings.allowOwningTeam && context.ownerRef) excluded.add(context.ownerRef);
    return [...excluded].sort();
  }

  /** Refuses (400) a risk owner outside the eligible ones, naming who is eligible. */
  async check(riskOwner: string, context: EligibilityContext): Promise<void> {
    const excluded = this.excluded(context);
    const listed = this.listed(context.riskRating, context.control);
    const what = `a ${context.riskRating} exception on ${context.entityRef}${context.control ? ` (control ${context.control})` : ''}`;
    const eligibleText = listed
      ? `eligible risk owners: ${listed.filter(ref => !excluded.includes(ref)).map(ref => (ref.startsWith('group:') ? `${ref} (or its members)` : ref)).join(', ') || 'none (every listed owner is excluded for this request)'}`
      : 'any catalog user or group other than these';
    const rule =
      'the requester, the requester\'s teams and the entity\'s owning team are never eligible unless ' +
      `${KEY}.allowRequesterTeams / allowOwningTeam say so`;
    if (riskOwner === context.requester) {
      throw new InputError('riskOwner cannot be the requester: a named risk owner other than yourself decides');
    }
    if (excluded.includes(riskOwner)) {
      throw new InputError(`riskOwner ${riskOwner} is not eligible for ${what}: ${rule}; ${eligibleText}`);
    }
    const entity = await this.entities.getByRef(riskOwner);
    if (!entity) {
      throw new InputError(`riskOwner ${riskOwner} is not a user or group in the catalog`);
    }
    const groups = riskOwner.startsWith('user:') ? await this.entities.groupsOf(entity) : [];
    const viaExcluded = groups.find(group => excluded.includes(group));
    if (viaExcluded) {
      throw new InputError(
        `riskOwner ${riskOwner} is a member of ${viaExcluded} and not eligible for ${what}: ${rule}; ${eligibleText}`,
      );
    }
    if (listed && !listed.includes(riskOwner) && !groups.some(group => listed.includes(group))) {
      throw new InputError(
        `riskOwner ${riskOwner} is not eligible for ${what} (${KEY}); ${eligibleText}`,
      );
    }
  }

  /** The eligible owners for the dialog: the listed refs and the listed groups' members. */
  async eligibility(context: EligibilityContext): Promise<Omit<RiskOwnerEligibility, 'expiry'>> {
    const excluded = this.excluded(context);
    const listed = this.listed(context.riskRating, context.control);
    const owners: EligibleRiskOwner[] = [];
    const seen = new Set<string>();
    for (const ref of listed ?? []) {
      if (excluded.includes(ref)) continue;
      const entity = await this.entities.getByRef(ref);
      if (!entity) continue; // a listed ref the catalog no longer has names nobody
      const kind = ref.startsWith('group:') ? 'group' : 'user';
      if (kind === 'user' && (await this.entities.groupsOf(entity)).some(g => excluded.includes(g))) continue;
      if (!seen.has(ref)) {
        seen.add(ref);
        owners.push({ ref, displayName: displayNameOf(entity), kind });
      }
      if (kind !== 'group') continue;
      for (const member of await this.entities.membersOf(ref)) {
        const memberRef = stringifyEntityRef(member);
        if (seen.has(memberRef) || excluded.includes(memberRef)) continue;
        if ((await this.entities.groupsOf(member)).some(g => excluded.includes(g))) continue;
        seen.add(memberRef);
        owners.push({ ref: memberRef, displayName: displayNameOf(member), kind: 'user', memberOf: ref });
      }
    }
    return {
      entityRef: context.entityRef,
      riskRating: context.riskRating,
      control: context.control,
      restricted: !!listed,
      owners,
      defaultOwner: listed?.find(ref => owners.some(o => o.ref === ref)),
      excluded,
    };
  }
}
