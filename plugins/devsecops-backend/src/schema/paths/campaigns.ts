/**
 * Campaigns (issue 19): spread into `paths` of schema/openapi.ts.
 */

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

const ok = (description: string) =>
  ({ description, content: { 'application/json': { schema: {} } } } as const);

const name = { type: 'string', minLength: 1, maxLength: 255 } as const;
const day = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' } as const;

const campaignBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    goal: {
      type: 'object',
      description: '{ type: stage, stage: N } (reach maturity stage N) or { type: controls, controls: [ids] } (every listed control passing)',
      properties: {
        type: { type: 'string', enum: ['stage', 'controls'] },
        stage: { type: 'integer', minimum: 1, maximum: 20 },
        controls: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
        },
      },
      required: ['type'],
      additionalProperties: false,
    },
    scope: {
      type: 'object',
      description: 'The roll-up filters (one of group — with the groups below —, system or domain; lifecycle) and a catalog tag; empty: every counted entity',
      additionalProperties: false,
      properties: {
        group: name,
        system: name,
        domain: name,
        lifecycle: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
        tag: { type: 'string', pattern: '^[a-z0-9:+#.-]{1,63}$' },
      },
    },
    startDate: day,
    targetDate: day,
    ownerRef: name,
    reminderDaysBefore: {
      type: 'array',
      maxItems: 10,
      items: { type: 'integer', minimum: 0, maximum: 365 },
    },
  },
  required: ['title', 'goal', 'startDate', 'targetDate', 'ownerRef'],
} as const;

export const campaignPaths = {
  '/v1/campaigns': {
    post: {
      operationId: 'createCampaign',
      description:
        'Create a campaign: a goal over a scope of services with a start and a target date. Needs devsecops.campaign.manage (the example policy: platform and security groups); a user token only.',
      requestBody: { required: true, content: { 'application/json': { schema: campaignBody } } },
      responses: {
        '201': ok('The campaign created'),
        '400': errorResponse,
        '401': errorResponse,
        '403': errorResponse,
      },
    },
    get: {
      operationId: 'listCampaigns',
      description:
        'Campaigns (declared in configuration and created through the API) with their counts. With entity: those the service is in, with its progress; with group: those in which the group (or one below it) owns services, with its counts.',
      parameters: [
        { name: 'entity', in: 'query', allowReserved: true, required: false, schema: name },
        { name: 'group', in: 'query', allowReserved: true, required: false, schema: name },
      ],
      responses: { '200': ok('The campaigns'), '400': errorResponse, '403': errorResponse },
    },
  },
  '/v1/campaigns/{id}': {
    get: {
      operationId: 'getCampaign',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          schema: {
            type: 'string',
            format: 'uuid',
            pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
          },
          description: 'The campaign id (a declared campaign has a stable one, derived from its key)',
        },
        { name: 'limit', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,4}$' }, description: 'Services per page, 1–500 (default 50)' },
        { name: 'offset', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,9}$' } },
      ],
      responses: {
        '200': ok('The campaign with its progress: counts, teams, burn-up, a page of its services with the next step, the end report once past the target date'),
        '400': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
      },
    },
  },
} as const;
