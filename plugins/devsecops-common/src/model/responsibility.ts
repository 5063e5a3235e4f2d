/**
 * The operating model's "Responsibility model", kept as data: for each capability, what the
 * product team does (it acts), what the platform team does (it provides) and what the
 * security/compliance owner does (it decides). The product team is the entity's catalog owner;
 * the platform team and the security/compliance owner are catalog groups from configuration
 * (`devsecops.responsibility.platformTeam` / `securityOwner`). Every control and maturity
 * criterion names its capability, so each result says who acts, provides and decides.
 */

/** @public */
export type CapabilityId =
  | 'threat-modeling'
  | 'ci-cd-controls'
  | 'dependency-security'
  | 'cloud-iac-policy'
  | 'incident-response'
  | 'compliance-evidence';

/** One row of the seed's responsibility table: the capability and each role's duty, verbatim. @public */
export interface Capability {
  id: CapabilityId;
  title: string;
  /** Product team (the entity's owner): what it does. */
  acts: string;
  /** Platform team: what it provides. */
  provides: string;
  /** Security/compliance owner: what it decides. */
  decides: string;
}

/** @public */
export const CAPABILITIES: readonly Capability[] = [
  {
    id: 'threat-modeling',
    title: 'Threat modeling',
    acts: 'Own service assumptions and abuse cases',
    provides: 'Provide templates and facilitation',
    decides: 'Review high-risk changes',
  },
  {
    id: 'ci-cd-controls',
    title: 'CI/CD controls',
    acts: 'Fix findings and own exceptions',
    provides: 'Provide reusable workflows and runners',
    decides: 'Define required controls',
  },
  {
    id: 'dependency-security',
    title: 'Dependency security',
    acts: 'Upgrade and test packages',
    provides: 'Provide bots, caches, and mirrors',
    decides: 'Set severity policy',
  },
  {
    id: 'cloud-iac-policy',
    title: 'Cloud/IaC policy',
    acts: 'Own service-level IaC',
    provides: 'Maintain policy-as-code and landing zones',
    decides: 'Approve risky exceptions',
  },
  {
    id: 'incident-response',
    title: 'Incident response',
    acts: 'Triage service impact',
    provides: 'Support infrastructure recovery',
    decides: 'Coordinate severity, evidence, and disclosure',
  },
  {
    id: 'compliance-evidence',
    title: 'Compliance evidence',
    acts: 'Provide service records',
    provides: 'Automate control exports',
    decides: 'Maintain control map and audit package',
  },
];

/** @public */
export const CAPABILITY_IDS = CAPABILITIES.map(c => c.id) as readonly CapabilityId[];

/** The catalog groups that play the platform and security/compliance roles (configuration). @public */
export interface ResponsibilityGroups {
  platformTeam?: string;
  securityOwner?: string;
}

/**
 * Who acts, provides and decides for one control or criterion of one entity: full catalog
 * entity refs, absent when nobody is named (an unowned entity, a role not configured).
 * @public
 */
export interface Responsibility {
  capability: CapabilityId;
  /** The product team: the entity's catalog owner. */
  acts?: string;
  /** The platform team. */
  provides?: string;
  /** The security/compliance owner. */
  decides?: string;
}

/** The capability's row of the model. @public */
export function capabilityOf(id: CapabilityId): Capability {
  return CAPABILITIES.find(c => c.id === id)!;
}

/** Who acts, provides and decides for a capability of an entity with this owner. @public */
export function responsibilityFor(
  capability: CapabilityId,
  ownerRef: string | undefined,
  groups: ResponsibilityGroups,
): Responsibility {
  return {
    capability,
    ...(ownerRef ? { acts: ownerRef } : {}),
    ...(groups.platformTeam ? { provides: groups.platformTeam } : {}),
    ...(groups.securityOwner ? { decides: groups.securityOwner } : {}),
  };
}

/** A control or criterion in the org-wide matrix. @public */
export interface ResponsibilityItem {
  kind: 'control' | 'criterion';
  id: string;
  title: string;
  /** The pipeline stage of a control, the maturity stage (1–4) of a criterion. */
  stage: string | number;
}

/** `GET /v1/responsibility`: the whole matrix, with the configured groups. @public */
export interface ResponsibilityMatrix {
  /** The configured groups; the product team is each entity's owner. */
  groups: ResponsibilityGroups;
  capabilities: Array<Capability & { items: ResponsibilityItem[] }>;
}
