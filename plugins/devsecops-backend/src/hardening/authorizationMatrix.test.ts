import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  recordingNotifications,
  testEntities,
} from '../__testUtils__/testBackend';
import {
  devsecopsEntityReadPermission,
  devsecopsExceptionReadPermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createDevsecopsEntityConditionalDecision,
  createDevsecopsExceptionConditionalDecision,
  devsecopsEntityConditions,
  DevsecopsEntityResource,
  devsecopsEntityRules,
  devsecopsExceptionConditions,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { devsecopsPlugin } from '../plugin';
import { readFixture } from '../__testUtils__/fixtures';
import { declaredCampaignId } from '../campaigns/campaignInput';
import { spec } from '../schema/openapi';

jest.setTimeout(180_000);

// SQLite is enough here: authorization does not depend on the database.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Who calls. Every write targets component:default/payments-api (team-payments, repository
 * acme/payments-api); reads read it.
 */
const PRINCIPALS = [
  'no token',
  'owner',
  'teammate',
  'other team',
  'platform',
  'security/risk owner',
  'guest',
  'CI token for the repository',
  'CI token for another repository',
  'static token',
  'static token of another entity',
] as const;
type Principal = (typeof PRINCIPALS)[number];

const service = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'devsecops',
  });
const HEADERS: Record<Principal, string | undefined> = {
  'no token': undefined,
  owner: mockCredentials.user.header('user:default/dana'),
  teammate: mockCredentials.user.header('user:default/tess'),
  'other team': mockCredentials.user.header('user:default/otto'),
  platform: mockCredentials.user.header('user:default/pia'),
  'security/risk owner': mockCredentials.user.header('user:default/rita'),
  guest: mockCredentials.user.header('user:default/guest'),
  // GitHub Actions OIDC tokens as Backstage's jwks handler yields them (verification: identity/ciIdentityApi.test.ts).
  'CI token for the repository': service(
    'external:github-actions:repo:acme/payments-api:ref:refs/heads/main',
  ),
  'CI token for another repository': service(
    'external:github-actions:repo:acme/checkout-web:ref:refs/heads/main',
  ),
  // Static externalAccess tokens: one unlisted (org-wide), one listed for checkout-web only.
  'static token': service('local-ci'),
  'static token of another entity': service('checkout-ci'),
};

const CONFIG = {
  devsecops: {
    ciIdentities: {
      oidc: [{ subjectPrefix: 'github-actions' }],
      static: [{ subject: 'checkout-ci', repositories: ['acme/checkout-web'] }],
    },
    // A campaign declared in configuration, for GET /v1/campaigns/{id}.
    campaigns: {
      declared: [
        {
          key: 'matrix-campaign',
          title: 'Matrix campaign',
          goal: { type: 'stage', stage: 1 },
          startDate: '2026-01-01',
          targetDate: '2027-12-31',
          ownerRef: 'group:default/platform-team',
        },
      ],
    },
  },
};

const person = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
});
const ENTITIES: Entity[] = [
  ...testEntities,
  person('tess', ['team-payments']),
  person('pia', ['platform-team']),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'platform-team', namespace: 'default' },
    spec: { type: 'team', parent: 'acme', children: [] },
  },
];

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      const user = ENTITIES.find(
        e => e.kind === 'User' && `user:default/${e.metadata.name}` === ref,
      );
      const groups = ((user?.spec?.memberOf as string[]) ?? []).map(
        g => `group:default/${g}`,
      );
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] };
    },
  }),
});

const DIGEST = `sha256:${'9'.repeat(64)}`;
const inDays = (d: number) =>
  new Date(Date.now() + d * 86_400_000).toISOString();
let serial = 0;
/** A new (never duplicate) Trivy image report of DIGEST. */
const trivy = () =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/payments-api:${++serial}`,
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/payments-api@${DIGEST}`] },
    Results: [
      {
        Target: `payments-api ${serial}`,
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: [],
      },
    ],
  });
const exceptionRequest = {
  entityRef: 'payments-api',
  scope: { control: 'sast' },
  riskStatement: 'Accepted for the matrix test only',
  riskRating: 'low',
  compensatingControls: 'none needed',
  riskOwner: 'group:default/security-compliance',
  expiresAt: inDays(10),
};

type Agent = ReturnType<typeof request>;
interface Fixtures {
  reportId: string;
  /** A fresh open runtime signal of payments-api. */
  signal(): Promise<string>;
  /** A fresh exception of the owner's, requested (for approve/reject) or approved (revoke/renew). */
  exception(state: 'requested' | 'approved'): Promise<string>;
  /** A fresh exercise of team-payments with one follow-up. */
  exercise(): Promise<string>;
  /** An open secret finding of payments-api (a real gitleaks report). */
  finding(): Promise<string>;
}
/** Sets the caller's Authorization header (or none). */
type As = (test: request.Test) => request.Test;
interface Row {
  /** Makes the fixtures it needs, then sends the request as the caller. */
  send(agent: Agent, fixtures: Fixtures, as: As): Promise<request.Response>;
  /** Status per principal when the policy allows everything (the service's own rules on top). */
  allow: Record<Principal, number>;
  /** Status per principal under the demo portal's policy, where it differs from `allow`. */
  demo?: Record<Principal, number>;
  /**
   * Status per principal under a policy that narrows detailed reads to the owning team and the
   * security group (devsecops.entity.read, devsecops.exception.read), where it differs from `allow`.
   */
  narrowed?: Record<Principal, number>;
  /** Status per principal when the policy denies every devsecops permission. */
  deny: Record<Principal, number>;
}

const everyone = (
  status: number,
  overrides: Partial<Record<Principal, number>> = {},
) =>
  Object.fromEntries(
    PRINCIPALS.map(p => [p, overrides[p] ?? status]),
  ) as Record<Principal, number>;
const USERS: Principal[] = [
  'owner',
  'teammate',
  'other team',
  'platform',
  'security/risk owner',
  'guest',
];
const users = (status: number) =>
  Object.fromEntries(USERS.map(u => [u, status])) as Partial<
    Record<Principal, number>
  >;
const SERVICES: Principal[] = [
  'CI token for the repository',
  'CI token for another repository',
  'static token',
  'static token of another entity',
];
const services = (status: number) =>
  Object.fromEntries(SERVICES.map(s => [s, status])) as Partial<
    Record<Principal, number>
  >;

/** A read: users need devsecops.read, services always read. */
const read = (
  path: string,
  ok = 200,
): Omit<Row, 'send'> & { path: string } => ({
  path,
  allow: everyone(ok, { 'no token': 401 }),
  deny: everyone(ok, { 'no token': 401, ...users(403) }),
});
/** Another team, the platform team and a guest do not see payments-api's detailed evidence: 404. */
const OWNERS_ONLY = everyone(200, {
  'no token': 401,
  'other team': 404,
  platform: 404,
  guest: 404,
});
const get = (path: string | ((f: Fixtures) => string)): Row => ({
  ...read(typeof path === 'string' ? path : ''),
  send: async (agent, f, as) =>
    as(agent.get(`/api/devsecops${typeof path === 'string' ? path : path(f)}`)),
});
/**
 * Evidence a pipeline writes: users are refused, a CI token only for its repository's entity, a
 * listed static token only for its entities; an unlisted static token writes org-wide.
 */
const pipeline = (ok: number, send: Row['send']): Row => {
  const statuses = everyone(403, {
    'no token': 401,
    'CI token for the repository': ok,
    'static token': ok,
  });
  return { send, allow: statuses, deny: statuses };
};

const MATRIX_KEV = {
  catalogVersion: '2026.12.04',
  dateReleased: '2026-12-04T15:01:22.4173Z',
  vulnerabilities: [{ cveID: 'CVE-2021-44228', dateAdded: '2021-12-10' }],
};
/** Feed imports: users with devsecops.feed.import, the unlisted (org-wide) static token. */
/** A real advisory (fixtures/osv-advisories): matched against whatever SBOMs the matrix stored. */
const MATRIX_OSV = JSON.parse(readFixture('osv-advisories/GHSA-jfh8-c2jp-5v3q.json').toString('utf8'));

const FEED_IMPORT: Omit<Row, 'send'> = {
  allow: everyone(403, { 'no token': 401, ...users(200), 'static token': 200 }),
  demo: everyone(403, { 'no token': 401, 'security/risk owner': 200, 'static token': 200 }),
  deny: everyone(403, { 'no token': 401, 'static token': 200 }),
};

/** A new ticket each time (a new URL), so every allowed link is a 201. */
const matrixTicket = () => ({ url: `https://jira.example.com/browse/SEC-${++serial}`, status: 'open' });
const TICKET_SERVICES = {
  'CI token for the repository': 201,
  'CI token for another repository': 403,
  'static token': 201,
  'static token of another entity': 403,
};
const TICKET_LINK: Omit<Row, 'send'> = {
  allow: everyone(201, { 'no token': 401, ...TICKET_SERVICES }),
  demo: everyone(201, { 'no token': 401, 'other team': 403, guest: 403, ...TICKET_SERVICES }),
  deny: everyone(403, { 'no token': 401, ...TICKET_SERVICES }),
};

/** Every operation of the OpenAPI document, and what each caller gets. */
const MATRIX: Record<string, Row> = {
  'GET /health': {
    send: async (a, _f, as) => as(a.get('/api/devsecops/health')),
    allow: everyone(200),
    deny: everyone(200),
  },
  'GET /controls': get('/controls'),
  'GET /formats': get('/formats'),
  'GET /v1/reports': get('/v1/reports?entity=payments-api'),
  'GET /v1/reports/{id}': {
    ...get(f => `/v1/reports/${f.reportId}`),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/reports/{id}/body': {
    ...get(f => `/v1/reports/${f.reportId}/body`),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/findings': get('/v1/findings?entity=payments-api'),
  'GET /v1/artifacts/{digest}': {
    ...get(`/v1/artifacts/${DIGEST}`),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/deployments': get('/v1/deployments?entity=payments-api'),
  'GET /v1/facts': {
    ...get('/v1/facts?entity=payments-api'),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/scorecards': get('/v1/scorecards?entity=payments-api'),
  'GET /v1/scorecards/history': get(
    '/v1/scorecards/history?entity=payments-api',
  ),
  'GET /v1/rollups': get('/v1/rollups'),
  'GET /v1/rollups/history': get('/v1/rollups/history'),
  'GET /v1/gate/decisions': get('/v1/gate/decisions?entity=payments-api'),
  'GET /v1/exceptions': get('/v1/exceptions?entity=payments-api'),
  // Computed for a requester: a service has none.
  'GET /v1/exceptions/risk-owners': {
    send: async (a, _f, as) =>
      as(
        a.get(
          '/api/devsecops/v1/exceptions/risk-owners?entity=payments-api&riskRating=low',
        ),
      ),
    allow: everyone(200, { 'no token': 401, ...services(400) }),
    deny: everyone(403, { 'no token': 401, ...services(400) }),
  },
  'GET /v1/exceptions/{id}': {
    ...read('/v1/exceptions/{id}'),
    narrowed: OWNERS_ONLY,
    send: async (a, f, as) =>
      as(
        a.get(`/api/devsecops/v1/exceptions/${await f.exception('requested')}`),
      ),
  },
  // Computed for a person (a service has no actions): 400; like the exception, 404 for those who may not read it.
  'GET /v1/exceptions/{id}/actions': {
    send: async (a, f, as) =>
      as(
        a.get(`/api/devsecops/v1/exceptions/${await f.exception('requested')}/actions`),
      ),
    allow: everyone(200, { 'no token': 401, ...services(400) }),
    narrowed: everyone(200, {
      'no token': 401,
      ...services(400),
      'other team': 404,
      platform: 404,
      guest: 404,
    }),
    deny: everyone(403, { 'no token': 401, ...services(400) }),
  },
  'GET /v1/evidence/chain': {
    ...get('/v1/evidence/chain?entity=payments-api&environment=staging'),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/audit-packages': {
    ...get('/v1/audit-packages?entity=payments-api'),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/evidence/verify': get('/v1/evidence/verify'),
  'GET /v1/evidence/log': get('/v1/evidence/log?entity=payments-api'),
  'GET /v1/runtime-signals': get('/v1/runtime-signals?entity=payments-api'),
  'GET /v1/exercises': get('/v1/exercises'),
  // Control states (devsecops.read), as roll-ups; a sign-off is POST /v1/human-attestations.
  'GET /v1/control-failure-reviews/pending': get('/v1/control-failure-reviews/pending?group=team-payments'),
  // Narrowed reads count only the services the caller reads (200 with fewer rows, never 404).
  'GET /v1/findings/recurring': get('/v1/findings/recurring?group=team-payments'),
  // The configured model, no entity data: like GET /controls.
  'GET /v1/responsibility': get('/v1/responsibility'),
  // Control states and facts, read like the scorecard (devsecops.read).
  'GET /v1/checklist': get('/v1/checklist?entity=payments-api'),
  'GET /v1/human-attestations': {
    ...get('/v1/human-attestations?entity=payments-api'),
    narrowed: OWNERS_ONLY,
  },
  'GET /v1/feeds': get('/v1/feeds'),
  // Portfolio search: narrowed reads list only the entities the caller reads (200 with fewer rows).
  'GET /v1/components': get('/v1/components?package=log4j-core'),
  // Campaigns are read like roll-ups (devsecops.read).
  'GET /v1/campaigns': get('/v1/campaigns?group=team-payments'),
  'GET /v1/campaigns/{id}': get(`/v1/campaigns/${declaredCampaignId('matrix-campaign')}`),
  // The weekly digest's content, read like roll-ups (devsecops.read).
  'GET /v1/digests/preview': get('/v1/digests/preview?group=team-payments'),

  'POST /v1/reports': pipeline(201, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/reports?entity=payments-api&format=trivy'))
      .set('Content-Type', 'application/json')
      .send(trivy()),
  ),
  // The entity is checked before the body: the empty document is a 400 only for those who may write.
  'POST /v1/attestations': pipeline(400, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/attestations?entity=payments-api'))
      .set('Content-Type', 'application/json')
      .send('{}'),
  ),
  'POST /v1/deployments': pipeline(201, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/deployments')).send({
      entityRef: 'payments-api',
      environment: 'staging',
      artifactDigest: DIGEST,
      deployer: 'ci',
      deployedAt: new Date(Date.now() - ++serial * 1000).toISOString(),
    }),
  ),
  'POST /v1/facts': pipeline(201, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/facts')).send({
      entityRef: 'payments-api',
      facts: [{ fact: 'pre_commit.enabled', value: true, source: 'matrix' }],
    }),
  ),
  'POST /v1/scorecards/snapshots': pipeline(201, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/scorecards/snapshots')).send({
      entityRef: 'payments-api',
      at: new Date().toISOString(),
    }),
  ),
  'POST /v1/gate/decisions': pipeline(200, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/gate/decisions')).send({
      entityRef: 'payments-api',
      artifactDigest: DIGEST,
      environment: 'production',
    }),
  ),
  'POST /v1/runtime-signals': pipeline(201, async (a, _f, as) =>
    as(a.post('/api/devsecops/v1/runtime-signals')).send({
      entityRef: 'payments-api',
      kind: 'incident',
      severity: 'high',
      summary: 'matrix',
      detectedAt: new Date(Date.now() - 60_000).toISOString(),
      source: 'matrix',
    }),
  ),

  // Exceptions come from people, never from pipelines; the named risk owner (the security group)
  // is never eligible for its own request (400).
  'POST /v1/exceptions': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/exceptions')).send(exceptionRequest),
    allow: everyone(403, {
      'no token': 401,
      ...users(201),
      'security/risk owner': 400,
    }),
    // devsecops.exception.request: the entity's owners.
    demo: everyone(403, { 'no token': 401, owner: 201, teammate: 201 }),
    deny: everyone(403, { 'no token': 401 }),
  },
  // Only the named risk owner group's members decide, never the requester (the owner).
  'POST /v1/exceptions/{id}/approve': {
    send: async (a, f, as) => {
      const id = await f.exception('requested');
      return as(a.post(`/api/devsecops/v1/exceptions/${id}/approve`)).send({
        reason: 'matrix',
      });
    },
    allow: everyone(403, { 'no token': 401, 'security/risk owner': 200 }),
    deny: everyone(403, { 'no token': 401 }),
  },
  'POST /v1/exceptions/{id}/reject': {
    send: async (a, f, as) => {
      const id = await f.exception('requested');
      return as(a.post(`/api/devsecops/v1/exceptions/${id}/reject`)).send({
        reason: 'matrix',
      });
    },
    allow: everyone(403, { 'no token': 401, 'security/risk owner': 200 }),
    deny: everyone(403, { 'no token': 401 }),
  },
  'POST /v1/exceptions/{id}/revoke': {
    send: async (a, f, as) => {
      const id = await f.exception('approved');
      return as(a.post(`/api/devsecops/v1/exceptions/${id}/revoke`)).send({
        reason: 'matrix',
      });
    },
    // The owning team or the risk owner.
    allow: everyone(403, {
      'no token': 401,
      owner: 200,
      teammate: 200,
      'security/risk owner': 200,
    }),
    deny: everyone(403, { 'no token': 401 }),
  },
  'POST /v1/exceptions/{id}/renew': {
    send: async (a, f, as) => {
      const id = await f.exception('approved');
      return as(a.post(`/api/devsecops/v1/exceptions/${id}/renew`)).send({
        riskStatement: 'Still accepted',
        riskRating: 'low',
        expiresAt: inDays(20),
      });
    },
    allow: everyone(403, {
      'no token': 401,
      ...users(201),
      'security/risk owner': 400,
    }),
    // A renewal is a request on the exception's entity: its owners.
    demo: everyone(403, { 'no token': 401, owner: 201, teammate: 201 }),
    deny: everyone(403, { 'no token': 401 }),
  },
  // Containment and remediation: responders (users) or tooling (services); devsecops.runtime.update
  // on the signal's entity. The mock's denial covers services too; the real permission client
  // allows service principals unless their access restrictions leave the permission out.
  'POST /v1/runtime-signals/{id}/timeline': {
    send: async (a, f, as) => {
      const id = await f.signal();
      return as(
        a.post(`/api/devsecops/v1/runtime-signals/${id}/timeline`),
      ).send({ containedAt: new Date().toISOString() });
    },
    allow: everyone(200, { 'no token': 401 }),
    // devsecops.runtime.update: the entity's owners, the platform team and the security group
    // (services, as everywhere in Backstage, are not subject to the policy).
    demo: everyone(200, { 'no token': 401, 'other team': 403, guest: 403 }),
    deny: everyone(403, { 'no token': 401 }),
  },
  // Exercises are recorded by the people who held them.
  'POST /v1/exercises': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/exercises')).send({
        scenario: 'leaked-secrets',
        heldOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
        scopeRef: 'group:default/team-payments',
        participants: ['user:default/dana'],
        findings: [],
        followUps: [],
      }),
    allow: everyone(403, { 'no token': 401, ...users(201) }),
    // devsecops.exercise.record: members of the scope group (or above it) and the security group.
    demo: everyone(403, {
      'no token': 401,
      owner: 201,
      teammate: 201,
      'security/risk owner': 201,
    }),
    deny: everyone(403, { 'no token': 401 }),
  },
  // A follow-up is marked done by the people who record the scope's exercises (devsecops.exercise.record).
  'POST /v1/exercises/{id}/follow-ups/{index}': {
    send: async (a, f, as) =>
      as(a.post(`/api/devsecops/v1/exercises/${await f.exercise()}/follow-ups/0`)).send({ done: true }),
    allow: everyone(403, { 'no token': 401, ...users(200) }),
    demo: everyone(403, {
      'no token': 401,
      owner: 200,
      teammate: 200,
      'security/risk owner': 200,
    }),
    deny: everyone(403, { 'no token': 401 }),
  },
  // Exploitability feeds are org-wide data: a user with devsecops.feed.import (the demo policy:
  // security) or an org-wide service token; CI identities bound to entities are refused.
  'POST /v1/feeds/kev': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/feeds/kev'))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(MATRIX_KEV)),
    ...FEED_IMPORT,
  },
  'POST /v1/feeds/epss': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/feeds/epss'))
        .set('Content-Type', 'text/csv')
        .send('#model_version:v2025.03.14,score_date:2026-12-05T00:00:00Z\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99961\n'),
    ...FEED_IMPORT,
  },
  // OSV advisories: the same authority as the other feeds (they open findings org-wide).
  'POST /v1/feeds/osv': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/feeds/osv'))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(MATRIX_OSV)),
    ...FEED_IMPORT,
  },
  // Campaigns are created by a signed-in person with devsecops.campaign.manage, never by a token.
  'POST /v1/campaigns': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/campaigns')).send({
        title: 'Matrix: SAST everywhere',
        goal: { type: 'controls', controls: ['sast'] },
        scope: { group: 'acme' },
        startDate: '2026-01-01',
        targetDate: '2027-06-30',
        ownerRef: 'group:default/platform-team',
      }),
    allow: everyone(403, { 'no token': 401, ...users(201) }),
    // The demo policy: the platform and security groups only.
    demo: everyone(403, { 'no token': 401, platform: 201, 'security/risk owner': 201 }),
    deny: everyone(403, { 'no token': 401 }),
  },
  // Tickets: the owning team (devsecops.ticket.link on the entity; the demo policy adds platform and
  // security) or a CI token allowed to write the entity's evidence (not subject to the policy).
  'POST /v1/findings/{id}/tickets': {
    send: async (a, f, as) =>
      as(a.post(`/api/devsecops/v1/findings/${await f.finding()}/tickets`)).send(matrixTicket()),
    ...TICKET_LINK,
  },
  'POST /v1/runtime-signals/{id}/tickets': {
    send: async (a, f, as) =>
      as(a.post(`/api/devsecops/v1/runtime-signals/${await f.signal()}/tickets`)).send(matrixTicket()),
    ...TICKET_LINK,
  },
  'GET /v1/tickets': get('/v1/tickets?entity=payments-api'),
  // Named human attestations are recorded by the signed-in person, never by a token.
  'POST /v1/human-attestations': {
    send: async (a, _f, as) =>
      as(a.post('/api/devsecops/v1/human-attestations')).send({
        kind: 'control-failure-review',
        scopeRef: 'component:default/payments-api',
        date: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
        attendees: ['user:default/dana'],
        notesUrl: 'https://wiki.example.com/reviews/1',
        failuresReviewed: 2,
      }),
    allow: everyone(403, { 'no token': 401, ...users(201) }),
    // devsecops.attestation.control-failure-review.record: the owning team and security/compliance.
    demo: everyone(403, {
      'no token': 401,
      owner: 201,
      teammate: 201,
      'security/risk owner': 201,
    }),
    deny: everyone(403, { 'no token': 401 }),
  },
};

const OPERATIONS = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.keys(item as object).map(method => `${method.toUpperCase()} ${path}`),
);

it('has a row for every operation of the OpenAPI document, and none for operations it lacks', () => {
  expect(Object.keys(MATRIX).sort()).toEqual([...OPERATIONS].sort());
});

/** The entity as the `devsecops-entity` resource, from the test catalog. */
function entityResource(ref: string): DevsecopsEntityResource | undefined {
  const entity = ENTITIES.find(e => stringifyEntityRef(e) === ref);
  if (!entity) return undefined;
  const groupRef = (name: string) =>
    stringifyEntityRef(
      parseEntityRef(name, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  const kind = entity.kind.toLowerCase();
  let ownerRef: string | undefined;
  if (kind === 'group') ownerRef = ref;
  else if (entity.spec?.owner) ownerRef = groupRef(entity.spec.owner as string);
  const parentOf = (g: string) => {
    const group = ENTITIES.find(
      e => e.kind === 'Group' && stringifyEntityRef(e) === g,
    );
    return group?.spec?.parent
      ? groupRef(group.spec.parent as string)
      : undefined;
  };
  const ownerAncestorRefs: string[] = [];
  for (let p = ownerRef && parentOf(ownerRef); p; p = parentOf(p))
    ownerAncestorRefs.push(p);
  return {
    entityRef: ref,
    kind,
    ownerRef,
    ownerAncestorRefs,
    ownerDescendantRefs: [],
    transitiveOwnershipByDefault: false,
  };
}

/**
 * The demo portal's policy (DevsecopsResponsibilityPolicy from plugins/devsecops-node with the
 * demo's groups, packages/backend/src/modules/permissionPolicy.ts) as the permission
 * framework applies it: the entity resource permissions decided by IS_ENTITY_OWNER on the catalog
 * entity; exception decisions and revocations left to the service's risk-owner and ownership
 * checks (which the demo's conditions repeat); services are not subject to the policy.
 */
const demoPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (
      r: { permission: { name: string }; resourceRef?: string },
      credentials: any,
    ) => {
      if (credentials.principal.type !== 'user') return AuthorizeResult.ALLOW;
      const ref = credentials.principal.userEntityRef as string;
      const user = ENTITIES.find(
        e => e.kind === 'User' && stringifyEntityRef(e) === ref,
      );
      const claims = [
        ref,
        ...((user?.spec?.memberOf as string[]) ?? []).map(
          g => `group:default/${g}`,
        ),
      ];
      const resource = r.resourceRef
        ? entityResource(r.resourceRef)
        : undefined;
      const owns = (params: {
        claims: string[];
        transitive?: boolean;
        ancestors?: boolean;
      }) =>
        !!resource &&
        devsecopsEntityRules.isEntityOwner.apply(resource, params);
      const verdict = (allowed: boolean) =>
        allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
      switch (r.permission.name) {
        case 'devsecops.exception.request':
          return verdict(owns({ claims }));
        case 'devsecops.runtime.update':
        case 'devsecops.ticket.link':
          return verdict(
            claims.includes('group:default/security-compliance') ||
              claims.includes('group:default/platform-team') ||
              owns({ claims }),
          );
        case 'devsecops.campaign.manage':
          return verdict(
            claims.includes('group:default/security-compliance') ||
              claims.includes('group:default/platform-team'),
          );
        case 'devsecops.feed.import':
          return verdict(claims.includes('group:default/security-compliance'));
        case 'devsecops.attestation.template-feedback.record':
          return verdict(claims.includes('group:default/platform-team'));
        case 'devsecops.attestation.control-failure-review.record':
        case 'devsecops.attestation.threat-model-review.record':
        case 'devsecops.exercise.record':
          return verdict(
            claims.includes('group:default/security-compliance') ||
              owns({ claims, transitive: false, ancestors: true }),
          );
        default:
          return AuthorizeResult.ALLOW;
      }
    };
    return {
      authorize: async (requests: any[], { credentials }: any) =>
        requests.map(r => ({ result: decide(r, credentials) })),
      authorizeConditional: async (requests: any[], { credentials }: any) =>
        requests.map(r => ({ result: decide(r, credentials) })),
    } as any;
  },
});

/**
 * "Owners and the security group read everything, others read roll-ups only": detailed reads
 * narrowed by conditional decisions (lists are filtered: router/../permissions/narrowedReads.test.ts).
 */
const narrowingPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (r: { permission: { name: string } }, credentials: any) => {
      if (credentials.principal.type !== 'user')
        return { result: AuthorizeResult.ALLOW };
      const ref = credentials.principal.userEntityRef as string;
      const user = ENTITIES.find(
        e => e.kind === 'User' && stringifyEntityRef(e) === ref,
      );
      const claims = [
        ref,
        ...((user?.spec?.memberOf as string[]) ?? []).map(
          g => `group:default/${g}`,
        ),
      ];
      if (claims.includes('group:default/security-compliance'))
        return { result: AuthorizeResult.ALLOW };
      if (r.permission.name === devsecopsEntityReadPermission.name) {
        return createDevsecopsEntityConditionalDecision(
          devsecopsEntityReadPermission,
          devsecopsEntityConditions.isEntityOwner({ claims }),
        );
      }
      if (r.permission.name === devsecopsExceptionReadPermission.name) {
        return createDevsecopsExceptionConditionalDecision(
          devsecopsExceptionReadPermission,
          {
            anyOf: [
              devsecopsExceptionConditions.isExceptionEntityOwner({ claims }),
              devsecopsExceptionConditions.isExceptionRiskOwner({ claims }),
            ],
          },
        );
      }
      return { result: AuthorizeResult.ALLOW };
    };
    return {
      authorize: async (requests: any[], { credentials }: any) =>
        requests.map(r => ({
          result:
            decide(r, credentials).result === AuthorizeResult.ALLOW
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
      authorizeConditional: async (requests: any[], { credentials }: any) =>
        requests.map(r => decide(r, credentials)),
    } as any;
  },
});

describe.each([
  [
    'allows everything',
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    'allow',
  ],
  ["is the demo portal's", demoPermissions, 'demo'],
  [
    'narrows detailed reads to owners and the security group',
    narrowingPermissions,
    'narrowed',
  ],
  [
    'denies every devsecops permission',
    mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    'deny',
  ],
] as const)(
  'authorization matrix when the permission policy %s',
  (_label, policy, column) => {
    let backend: { server: any; stop(): Promise<void> };
    let helper: { server: any; stop(): Promise<void> };
    let fixtures: Fixtures;

    const start = async (knex: any, permissions: typeof policy) => {
      const started = await startTestBackend({
        features: [
          devsecopsPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: CONFIG }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          permissions,
          catalogServiceMock.factory({ entities: ENTITIES }),
          recordingNotifications().factory,
          userInfo,
        ],
      });
      return { server: started.server, stop: () => started.stop() };
    };

    beforeAll(async () => {
      const knex = await databases.init('SQLITE_3');
      backend = await start(knex, policy);
      // Fixtures are made by callers who may make them, through an allowing instance on the same database.
      helper = await start(
        knex,
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      );
      const as = (who: Principal) => (t: request.Test) =>
        t.set('Authorization', HEADERS[who]!);
      const ci = as('CI token for the repository');
      const report = await ci(
        request(helper.server).post(
          '/api/devsecops/v1/reports?entity=payments-api&format=trivy',
        ),
      )
        .set('Content-Type', 'application/json')
        .send(trivy());
      const deployment = await ci(
        request(helper.server).post('/api/devsecops/v1/deployments'),
      ).send({
        entityRef: 'payments-api',
        environment: 'staging',
        artifactDigest: DIGEST,
        deployer: 'ci',
      });
      if ([report.status, deployment.status].join() !== '201,201') {
        throw new Error(`fixtures: ${report.text} ${deployment.text}`);
      }
      fixtures = {
        reportId: report.body.report.id,
        async signal() {
          const signal = await ci(
            request(helper.server).post('/api/devsecops/v1/runtime-signals'),
          ).send({
            entityRef: 'payments-api',
            kind: 'incident',
            severity: 'critical',
            summary: 'matrix',
            detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
            source: 'matrix',
          });
          if (signal.status !== 201)
            throw new Error(`signal fixture: ${signal.text}`);
          return signal.body.id;
        },
        async exception(state) {
          const requested = await as('owner')(
            request(helper.server).post('/api/devsecops/v1/exceptions'),
          ).send(exceptionRequest);
          if (requested.status !== 201)
            throw new Error(`exception fixture: ${requested.text}`);
          if (state === 'approved') {
            const approved = await as('security/risk owner')(
              request(helper.server).post(
                `/api/devsecops/v1/exceptions/${requested.body.id}/approve`,
              ),
            ).send({ reason: 'fixture' });
            if (approved.status !== 200)
              throw new Error(`exception fixture: ${approved.text}`);
          }
          return requested.body.id;
        },
        async exercise() {
          const exercise = await as('owner')(
            request(helper.server).post('/api/devsecops/v1/exercises'),
          ).send({
            scenario: 'compromised-ci-token',
            heldOn: inDays(-1).slice(0, 10),
            scopeRef: 'group:default/team-payments',
            participants: ['user:default/dana'],
            followUps: [{ action: 'Scope the deploy token', owner: 'user:default/dana', due: inDays(7).slice(0, 10) }],
          });
          if (exercise.status !== 201)
            throw new Error(`exercise fixture: ${exercise.text}`);
          return exercise.body.id;
        },
        async finding() {
          // A real gitleaks v8 report (fixtures/gitleaks); a repeat upload is a 200.
          const upload = await ci(
            request(helper.server).post('/api/devsecops/v1/reports?entity=payments-api&format=gitleaks'),
          )
            .set('Content-Type', 'application/json')
            .send(readFixture('gitleaks/v8-golden-simple.json').toString('utf8'));
          if (upload.status !== 201 && upload.status !== 200)
            throw new Error(`finding fixture: ${upload.text}`);
          const findings = await ci(
            request(helper.server).get('/api/devsecops/v1/findings?entity=payments-api&status=open'),
          );
          const secret = findings.body.items?.find((i: any) => i.kind === 'secret');
          if (!secret) throw new Error(`finding fixture: ${findings.text}`);
          return secret.id;
        },
      };
    });
    afterAll(async () => {
      await backend?.stop();
      await helper?.stop();
    });

    const cases = Object.entries(MATRIX).flatMap(([operation, row]) =>
      PRINCIPALS.map(principal => [operation, principal, row] as const),
    );
    it.each(cases)('%s as %s', async (_operation, principal, row) => {
      const header = HEADERS[principal];
      const response = await row.send(request(backend.server), fixtures, t =>
        header ? t.set('Authorization', header) : t,
      );
      expect({ principal, status: response.status }).toEqual({
        principal,
        status: (row[column] ?? row.allow)[principal],
      });
    });
  },
);
