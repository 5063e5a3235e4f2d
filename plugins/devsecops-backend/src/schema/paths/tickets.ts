/**
 * Tickets as evidence (issue 19 item 5): spread into `paths` of schema/openapi.ts.
 */

import { errorResponse, ok } from './responses';

const ticketBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'status'],
        properties: {
          url: {
            type: 'string',
            minLength: 1,
            maxLength: 2048,
            description: 'The ticket: http(s), without credentials (no user:password@, no token in the query)',
          },
          ticketId: { type: 'string', minLength: 1, maxLength: 200, description: "The ticket system's id, e.g. SEC-142" },
          system: { type: 'string', minLength: 1, maxLength: 100, description: 'jira, github, servicenow, …' },
          status: { type: 'string', enum: ['open', 'closed'] },
          updatedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When the ticket last changed, as its system says (default now; not in the future)',
          },
        },
      },
    },
  },
} as const;

const linkResponses = {
  '200': ok('The linked ticket after the update (or unchanged: a repeat)'),
  '201': ok('The ticket, newly linked'),
  '400': errorResponse,
  '403': errorResponse,
  '404': errorResponse,
  '409': errorResponse,
} as const;

export const ticketPaths = {
  '/v1/findings/{id}/tickets': {
    post: {
      operationId: 'linkFindingTicket',
      description:
        "Links a remediation or rotation ticket to a finding, or updates the status of the one with the same URL; kept in the evidence log. Users need devsecops.ticket.link on the finding's entity (the example policy: its owning team, platform, security); a service token must be allowed to write the entity's evidence. A secret finding counts as rotated when its ticket is closed or the secret is gone from the latest scan, whichever is first. An update older than the stored one is a 409.",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{1,18}$' } }],
      requestBody: ticketBody,
      responses: linkResponses,
    },
  },
  '/v1/runtime-signals/{id}/tickets': {
    post: {
      operationId: 'linkRuntimeSignalTicket',
      description:
        "Links a remediation ticket to a runtime signal, or updates the status of the one with the same URL; kept in the evidence log. Authorization as for findings, on the signal's entity.",
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          schema: {
            type: 'string',
            pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
          },
        },
      ],
      requestBody: ticketBody,
      responses: linkResponses,
    },
  },
  '/v1/tickets': {
    get: {
      operationId: 'listTickets',
      description:
        'Tickets linked to the findings and runtime signals of an entity (or of one subject), newest change first, among the entities the caller may read (devsecops.entity.read)',
      parameters: [
        {
          name: 'entity',
          in: 'query',
          allowReserved: true,
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
        {
          name: 'repository',
          in: 'query',
          allowReserved: true,
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 512 },
        },
        { name: 'subjectKind', in: 'query', required: false, schema: { type: 'string', enum: ['finding', 'runtime-signal'] } },
        { name: 'subjectId', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 64 } },
      ],
      responses: { '200': ok('{ items: LinkedTicket[] }'), '400': errorResponse, '404': errorResponse },
    },
  },
} as const;
