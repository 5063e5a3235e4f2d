import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { GithubPullProvider, toFacts, toReports } from '@devsecops-scorecard/plugin-devsecops-backend-module-github';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { demoGithubPlugin } from './demoGithub';
import { DEMO_PAVED_ROAD } from './demoGithubRepositories';
import { demoAdoption, DemoHistoryEntity } from './demoHistory';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../../../..');
const DEMO = parseYaml(readFileSync(resolve(ROOT, 'app-config.demo.yaml'), 'utf8'));
const ENTITIES: DemoHistoryEntity[] = DEMO.devsecopsDemo.history.entities.map((e: any) => ({
  deployable: true,
  ...e,
}));
const DAYS = 90;

const factsOf = (facts: Array<{ fact: string; value: unknown; source: string }>) =>
  Object.fromEntries(facts.map(f => [f.fact, f.value]));

describe('the demo GitHub API', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        demoGithubPlugin,
        mockServices.rootConfig.factory({
          data: {
            devsecopsDemo: {
              root: ROOT,
              history: { days: DAYS, entities: ENTITIES.map(({ entity, trajectory, deployable }) => ({ entity, trajectory, deployable })) },
            },
          },
        }),
      ],
    });
    base = `http://localhost:${(backend.server.address() as AddressInfo).port}/api/devsecops-demo/github`;
  });
  afterAll(() => backend.stop());

  const read = async (slug: string, asOf?: string) => {
    const provider = new GithubPullProvider({ apiBaseUrl: asOf ? `${base}/as-of/${asOf}` : base });
    return provider.read(slug);
  };
  const pavedRoadWorkflows = DEMO.devsecops.github.pavedRoadWorkflows;

  it('is the paved road app-config.demo.yaml configures for the GitHub module', () => {
    expect(pavedRoadWorkflows).toEqual([DEMO_PAVED_ROAD]);
    expect(DEMO.integrations.github).toEqual([
      { host: 'github.com', apiBaseUrl: 'http://localhost:7007/api/devsecops-demo/github' },
    ]);
  });

  it('answers the GitHub module without a token, so an improving service is seen with every practice today', async () => {
    const snapshot = await read('acme/payments-api');
    const facts = factsOf(toFacts(snapshot, { pavedRoadWorkflows }));
    expect(facts).toMatchObject({
      'branch_protection.enabled': true,
      'branch_protection.branch': 'main',
      'branch_protection.required_reviews': 2,
      'branch_protection.required_status_check_names': ['build', 'dependency-review'],
      'code_review.owner_review': true,
      'code_owners.path': '.github/CODEOWNERS',
      'dependency_alerts.enabled': true,
      'secret_scanning.enabled': true,
      'code_scanning.enabled': true,
      'ci.reusable_workflow': true,
      'dependency_review.enabled': true,
      'dependency_review.required': true,
      'pre_commit.enabled': true,
      'pre_commit.hooks': ['check-yaml', 'end-of-file-fixer', 'detect-private-key', 'gitleaks'],
    });
    const [call] = facts['ci.reusable_workflows'] as any[];
    expect(call).toMatchObject({ workflow: DEMO_PAVED_ROAD, pinned: true, pavedRoad: true });
  });

  it('shows a struggling service on its own legacy workflow, without dependency review or pre-commit', async () => {
    const facts = factsOf(toFacts(await read('acme/legacy-billing'), { pavedRoadWorkflows }));
    expect(facts).toMatchObject({
      'branch_protection.enabled': true,
      'branch_protection.required_reviews': 1,
      'ci.reusable_workflow': false,
      'dependency_review.enabled': false,
    });
    expect(facts['pre_commit.enabled']).not.toBe(true);
    expect((facts['ci.reusable_workflows'] as any[])[0]).toMatchObject({
      workflow: 'acme/legacy-ci/.github/workflows/maven.yml',
      pinned: false,
      pavedRoad: false,
    });
  });

  it('answers as GitHub did on a past day: unprotected before the basics, the standard practices once adopted', async () => {
    const improving = ENTITIES.find(e => e.entity === 'component:default/payments-api')!;
    const plan = demoAdoption(improving.entity, improving.trajectory, DAYS);
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

    const before = factsOf(toFacts(await read('acme/payments-api', day(plan.basics! + 1)), { pavedRoadWorkflows }));
    expect(before).toMatchObject({
      'branch_protection.enabled': false,
      'branch_protection.required_reviews': 0,
      'dependency_alerts.enabled': false,
      'ci.reusable_workflow': false,
      'dependency_review.enabled': false,
      'code_owners.present': false,
    });
    const basics = factsOf(toFacts(await read('acme/payments-api', day(plan.basics!)), { pavedRoadWorkflows }));
    expect(basics).toMatchObject({ 'branch_protection.enabled': true, 'code_review.owner_review': true, 'ci.reusable_workflow': false });
    const standard = factsOf(toFacts(await read('acme/payments-api', day(plan.standard!)), { pavedRoadWorkflows }));
    expect(standard).toMatchObject({ 'ci.reusable_workflow': true, 'dependency_review.enabled': true, 'pre_commit.enabled': true });

    // The past keeps no alerts: the alert lists answer 403, so a past pull uploads no report dated today.
    const past = await read('acme/legacy-billing', day(3));
    expect(past.secretScanningAlerts).toBeUndefined();
    expect(toReports(past)).toEqual([]);
    // Before the history the repository did not exist.
    await expect(read('acme/payments-api', day(DAYS + 1))).rejects.toThrow('HTTP 404');
  });

  it('serves today\'s alerts in GitHub\'s documented shapes, secret scanning without the secret value', async () => {
    const raw = await fetch(`${base}/repos/acme/legacy-billing/secret-scanning/alerts?state=open&hide_secret=true&per_page=100`);
    expect(raw.status).toBe(200);
    const alerts = await raw.json();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'open', secret_type: 'slack_incoming_webhook_url', number: 3 });
    expect(alerts[0]).not.toHaveProperty('secret');
    const template = JSON.parse(readFileSync(resolve(ROOT, 'fixtures/github-api/secret-scanning-alert-open.json'), 'utf8'));
    expect(JSON.stringify(alerts)).not.toContain(template.secret);

    const snapshot = await read('acme/legacy-billing');
    const reports = toReports(snapshot);
    expect(reports.map(r => r.control).sort()).toEqual(['dependency-scan', 'secret-scanning']);
    const dependabot = reports.find(r => r.control === 'dependency-scan')!.body.runs[0] as any;
    expect(dependabot.results).toHaveLength(1);
    expect(dependabot.results[0]).toMatchObject({ ruleId: 'GHSA-8f4m-hccc-8qph', properties: { package: 'ansible', ecosystem: 'pip' } });
    expect(dependabot.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/requirements.txt');
    // An improving team's Dependabot queue is empty: an empty run (it resolves older alerts).
    const empty = toReports(await read('acme/payments-api'));
    expect(empty.map(r => [r.control, (r.body.runs[0] as any).results.length])).toEqual([
      ['sast', 0],
      ['dependency-scan', 0],
      ['secret-scanning', 0],
    ]);
  });

  it('answers GitHub\'s errors: unknown repository, unprotected branch, read-only, and 304 on an unchanged ETag', async () => {
    const unknown = await fetch(`${base}/repos/acme/not-a-demo-repo`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: 'Not Found' });
    const early = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    const unprotected = await fetch(`${base}/as-of/${early}/repos/acme/legacy-billing/branches/main/protection`);
    expect(unprotected.status).toBe(404);
    expect(await unprotected.json()).toMatchObject({ message: 'Branch not protected' });
    expect((await fetch(`${base}/repos/acme/payments-api`, { method: 'POST' })).status).toBe(405);
    const first = await fetch(`${base}/repos/acme/payments-api/branches/main/protection`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(`${base}/repos/acme/payments-api/branches/main/protection`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });
});
