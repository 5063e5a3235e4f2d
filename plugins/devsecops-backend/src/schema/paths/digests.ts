/**
 * The weekly digest (issue 19 item 3): spread into `paths` of schema/openapi.ts.
 */

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

export const digestPaths = {
  '/v1/digests/preview': {
    get: {
      operationId: 'getDigestPreview',
      description:
        "The weekly digest's content as the team (or, without group, the platform team and the security owner) receives it (devsecops.read): the week compared (the oldest daily snapshot of the last 7 days against today's summaries), controls and stages improved and regressed per service, approved exceptions expiring within 14 days, active campaigns with the scope's progress, overdue exercise follow-ups, whether the week was quiet, the counts as the notification's sentence (summary) and its link (the team's Security tab or the org overview). The digest itself is a Backstage notification, topic devsecops-digest, sent by the weekly job (devsecops.schedules.weeklyDigest)",
      parameters: [
        {
          name: 'group',
          in: 'query',
          allowReserved: true,
          required: false,
          description: 'Group ref (kind defaults to group), with the groups below it; absent: the organisation',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      ],
      responses: {
        '200': { description: 'The digest', content: { 'application/json': { schema: {} } } },
        '400': errorResponse,
      },
    },
  },
} as const;
