/**
 * Control-failure reviews and recurring findings (issue 15 items 6 and 7): spread into `paths`
 * of schema/openapi.ts.
 */

import { errorResponse, ok } from './responses';

const group = {
  name: 'group',
  in: 'query',
  allowReserved: true,
  required: false,
  description: 'Group ref (kind defaults to group), with the groups below it; absent: the whole org',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
} as const;

const lifecycle = {
  name: 'lifecycle',
  in: 'query',
  required: false,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
  description: 'Only services in this catalog lifecycle, e.g. production',
} as const;

export const reviewPaths = {
  '/v1/control-failure-reviews/pending': {
    get: {
      operationId: 'getPendingControlFailureReview',
      description:
        "Every control failure (failing or excepted) of the scope's services since its previous control-failure review that no review has covered, from the daily snapshots and today's summaries (devsecops.read). Sign off with POST /v1/human-attestations, kind control-failure-review, scopeRef signOffScopeRef, failures: the keys",
      parameters: [group, lifecycle],
      responses: {
        '200': ok('The pending review: scope, sign-off scope, previous review, since, failures'),
        '400': errorResponse,
        '404': errorResponse,
      },
    },
  },
  '/v1/findings/recurring': {
    get: {
      operationId: 'listRecurringFindings',
      description:
        'Rules and vulnerabilities open in at least minServices services of the scope that the caller may read (devsecops.entity.read), with the base images, SBOM components and reusable workflows those services share',
      parameters: [
        group,
        lifecycle,
        {
          name: 'minServices',
          in: 'query',
          required: false,
          description: 'At least this many services (2–1000; default devsecops.reviews.recurringFindings.minServices, 3)',
          schema: { type: 'string', pattern: '^[0-9]{1,4}$' },
        },
      ],
      responses: { '200': ok('The recurring findings, most widespread first (at most 100)'), '400': errorResponse, '404': errorResponse },
    },
  },
} as const;
