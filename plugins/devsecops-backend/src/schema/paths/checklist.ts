/**
 * The DevSecOps checklist (issue 15 item 9): spread into `paths` of schema/openapi.ts.
 */

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

const ok = (description: string) =>
  ({ description, content: { 'application/json': { schema: {} } } } as const);

const query = (name: string, description: string, maxLength: number) =>
  ({ name, in: 'query', allowReserved: true, required: false, description, schema: { type: 'string', minLength: 1, maxLength } } as const);

export const checklistPaths = {
  '/v1/checklist': {
    get: {
      operationId: 'getChecklist',
      description:
        "The operating model's nine-item DevSecOps checklist (devsecops.read). With entity or repository: each item's state (met, unmet, not measured, not applicable), where it comes from (collected evidence, a person's attestation, what the portal enforces), the evidence read and how to make an unmeasured item measured. With group (or nothing: the org): each item counted over the services in scope (at most 200, by entity ref) and each service's states",
      parameters: [
        query('entity', 'Entity ref, e.g. component:default/payments-api (kind defaults to component)', 255),
        query('repository', 'Repository (org/repo or its URL), resolved through the catalog github.com/project-slug annotation', 512),
        query('group', 'Group ref (kind defaults to group), with the groups below it', 255),
      ],
      responses: {
        '200': ok("An entity's checklist, or a team's or the org's counts"),
        '400': errorResponse,
        '404': errorResponse,
      },
    },
  },
} as const;
