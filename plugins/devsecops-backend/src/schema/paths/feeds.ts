/**
 * Exploitability feeds (issue 20): spread into `paths` of schema/openapi.ts.
 */

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
} as const;

const ok = (description: string) =>
  ({ description, content: { 'application/json': { schema: {} } } } as const);

const rawBody = {
  required: true,
  content: {
    'application/json': { schema: {} },
    'text/csv': { schema: {} },
    'text/plain': { schema: {} },
    'application/gzip': { schema: {} },
    'application/octet-stream': { schema: {} },
  },
} as const;

const importResponses = {
  '200': ok('The feed was imported (changed: false when the stored feed had this exact body); the open findings were re-enriched'),
  '400': errorResponse,
  '401': errorResponse,
  '403': errorResponse,
  '413': errorResponse,
  '415': errorResponse,
} as const;

const who =
  'An org-wide service token (a plugin, or a static token not restricted by devsecops.ciIdentities) or a user the permission policy allows devsecops.feed.import (the example policy: security groups); CI tokens bound to entities are refused.';

export const feedPaths = {
  '/v1/feeds': {
    get: {
      operationId: 'listFeeds',
      description: 'The imported exploitability feeds: version, publication day, row count, source, who imported them and when.',
      responses: { '200': ok('The feeds'), '401': errorResponse, '403': errorResponse },
    },
  },
  '/v1/feeds/kev': {
    post: {
      operationId: 'importKevFeed',
      description: `Import the CISA Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json, optionally gzip) as the raw body. It replaces the stored catalog and re-enriches every open finding by CVE and alias. ${who}`,
      requestBody: rawBody,
      responses: importResponses,
    },
  },
  '/v1/feeds/epss': {
    post: {
      operationId: 'importEpssFeed',
      description: `Import FIRST EPSS scores (the published CSV, gzip or plain) as the raw body. It replaces the stored scores and re-enriches every open finding by CVE and alias. ${who}`,
      requestBody: rawBody,
      responses: importResponses,
    },
  },
  '/v1/feeds/osv': {
    post: {
      operationId: 'importOsvAdvisories',
      description: `Import an OSV advisory set (one OSV JSON advisory, a JSON array of them, or a zip of <id>.json files as osv.dev exports per ecosystem; optionally gzip) as the raw body. Each advisory is matched against the stored SBOM components (by ecosystem and package from the purl, and the advisory's SEMVER/ECOSYSTEM ranges and versions list) and every match opens a finding of tool osv-advisory-match (rule id = the advisory id, with its CVE, aliases and fixed versions) on the component's entity without a rescan: control container-scan for an artifact's SBOM, dependency-scan for a source SBOM. Importing the same advisory again does not duplicate; a withdrawn advisory, or one that no longer matches, resolves its findings. ${who}`,
      parameters: [
        {
          name: 'sboms',
          in: 'query',
          required: false,
          description: 'deployed (default): the SBOMs of artifacts that are the newest successful deployment of an environment; all: every stored SBOM, source SBOMs too',
          schema: { type: 'string', enum: ['deployed', 'all'] },
        },
      ],
      requestBody: { ...rawBody, content: { ...rawBody.content, 'application/zip': { schema: {} } } },
      responses: {
        ...importResponses,
        '200': ok('The advisories were matched: advisories, withdrawn, componentsMatched, findingsOpened, findingsResolved, entitiesChanged'),
      },
    },
  },
} as const;
