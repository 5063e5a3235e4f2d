import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import {
  GithubAlert,
  GithubPullProvider,
  nextLink,
} from './GithubPullProvider';
import {
  CODE_SCANNING_TOOL,
  DEPENDABOT_TOOL,
  SECRET_SCANNING_TOOL,
  toFacts,
  toReports,
} from './mapping';
import { DevsecopsWriter, syncEntity } from './sync';
import { fixture } from './__testUtils__/fixtures';


const API = 'https://api.github.test';
const REPO = `${API}/repos/acme/payments`;
const NOW = Date.parse('2026-01-01T00:00:00Z');

// Repositories without the files the contents facts read, unless a test says otherwise.
const server = setupServer(
  http.get(`${API}/repos/:owner/:repo/contents/*`, () =>
    HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function provider(
  extra: Partial<ConstructorParameters<typeof GithubPullProvider>[0]> = {},
) {
  return new GithubPullProvider({
    apiBaseUrl: API,
    getHeaders: async () => ({ Authorization: 'token test' }),
    now: () => NOW,
    sleep: async () => {},
    ...extra,
  });
}

const repository = (extra: object = {}) =>
  http.get(REPO, () =>
    HttpResponse.json({
      full_name: 'acme/payments',
      default_branch: 'main',
      security_and_analysis: {
        secret_scanning: { status: 'enabled' },
        dependabot_security_updates: { status: 'enabled' },
      },
      ...extra,
    }),
  );

const secretAlerts = [
  ...fixture('secret-scanning-alert-list.json'),
  fixture('secret-scanning-alert-open.json'),
];

/** A repository with everything on, as GitHub documents it. */
function fullRepository() {
  return [
    repository(),
    http.get(`${REPO}/branches/main/protection`, () =>
      HttpResponse.json(fixture('branch-protection.json')),
    ),
    http.get(`${REPO}/rules/branches/main`, () => HttpResponse.json([])),
    http.get(`${REPO}/code-scanning/alerts`, () =>
      HttpResponse.json(fixture('code-scanning-alert-items.json')),
    ),
    http.get(`${REPO}/dependabot/alerts`, () =>
      HttpResponse.json(fixture('dependabot-alerts-for-repository.json')),
    ),
    // hide_secret ignored: the API returns `secret` anyway.
    http.get(`${REPO}/secret-scanning/alerts`, () =>
      HttpResponse.json(secretAlerts),
    ),
  ];
}

const factMap = (facts: Array<{ fact: string; value: unknown }>) =>
  Object.fromEntries(facts.map(f => [f.fact, f.value]));

describe('GithubPullProvider', () => {
  it('maps a protected repository with every feature on to control facts', async () => {
    server.use(...fullRepository());
    const snapshot = await provider().read('acme/payments');
    const facts = toFacts(snapshot);
    expect(factMap(facts)).toEqual({
      'branch_protection.enabled': true,
      'branch_protection.branch': 'main',
      'branch_protection.required_reviews': 2,
      'branch_protection.required_status_checks': 1,
      'branch_protection.required_status_check_names': [
        'continuous-integration/travis-ci',
      ],
      'branch_protection.require_code_owner_reviews': true,
      'secret_scanning.enabled': true,
      'dependency_alerts.enabled': true,
      'code_scanning.enabled': true,
      // No workflows, pre-commit configuration or CODEOWNERS in this repository (404s).
      'pre_commit.enabled': false,
      'pre_commit.hooks': [],
      'pre_commit.workflow_steps': [],
      'ci.reusable_workflow': false,
      'ci.reusable_workflows': [],
      'dependency_review.enabled': false,
      'dependency_review.required': false,
      'dependency_review.workflow_steps': [],
      'code_owners.present': false,
      'code_review.owner_review': false,
    });
    expect(facts.every(f => f.source === 'github')).toBe(true);
    expect(facts[0].observedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('sends per_page=100, state=open and hide_secret=true', async () => {
    const seen: string[] = [];
    server.use(...fullRepository());
    server.events.on('request:start', ({ request }) => {
      seen.push(request.url);
    });
    await provider().read('acme/payments');
    server.events.removeAllListeners();
    const secret = new URL(seen.find(u => u.includes('secret-scanning'))!);
    expect(secret.searchParams.get('hide_secret')).toBe('true');
    expect(secret.searchParams.get('state')).toBe('open');
    expect(secret.searchParams.get('per_page')).toBe('100');
  });

  it('an unprotected branch (404) and features off (404/403) are facts, not errors', async () => {
    server.use(
      repository({
        security_and_analysis: { secret_scanning: { status: 'disabled' } },
      }),
      http.get(`${REPO}/branches/main/protection`, () =>
        HttpResponse.json({ message: 'Branch not protected' }, { status: 404 }),
      ),
      http.get(`${REPO}/rules/branches/main`, () => HttpResponse.json([])),
      http.get(`${REPO}/code-scanning/alerts`, () =>
        HttpResponse.json({ message: 'no analysis found' }, { status: 404 }),
      ),
      http.get(`${REPO}/dependabot/alerts`, () =>
        HttpResponse.json(
          { message: 'Dependabot alerts are disabled' },
          { status: 403 },
        ),
      ),
      http.get(`${REPO}/secret-scanning/alerts`, () =>
        HttpResponse.json(
          { message: 'Secret scanning is disabled' },
          { status: 404 },
        ),
      ),
    );
    const snapshot = await provider().read('acme/payments');
    expect(factMap(toFacts(snapshot))).toEqual({
      'branch_protection.enabled': false,
      'branch_protection.branch': 'main',
      'branch_protection.required_reviews': 0,
      'branch_protection.required_status_checks': 0,
      'branch_protection.required_status_check_names': [],
      'branch_protection.require_code_owner_reviews': false,
      'secret_scanning.enabled': false,
      'dependency_alerts.enabled': false,
      'code_scanning.enabled': false,
      'pre_commit.enabled': false,
      'pre_commit.hooks': [],
      'pre_commit.workflow_steps': [],
      'ci.reusable_workflow': false,
      'ci.reusable_workflows': [],
      'dependency_review.enabled': false,
      'dependency_review.required': false,
      'dependency_review.workflow_steps': [],
      'code_owners.present': false,
      'code_review.owner_review': false,
    });
    expect(toReports(snapshot)).toEqual([]);
  });

  it('rulesets protect a branch without classic protection', async () => {
    server.use(...fullRepository());
    server.use(
      http.get(`${REPO}/branches/main/protection`, () =>
        HttpResponse.json({ message: 'Branch not protected' }, { status: 404 }),
      ),
      http.get(`${REPO}/rules/branches/main`, () =>
        HttpResponse.json([
          { type: 'deletion', ruleset_id: 1 },
          {
            type: 'pull_request',
            ruleset_id: 1,
            parameters: { required_approving_review_count: 1 },
          },
          {
            type: 'required_status_checks',
            ruleset_id: 2,
            parameters: {
              required_status_checks: [
                { context: 'build' },
                { context: 'test' },
              ],
            },
          },
        ]),
      ),
    );
    const facts = factMap(toFacts(await provider().read('acme/payments')));
    expect(facts['branch_protection.enabled']).toBe(true);
    expect(facts['branch_protection.required_reviews']).toBe(1);
    expect(facts['branch_protection.required_status_checks']).toBe(2);
  });

  it('follows Link rel="next" over 3 pages', async () => {
    const [open] = fixture('code-scanning-alert-items.json');
    const pages = [1, 2, 3].map(page => ({ ...open, number: page }));
    server.use(...fullRepository());
    server.use(
      http.get(`${REPO}/code-scanning/alerts`, ({ request }) => {
        const page = Number(
          new URL(request.url).searchParams.get('page') ?? '1',
        );
        const next =
          page < 3
            ? `<${REPO}/code-scanning/alerts?state=open&per_page=100&page=${
                page + 1
              }>; rel="next", <${REPO}/code-scanning/alerts?state=open&per_page=100&page=3>; rel="last"`
            : `<${REPO}/code-scanning/alerts?state=open&per_page=100&page=1>; rel="first"`;
        return HttpResponse.json([pages[page - 1]], {
          headers: { Link: next },
        });
      }),
    );
    const snapshot = await provider().read('acme/payments');
    expect(snapshot.codeScanningAlerts!.map(a => a.number)).toEqual([1, 2, 3]);
  });

  it('sends If-None-Match and reuses the cached result on 304', async () => {
    const conditional: Array<string | null> = [];
    server.use(...fullRepository());
    server.use(
      http.get(`${REPO}/dependabot/alerts`, ({ request }) => {
        conditional.push(request.headers.get('if-none-match'));
        if (request.headers.get('if-none-match') === '"v1"') {
          return new HttpResponse(null, { status: 304 });
        }
        return HttpResponse.json(
          fixture('dependabot-alerts-for-repository.json'),
          {
            headers: { ETag: '"v1"' },
          },
        );
      }),
    );
    const p = provider();
    const first = await p.read('acme/payments');
    const second = await p.read('acme/payments');
    expect(conditional).toEqual([null, '"v1"']);
    expect(second.dependabotAlerts).toEqual(first.dependabotAlerts);
    expect(second.dependabotAlerts).toHaveLength(2);
  });

  it('waits for the rate limit reset, then succeeds', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    server.use(...fullRepository());
    server.use(
      http.get(REPO, () => {
        calls++;
        if (calls === 1) {
          return HttpResponse.json(
            { message: 'API rate limit exceeded' },
            {
              status: 403,
              headers: {
                'x-ratelimit-remaining': '0',
                'x-ratelimit-reset': String(NOW / 1000 + 30),
              },
            },
          );
        }
        return HttpResponse.json({ default_branch: 'main' });
      }),
    );
    const snapshot = await provider({
      sleep: async ms => {
        sleeps.push(ms);
      },
    }).read('acme/payments');
    expect(calls).toBe(2);
    expect(sleeps).toEqual([31_000]);
    expect(snapshot.defaultBranch).toBe('main');
  });

  it('honours retry-after on secondary rate limits and gives up when the wait is too long', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    server.use(...fullRepository());
    server.use(
      http.get(`${REPO}/secret-scanning/alerts`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { message: 'You have exceeded a secondary rate limit' },
              { status: 403, headers: { 'retry-after': '5' } },
            )
          : HttpResponse.json([]);
      }),
    );
    await provider({ sleep: async ms => void sleeps.push(ms) }).read(
      'acme/payments',
    );
    expect(sleeps).toEqual([5000]);

    server.use(
      http.get(REPO, () =>
        HttpResponse.json(
          {},
          { status: 429, headers: { 'retry-after': '7200' } },
        ),
      ),
    );
    await expect(provider().read('acme/payments')).rejects.toThrow(
      /rate limited/,
    );
  });

  it('parses Link headers', () => {
    expect(
      nextLink(
        '<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"',
      ),
    ).toBe('https://x/a?page=2');
    expect(nextLink('<https://x/a?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

describe('mapping to uploads', () => {
  it('uploads only open alerts, as SARIF with stable driver names', async () => {
    server.use(...fullRepository());
    const reports = toReports(await provider().read('acme/payments'));
    const byTool = Object.fromEntries(
      reports.map(r => [
        (r.body.runs[0] as any).tool.driver.name,
        r.body.runs[0] as any,
      ]),
    );
    expect(Object.keys(byTool).sort()).toEqual(
      [CODE_SCANNING_TOOL, DEPENDABOT_TOOL, SECRET_SCANNING_TOOL].sort(),
    );
    // Dismissed code scanning alert #3 and dismissed Dependabot alert #2 and resolved secret #2 are left out.
    expect(byTool[CODE_SCANNING_TOOL].results).toHaveLength(1);
    expect(
      byTool[CODE_SCANNING_TOOL].results[0].fingerprints['github/alert'],
    ).toBe('acme/payments#code-scanning/4');
    expect(byTool[DEPENDABOT_TOOL].results.map((r: any) => r.ruleId)).toEqual([
      'GHSA-8f4m-hccc-8qph',
    ]);
    expect(byTool[SECRET_SCANNING_TOOL].results).toHaveLength(1);
    expect(
      byTool[SECRET_SCANNING_TOOL].results[0].fingerprints['github/alert'],
    ).toBe('acme/payments#secret-scanning/42');
  });

  it('never uploads a secret value, even when the API returned it', async () => {
    server.use(...fullRepository());
    const snapshot = await provider().read('acme/payments');
    expect(JSON.stringify(snapshot.secretScanningAlerts)).toContain('-us2'); // the API did leak it
    const uploaded = JSON.stringify(toReports(snapshot));
    for (const alert of secretAlerts as GithubAlert[]) {
      expect(uploaded).not.toContain(String(alert.secret));
    }
    expect(uploaded).not.toMatch(/"secret"\s*:/);
  });

  it('an enabled feature without open alerts uploads an empty run (resolves old findings)', async () => {
    server.use(...fullRepository());
    server.use(
      http.get(`${REPO}/code-scanning/alerts`, () =>
        HttpResponse.json(fixture('code-scanning-alert-items.json').slice(1)),
      ),
    );
    const reports = toReports(await provider().read('acme/payments'));
    const code = reports.find(r => r.kind === 'code-scanning')!;
    expect((code.body.runs[0] as any).results).toEqual([]);
  });
});

describe('syncEntity', () => {
  const entity = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
  });

  it('maps the slug annotation to the entity ref and writes facts and reports', async () => {
    server.use(...fullRepository());
    const calls: Array<{ entityRef: string; what: string; query?: object }> =
      [];
    const writer: DevsecopsWriter = {
      postFacts: async entityRef =>
        void calls.push({ entityRef, what: 'facts' }),
      postReport: async (entityRef, _body, query) =>
        void calls.push({ entityRef, what: 'report', query }),
    };
    const result = await syncEntity(
      entity({ 'github.com/project-slug': 'acme/payments' }),
      [provider()],
      writer,
    );
    expect(result).toEqual({
      entityRef: 'component:default/payments-api',
      facts: 19,
      reports: 3,
    });
    expect(calls[0]).toEqual({
      entityRef: 'component:default/payments-api',
      what: 'facts',
    });
    expect(calls.slice(1).map(c => c.query)).toEqual(
      ['sast', 'dependency-scan', 'secret-scanning'].map(control => ({
        format: 'sarif',
        control,
        branch: 'main',
      })),
    );
  });

  it('skips entities without the annotation', async () => {
    const writer: DevsecopsWriter = {
      postFacts: jest.fn(),
      postReport: jest.fn(),
    };
    expect(await syncEntity(entity({}), [provider()], writer)).toBeUndefined();
    expect(writer.postFacts).not.toHaveBeenCalled();
  });
});
