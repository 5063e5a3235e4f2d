import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { GithubPullProvider } from './GithubPullProvider';
import { toFacts } from './mapping';
import { parseReusableWorkflowRef } from './repositoryContents';
import { fixture } from './__testUtils__/fixtures';

const API = 'https://api.github.test';
const REPO = `${API}/repos/acme/payments`;
const NOW = Date.parse('2026-01-01T00:00:00Z');
const PLATFORM_SHA = '8f4b7f84864484a7bf31766abe9204da3cbe65b3';
const PAVED_ROAD = 'acme/platform-workflows/.github/workflows/build.yml';

const notFound = () => HttpResponse.json({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' }, { status: 404 });

const server = setupServer(http.get(`${REPO}/contents/*`, notFound));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** GitHub's "get repository content" answer for a file: base64 wrapped at 60 characters, as the API does. */
function contentFile(path: string, text: string) {
  const template = fixture('content-file.json');
  const name = path.split('/').pop()!;
  const content = (Buffer.from(text, 'utf8').toString('base64').match(/.{1,60}/g) ?? []).join('\n');
  return {
    ...template,
    name,
    path,
    size: Buffer.byteLength(text),
    content: `${content}\n`,
    url: `${REPO}/contents/${path}?ref=main`,
    html_url: `https://github.com/acme/payments/blob/main/${path}`,
    download_url: `https://raw.githubusercontent.com/acme/payments/main/${path}`,
  };
}

/** GitHub's answer for a directory: one entry per file, shaped like the documented example. */
function contentDirectory(dir: string, names: string[]) {
  const [template] = fixture('content-directory.json');
  return names.map(name => ({
    ...template,
    name,
    path: `${dir}/${name}`,
    url: `${REPO}/contents/${dir}/${name}?ref=main`,
    html_url: `https://github.com/acme/payments/blob/main/${dir}/${name}`,
    download_url: `https://raw.githubusercontent.com/acme/payments/main/${dir}/${name}`,
  }));
}

const PRE_COMMIT_CONFIG = `# See https://pre-commit.com for more information
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
    -   id: trailing-whitespace
    -   id: end-of-file-fixer
    -   id: check-yaml
    -   id: detect-private-key
-   repo: https://github.com/gitleaks/gitleaks
    rev: v8.18.4
    hooks:
    -   id: gitleaks
`;

const CI = `name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  build:
    uses: acme/platform-workflows/.github/workflows/build.yml@${PLATFORM_SHA}
    with:
      node-version: 22
    secrets: inherit
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: |
          pip install pre-commit
          pre-commit run --all-files --show-diff-on-failure
`;

const DEPENDENCY_REVIEW = `name: 'Dependency Review'
on: [pull_request]

permissions:
  contents: read

jobs:
  dependency-review:
    runs-on: ubuntu-latest
    steps:
      - name: 'Checkout Repository'
        uses: actions/checkout@v4
      - name: 'Dependency Review'
        uses: actions/dependency-review-action@v4
        with:
          fail-on-severity: high
`;

const RELEASE = `name: Release
on:
  push:
    tags: ['v*']
jobs:
  publish:
    uses: acme/release-tools/.github/workflows/publish.yml@v2
    secrets: inherit
  local:
    uses: ./.github/workflows/notify.yml
`;

const CODEOWNERS = `# Payments owns everything; platform reviews the pipeline.
*                    @acme/team-payments
/.github/workflows/  @acme/platform
`;

function files(map: Record<string, string>, workflows: string[] = []) {
  return [
    http.get(`${REPO}/contents/.github/workflows`, () =>
      workflows.length ? HttpResponse.json(contentDirectory('.github/workflows', workflows)) : notFound(),
    ),
    ...Object.entries(map).map(([path, text]) =>
      http.get(`${REPO}/contents/${path}`, () => HttpResponse.json(contentFile(path, text))),
    ),
  ];
}

function repository(classic: object | null, rules: object[] = []) {
  return [
    http.get(REPO, () => HttpResponse.json({ full_name: 'acme/payments', default_branch: 'main' })),
    http.get(`${REPO}/branches/main/protection`, () =>
      classic ? HttpResponse.json(classic) : HttpResponse.json({ message: 'Branch not protected' }, { status: 404 }),
    ),
    http.get(`${REPO}/rules/branches/main`, () => HttpResponse.json(rules)),
    http.get(`${REPO}/code-scanning/alerts`, () => HttpResponse.json({ message: 'no analysis found' }, { status: 404 })),
    http.get(`${REPO}/dependabot/alerts`, () => HttpResponse.json([])),
    http.get(`${REPO}/secret-scanning/alerts`, () => HttpResponse.json([])),
  ];
}

/** Classic protection as GitHub documents it, requiring the given checks. */
function protection(contexts: string[], requireCodeOwnerReviews = true) {
  const documented = fixture('branch-protection.json');
  return {
    ...documented,
    required_status_checks: { ...documented.required_status_checks, contexts, checks: contexts.map(context => ({ context, app_id: null })) },
    required_pull_request_reviews: {
      ...documented.required_pull_request_reviews,
      require_code_owner_reviews: requireCodeOwnerReviews,
    },
  };
}

const provider = () =>
  new GithubPullProvider({ apiBaseUrl: API, getHeaders: async () => ({ Authorization: 'token test' }), now: () => NOW, sleep: async () => {} });

const facts = async (options = {}) =>
  Object.fromEntries(toFacts(await provider().read('acme/payments'), options).map(f => [f.fact, f.value]));

const ALL_WORKFLOWS = ['ci.yml', 'dependency-review.yml', 'release.yaml', 'README.md'];
const allFiles = () =>
  files(
    {
      '.pre-commit-config.yaml': PRE_COMMIT_CONFIG,
      '.github/workflows/ci.yml': CI,
      '.github/workflows/dependency-review.yml': DEPENDENCY_REVIEW,
      '.github/workflows/release.yaml': RELEASE,
      '.github/CODEOWNERS': CODEOWNERS,
    },
    ALL_WORKFLOWS,
  );

describe('repository contents facts', () => {
  it('reads pre-commit, reusable workflows, dependency review and code owners from the default branch', async () => {
    const seen: string[] = [];
    server.events.on('request:start', ({ request }) => void seen.push(request.url));
    server.use(...repository(protection(['build / test', 'dependency-review'])), ...allFiles());
    const result = await facts({ pavedRoadWorkflows: [PAVED_ROAD] });
    server.events.removeAllListeners();

    expect(result['pre_commit.enabled']).toBe(true);
    expect(result['pre_commit.hooks']).toEqual(['trailing-whitespace', 'end-of-file-fixer', 'check-yaml', 'detect-private-key', 'gitleaks']);
    expect(result['pre_commit.workflow_steps']).toEqual(['.github/workflows/ci.yml#lint']);

    expect(result['ci.reusable_workflow']).toBe(true);
    expect(result['ci.reusable_workflows']).toEqual([
      { caller: '.github/workflows/ci.yml', job: 'build', workflow: PAVED_ROAD, ref: PLATFORM_SHA, pinned: true, pavedRoad: true },
      {
        caller: '.github/workflows/release.yaml',
        job: 'publish',
        workflow: 'acme/release-tools/.github/workflows/publish.yml',
        ref: 'v2',
        pinned: false,
        pavedRoad: false,
      },
    ]);

    expect(result['dependency_review.enabled']).toBe(true);
    expect(result['dependency_review.required']).toBe(true);
    expect(result['dependency_review.workflow_steps']).toEqual(['.github/workflows/dependency-review.yml#dependency-review']);

    expect(result['branch_protection.required_status_checks']).toBe(2);
    expect(result['branch_protection.require_code_owner_reviews']).toBe(true);
    expect(result['code_owners.present']).toBe(true);
    expect(result['code_owners.path']).toBe('.github/CODEOWNERS');
    expect(result['code_review.owner_review']).toBe(true);

    // Contents at the default branch; the README in the workflow directory is not read.
    const contents = seen.filter(u => u.includes('/contents/'));
    expect(contents.every(u => new URL(u).searchParams.get('ref') === 'main')).toBe(true);
    expect(contents.some(u => u.includes('README.md'))).toBe(false);
  });

  it('counts only the configured paved road when one is configured', async () => {
    server.use(
      ...repository(protection([])),
      ...files({ '.github/workflows/release.yaml': RELEASE }, ['release.yaml']),
    );
    expect((await facts({ pavedRoadWorkflows: [PAVED_ROAD] }))['ci.reusable_workflow']).toBe(false);
    // Without a paved road, a call to another repository's workflow counts; a local one does not.
    expect((await facts())['ci.reusable_workflow']).toBe(true);
  });

  it('does not count dependency review outside pull requests, nor a pre-commit configuration without hooks', async () => {
    const pushOnly = DEPENDENCY_REVIEW.replace('on: [pull_request]', 'on:\n  push:\n    branches: [main]');
    server.use(
      ...repository(protection(['continuous-integration'], false)),
      ...files(
        { '.github/workflows/dependency-review.yml': pushOnly, '.pre-commit-config.yaml': 'repos: []\n', 'CODEOWNERS': CODEOWNERS },
        ['dependency-review.yml'],
      ),
    );
    const result = await facts();
    expect(result['dependency_review.enabled']).toBe(false);
    expect(result['dependency_review.required']).toBe(false);
    expect(result['pre_commit.enabled']).toBe(false);
    expect(result['code_owners.path']).toBe('CODEOWNERS');
    // CODEOWNERS without a protection that requires code owner review is no owner review.
    expect(result['code_review.owner_review']).toBe(false);
  });

  it('takes dependency review as a required check and code owner review from rulesets', async () => {
    server.use(
      ...repository(null, [
        {
          type: 'pull_request',
          ruleset_source_type: 'Organization',
          ruleset_source: 'acme',
          ruleset_id: 73,
          parameters: {
            dismiss_stale_reviews_on_push: true,
            require_code_owner_review: true,
            require_last_push_approval: false,
            required_approving_review_count: 1,
            required_review_thread_resolution: false,
          },
        },
        {
          type: 'required_status_checks',
          ruleset_source_type: 'Organization',
          ruleset_source: 'acme',
          ruleset_id: 73,
          parameters: {
            strict_required_status_checks_policy: false,
            required_status_checks: [{ context: 'Dependency Review' }, { context: 'build' }],
          },
        },
      ]),
      ...files({ 'docs/CODEOWNERS': CODEOWNERS }),
    );
    const result = await facts();
    expect(result['dependency_review.enabled']).toBe(true);
    expect(result['dependency_review.required']).toBe(true);
    expect(result['dependency_review.workflow_steps']).toEqual([]);
    expect(result['branch_protection.require_code_owner_reviews']).toBe(true);
    expect(result['code_owners.path']).toBe('docs/CODEOWNERS');
    expect(result['code_review.owner_review']).toBe(true);
    expect(result['ci.reusable_workflow']).toBe(false);
  });

  it('names a workflow that is not valid YAML and still reads the others', async () => {
    server.use(
      ...repository(protection([])),
      ...files(
        { '.github/workflows/broken.yml': 'jobs:\n  build:\n    steps: [\n', '.github/workflows/ci.yml': CI },
        ['broken.yml', 'ci.yml'],
      ),
    );
    const result = await facts();
    expect(result['ci.unparsable_workflows']).toEqual(['.github/workflows/broken.yml']);
    expect(result['ci.reusable_workflow']).toBe(true);
  });

  it('leaves facts out when the contents are not readable (403)', async () => {
    const forbidden = () => HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403 });
    server.use(...repository(protection([])), http.get(`${REPO}/contents/*`, forbidden));
    const result = await facts();
    for (const name of ['pre_commit.enabled', 'ci.reusable_workflow', 'dependency_review.enabled', 'code_owners.present', 'code_review.owner_review']) {
      expect(result).not.toHaveProperty([name]);
    }
    expect(result['branch_protection.enabled']).toBe(true);
  });

  it('revalidates contents with If-None-Match and reuses them on 304', async () => {
    const conditional: Array<string | null> = [];
    server.use(
      ...repository(protection([])),
      ...files({}, ['ci.yml']),
      http.get(`${REPO}/contents/.github/workflows/ci.yml`, ({ request }) => {
        conditional.push(request.headers.get('if-none-match'));
        if (request.headers.get('if-none-match') === '"w1"') return new HttpResponse(null, { status: 304 });
        return HttpResponse.json(contentFile('.github/workflows/ci.yml', CI), { headers: { ETag: '"w1"' } });
      }),
    );
    const p = provider();
    const first = toFacts(await p.read('acme/payments'));
    const second = toFacts(await p.read('acme/payments'));
    expect(conditional).toEqual([null, '"w1"']);
    expect(second).toEqual(first);
    expect(first.find(f => f.fact === 'ci.reusable_workflow')?.value).toBe(true);
  });

  it('parses reusable workflow references', () => {
    expect(parseReusableWorkflowRef(`octo-org/example-repo/.github/workflows/reusable.yml@${PLATFORM_SHA}`)).toEqual({
      workflow: 'octo-org/example-repo/.github/workflows/reusable.yml',
      ref: PLATFORM_SHA,
      pinned: true,
    });
    expect(parseReusableWorkflowRef('octo-org/example-repo/.github/workflows/reusable.yml@main')?.pinned).toBe(false);
    expect(parseReusableWorkflowRef('./.github/workflows/workflow-2.yml')).toBeUndefined();
    expect(parseReusableWorkflowRef('octo-org/example-repo@v1')).toBeUndefined();
  });
});
