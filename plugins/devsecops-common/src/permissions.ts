import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the scorecard, findings and evidence of entities.
 * @public
 */
export const devsecopsReadPermission = createPermission({
  name: 'devsecops.read',
  attributes: { action: 'read' },
});

/** The resource type of exceptions, for conditional permission decisions. @public */
export const DEVSECOPS_EXCEPTION_RESOURCE_TYPE = 'devsecops-exception';

/**
 * The resource type of catalog entities (components, systems, resources, APIs, and the groups an
 * exercise is held for) as the devsecops plugin sees them: the entity ref with its owner and the
 * owner group's ancestry and descendants. The resource ref is the entity ref
 * (`component:default/payments-api`, `group:default/acme`).
 * @public
 */
export const DEVSECOPS_ENTITY_RESOURCE_TYPE = 'devsecops-entity';

/**
 * Request an exception (or its renewal) for an entity's failing control or finding. A resource
 * permission on the entity (`devsecops-entity`): a renewal is a request on the original
 * exception's entity.
 * @public
 */
export const devsecopsExceptionRequestPermission = createPermission({
  name: 'devsecops.exception.request',
  attributes: { action: 'create' },
  resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
});

/**
 * Record the containment or remediation of an entity's runtime signal
 * (`POST /v1/runtime-signals/{id}/timeline`); a resource permission on the signal's entity.
 * @public
 */
export const devsecopsRuntimeUpdatePermission = createPermission({
  name: 'devsecops.runtime.update',
  attributes: { action: 'update' },
  resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
});

/**
 * Link a remediation or rotation ticket to a finding or runtime signal of an entity (and update
 * its status), on the entity. The example policy lets the owning team, platform and security.
 * @public
 */
export const devsecopsTicketLinkPermission = createPermission({
  name: 'devsecops.ticket.link',
  attributes: { action: 'update' },
  resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
});

/**
 * Record a tabletop exercise (`POST /v1/exercises`); a resource permission on the exercise's
 * scope: the group it was held for (the group itself is its owner) or the entity.
 * @public
 */
export const devsecopsExerciseRecordPermission = createPermission({
  name: 'devsecops.exercise.record',
  attributes: { action: 'create' },
  resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
});

/**
 * Record a named human attestation (`POST /v1/human-attestations`): one resource permission per
 * kind on the attestation's scope (the group or the entity), so a policy can follow the
 * responsibility model — a control-failure review by the owning team or security/compliance,
 * template feedback by the platform team, a threat-model review by the owners or security, CI logs
 * verified to redact secrets by the platform team (it provides the workflows and runners).
 * @public
 */
export const devsecopsHumanAttestationPermissions = {
  'control-failure-review': createPermission({
    name: 'devsecops.attestation.control-failure-review.record',
    attributes: { action: 'create' },
    resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
  }),
  'template-feedback': createPermission({
    name: 'devsecops.attestation.template-feedback.record',
    attributes: { action: 'create' },
    resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
  }),
  'threat-model-review': createPermission({
    name: 'devsecops.attestation.threat-model-review.record',
    attributes: { action: 'create' },
    resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
  }),
  'ci-log-redaction': createPermission({
    name: 'devsecops.attestation.ci-log-redaction.record',
    attributes: { action: 'create' },
    resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
  }),
};

/**
 * Read an entity's detailed evidence: its findings, reports and their bodies, artifacts,
 * deployments, gate decisions, runtime signals, facts, evidence-log records, evidence chains and
 * audit packages (its exceptions need `devsecops.exception.read`). A resource
 * permission on the entity (`devsecops-entity`); a conditional decision (IS_ENTITY_OWNER) is
 * applied in the queries, so lists hide other teams' rows and single reads answer 404.
 * Scorecards, roll-ups and their histories stay under `devsecops.read`. Services always read.
 * @public
 */
export const devsecopsEntityReadPermission = createPermission({
  name: 'devsecops.entity.read',
  attributes: { action: 'read' },
  resourceType: DEVSECOPS_ENTITY_RESOURCE_TYPE,
});

/**
 * Read exceptions: a resource permission on the exception (IS_RISK_OWNER, IS_ENTITY_OWNER on the
 * exception's owner at request time), applied in the queries of GET /v1/exceptions and
 * GET /v1/exceptions/{id} (404 for an exception the caller may not read).
 * @public
 */
export const devsecopsExceptionReadPermission = createPermission({
  name: 'devsecops.exception.read',
  attributes: { action: 'read' },
  resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
});

/**
 * Approve or reject a requested exception. On top of this permission, only the named risk owner
 * (or a member of the named group) may decide, and never the requester.
 * @public
 */
export const devsecopsExceptionDecidePermission = createPermission({
  name: 'devsecops.exception.decide',
  attributes: { action: 'update' },
  resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
});

/**
 * Revoke an approved exception before it expires.
 * @public
 */
export const devsecopsExceptionRevokePermission = createPermission({
  name: 'devsecops.exception.revoke',
  attributes: { action: 'delete' },
  resourceType: DEVSECOPS_EXCEPTION_RESOURCE_TYPE,
});

/**
 * Create a campaign (`POST /v1/campaigns`): a goal over a scope of services with a target date.
 * A basic permission: the example policy grants it to the platform and security groups.
 * @public
 */
export const devsecopsCampaignManagePermission = createPermission({
  name: 'devsecops.campaign.manage',
  attributes: { action: 'create' },
});

/**
 * Import an exploitability feed (`POST /v1/feeds/kev`, `POST /v1/feeds/epss`) or an OSV advisory set
 * (`POST /v1/feeds/osv`, which opens findings from advisory match): org-wide data that changes every
 * entity's findings. A basic permission for users: the example policy grants it to
 * the security groups. Services import with an org-wide token (never a CI token bound to entities).
 * @public
 */
export const devsecopsFeedImportPermission = createPermission({
  name: 'devsecops.feed.import',
  attributes: { action: 'update' },
});

/** @public */
export const devsecopsPermissions = [
  devsecopsReadPermission,
  devsecopsEntityReadPermission,
  devsecopsExceptionRequestPermission,
  devsecopsExceptionReadPermission,
  devsecopsExceptionDecidePermission,
  devsecopsExceptionRevokePermission,
  devsecopsRuntimeUpdatePermission,
  devsecopsTicketLinkPermission,
  devsecopsExerciseRecordPermission,
  ...Object.values(devsecopsHumanAttestationPermissions),
  devsecopsFeedImportPermission,
  devsecopsCampaignManagePermission,
];
