/**
 * Portfolio search (issue 20): spread into `paths` of schema/openapi.ts; the two parameters are
 * also on GET /v1/findings.
 */

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

export const vulnerabilityIdParam = {
  name: 'vulnerabilityId',
  in: 'query',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z][A-Za-z0-9.:-]{1,127}$' },
  description: 'A CVE, GHSA or other advisory id: findings whose vulnerability id, rule id or one of whose aliases it is',
} as const;

export const packageParam = {
  name: 'package',
  in: 'query',
  allowReserved: true,
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 512 },
  description:
    'A package by name (log4j-core) or purl without version (pkg:maven/org.apache.logging.log4j/log4j-core), optionally @ a version or comparators: log4j-core@<2.17.0, pkg:npm/lodash@>=4.0.0,<4.17.21',
} as const;

export const portfolioPaths = {
  '/v1/components': {
    get: {
      operationId: 'searchComponents',
      description:
        "Which entities' stored SBOMs contain a package (name or purl, optionally a version range): each match with its entity, the owner recorded with the SBOM, the artifact digest and the environments that artifact is deployed to now (the newest successful deployment per environment). Read scope: devsecops.entity.read (only the entities the caller reads).",
      parameters: [
        { ...packageParam, description: `${packageParam.description}. Required unless purl or name is given.` },
        {
          name: 'purl',
          in: 'query',
          allowReserved: true,
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 512 },
          description: 'A purl without version (as package=, for clients that name the field)',
        },
        {
          name: 'name',
          in: 'query',
          allowReserved: true,
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 255 },
          description: 'A package name (as package=)',
        },
        {
          name: 'version',
          in: 'query',
          allowReserved: true,
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 128 },
          description: 'A version or comparators, with purl or name: <2.17.0, >=2.0.0,<2.17.0',
        },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'string', pattern: '^[0-9]{1,4}$' },
          description: 'Page size, 1–500 (default 50)',
        },
        {
          name: 'offset',
          in: 'query',
          required: false,
          schema: { type: 'string', pattern: '^[0-9]{1,9}$' },
        },
      ],
      responses: {
        '200': { description: 'A page of matching components', content: { 'application/json': { schema: {} } } },
        '400': errorResponse,
        '401': errorResponse,
        '403': errorResponse,
      },
    },
  },
} as const;
