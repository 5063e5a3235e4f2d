import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createBackendPlugin,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams, EventsServiceSubscribeOptions } from '@backstage/plugin-events-node';
import { ControlChangedEvent } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  CONTROL_ISSUE_LABEL,
  devsecopsGithubIssuesModule,
  failingSinceDay,
  issueMarker,
  readGithubIssuesConfig,
} from '../index';
import { fixture } from '../__testUtils__/fixtures';

const API = 'https://api.github.test';
const REPO = `${API}/repos/acme/payments`;
const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const REF = 'component:default/payments-api';

/** A repository's issues as GitHub would keep them, built from GitHub's documented example issue. */
function githubRepository() {
  const issues: Array<Record<string, any>> = [];
  const calls: string[] = [];
  const comments: Array<{ number: number; body: string }> = [];
  const handlers = [
    http.get(`${REPO}/issues`, ({ request }) => {
      const url = new URL(request.url);
      calls.push(`GET /issues?${url.searchParams}`);
      const label = url.searchParams.get('labels');
      return HttpResponse.json(
        issues.filter(
          i => i.state === 'open' && (!label || i.labels.some((l: { name: string }) => l.name === label)),
        ),
      );
    }),
    http.post(`${REPO}/issues`, async ({ request }) => {
      const input = (await request.json()) as { title: string; body: string; labels: string[] };
      calls.push(`POST /issues`);
      // GitHub's example issue is a pull request's issue; an issue opened here is not one.
      const { pull_request: _pr, ...example } = fixture('issue.json');
      const issue = {
        ...example,
        number: 1347 + issues.length,
        html_url: `https://github.com/acme/payments/issues/${1347 + issues.length}`,
        title: input.title,
        body: input.body,
        labels: input.labels.map(name => ({ ...example.labels[0], name })),
        state: 'open',
      };
      issues.push(issue);
      return HttpResponse.json(issue, { status: 201 });
    }),
    http.post(`${REPO}/issues/:number/comments`, async ({ request, params }) => {
      calls.push(`POST /issues/${params.number}/comments`);
      comments.push({ number: Number(params.number), body: ((await request.json()) as { body: string }).body });
      return HttpResponse.json({ id: 1 }, { status: 201 });
    }),
    http.patch(`${REPO}/issues/:number`, async ({ request, params }) => {
      const patch = (await request.json()) as Record<string, string>;
      calls.push(`PATCH /issues/${params.number} ${patch.state}`);
      const issue = issues.find(i => i.number === Number(params.number))!;
      Object.assign(issue, patch);
      return HttpResponse.json(issue);
    }),
  ];
  return { issues, calls, comments, handlers };
}

/** The devsecops plugin's API: the stored controls and daily snapshots the module reads. */
function devsecopsApi(state: { control: string; failingDays: number }) {
  const reads: Array<{ path: string; auth: string | null }> = [];
  return {
    reads,
    handlers: [
      http.get('*/api/devsecops/v1/scorecards', ({ request }) => {
        reads.push({ path: new URL(request.url).pathname, auth: request.headers.get('authorization') });
        return HttpResponse.json({
          entityRef: REF,
          controls: [
            {
              controlId: 'dependency-scan',
              title: 'Dependency scanning',
              state: state.control,
              reason: state.control === 'failing' ? '2 open findings at critical or above' : 'No open finding at critical or above',
            },
            { controlId: 'sbom', title: 'SBOM', state: 'passing', reason: 'An SBOM is recorded' },
          ],
        });
      }),
      http.get('*/api/devsecops/v1/scorecards/history', ({ request }) => {
        const days = Number(new URL(request.url).searchParams.get('days'));
        reads.push({ path: `${new URL(request.url).pathname}?days=${days}`, auth: request.headers.get('authorization') });
        // One snapshot a day for `days` days up to today; the control failed on the last `failingDays`.
        const snapshots = Array.from({ length: days }, (_, i) => {
          const ago = days - 1 - i;
          return {
            day: new Date(NOW - ago * 86_400_000).toISOString().slice(0, 10),
            controlStates: { 'dependency-scan': ago < state.failingDays ? 'failing' : 'passing', sbom: 'passing' },
          };
        });
        return HttpResponse.json({ entityRef: REF, snapshots });
      }),
    ],
  };
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const devsecopsPlugin = createBackendPlugin({
  pluginId: 'devsecops',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});

const payments = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', annotations: { 'github.com/project-slug': 'acme/payments' } },
  spec: { owner: 'group:default/team-payments' },
};
const noRepository = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'no-github' },
  spec: { owner: 'group:default/team-payments' },
};

async function start(options: { issues?: Record<string, unknown> } = {}) {
  let subscriber: EventsServiceSubscribeOptions | undefined;
  let task: SchedulerServiceTaskFunction | undefined;
  const events = mockServices.events.mock({
    subscribe: jest.fn(async s => {
      subscriber = s;
    }),
  });
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: jest.fn(async definition => {
      task = definition.fn;
    }),
  });
  const logger = mockServices.logger.mock();
  await startTestBackend({
    features: [
      devsecopsPlugin,
      devsecopsGithubIssuesModule,
      events.factory,
      scheduler.factory,
      logger.factory,
      catalogServiceMock.factory({ entities: [payments, noRepository] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'https://portal.acme.test' },
          integrations: { github: [{ host: 'github.com', apiBaseUrl: API, token: 'ghp_test' }] },
          devsecops: { github: { issues: { enabled: true, ...options.issues } } },
        },
      }),
    ],
  });
  const deliver = (payload: Partial<ControlChangedEvent>) =>
    subscriber!.onEvent({
      topic: 'devsecops.control.changed',
      eventPayload: {
        entityRef: REF,
        controlId: 'dependency-scan',
        to: 'failing',
        reason: '2 open findings at critical or above',
        at: new Date(NOW).toISOString(),
        link: '/catalog/default/component/payments-api/security#control-dependency-scan',
        ...payload,
      },
    } as EventParams);
  return { subscriber, task, scheduler, events, logger, deliver };
}

describe('devsecopsGithubIssuesModule', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  it('subscribes to devsecops.control.changed and schedules a global check', async () => {
    const { subscriber, scheduler } = await start();
    expect(subscriber).toMatchObject({ id: 'devsecops-github-issues', topics: ['devsecops.control.changed'] });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'devsecops-github-issues', scope: 'global', frequency: { hours: 6 } }),
    );
  });

  it('opens one issue for a control failing longer than openAfterDays, with the title, body, label and portal link', async () => {
    const github = githubRepository();
    const api = devsecopsApi({ control: 'failing', failingDays: 9 });
    server.use(...github.handlers, ...api.handlers);
    const { deliver } = await start();

    await deliver({ to: 'failing', from: 'passing' });

    expect(github.issues).toHaveLength(1);
    const [issue] = github.issues;
    expect(issue.title).toBe('DevSecOps: Dependency scanning failing for payments-api');
    expect(issue.labels.map((l: { name: string }) => l.name)).toEqual([CONTROL_ISSUE_LABEL]);
    expect(issue.body).toContain('**Dependency scanning** (`dependency-scan`) failing for `component:default/payments-api` since 2026-11-28');
    expect(issue.body).toContain('> 2 open findings at critical or above');
    expect(issue.body).toContain(
      'https://portal.acme.test/catalog/default/component/payments-api/security#control-dependency-scan',
    );
    expect(issue.body).toContain(issueMarker(REF, 'dependency-scan'));
    // The plugin's API is read with a service token; 7 days + 2 of history.
    expect(api.reads.map(r => r.path)).toEqual([
      '/api/devsecops/v1/scorecards',
      '/api/devsecops/v1/scorecards/history?days=9',
    ]);
    expect(api.reads.every(r => r.auth?.startsWith('Bearer '))).toBe(true);

    // A re-delivery and the scheduled check (another instance's, say) find the open issue by its marker.
    await deliver({ to: 'failing', from: 'passing' });
    expect(github.issues).toHaveLength(1);
    expect(github.calls.filter(c => c === 'POST /issues')).toHaveLength(1);
  });

  it('a second instance with the same GitHub repository does not open a duplicate', async () => {
    const github = githubRepository();
    server.use(...github.handlers, ...devsecopsApi({ control: 'failing', failingDays: 30 }).handlers);
    const first = await start();
    const second = await start();
    await first.task!(new AbortController().signal);
    await second.deliver({ to: 'failing' });
    await second.task!(new AbortController().signal);
    expect(github.issues).toHaveLength(1);
  });

  it('two instances opening at the same moment leave one issue open: the later is closed as a duplicate of the first', async () => {
    const github = githubRepository();
    server.use(...github.handlers, ...devsecopsApi({ control: 'failing', failingDays: 30 }).handlers);
    const first = await start();
    const second = await start();
    // Both list before either opens: both open one.
    await Promise.all([first.deliver({ to: 'failing' }), second.deliver({ to: 'failing' })]);
    expect(github.calls.filter(c => c === 'POST /issues')).toHaveLength(2);
    expect(github.issues.filter(i => i.state === 'open').map(i => i.number)).toEqual([1347]);
    expect(github.issues.find(i => i.number === 1348)).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(github.comments).toContainEqual({ number: 1348, body: 'Duplicate of #1347.' });
  });

  it('does nothing while the control has failed fewer than openAfterDays days', async () => {
    const github = githubRepository();
    server.use(...github.handlers, ...devsecopsApi({ control: 'failing', failingDays: 3 }).handlers);
    const { deliver, task } = await start();
    await deliver({ to: 'failing' });
    await task!(new AbortController().signal);
    expect(github.issues).toHaveLength(0);
    expect(github.calls.filter(c => c.startsWith('POST'))).toEqual([]);
  });

  it('honours openAfterDays from config: 3 days failing opens with openAfterDays 3', async () => {
    const github = githubRepository();
    const api = devsecopsApi({ control: 'failing', failingDays: 4 });
    server.use(...github.handlers, ...api.handlers);
    const { task } = await start({ issues: { openAfterDays: 3 } });
    await task!(new AbortController().signal);
    expect(github.issues).toHaveLength(1);
    expect(api.reads.map(r => r.path)).toContain('/api/devsecops/v1/scorecards/history?days=5');
  });

  it('comments and closes the issue when the control passes again', async () => {
    const github = githubRepository();
    const state = { control: 'failing', failingDays: 10 };
    server.use(...github.handlers, ...devsecopsApi(state).handlers);
    const { deliver } = await start();
    await deliver({ to: 'failing' });
    expect(github.issues[0].state).toBe('open');

    state.control = 'passing';
    await deliver({ from: 'failing', to: 'passing', reason: 'No open finding at critical or above' });
    expect(github.issues[0].state).toBe('closed');
    expect(github.issues[0].state_reason).toBe('completed');
    expect(github.comments).toEqual([
      {
        number: github.issues[0].number,
        body: `The DevSecOps scorecard reports this control passes again (${new Date(NOW).toISOString()}): No open finding at critical or above`,
      },
    ]);
    // A repeated passing event finds no open issue: nothing more is sent.
    const before = github.calls.length;
    await deliver({ from: 'failing', to: 'passing' });
    expect(github.calls.slice(before)).toEqual([`GET /issues?state=open&labels=${CONTROL_ISSUE_LABEL}&per_page=100`]);
  });

  it('the scheduled check closes an issue whose passing event was missed', async () => {
    const github = githubRepository();
    const state = { control: 'failing', failingDays: 10 };
    server.use(...github.handlers, ...devsecopsApi(state).handlers);
    const { task } = await start();
    await task!(new AbortController().signal);
    expect(github.issues.map(i => i.state)).toEqual(['open']);
    state.control = 'passing';
    await task!(new AbortController().signal);
    expect(github.issues.map(i => i.state)).toEqual(['closed']);
  });

  it('an entity without a github.com/project-slug annotation gets nothing, and it is logged', async () => {
    const github = githubRepository();
    server.use(...github.handlers, ...devsecopsApi({ control: 'failing', failingDays: 30 }).handlers);
    const { deliver, logger } = await start();
    await deliver({ entityRef: 'component:default/no-github', to: 'failing' });
    expect(github.calls).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      'No GitHub issue for component:default/no-github: no github.com/project-slug annotation',
    );
  });

  it('a GitHub refusal is logged, never thrown at the events service', async () => {
    server.use(
      http.get(`${REPO}/issues`, () => HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403 })),
      ...devsecopsApi({ control: 'failing', failingDays: 30 }).handlers,
    );
    const { deliver, logger } = await start();
    await expect(deliver({ to: 'failing' })).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('GitHub issue for component:default/payments-api dependency-scan failed: GithubApiError: GitHub GET /repos/acme/payments/issues: HTTP 403'),
    );
  });

  it('is off unless enabled: no subscription, no task', async () => {
    const events = mockServices.events.mock();
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        devsecopsPlugin,
        devsecopsGithubIssuesModule,
        events.factory,
        scheduler.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: { devsecops: { github: {} } } }),
      ],
    });
    expect(events.subscribe).not.toHaveBeenCalled();
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});

describe('failingSinceDay', () => {
  const day = (d: string, state: string) => ({ day: d, controlStates: { c: state } });
  it('is the first day of the unbroken failing run ending at the newest snapshot', () => {
    expect(
      failingSinceDay([day('2026-12-01', 'passing'), day('2026-12-02', 'failing'), day('2026-12-03', 'failing')], 'c'),
    ).toBe('2026-12-02');
  });
  it('a missing day ends the run; a newest snapshot not failing gives none', () => {
    expect(failingSinceDay([day('2026-12-01', 'failing'), day('2026-12-03', 'failing')], 'c')).toBe('2026-12-03');
    expect(failingSinceDay([day('2026-12-01', 'failing'), day('2026-12-02', 'stale')], 'c')).toBeUndefined();
    expect(failingSinceDay([], 'c')).toBeUndefined();
  });
});

describe('readGithubIssuesConfig', () => {
  it('defaults: off, 7 days, every 6 hours once across instances', () => {
    expect(readGithubIssuesConfig(new ConfigReader({}))).toMatchObject({
      enabled: false,
      openAfterDays: 7,
      schedule: { frequency: { hours: 6 }, scope: 'global' },
    });
  });
  it('reads a cron schedule and refuses a negative or fractional openAfterDays, naming the key', () => {
    expect(
      readGithubIssuesConfig(
        new ConfigReader({ devsecops: { github: { issues: { enabled: true, schedule: '0 8 * * *' } } } }),
      ).schedule.frequency,
    ).toEqual({ cron: '0 8 * * *' });
    expect(() =>
      readGithubIssuesConfig(new ConfigReader({ devsecops: { github: { issues: { openAfterDays: -1 } } } })),
    ).toThrow('Invalid devsecops.github.issues.openAfterDays -1');
    expect(() =>
      readGithubIssuesConfig(new ConfigReader({ devsecops: { github: { issues: { openAfterDays: 1.5 } } } })),
    ).toThrow('Invalid devsecops.github.issues.openAfterDays 1.5');
  });
});
