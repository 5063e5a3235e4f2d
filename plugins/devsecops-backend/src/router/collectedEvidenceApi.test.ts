import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  DevsecopsWriter,
  GithubPullProvider,
  syncEntity,
} from '@devsecops-scorecard/plugin-devsecops-backend-module-github';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { testSigner } from '../__testUtils__/signing';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

/**
 * Issue 15: one service whose evidence comes only from what an organisation already has — the
 * GitHub provider reading the repository (msw, GitHub's documented response shapes), real scanner
 * reports from fixtures/, a signed attestation, a deployment, runtime heartbeats, recorded
 * exercises, an audit package exported from the portal and named human attestations (a
 * control-failure review, template feedback). Nobody posts a fact by hand: the only facts are the
 * collector's.
 */
const databases = TestDatabases.create();
const API = 'https://api.github.test';
const REPO = `${API}/repos/acme/payments-api`;
const DIGEST = `sha256:${'5'.repeat(64)}`;
const PAVED_ROAD = 'acme/platform-workflows/.github/workflows/build.yml';
const PLATFORM_SHA = '8f4b7f84864484a7bf31766abe9204da3cbe65b3';

const json = (path: string) => JSON.parse(readFixture(path).toString('utf8'));

const FILES: Record<string, string> = {
  '.pre-commit-config.yaml': `repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
    -   id: check-yaml
    -   id: detect-private-key
`,
  '.github/workflows/ci.yml': `name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    uses: ${PAVED_ROAD}@${PLATFORM_SHA}
    secrets: inherit
`,
  '.github/workflows/dependency-review.yml': `name: 'Dependency Review'
on: [pull_request]
permissions:
  contents: read
jobs:
  dependency-review:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/dependency-review-action@v4
`,
  '.github/CODEOWNERS': '* @acme/team-payments\n',
};

function contentFile(path: string, text: string) {
  return {
    ...json('github-api/content-file.json'),
    name: path.split('/').pop(),
    path,
    size: Buffer.byteLength(text),
    content: `${(Buffer.from(text).toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`,
  };
}

function githubRepository(alerts: { dependabot: object[]; secrets: object[] }) {
  const [entryTemplate] = json('github-api/content-directory.json');
  const protection = json('github-api/branch-protection.json');
  return [
    http.get(REPO, () => HttpResponse.json({ full_name: 'acme/payments-api', default_branch: 'main' })),
    http.get(`${REPO}/branches/main/protection`, () =>
      HttpResponse.json({
        ...protection,
        required_status_checks: { ...protection.required_status_checks, contexts: ['CI / build', 'dependency-review'] },
      }),
    ),
    http.get(`${REPO}/rules/branches/main`, () => HttpResponse.json([])),
    http.get(`${REPO}/code-scanning/alerts`, () => HttpResponse.json({ message: 'no analysis found' }, { status: 404 })),
    http.get(`${REPO}/dependabot/alerts`, () => HttpResponse.json(alerts.dependabot)),
    http.get(`${REPO}/secret-scanning/alerts`, () => HttpResponse.json(alerts.secrets)),
    http.get(`${REPO}/contents/.github/workflows`, () =>
      HttpResponse.json(
        ['ci.yml', 'dependency-review.yml'].map(name => ({ ...entryTemplate, name, path: `.github/workflows/${name}` })),
      ),
    ),
    http.get(`${REPO}/contents/*`, ({ request: req }) => {
      const path = decodeURIComponent(new URL(req.url).pathname.split('/contents/')[1]);
      return FILES[path] !== undefined
        ? HttpResponse.json(contentFile(path, FILES[path]))
        : HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    }),
  ];
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations: { 'github.com/project-slug': 'acme/payments-api' } },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const github = setupServer();
// supertest's requests to the test backend pass through; GitHub is mocked.
beforeAll(() => github.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => github.resetHandlers());
afterAll(() => github.close());

describe.each(databases.eachSupportedId())('maturity from collected evidence only, on %p', databaseId => {
  it('reaches stage 2 with every control passing, and stage 4 once people record the review and the template feedback', async () => {
    const signer = testSigner();
    const backend = await startDevsecopsBackend(databases, databaseId, {
      config: { devsecops: { severityPolicy: { slaDays: { critical: 7 } }, signatures: { keys: [signer.key] } } },
    });
    try {
      const api = (path: string) => `/api/devsecops${path}`;
      const user = () => mockCredentials.user.header();
      // The module's writer, pointed at this backend: the collector's own POSTs.
      const collectorPaths: string[] = [];
      const writer: DevsecopsWriter = {
        postFacts: async (entityRef, facts) => {
          collectorPaths.push('/v1/facts');
          await request(backend.server).post(api('/v1/facts')).set('Authorization', ciHeader()).send({ entityRef, facts }).expect(201);
        },
        postReport: async (entityRef, body, query) => {
          collectorPaths.push('/v1/reports');
          await request(backend.server)
            .post(api(`/v1/reports?${new URLSearchParams({ entity: entityRef, ...query })}`))
            .set('Authorization', ciHeader())
            .set('Content-Type', 'application/sarif+json')
            .send(body)
            .expect(201);
        },
      };
      const provider = new GithubPullProvider({ apiBaseUrl: API, getHeaders: async () => ({ Authorization: 'token test' }) });
      const sync = () => syncEntity(entity, [provider], writer, { pavedRoadWorkflows: [PAVED_ROAD] });

      // 1. Two GitHub pulls: an open Dependabot alert and a leaked secret, both gone by the second.
      github.use(
        ...githubRepository({
          dependabot: json('github-api/dependabot-alerts-for-repository.json'),
          secrets: [json('github-api/secret-scanning-alert-open.json')],
        }),
      );
      await sync();
      github.resetHandlers();
      github.use(...githubRepository({ dependabot: [], secrets: [] }));
      await sync();

      // 2. Real scanner reports from CI.
      const upload = (path: string, query: string) =>
        request(backend.server)
          .post(api(`/v1/reports?entity=payments-api&${query}`))
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/json')
          .send(readFixture(path).toString('utf8'))
          .then(r => expect(`${r.status} ${r.status === 201 ? '' : r.text}`).toBe('201 '));
      await upload('iac/checkov-v1-no-findings.json', 'control=iac-lint');
      await upload('trivy/image-alpine-310.json', `control=container-scan&artifact=${DIGEST}`);
      await upload('cyclonedx/sbom-1.4-laravel-composer.json', `control=sbom&artifact=${DIGEST}`);

      // 3. CD: a signed artifact, then its production deployment (judged by the release gate).
      await request(backend.server)
        .post(api('/v1/attestations?entity=payments-api'))
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.from(signer.envelope(DIGEST)))
        .expect(201);
      await request(backend.server)
        .post(api('/v1/deployments'))
        .set('Authorization', ciHeader())
        .send({
          entityRef: 'payments-api',
          environment: 'production',
          artifactDigest: DIGEST,
          sourceCommit: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
          deployer: 'github-actions',
          approver: 'user:default/rita',
          claimedOwner: 'group:default/team-payments',
        })
        .expect(201);

      // 4. Runtime sources' heartbeats (docs/runtime-signals.md).
      for (const [source, monitors] of [
        ['aws-cloudtrail', ['cloud-audit-logs']],
        ['falco', ['workload-telemetry']],
        ['trivy-operator', ['vulnerability-monitoring']],
      ] as const) {
        await request(backend.server)
          .post(api('/v1/runtime-signals'))
          .set('Authorization', ciHeader())
          .send({ entityRef: 'payments-api', kind: 'heartbeat', monitors, source })
          .expect(201);
      }

      // 5. People: the four tabletop exercises, and an audit package exported from the portal.
      const today = new Date().toISOString().slice(0, 10);
      for (const scenario of ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse']) {
        await request(backend.server)
          .post(api('/v1/exercises'))
          .set('Authorization', user())
          .send({ scenario, heldOn: today, scopeRef: 'group:default/team-payments', participants: ['user:default/dana', 'user:default/rita'] })
          .expect(201);
      }
      await request(backend.server).get(api('/v1/audit-packages?entity=payments-api')).set('Authorization', user()).expect(200);

      // Before the named human attestations, the human criteria block stages 3 and 4.
      const before = (await request(backend.server).get(api('/v1/scorecards?entity=payments-api')).set('Authorization', user()).expect(200)).body;
      expect(before.maturity.stage).toBe(2);
      const unmetBefore = before.maturity.stages.flatMap((s: any) => s.criteria.filter((c: any) => !c.met).map((c: any) => `${s.stage} ${c.id}`));
      expect(unmetBefore).toEqual(['3 failure-review', '4 feedback-into-templates']);
      expect(before.maturity.nextSteps.map((s: any) => s.id)).toEqual(['failure-review']);

      // 6. Named human attestations: the owning team's control-failure review and the platform
      // team's feedback of recurring findings into its service template.
      await request(backend.server)
        .post(api('/v1/human-attestations'))
        .set('Authorization', mockCredentials.user.header('user:default/dana'))
        .send({
          kind: 'control-failure-review',
          scopeRef: 'group:default/team-payments',
          date: today,
          attendees: ['user:default/dana', 'user:default/rita'],
          notesUrl: 'https://wiki.example.com/security/reviews/team-payments',
          failuresReviewed: 2,
        })
        .expect(201);
      await request(backend.server)
        .post(api('/v1/human-attestations'))
        .set('Authorization', mockCredentials.user.header('user:default/pat'))
        .send({
          kind: 'template-feedback',
          scopeRef: 'group:default/team-payments',
          date: today,
          template: `https://github.com/${PAVED_ROAD.replace('/.github/', '/blob/main/.github/')}`,
          findings: ['CVE-2026-7777'],
          changeUrl: 'https://github.com/acme/platform-workflows/pull/7',
        })
        .expect(201);

      // No fact but the collector's.
      expect(collectorPaths.filter(p => p === '/v1/facts')).toHaveLength(2);
      const facts = (await request(backend.server).get(api('/v1/facts?entity=payments-api')).set('Authorization', user()).expect(200)).body;
      const items: Array<{ fact: string; source: string }> = facts.facts;
      expect(items.length).toBeGreaterThan(0);
      expect(items.filter(f => f.source !== 'github' && f.fact !== 'artifact_signature')).toEqual([]);

      const card = (await request(backend.server).get(api('/v1/scorecards?entity=payments-api')).set('Authorization', user()).expect(200)).body;
      const states = Object.fromEntries(card.controls.map((c: any) => [c.controlId, c.state]));
      expect(states).toEqual({
        'secret-scanning': 'passing',
        'pre-commit-checks': 'passing',
        'code-review': 'passing',
        'dependency-diff': 'passing',
        'iac-lint': 'passing',
        sast: 'not_reported', // code scanning is off in this repository and no SAST report was uploaded
        'dependency-scan': 'passing',
        sbom: 'passing',
        'container-scan': 'passing',
        'policy-as-code': 'passing',
        'production-approval': 'passing',
        'signed-artifact-verification': 'passing',
        'cloud-audit-logs': 'passing',
        'workload-telemetry': 'passing',
        'vulnerability-monitoring': 'passing',
      });

      // Stage 4 with zero hand-posted facts: every criterion met, the human ones naming the person.
      expect(card.maturity.stage).toBe(4);
      const criteria = card.maturity.stages.flatMap((s: any) => s.criteria);
      expect(criteria.filter((c: any) => !c.met)).toEqual([]);
      expect(card.maturity.nextSteps).toEqual([]);
      expect(criteria.find((c: any) => c.id === 'failure-review').reason).toMatch(/^Control-failure review held on \S+ for group:default\/team-payments, recorded by user:default\/dana/);
      expect(criteria.find((c: any) => c.id === 'feedback-into-templates').reason).toMatch(/^Template feedback held on \S+ for group:default\/team-payments, recorded by user:default\/pat/);
    } finally {
      await backend.stop();
    }
  });
});
