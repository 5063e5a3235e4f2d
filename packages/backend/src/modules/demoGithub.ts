import {
  coreServices,
  createBackendPlugin,
  HttpRouterService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { refuseDemoInProduction } from './demoEvidence';
import { answerDemoGithub, DemoGithubContext, DemoGithubTemplates } from './demoGithubApi';
import { DemoHistoryEntity, Trajectory } from './demoHistory';

/** The demo history's entities, as `devsecopsDemo.history` lists them. */
export function readDemoHistoryEntities(config: Config): DemoHistoryEntity[] {
  return (config.getOptionalConfigArray('devsecopsDemo.history.entities') ?? []).map(e => ({
    entity: e.getString('entity'),
    trajectory: (e.getOptionalString('trajectory') ?? 'steady') as Trajectory,
    deployable: e.getOptionalBoolean('deployable') ?? true,
  }));
}

/** GitHub's documented example responses (fixtures/github-api) the demo's answers are built from. */
export function readDemoGithubTemplates(root: string): DemoGithubTemplates {
  const read = (name: string) => JSON.parse(readFileSync(resolve(root, 'fixtures/github-api', name), 'utf8'));
  return {
    branchProtection: read('branch-protection.json'),
    dependabotAlert: read('dependabot-alert-open.json'),
    secretScanningAlert: read('secret-scanning-alert-open.json'),
  };
}

type Handler = Parameters<HttpRouterService['use']>[0];

/**
 * The demo's GitHub REST API as a request handler: `GET /github/<GitHub API path>` answers as
 * GitHub does today, `GET /github/as-of/<YYYY-MM-DD>/<GitHub API path>` as it did that day.
 */
export function demoGithubHandler(context: DemoGithubContext): Handler {
  return (req, res, next) => {
    const match = /^\/github(?:\/as-of\/(\d{4}-\d{2}-\d{2}))?(\/.*)$/.exec(req.path);
    if (!match) {
      next();
      return;
    }
    if (req.method !== 'GET') {
      res.status(405).json({ message: 'The demo GitHub API is read-only', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const ifNoneMatch = req.header('if-none-match');
    const answer = answerDemoGithub({ path: match[2], asOf: match[1], ifNoneMatch }, context);
    res.set({ 'x-github-api-version-selected': '2022-11-28', ...answer.headers });
    if (answer.body === undefined) res.status(answer.status).end();
    else res.status(answer.status).json(answer.body);
  };
}

/**
 * Demo only: a fake GitHub REST API for the demo organisation's repositories (`acme/<entity
 * name>`), served by the demo backend at `/api/devsecops-demo/github`. app-config.demo.yaml points
 * the GitHub integration's `apiBaseUrl` at it, so the GitHub module pulls the demo's branch
 * protection, workflows, pre-commit configuration, CODEOWNERS and alerts exactly as it would from
 * github.com. Unauthenticated (GitHub's own API is reached without a Backstage token) and
 * read-only; refused with NODE_ENV=production like the rest of the demo; off without
 * `devsecopsDemo.history`.
 */
export const demoGithubPlugin = createBackendPlugin({
  pluginId: 'devsecops-demo',
  register(env) {
    env.registerInit({
      deps: { config: coreServices.rootConfig, httpRouter: coreServices.httpRouter, logger: coreServices.logger },
      async init({ config, httpRouter, logger }) {
        refuseDemoInProduction(config);
        const entities = readDemoHistoryEntities(config);
        const days = config.getOptionalNumber('devsecopsDemo.history.days') ?? 0;
        if (entities.length === 0 || days <= 0) return;
        const root = resolve(config.getOptionalString('devsecopsDemo.root') ?? '../..');
        httpRouter.use(demoGithubHandler({ entities, days, templates: readDemoGithubTemplates(root) }));
        httpRouter.addAuthPolicy({ path: '/github', allow: 'unauthenticated' });
        logger.info(`Demo GitHub API for ${entities.length} repositories at /api/devsecops-demo/github`);
      },
    });
  },
});
