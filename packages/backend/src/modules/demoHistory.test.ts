import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import devsecopsPlugin from '@devsecops-scorecard/plugin-devsecops-backend';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { factWithOwnSource } from '@devsecops-scorecard/plugin-devsecops-common';
import { httpWriter } from '@devsecops-scorecard/plugin-devsecops-backend-module-github';
import { AddressInfo } from 'node:net';
import { DemoHistoryEntity, planDemoActivity, planDemoHistory } from './demoHistory';
import { demoGithubPlugin } from './demoGithub';
import { runDemoGithubPull } from './demoGithubPull';

jest.setTimeout(300_000);

const OWNER = 'group:default/team-payments';
const IDENTITY = 'group:default/team-identity';

/** The personas' teams, as the catalog's memberOf gives them. */
const MEMBERSHIP: Record<string, string> = {
  'user:default/paula-payne': 'group:default/team-payments',
  'user:default/guest': 'group:default/team-payments',
  'user:default/risk-owner-rita': 'group:default/security-compliance',
};
const HISTORY: DemoHistoryEntity[] = [
  { entity: 'component:default/payments-api', trajectory: 'improving', deployable: true, owner: OWNER },
  { entity: 'component:default/auth-gateway', trajectory: 'steady', deployable: true, owner: OWNER },
  { entity: 'component:default/legacy-billing', trajectory: 'struggling', deployable: true, owner: OWNER },
  { entity: 'component:default/shared-crypto-lib', trajectory: 'steady', deployable: false, owner: OWNER },
  { entity: 'component:default/identity-service', trajectory: 'leading', deployable: true, owner: IDENTITY },
];

/** The demo portal's production policy (app-config.demo.yaml): no artifact_signature, the demo signs nothing. */
const DEMO_POLICIES = {
  production_release: {
    requires: [
      { branch_protection: 'main' },
      { sbom: 'generated' },
      { secrets_scan: 'passed' },
      { container_critical_vulns: 'none_or_approved_exception' },
      { deployment_owner: 'service_catalog_match' },
    ],
  },
};

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const component = (name: string, deployable = true, owner = OWNER): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: deployable ? 'service' : 'library', owner: owner.split('/')[1], lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const entities: Entity[] = [
  group('team-payments'),
  group('team-identity'),
  group('security-compliance'),
  ...HISTORY.map(({ entity, deployable, owner }) => component(entity.split('/')[1], deployable, owner)),
  component('fraud-scoring'),
  ...['paula-payne', 'platform-pat', 'guest', 'risk-owner-rita', 'felix-fraud', 'pete-pipeline', 'ian-identity', 'olivia-oauth'].map(
    (name): Entity => {
      const team = MEMBERSHIP[`user:default/${name}`];
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name, namespace: 'default' },
        spec: team ? { memberOf: [team] } : {},
        relations: team ? [{ type: 'memberOf', targetRef: team }] : [],
      };
    },
  ),
];

/** The demo's risk owners per rating, as app-config.demo.yaml configures them. */
const RISK_OWNERS = parseYaml(readFileSync(resolvePath(__dirname, '../../../../app-config.demo.yaml'), 'utf8')).devsecops
  .exceptions.riskOwners;
const userInfo = mockServices.userInfo.mock({
  getUserInfo: async (credentials: any) => {
    const ref = credentials.principal.userEntityRef as string;
    return { userEntityRef: ref, ownershipEntityRefs: [ref, MEMBERSHIP[ref]].filter(Boolean) };
  },
});

/** The times a planned history call records. */
function timesOf(call: ReturnType<typeof planDemoHistory>[number]): string[] {
  switch (call.kind) {
    case 'report':
      return [call.query.scannedAt];
    case 'github-pull':
      return [call.at];
    case 'deployment':
      return [call.body.deployedAt];
    case 'snapshot':
      return [call.body.at];
    case 'human-attestation':
      return [call.body.date];
    case 'audit-export':
      return [];
    default:
      return [call.body.detectedAt];
  }
}

/** The entity a planned history call is about. */
function entityOf(call: ReturnType<typeof planDemoHistory>[number]): string {
  if (call.kind === 'report' || call.kind === 'github-pull') return call.entity;
  if (call.kind === 'human-attestation') return call.body.scopeRef;
  if (call.kind === 'audit-export') return call.query.entity;
  return call.body.entityRef;
}

const PATHS = {
  deployment: '/v1/deployments',
  'runtime-signal': '/v1/runtime-signals',
  snapshot: '/v1/scorecards/snapshots',
} as const;

describe('demo history', () => {
  it('is the same on every start', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(planDemoHistory(HISTORY, 90, now)).toEqual(planDemoHistory(HISTORY, 90, now));
  });

  it('keeps every time of an entity in order and never in the future', () => {
    const now = Date.now();
    const calls = planDemoHistory(HISTORY, 90, now);
    const lastSnapshot = new Map<string, string>();
    for (const call of calls) {
      const times = timesOf(call);
      const entity = entityOf(call);
      for (const time of times) {
        expect(Date.parse(time)).toBeLessThan(now);
        // Nothing of a day comes after that day's snapshot was written.
        expect(time > (lastSnapshot.get(entity) ?? '')).toBe(true);
      }
      if (call.kind === 'snapshot') lastSnapshot.set(entity, call.body.at);
    }
  });

  it('posts no fact: repository facts are weekly GitHub pulls, people\'s facts the personas\' attestations', () => {
    const calls = planDemoHistory(HISTORY, 90);
    // Every call goes to a collector path; none is a posted fact.
    expect(new Set(calls.map(c => c.kind))).toEqual(
      new Set(['github-pull', 'report', 'deployment', 'runtime-signal', 'snapshot', 'human-attestation', 'audit-export']),
    );
    expect(JSON.stringify(calls)).not.toContain('/v1/facts');
    // Each entity's repository is read every week of the history, from its first day.
    for (const { entity } of HISTORY) {
      const pulls = calls.flatMap(c => (c.kind === 'github-pull' && c.entity === entity ? [c] : []));
      expect(pulls.length).toBeGreaterThanOrEqual(13);
      expect(pulls[0].slug).toBe(`acme/${entity.split('/')[1]}`);
    }
    // Runtime monitoring is a heartbeat, never a posted *.enabled fact.
    const heartbeats = calls.filter(c => c.kind === 'runtime-signal' && c.body.kind === 'heartbeat');
    expect(heartbeats.length).toBeGreaterThan(0);
    const attestations = calls.flatMap(c => (c.kind === 'human-attestation' ? [c] : []));
    // Only the users auth.providers.demo.users lists can sign in; reviews by the owning team
    // (Paula, team-payments) or security/compliance (Rita), template feedback by the platform team (Pat).
    const personas = parseYaml(readFileSync(resolvePath(__dirname, '../../../../app-config.demo.yaml'), 'utf8')).auth.providers.demo.users.map(
      (u: { userEntityRef: string }) => u.userEntityRef,
    );
    for (const a of attestations) expect(personas).toContain(a.as);
    const reviews = attestations.filter(a => a.body.kind === 'control-failure-review');
    const feedback = attestations.filter(a => a.body.kind === 'template-feedback');
    // Paula for her team's service, Rita (security/compliance) for team-identity's.
    expect(new Set(reviews.map(a => `${a.body.scopeRef} ${a.as}`))).toEqual(
      new Set(['component:default/payments-api user:default/paula-payne', 'component:default/identity-service user:default/risk-owner-rita']),
    );
    expect(new Set(feedback.map(a => a.as))).toEqual(new Set(['user:default/platform-pat']));
    // The improving and the leading service only, every two weeks from their evidence stage on.
    expect(new Set(attestations.map(a => a.body.scopeRef))).toEqual(
      new Set(['component:default/payments-api', 'component:default/identity-service']),
    );
    expect(reviews.filter(r => r.body.scopeRef === 'component:default/payments-api').length).toBeGreaterThanOrEqual(2);
    expect(feedback).toHaveLength(2);
    for (const r of reviews.filter(a => a.as === 'user:default/paula-payne')) {
      expect(r.body).toMatchObject({ attendees: expect.arrayContaining(['user:default/paula-payne']), notesUrl: expect.stringMatching(/^https:/) });
    }
    expect(planDemoHistory(HISTORY.map(e => ({ ...e, owner: 'group:default/team-identity' })), 90).find(c => c.kind === 'human-attestation' && c.body.kind === 'control-failure-review')).toMatchObject({ as: 'user:default/risk-owner-rita' });
  });

  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('is accepted call by call by the devsecops API and tells three different stories', async () => {
    const backend = await startTestBackend({
      features: [
        devsecopsPlugin,
        // The demo's GitHub, which the GitHub module's code reads for the history's pulls.
        demoGithubPlugin,
        mockServices.database.factory({ knex: await databases.init('SQLITE_3') }),
        catalogServiceMock.factory({ entities }),
        userInfo.factory,
        mockServices.rootConfig.factory({
          data: {
            devsecopsDemo: {
              root: resolvePath(__dirname, '../../../..'),
              history: { days: 90, entities: HISTORY.map(({ entity, trajectory, deployable }) => ({ entity, trajectory, deployable })) },
            },
            devsecops: {
              severityPolicy: { slaDays: { critical: 7, high: 30, medium: 90, low: 180, info: 365 } },
              policies: DEMO_POLICIES,
              // The demo's requests name eligible risk owners only.
              exceptions: { riskOwners: RISK_OWNERS },
            },
          },
        }),
      ],
    });
    try {
      const calls = planDemoHistory(HISTORY, 90);
      const refused: string[] = [];
      const base = `http://localhost:${(backend.server.address() as AddressInfo).port}/api`;
      // What reaches POST /v1/facts, and from whom: only the GitHub module's writer may send facts.
      const factPosts: Array<{ caller: string; sources: string[] }> = [];
      const recording: typeof fetch = async (input, init) => {
        if (String(input).includes('/v1/facts')) {
          factPosts.push({ caller: 'github-module', sources: JSON.parse(String(init?.body)).facts.map((f: any) => f.source) });
        }
        return fetch(input, init);
      };
      const writer = httpWriter({
        baseUrl: async () => `${base}/devsecops`,
        token: async () => mockCredentials.service.token(),
        fetch: recording,
      });
      const PAVED_ROAD = parseYaml(readFileSync(resolvePath(__dirname, '../../../../app-config.demo.yaml'), 'utf8')).devsecops.github
        .pavedRoadWorkflows;
      for (const call of calls) {
        if (call.kind === 'github-pull') {
          try {
            await runDemoGithubPull(call, { demoGithubUrl: `${base}/devsecops-demo/github`, writer, pavedRoadWorkflows: PAVED_ROAD });
          } catch (error) {
            refused.push(`${call.kind} ${call.slug} ${call.at}: ${error}`);
          }
          continue;
        }
        if (call.kind === 'audit-export') {
          const response = await request(backend.server)
            .get(`/api/devsecops/v1/audit-packages?${new URLSearchParams(call.query)}`)
            .set('Authorization', mockCredentials.user.header(call.as));
          if (response.status >= 300) refused.push(`${call.kind} ${response.status} ${response.text}`);
          continue;
        }
        if (call.kind === 'human-attestation') {
          // A person's act: as the persona, with a user token.
          const response = await request(backend.server)
            .post('/api/devsecops/v1/human-attestations')
            .set('Authorization', mockCredentials.user.header(call.as))
            .send(call.body);
          if (response.status >= 300) refused.push(`${call.kind} ${response.status} ${response.text}`);
          continue;
        }
        const response =
          call.kind === 'report'
            ? await request(backend.server)
                .post(`/api/devsecops/v1/reports?${new URLSearchParams({ entity: call.entity, ...call.query })}`)
                .set('Authorization', mockCredentials.service.header())
                .set('Content-Type', 'application/json')
                .send(call.body)
            : await request(backend.server)
                .post(`/api/devsecops${PATHS[call.kind]}`)
                .set('Authorization', mockCredentials.service.header())
                .send(call.body);
        if (response.status >= 300) refused.push(`${call.kind} ${response.status} ${response.text}`);
      }
      expect(refused).toEqual([]);
      // Every fact came through the collector: the GitHub module's writer, source github.
      expect(factPosts.length).toBe(calls.filter(c => c.kind === 'github-pull').length);
      expect(new Set(factPosts.flatMap(p => p.sources))).toEqual(new Set(['github']));
      const stored = (
        await request(backend.server).get('/api/devsecops/v1/facts?entity=payments-api').set('Authorization', mockCredentials.service.header()).expect(200)
      ).body.facts as Array<{ fact: string; value: unknown; source: string }>;
      expect(new Set(stored.map(f => f.source))).toEqual(new Set(['github']));
      // None of them is a fact with a source of its own (the API would refuse it: factSources).
      expect(stored.filter(f => factWithOwnSource(f.fact))).toEqual([]);
      const value = (fact: string) => stored.find(f => f.fact === fact)?.value;
      // Each kind of fact the demo used to post arrives from the repository the GitHub module read.
      expect(value('branch_protection.enabled')).toBe(true);
      expect(value('branch_protection.required_reviews')).toBe(2);
      expect(value('code_review.owner_review')).toBe(true);
      expect(value('dependency_alerts.enabled')).toBe(true);
      expect(value('ci.reusable_workflow')).toBe(true);
      expect(value('dependency_review.enabled')).toBe(true);
      expect(value('pre_commit.enabled')).toBe(true);
      const legacy = (
        await request(backend.server).get('/api/devsecops/v1/facts?entity=legacy-billing').set('Authorization', mockCredentials.service.header()).expect(200)
      ).body.facts as Array<{ fact: string; value: unknown }>;
      expect(legacy.find(f => f.fact === 'ci.reusable_workflow')?.value).toBe(false);

      const history = async (name: string) =>
        (
          await request(backend.server)
            .get(`/api/devsecops/v1/scorecards/history?entity=${name}&days=120`)
            .set('Authorization', mockCredentials.service.header())
            .expect(200)
        ).body.snapshots as Array<{ day: string; stage: number; metrics: any }>;

      const improving = await history('payments-api');
      expect(improving).toHaveLength(90);
      expect(improving[0].stage).toBeLessThanOrEqual(1);
      // Up to yesterday no audit package covered it (an export is recorded when it happens) …
      expect(improving[improving.length - 1].stage).toBe(2);
      expect(improving[improving.length - 1].metrics.patchedCount).toBeGreaterThan(0);
      // Its stage-3 control-failure review is a person's attestation, not a posted fact.
      const attested = (
        await request(backend.server)
          .get('/api/devsecops/v1/human-attestations?entity=payments-api&limit=50')
          .set('Authorization', mockCredentials.service.header())
          .expect(200)
      ).body;
      expect(new Set(attested.items.map((a: { kind: string; recordedBy: string }) => `${a.kind} ${a.recordedBy}`))).toEqual(
        new Set(['control-failure-review user:default/paula-payne', 'template-feedback user:default/platform-pat']),
      );
      const card = (
        await request(backend.server).get('/api/devsecops/v1/scorecards?entity=payments-api').set('Authorization', mockCredentials.service.header()).expect(200)
      ).body;
      // … today security/compliance exported one: stage 3 and more, from evidence alone.
      expect(card.maturity.stage).toBeGreaterThanOrEqual(3);
      const criteria = card.maturity.stages.flatMap((stage: any) => stage.criteria);
      expect(criteria.find((c: any) => c.id === 'evidence-export')).toMatchObject({
        met: true,
        reason: expect.stringContaining('exported by user:default/risk-owner-rita'),
      });
      const controls = new Map(card.controls.map((c: any) => [c.controlId, c]));
      for (const id of ['cloud-audit-logs', 'workload-telemetry', 'vulnerability-monitoring']) {
        expect(controls.get(id)).toMatchObject({ reason: expect.stringContaining('demo-monitoring heartbeat') });
      }
      expect(criteria.find((c: any) => c.id === 'failure-review')).toMatchObject({
        met: true,
        reason: expect.stringMatching(/^Control-failure review held on \S+, recorded by user:default\/paula-payne/),
      });
      expect(criteria.find((c: any) => c.id === 'feedback-into-templates')).toMatchObject({
        met: true,
        reason: expect.stringMatching(/^Template feedback held on \S+, recorded by user:default\/platform-pat/),
      });

      const struggling = await history('legacy-billing');
      expect(struggling).toHaveLength(90);
      expect(Math.max(...struggling.map(s => s.stage))).toBeLessThanOrEqual(1);

      const steady = await history('auth-gateway');
      expect(new Set(steady.map(s => s.stage)).size).toBeLessThanOrEqual(2);
      expect(steady[0].stage).toBeGreaterThanOrEqual(1);

      // Then the people: requests (naming risk owners app-config.demo.yaml makes eligible), decisions by
      // the risk owner, exercises.
      expect(RISK_OWNERS.medium).toContain('group:default/security-compliance');
      const asUser = (ref: string) => mockCredentials.user.header(ref);
      const exercises: Array<{ scenario: string }> = [];
      for (const call of planDemoActivity()) {
        if (call.kind === 'exercise') {
          const recorded = await request(backend.server).post('/api/devsecops/v1/exercises').set('Authorization', asUser(call.as)).send(call.body);
          exercises.push({ scenario: recorded.body.scenario });
          continue;
        }
        const requested = await request(backend.server)
          .post('/api/devsecops/v1/exceptions')
          .set('Authorization', asUser(call.as))
          .send(call.body);
        expect(requested.body).toMatchObject({ status: 'requested' });
        if (call.decide) {
          await request(backend.server)
            .post(`/api/devsecops/v1/exceptions/${requested.body.id}/${call.decide.action}`)
            .set('Authorization', asUser(call.decide.as))
            .send({ reason: call.decide.reason })
            .expect(200);
        }
      }
      expect(exercises).toEqual(
        planDemoActivity().flatMap(c => (c.kind === 'exercise' ? [{ scenario: c.body.scenario }] : [])),
      );
      const exceptions = (
        await request(backend.server).get('/api/devsecops/v1/exceptions?limit=50').set('Authorization', asUser('user:default/risk-owner-rita')).expect(200)
      ).body.items as Array<{ status: string }>;
      expect(exceptions.map(e => e.status).sort()).toEqual(['approved', 'approved', 'rejected', 'requested']);
      const expiringSoon = (
        await request(backend.server).get('/api/devsecops/v1/exceptions?expiringWithinDays=7').set('Authorization', asUser('user:default/risk-owner-rita')).expect(200)
      ).body.items;
      expect(expiringSoon).toHaveLength(1);
      const identityExercises = (
        await request(backend.server).get('/api/devsecops/v1/exercises?scope=group:default/team-identity').set('Authorization', mockCredentials.service.header()).expect(200)
      ).body;
      expect(identityExercises.totalCount).toBe(4);

      // The leading service: every criterion of the four stages from collected evidence, GitHub
      // pulls, heartbeats, the personas' attestations and exports, and its team's exercises.
      const leading = (
        await request(backend.server).get('/api/devsecops/v1/scorecards?entity=identity-service').set('Authorization', mockCredentials.service.header()).expect(200)
      ).body;
      const unmet = leading.maturity.stages.flatMap((stage: any) => stage.criteria.filter((c: any) => !c.met).map((c: any) => `${c.id}: ${c.reason}`));
      expect(unmet).toEqual([]);
      expect(leading.maturity.stage).toBe(4);
    } finally {
      await backend.stop();
    }
  });
});
