/**
 * The exception page's and the exercise page's operations (issue 18): spread into `paths` of
 * schema/openapi.ts.
 */

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

const ok = (description: string) =>
  ({ description, content: { 'application/json': { schema: {} } } } as const);

const uuid = {
  type: 'string',
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
} as const;

export const exceptionActionPaths = {
  '/v1/exceptions/{id}/actions': {
    get: {
      operationId: 'getExceptionActions',
      description:
        'The actions the signed-in person may take on the exception (approve, reject, revoke, renew), each allowed or with the reason not: its state, separation of duties (the requester never decides; only the risk owner or its members do) and the permission policy — the same checks the actions make. 404 for an exception the caller may not read.',
      parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
      responses: {
        '200': ok('ExceptionViewerActions: exceptionId, actions (action, allowed, reason)'),
        '400': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
      },
    },
  },
  '/v1/exercises/{id}/follow-ups/{index}': {
    post: {
      operationId: 'setExerciseFollowUpDone',
      description:
        "Marks one follow-up of a tabletop exercise done (recording when and by whom) or not done again; a person's call, `devsecops.exercise.record` on the exercise's scope. Appended to the evidence log.",
      parameters: [
        { name: 'id', in: 'path', required: true, schema: uuid },
        {
          name: 'index',
          in: 'path',
          required: true,
          description: "The follow-up's position in the exercise's followUps, from 0",
          schema: { type: 'string', pattern: '^[0-9]{1,3}$' },
        },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              properties: { done: { type: 'boolean' } },
              required: ['done'],
            },
          },
        },
      },
      responses: {
        '200': ok('The exercise after the change'),
        '400': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
      },
    },
  },
} as const;
