import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createBackendPlugin,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import devsecopsModuleGithub, { readPavedRoadWorkflows, readSchedule } from './index';
import { fixture } from './__testUtils__/fixtures';


const API = 'https://api.github.test';
const REPO = `${API}/repos/acme/payments`;

// Repositories without the files the contents facts read, unless a test says otherwise.
const server = setupServer(
  http.get(`${API}/repos/:owner/:repo/contents/*`, () =>
    HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const devsecopsPlugin = createBackendPlugin({
  pluginId: 'devsecops',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});

describe('devsecopsModuleGithub', () => {
  it('schedules a global task that pulls GitHub for annotated Components and calls the API', async () => {
    let task: SchedulerServiceTaskFunction | undefined;
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async definition => {
        task = definition.fn;
      }),
    });
    const posts: Array<{ url: string; body: string; auth: string | null }> = [];
    server.use(
      http.get(REPO, () => HttpResponse.json({ default_branch: 'main' })),
      http.get(`${REPO}/branches/main/protection`, () =>
        HttpResponse.json(fixture('branch-protection.json')),
      ),
      http.get(`${REPO}/rules/branches/main`, () => HttpResponse.json([])),
      http.get(`${REPO}/code-scanning/alerts`, () =>
        HttpResponse.json(fixture('code-scanning-alert-items.json')),
      ),
      http.get(`${REPO}/dependabot/alerts`, () =>
        HttpResponse.json({ message: 'disabled' }, { status: 403 }),
      ),
      http.get(`${REPO}/secret-scanning/alerts`, () =>
        HttpResponse.json([fixture('secret-scanning-alert-open.json')]),
      ),
      http.post('*/api/devsecops/v1/*', async ({ request }) => {
        posts.push({
          url: request.url,
          body: await request.text(),
          auth: request.headers.get('authorization'),
        });
        return HttpResponse.json({}, { status: 201 });
      }),
    );

    await startTestBackend({
      features: [
        devsecopsPlugin,
        devsecopsModuleGithub,
        scheduler.factory,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'payments-api',
                annotations: { 'github.com/project-slug': 'acme/payments' },
              },
              spec: {},
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'no-github' },
              spec: {},
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                { host: 'github.com', apiBaseUrl: API, token: 'ghp_test' },
              ],
            },
            devsecops: { github: {} },
          },
        }),
      ],
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'devsecops-github-pull',
        scope: 'global',
        frequency: { hours: 6 },
        initialDelay: { minutes: 1 },
      }),
    );
    await task!(new AbortController().signal);

    const paths = posts.map(p => new URL(p.url).pathname);
    expect(paths).toEqual([
      '/api/devsecops/v1/facts',
      '/api/devsecops/v1/reports',
      '/api/devsecops/v1/reports',
    ]);
    const facts = JSON.parse(posts[0].body);
    expect(facts.entityRef).toBe('component:default/payments-api');
    expect(facts.facts).toContainEqual(
      expect.objectContaining({
        fact: 'dependency_alerts.enabled',
        value: false,
      }),
    );
    expect(new URL(posts[1].url).searchParams.get('format')).toBe('sarif');
    expect(posts.every(p => p.auth?.startsWith('Bearer '))).toBe(true);
    expect(posts.map(p => p.body).join()).not.toContain(
      fixture('secret-scanning-alert-open.json').secret,
    );
  });

  it('stays off, calling nobody, unless devsecops.github is configured', async () => {
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        devsecopsPlugin,
        devsecopsModuleGithub,
        scheduler.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });

  it('reads the schedule from config', () => {
    expect(readSchedule(new ConfigReader({})).frequency).toEqual({ hours: 6 });
    expect(
      readSchedule(
        new ConfigReader({
          devsecops: { github: { schedule: '0 */2 * * *' } },
        }),
      ).frequency,
    ).toEqual({ cron: '0 */2 * * *' });
    expect(
      readSchedule(
        new ConfigReader({
          devsecops: { github: { schedule: { minutes: 30 } } },
        }),
      ).frequency,
    ).toEqual({ minutes: 30 });
    // Only when triggered (the demo portal triggers it once its history is in).
    // (without the initial delay, after which the scheduler would run it anyway).
    expect(readSchedule(new ConfigReader({ devsecops: { github: { schedule: 'manual' } } }))).toEqual({
      frequency: { trigger: 'manual' },
      timeout: { hours: 1 },
      scope: 'global',
    });
  });

  it('reads the paved-road workflows and refuses entries that are not owner/repo/path without a ref', () => {
    const read = (pavedRoadWorkflows: string[]) =>
      readPavedRoadWorkflows(new ConfigReader({ devsecops: { github: { pavedRoadWorkflows } } }));
    expect(readPavedRoadWorkflows(new ConfigReader({ devsecops: { github: {} } }))).toEqual([]);
    expect(read(['acme/platform-workflows/.github/workflows/build.yml'])).toEqual([
      'acme/platform-workflows/.github/workflows/build.yml',
    ]);
    expect(() => read(['acme/platform-workflows/.github/workflows/build.yml@v2'])).toThrow(
      /devsecops.github.pavedRoadWorkflows entry .*without @ref/,
    );
    expect(() => read(['build.yml'])).toThrow(/expected owner\/repo\/.github\/workflows\/file.yml/);
  });
});
