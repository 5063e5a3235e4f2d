/**
 * The HTTP contract of the devsecops backend. Requests are validated against it by
 * `@backstage/backend-openapi-utils` (unknown query parameters, wrong types and missing fields get
 * a 400 naming the problem); it is served at `/openapi.json`.
 */
import { campaignPaths } from './paths/campaigns';
import { digestPaths } from './paths/digests';
import { feedPaths } from './paths/feeds';
import { packageParam, portfolioPaths, vulnerabilityIdParam } from './paths/portfolio';
import { exceptionActionPaths } from './paths/exceptionActions';
import { reviewPaths } from './paths/reviews';
import { responsibilityPaths } from './paths/responsibility';
import { checklistPaths } from './paths/checklist';
import { ticketPaths } from './paths/tickets';

const entityParams = [
  {
    name: 'entity',
    in: 'query',
    allowReserved: true,
    required: false,
    description:
      'Entity ref the evidence belongs to, e.g. component:default/payments-api (kind defaults to component)',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  {
    name: 'repository',
    in: 'query',
    allowReserved: true,
    required: false,
    description:
      'Repository (org/repo or its URL), resolved through the catalog github.com/project-slug annotation',
    schema: { type: 'string', minLength: 1, maxLength: 512 },
  },
] as const;

const paging = [
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
] as const;

const errorResponse = {
  description: 'Error',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  },
} as const;

/** Success bodies are described by the types in devsecops-common; any JSON here. */
const ok = (description: string) =>
  ({
    description,
    content: { 'application/json': { schema: {} } },
  } as const);

const text = (max: number) =>
  ({ type: 'string', minLength: 1, maxLength: max } as const);

/**
 * A UUID as the id columns store it. The `uuid` format alone also admits `urn:uuid:…`, which
 * PostgreSQL's uuid type refuses (a 500 where a 400 belongs).
 */
const uuid = {
  type: 'string',
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
} as const;

/** An environment name as deployments and release policies use it: production, staging, … */
const environmentParam = {
  name: 'environment',
  in: 'query',
  required: false,
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
} as const;

const historyDays = {
  name: 'days',
  in: 'query',
  required: false,
  schema: { type: 'string', pattern: '^[0-9]{1,4}$' },
  description: 'How many days back (default 90, at most 730)',
} as const;

const rollupScopeParams = [
  { name: 'group', in: 'query', allowReserved: true, required: false, schema: text(255) },
  { name: 'system', in: 'query', allowReserved: true, required: false, schema: text(255) },
  { name: 'domain', in: 'query', allowReserved: true, required: false, schema: text(255) },
  {
    name: 'lifecycle',
    in: 'query',
    required: false,
    schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
    description: 'Only entities in this catalog lifecycle, e.g. production',
  },
] as const;

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'devsecops',
    version: '1',
    description:
      'DevSecOps scorecard: ingest scanner reports, deployments and control facts keyed to catalog entities. ' +
      'No text may contain NUL (U+0000): a query parameter or JSON field with one is a 400 naming where ' +
      '(request/query/<name>, request/body/<path>), before any other validation; in a report, NUL becomes U+FFFD.',
  },
  servers: [{ url: '/' }],
  components: {
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              message: { type: 'string' },
            },
            required: ['name', 'message'],
          },
          response: {
            type: 'object',
            properties: { statusCode: { type: 'integer' } },
          },
        },
        required: ['error'],
      },
      DeploymentInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: text(255),
          repository: text(512),
          environment: {
            type: 'string',
            pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
            description: 'e.g. production, staging',
          },
          artifactDigest: text(160),
          sourceCommit: text(64),
          deployer: text(255),
          approver: text(255),
          changeRef: text(512),
          result: {
            type: 'string',
            enum: ['succeeded', 'failed', 'rolled_back'],
          },
          deployedAt: { type: 'string', format: 'date-time' },
          claimedOwner: text(255),
        },
        required: ['environment', 'artifactDigest', 'deployer'],
      },
      GateDecisionInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: text(255),
          repository: text(512),
          artifactDigest: text(160),
          environment: {
            type: 'string',
            pattern: '^[a-z0-9][a-z0-9_-]{0,63}$',
          },
          claimedOwner: text(255),
        },
        required: ['artifactDigest', 'environment'],
      },
      ExceptionRequestInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: text(255),
          repository: text(512),
          scope: {
            type: 'object',
            additionalProperties: false,
            properties: {
              control: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
              ruleId: text(255),
              vulnerabilityId: text(128),
              fingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$' },
              artifactDigest: text(160),
            },
            required: ['control'],
          },
          riskStatement: { type: 'string', minLength: 10, maxLength: 4000 },
          riskRating: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
          compensatingControls: { type: 'string', maxLength: 4000 },
          riskOwner: text(255),
          expiresAt: { type: 'string', format: 'date-time' },
        },
        required: ['scope', 'riskStatement', 'riskRating', 'riskOwner', 'expiresAt'],
      },
      ExceptionDecisionInput: {
        type: 'object',
        additionalProperties: false,
        properties: { reason: { type: 'string', minLength: 3, maxLength: 4000 } },
        required: ['reason'],
      },
      ExceptionRenewInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          expiresAt: { type: 'string', format: 'date-time' },
          riskStatement: { type: 'string', minLength: 10, maxLength: 4000 },
          riskRating: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
          compensatingControls: { type: 'string', maxLength: 4000 },
          riskOwner: text(255),
        },
        required: ['expiresAt'],
      },
      RuntimeSignalInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: text(255),
          repository: text(512),
          kind: {
            type: 'string',
            enum: ['audit-log-alert', 'vulnerability-alert', 'incident', 'suspicious-control-plane-action', 'heartbeat'],
            description:
              'heartbeat: the runtime source is on for the entity and the controls in monitors (no severity, summary or timeline; detectedAt defaults to now). Every other kind needs severity, summary and detectedAt.',
          },
          monitors: {
            type: 'array',
            minItems: 1,
            maxItems: 3,
            items: { type: 'string', enum: ['cloud-audit-logs', 'workload-telemetry', 'vulnerability-monitoring'] },
            description: 'kind heartbeat only: the runtime controls this source evidences',
          },

          severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low', 'info'] },
          summary: text(4000),
          detectedAt: { type: 'string', format: 'date-time' },
          containedAt: { type: 'string', format: 'date-time' },
          remediatedAt: { type: 'string', format: 'date-time' },
          source: text(255),
        },
        required: ['kind', 'source'],
      },
      RuntimeSignalTimelineInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          containedAt: { type: 'string', format: 'date-time' },
          remediatedAt: { type: 'string', format: 'date-time' },
        },
      },
      ExerciseInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          scenario: {
            type: 'string',
            enum: ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse'],
          },
          heldOn: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' },
          scopeRef: {
            ...text(255),
            description: 'The entity or group the exercise was held for (kind defaults to group)',
          },
          participants: { type: 'array', minItems: 1, maxItems: 200, items: text(255) },
          findings: {
            type: 'array',
            maxItems: 200,
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { title: text(1000), recurring: { type: 'boolean' } },
              required: ['title'],
            },
          },
          followUps: {
            type: 'array',
            maxItems: 200,
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                action: text(2000),
                owner: text(255),
                due: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
                done: { type: 'boolean' },
              },
              required: ['action', 'owner', 'due'],
            },
          },
        },
        required: ['scenario', 'heldOn', 'scopeRef', 'participants'],
      },
      HumanAttestationInput: {
        type: 'object',
        additionalProperties: false,
        description:
          'A named human attestation; which of the optional fields are required depends on kind (control-failure-review: attendees, notesUrl, failuresReviewed or failures; template-feedback: template, findings, changeUrl; threat-model-review: url, reviewer, highRiskChangesFlagged; ci-log-redaction: ciSystem, verification, url)',
        properties: {
          kind: { type: 'string', enum: ['control-failure-review', 'template-feedback', 'threat-model-review', 'ci-log-redaction'] },
          scopeRef: { ...text(255), description: 'The entity or group it is made for (kind defaults to group)' },
          date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD: the day of the review or change' },
          expiresAt: { type: 'string', format: 'date-time', description: 'Default: the date plus the kind\'s validity (devsecops.humanAttestations.validityDays), also the latest allowed' },
          attendees: { type: 'array', minItems: 1, maxItems: 200, items: text(255), description: 'User refs' },
          notesUrl: text(2000),
          failuresReviewed: { type: 'integer', minimum: 0, maximum: 100000 },
          failures: { type: 'array', maxItems: 1000, items: text(500) },
          template: { ...text(2000), description: 'The platform template: an entity ref or a URL' },
          findings: { type: 'array', minItems: 1, maxItems: 1000, items: text(500), description: 'Finding ids or rule ids fed back' },
          changeUrl: text(2000),
          url: { ...text(2000), description: 'The threat model (threat-model-review); the log, run or review showing the redaction (ci-log-redaction)' },
          reviewer: { ...text(255), description: 'A user ref' },
          highRiskChangesFlagged: { type: 'boolean' },
          ciSystem: { ...text(100), description: 'The CI system checked, e.g. GitHub Actions' },
          verification: { ...text(1000), description: 'How the redaction was verified' },
        },
        required: ['kind', 'scopeRef', 'date'],
      },
      FactsInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: text(255),
          repository: text(512),
          facts: {
            type: 'array',
            minItems: 1,
            maxItems: 200,
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                fact: {
                  type: 'string',
                  pattern: '^[a-z][a-z0-9_.-]{0,127}$',
                  description:
                    'e.g. branch_protection.required_reviews, secret_scanning.enabled',
                },
                value: {
                  description: 'Any JSON value (boolean, number, string, object)',
                },
                source: text(255),
                observedAt: { type: 'string', format: 'date-time' },
              },
              required: ['fact', 'value', 'source'],
            },
          },
        },
        required: ['facts'],
      },
    },
  },
  paths: {
    ...campaignPaths,
    ...digestPaths,
    ...feedPaths,
    ...portfolioPaths,
    ...exceptionActionPaths,
    ...reviewPaths,
    ...responsibilityPaths,
    ...checklistPaths,
    ...ticketPaths,
    '/health': {
      get: {
        operationId: 'getHealth',
        responses: { '200': ok('Healthy'), '503': errorResponse },
      },
    },
    '/controls': {
      get: {
        operationId: 'getControls',
        responses: { '200': ok('The pipeline control stack') },
      },
    },
    '/formats': {
      get: {
        operationId: 'listFormats',
        responses: { '200': ok('Accepted report formats') },
      },
    },
    '/v1/reports': {
      post: {
        operationId: 'uploadReport',
        description:
          'Upload one scanner report, SBOM or VEX document as the raw body (JSON, JSON lines, optionally gzip). The format is detected from the content unless named. A VEX document (openvex, or a standalone CycloneDX VEX) records its statements for the entity (and for the image its products name, or the artifact parameter): a not_affected statement with a justification suppresses the matching findings of every scanner (CVE or alias, package purl or name, version) until devsecops.vex.maxAgeDays after it was made; the newest statement per vulnerability and package wins.',
        parameters: [
          ...entityParams,
          {
            name: 'format',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
            description:
              'A format id of GET /formats: sarif, cyclonedx, spdx, openssf-scorecard, trivy, grype, osv-scanner, semgrep, checkov, kics, tfsec, gitleaks, trufflehog, openvex (and formats added by modules)',
          },
          {
            name: 'control',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
            description: 'Pipeline control the report evidences, when not the format default',
          },
          { name: 'commit', in: 'query', required: false, schema: text(64) },
          { name: 'branch', in: 'query', allowReserved: true, required: false, schema: text(255) },
          { name: 'artifact', in: 'query', allowReserved: true, required: false, schema: text(200) },
          {
            name: 'scannedAt',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: { type: 'string', format: 'date-time' },
            description:
              'When the scan ran, if earlier than the upload (at most 400 days ago); scans of a control must arrive in the order they ran',
          },
          {
            name: 'scanners',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}(,[a-z][a-z0-9-]{0,31}){0,15}$' },
            description:
              "The tool's own names of the scanners that ran, comma-separated (Trivy JSON and SARIF: vuln, misconfig, secret, license; Semgrep JSON: code, secrets, supply-chain): the report covers each one's control, so a clean report resolves that control's open findings for the entity, tool and artifact, and leaves every other control alone. Without it the report covers the controls it shows evidence of (Trivy writes no secret result for a clean secret scan: send scanners=secret). Not with control",
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: {} },
            'application/x-ndjson': { schema: {} },
            'application/jsonl': { schema: {} },
            'application/sarif+json': { schema: {} },
            'application/vnd.cyclonedx+json': { schema: {} },
            'application/spdx+json': { schema: {} },
            'application/octet-stream': { schema: {} },
            'application/gzip': { schema: {} },
            'text/plain': { schema: {} },
          },
        },
        responses: {
          '200': ok('A repeat of the newest report of its stream (entity, control, tool, artifact): nothing changed'),
          '201': ok('Report stored'),
          '400': errorResponse,
          '401': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
          '413': errorResponse,
          '415': errorResponse,
        },
      },
      get: {
        operationId: 'listReports',
        parameters: [
          ...entityParams,
          {
            name: 'control',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
          },
          { name: 'artifact', in: 'query', allowReserved: true, required: false, schema: text(200) },
          ...paging,
        ],
        responses: { '200': ok('A page of reports'), '400': errorResponse },
      },
    },
    '/v1/attestations': {
      post: {
        operationId: 'uploadAttestation',
        description:
          'Upload a Sigstore bundle, DSSE envelope or in-toto/SLSA attestation; it is verified offline against the configured trusted root, identities and keys, and the result is recorded per subject digest',
        parameters: [
          ...entityParams,
          { name: 'artifact', in: 'query', allowReserved: true, required: false, schema: text(200) },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: {} },
            'application/x-ndjson': { schema: {} },
            'application/jsonl': { schema: {} },
            'application/octet-stream': { schema: {} },
            'application/gzip': { schema: {} },
          },
        },
        responses: { '201': ok('One verification result per bundle'), '400': errorResponse, '404': errorResponse, '413': errorResponse, '415': errorResponse },
      },
    },
    '/v1/reports/{id}': {
      get: {
        operationId: 'getReport',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: uuid },
        ],
        responses: { '200': ok('The report'), '404': errorResponse },
      },
    },
    '/v1/reports/{id}/body': {
      get: {
        operationId: 'getReportBody',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: uuid },
        ],
        responses: {
          '200': ok('The kept body (secret fields redacted), gzip-encoded'),
          '404': errorResponse,
        },
      },
    },
    '/v1/findings': {
      get: {
        operationId: 'listFindings',
        parameters: [
          ...entityParams,
          {
            name: 'owner',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: text(255),
            description: 'Owning group ref, e.g. group:default/team-payments',
          },
          {
            name: 'control',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}(,[a-z][a-z0-9-]{0,63})*$' },
          },
          {
            name: 'severity',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              pattern: '^(critical|high|medium|low|info)(,(critical|high|medium|low|info))*$',
            },
          },
          {
            name: 'status',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: {
              type: 'string',
              pattern: '^(open|resolved|suppressed)(,(open|resolved|suppressed))*$',
            },
          },
          { name: 'tool', in: 'query', allowReserved: true, required: false, schema: text(255) },
          vulnerabilityIdParam,
          packageParam,
          {
            name: 'orderBy',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['severity', 'exploitability', 'firstSeenAt', 'lastSeenAt', 'ruleId', 'control'],
            },
          },
          {
            name: 'order',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['asc', 'desc'] },
          },
          ...paging,
        ],
        responses: {
          '200': ok(
            'A page of findings. A finding a VEX statement applies to carries vex: { status, suppresses, justification, impactStatement, actionStatement, statedAt, recordedAt, expiresAt, documentId, author, reportId } (the newest statement about its vulnerability in its package; suppresses: not_affected, justified and unexpired, so the scorecard and the release gate do not count it, since recordedAt)',
          ),
          '400': errorResponse,
        },
      },
    },
    '/v1/deployments': {
      post: {
        operationId: 'recordDeployment',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/DeploymentInput' },
            },
          },
        },
        responses: {
          '200': ok('Already recorded'),
          '201': ok('Recorded'),
          '400': errorResponse,
          '404': errorResponse,
        },
      },
      get: {
        operationId: 'listDeployments',
        parameters: [
          ...entityParams,
          environmentParam,
          ...paging,
        ],
        responses: { '200': ok('A page of deployments') },
      },
    },
    '/v1/facts': {
      post: {
        operationId: 'recordFacts',
        description:
          'Records observed control facts. A fact that stands for a cryptographic check (artifact_signature) is refused with a 400 naming POST /v1/attestations, the only way to record it (after verification); nothing of such a request is kept.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/FactsInput' },
            },
          },
        },
        responses: { '201': ok('Recorded'), '400': errorResponse, '404': errorResponse },
      },
      get: {
        operationId: 'listFacts',
        parameters: [...entityParams],
        responses: { '200': ok('Current facts of the entity') },
      },
    },
    '/v1/scorecards': {
      get: {
        operationId: 'getScorecard',
        description: 'Controls, maturity stage with next steps, metrics and latest gate decisions of one entity',
        parameters: [...entityParams],
        responses: { '200': ok('The scorecard'), '400': errorResponse, '404': errorResponse },
      },
    },
    '/v1/scorecards/history': {
      get: {
        operationId: 'getScorecardHistory',
        parameters: [
          ...entityParams,
          historyDays,
        ],
        responses: { '200': ok('Daily snapshots, oldest first'), '400': errorResponse, '404': errorResponse },
      },
    },
    '/v1/scorecards/snapshots': {
      post: {
        operationId: 'writeSnapshot',
        description:
          'Writes the daily snapshot of an entity as it stood at a past time, for importing history: send each day\'s evidence (scannedAt, observedAt, deployedAt), then that day\'s snapshot. Refused once newer evidence exists.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  entityRef: text(255),
                  repository: text(512),
                  at: { type: 'string', format: 'date-time' },
                },
                required: ['at'],
              },
            },
          },
        },
        responses: {
          '201': ok('The snapshot written'),
          '400': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/v1/rollups': {
      get: {
        operationId: 'getRollup',
        description: 'Stage distribution, control adoption, gate pass rate and metrics of a group (recursively), a system, a domain, or the whole org; optionally only one lifecycle',
        parameters: [
          ...rollupScopeParams,
          {
            name: 'entitiesLimit',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[0-9]{1,3}$' },
            description: 'Entities listed, 0–500 (0: aggregates and team rows only); absent: every entity in scope',
          },
          {
            name: 'entitiesCursor',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,700}$' },
            description: "The previous page's entitiesPage.nextCursor",
          },
        ],
        responses: { '200': ok('The roll-up'), '400': errorResponse, '404': errorResponse },
      },
    },
    '/v1/rollups/history': {
      get: {
        operationId: 'getRollupHistory',
        description: 'The roll-up of each day with snapshots, oldest first',
        parameters: [
          ...rollupScopeParams,
          historyDays,
        ],
        responses: { '200': ok('Daily roll-ups, oldest first'), '400': errorResponse, '404': errorResponse },
      },
    },
    '/v1/gate/decisions': {
      post: {
        operationId: 'decideRelease',
        description: 'May this artifact be deployed to this environment? Evaluates the environment policy and stores the decision.',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/GateDecisionInput' } },
          },
        },
        responses: {
          '200': ok('The decision: allow or deny, with one reason per requirement'),
          '400': errorResponse,
          '404': errorResponse,
        },
      },
      get: {
        operationId: 'listGateDecisions',
        parameters: [
          ...entityParams,
          environmentParam,
          ...paging,
        ],
        responses: { '200': ok('A page of decisions') },
      },
    },
    '/v1/exceptions': {
      post: {
        operationId: 'requestException',
        description: 'Request an exception for a failing control or finding of an entity; a named risk owner decides',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ExceptionRequestInput' } } },
        },
        responses: { '201': ok('The requested exception'), '400': errorResponse, '403': errorResponse, '404': errorResponse },
      },
      get: {
        operationId: 'listExceptions',
        parameters: [
          ...entityParams,
          {
            name: 'riskOwner',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: text(255),
            description: '`me`: exceptions the caller (or a group of theirs) decides; or a user/group ref',
          },
          {
            name: 'requester',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: text(255),
            description: '`me`: exceptions the caller requested; or a user ref',
          },
          {
            name: 'owner',
            in: 'query',
            allowReserved: true,
            required: false,
            schema: text(255),
            description: 'The owning team of the entity when requested, e.g. group:default/team-payments',
          },
          {
            name: 'riskRating',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
          },
          {
            name: 'order',
            in: 'query',
            required: false,
            description: 'By expiry: asc (soonest first, the default) or desc',
            schema: { type: 'string', enum: ['asc', 'desc'] },
          },
          {
            name: 'status',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^(requested|approved|rejected|revoked|expired)(,(requested|approved|rejected|revoked|expired))*$' },
          },
          {
            name: 'expiringWithinDays',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[0-9]{1,3}$' },
          },
          ...paging,
        ],
        responses: { '200': ok('A page of exceptions by expiry (soonest first unless order=desc)'), '400': errorResponse },
      },
    },
    '/v1/exceptions/risk-owners': {
      get: {
        operationId: 'listEligibleRiskOwners',
        description:
          'Who the caller (a user) may name as risk owner of an exception on the entity: the users and groups devsecops.exceptions.riskOwners lists for the rating (and control) with the members of the listed groups, never the caller, their teams or the owning team unless configuration allows it; and the configured default',
        parameters: [
          ...entityParams,
          { name: 'riskRating', in: 'query', required: true, schema: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] } },
          { name: 'control', in: 'query', required: false, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' } },
        ],
        responses: {
          '200': ok('RiskOwnerEligibility: restricted, owners (ref, displayName, kind, memberOf), defaultOwner, excluded, expiry (maxDurationDays, latest)'),
          '400': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
        },
      },
    },
    '/v1/exceptions/{id}': {
      get: {
        operationId: 'getException',
        parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
        responses: { '200': ok('The exception with its history'), '404': errorResponse },
      },
    },
    '/v1/exceptions/{id}/approve': {
      post: {
        operationId: 'approveException',
        parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ExceptionDecisionInput' } } },
        },
        responses: {
          '200': ok('The exception after the change'),
          '400': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/v1/exceptions/{id}/reject': {
      post: {
        operationId: 'rejectException',
        parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ExceptionDecisionInput' } } },
        },
        responses: {
          '200': ok('The exception after the change'),
          '400': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/v1/exceptions/{id}/revoke': {
      post: {
        operationId: 'revokeException',
        parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ExceptionDecisionInput' } } },
        },
        responses: {
          '200': ok('The exception after the change'),
          '400': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/v1/exceptions/{id}/renew': {
      post: {
        operationId: 'renewException',
        parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ExceptionRenewInput' } } },
        },
        responses: {
          '200': ok('The exception after the change'),
          '400': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
        },
      },
    },
    '/v1/evidence/chain': {
      get: {
        operationId: 'getEvidenceChain',
        description:
          'Source commit → artifact → SBOM and scans → signature → approval and gate decision → runtime owner, for a deployment, an artifact digest or an entity\'s latest release, with gaps named',
        parameters: [
          ...entityParams,
          { name: 'deployment', in: 'query', required: false, schema: uuid },
          { name: 'artifact', in: 'query', allowReserved: true, required: false, schema: text(200) },
          environmentParam,
        ],
        responses: { '200': ok('The evidence chain'), '400': errorResponse, '404': errorResponse },
      },
    },
    '/v1/audit-packages': {
      get: {
        operationId: 'exportAuditPackage',
        description:
          'A zip for auditors: JSON and CSV of the recorded rows, the evidence-log segment with its head hash, a control map and a manifest with the sha256 of every file',
        parameters: [
          ...entityParams,
          { name: 'group', in: 'query', allowReserved: true, required: false, schema: text(255) },
          { name: 'org', in: 'query', required: false, schema: { type: 'string', enum: ['true'] } },
          { name: 'from', in: 'query', required: false, schema: text(40) },
          { name: 'to', in: 'query', required: false, schema: text(40) },
        ],
        responses: {
          '200': { description: 'application/zip', content: { 'application/zip': { schema: {} } } },
          '400': errorResponse,
          '404': errorResponse,
        },
      },
    },
    '/v1/evidence/verify': {
      get: {
        operationId: 'verifyEvidenceLog',
        description: 'Recomputes the hash chain of the evidence log and names the first broken record',
        responses: { '200': ok('{ ok, records, headSeq, headHash, firstBroken? }') },
      },
    },
    '/v1/evidence/log': {
      get: {
        operationId: 'listEvidenceLog',
        parameters: [
          ...entityParams,
          { name: 'subject', in: 'query', required: false, schema: text(255) },
          { name: 'fromSeq', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,15}$' } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9]{1,4}$' } },
        ],
        responses: { '200': ok('Evidence-log records in order'), '400': errorResponse },
      },
    },
    '/v1/runtime-signals': {
      post: {
        operationId: 'recordRuntimeSignal',
        description:
          'Record an audit-log alert, vulnerability-monitoring alert, incident or suspicious control-plane action of an entity, or a heartbeat of its runtime source (service token); docs/runtime-signals.md maps CloudTrail, GuardDuty and Falco',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/RuntimeSignalInput' } } },
        },
        responses: { '201': ok('Recorded'), '400': errorResponse, '404': errorResponse },
      },
      get: {
        operationId: 'listRuntimeSignals',
        parameters: [
          ...entityParams,
          { name: 'open', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
          ...paging,
        ],
        responses: { '200': ok('A page of runtime signals, newest detection first'), '400': errorResponse },
      },
    },
    '/v1/runtime-signals/{id}/timeline': {
      post: {
        operationId: 'updateRuntimeSignalTimeline',
        description:
          'Record when a runtime signal was contained and/or remediated (detected ≤ contained ≤ remediated, none in the future); users need devsecops.runtime.update on the signal\'s entity',
        parameters: [{ name: 'id', in: 'path', required: true, schema: uuid }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/RuntimeSignalTimelineInput' } } },
        },
        responses: { '200': ok('The signal after the change'), '400': errorResponse, '403': errorResponse, '404': errorResponse, '409': errorResponse },
      },
    },
    '/v1/exercises': {
      post: {
        operationId: 'recordExercise',
        description:
          'Record a tabletop exercise held for an entity or group (user token with devsecops.exercise.record on the scope)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ExerciseInput' } } },
        },
        responses: { '201': ok('Recorded'), '400': errorResponse, '403': errorResponse, '404': errorResponse },
      },
      get: {
        operationId: 'listExercises',
        parameters: [
          { name: 'scope', in: 'query', allowReserved: true, required: false, schema: text(255), description: 'Entity or group ref (kind defaults to group); absent: the whole org' },
          {
            name: 'scenario',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse'] },
          },
          ...paging,
        ],
        responses: { '200': ok('A page of exercises, newest first, with the recurring findings of all that match'), '400': errorResponse, '404': errorResponse },
      },
    },
    '/v1/human-attestations': {
      post: {
        operationId: 'recordHumanAttestation',
        description:
          'Record a named human attestation (user token only, with devsecops.attestation.<kind>.record on the scope)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/HumanAttestationInput' } } },
        },
        responses: { '201': ok('Recorded'), '400': errorResponse, '403': errorResponse, '404': errorResponse },
      },
      get: {
        operationId: 'listHumanAttestations',
        parameters: [
          ...entityParams,
          { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: ['control-failure-review', 'template-feedback', 'threat-model-review', 'ci-log-redaction'] } },
          ...paging,
        ],
        responses: {
          '200': ok('A page of the attestations made for the entity, its owner group or a group above it, newest first'),
          '400': errorResponse,
          '404': errorResponse,
        },
      },
    },
    '/v1/artifacts/{digest}': {
      get: {
        operationId: 'getArtifact',
        parameters: [
          { name: 'digest', in: 'path', required: true, schema: text(200) },
          ...entityParams,
        ],
        responses: {
          '200': ok('The artifact with its SBOM, scans and deployments'),
          '404': errorResponse,
        },
      },
    },
  },
} as const;
