import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { httpWriter, readPavedRoadWorkflows } from '@devsecops-scorecard/plugin-devsecops-backend-module-github';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runDemoGithubPull } from './demoGithubPull';
import {
  DemoCall,
  DemoHistoryEntity,
  planDemoActivity,
  planDemoHistory,
  Trajectory,
} from './demoHistory';

/** The paths of the pipeline's calls. No `/v1/facts`: the demo's facts come from the GitHub module. */
const PATHS: Record<Exclude<DemoCall['kind'], 'report' | 'human-attestation' | 'audit-export' | 'github-pull'>, string> = {
  deployment: '/v1/deployments',
  'runtime-signal': '/v1/runtime-signals',
  snapshot: '/v1/scorecards/snapshots',
};

/**
 * The demo never runs in production: with NODE_ENV=production a configured `devsecopsDemo` stops
 * the backend (its fake history would be uploaded for any real entity named like a demo one);
 * app-config.demo.yaml, which holds it, is for `npm start` only.
 */
export function refuseDemoInProduction(
  config: { has(key: string): boolean },
  nodeEnv: string | undefined = process.env.NODE_ENV,
): void {
  if (nodeEnv === 'production' && config.has('devsecopsDemo')) {
    throw new Error(
      'The demo data module refuses to run with NODE_ENV=production: devsecopsDemo is configured. ' +
        'It belongs to app-config.demo.yaml, which only `npm start` loads; start production with ' +
        '--config app-config.yaml --config app-config.production.yaml and without the demo file.',
    );
  }
}

/**
 * Demo only: after start, replays `devsecopsDemo.history` (a generated history of
 * `days` days for the listed entities, see demoHistory.ts; its repository facts are the GitHub
 * module's weekly pulls of the demo's GitHub API, demoGithub.ts; its control-failure reviews and
 * template feedback are made as the demo personas), then uploads the reports and deployments
 * listed under `devsecopsDemo.evidence` as today's, all through the devsecops API as CI pipelines
 * would, so the local portal has scorecards and trends to show. It posts no fact: today's
 * repository facts come from the GitHub module's scheduled pull (app-config.demo.yaml). Off
 * unless those keys are present.
 */
export const demoEvidenceModule = createBackendModule({
  pluginId: 'devsecops',
  moduleId: 'demo-evidence',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        lifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
      },
      async init({ config, logger, auth, discovery, lifecycle, scheduler }) {
        refuseDemoInProduction(config);
        const items = config.getOptionalConfigArray('devsecopsDemo.evidence') ?? [];
        const historyDays = config.getOptionalNumber('devsecopsDemo.history.days') ?? 0;
        const historyEntities: DemoHistoryEntity[] = (
          config.getOptionalConfigArray('devsecopsDemo.history.entities') ?? []
        ).map(e => ({
          entity: e.getString('entity'),
          trajectory: (e.getOptionalString('trajectory') ?? 'steady') as Trajectory,
          deployable: e.getOptionalBoolean('deployable') ?? true,
        }));
        if (items.length === 0 && (historyDays <= 0 || historyEntities.length === 0)) return;
        const root = resolve(config.getOptionalString('devsecopsDemo.root') ?? '../..');

        lifecycle.addStartupHook(() => {
          // The catalog reads the demo files shortly after start; retry until it knows the entities.
          void (async () => {
            const baseUrl = await discovery.getBaseUrl('devsecops');
            const serviceToken = async () =>
              (
                await auth.getPluginRequestToken({
                  onBehalfOf: await auth.getOwnServiceCredentials(),
                  targetPluginId: 'devsecops',
                })
              ).token;
            const headers = async (contentType: string) => ({
              Authorization: `Bearer ${await serviceToken()}`,
              'Content-Type': contentType,
            });
            /**
             * Exception requests, decisions, exercises and human attestations are people's acts:
             * done as the demo personas, signed in through the demo sign-in provider (development
             * only, and only the users `auth.providers.demo.users` lists).
             */
            const authBaseUrl = await discovery.getBaseUrl('auth');
            const tokens = new Map<string, string | undefined>();
            const asUser = async (user: string) => {
              if (!tokens.has(user)) {
                const response = await fetch(`${authBaseUrl}/demo/refresh`, {
                  headers: { 'x-devsecops-demo-user': user },
                });
                tokens.set(user, response.ok ? (await response.json()).backstageIdentity?.token : undefined);
              }
              const token = tokens.get(user);
              if (!token) throw new Error(`the demo sign-in provider did not sign in ${user}`);
              return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
            };
            const post = async (user: string, path: string, body: unknown) => {
              const response = await fetch(`${baseUrl}${path}`, {
                method: 'POST',
                headers: await asUser(user),
                body: JSON.stringify(body),
              });
              if (!response.ok) {
                throw new Error(`${path} refused: ${response.status} ${await response.text()}`);
              }
              return response.json();
            };
            const replayActivity = async () => {
              let done = 0;
              for (const call of planDemoActivity()) {
                try {
                  if (call.kind === 'exercise') {
                    await post(call.as, '/v1/exercises', call.body);
                  } else {
                    const requested = await post(call.as, '/v1/exceptions', call.body);
                    if (call.decide) {
                      await post(call.decide.as, `/v1/exceptions/${requested.id}/${call.decide.action}`, {
                        reason: call.decide.reason,
                      });
                    }
                  }
                  done++;
                } catch (error) {
                  logger.warn(`Demo activity: ${error}`);
                }
              }
              logger.info(`Demo activity: ${done} exception requests and exercises recorded as the demo personas`);
            };

            /** Sends one call; true when it was accepted. */
            const send = async (path: string, body: string | Buffer, contentType: string) => {
              for (let attempt = 0; attempt < 30; attempt++) {
                const response = await fetch(`${baseUrl}${path}`, {
                  method: 'POST',
                  headers: await headers(contentType),
                  body,
                });
                if (response.status !== 404) {
                  if (!response.ok) {
                    logger.warn(`Demo evidence ${path} refused: ${response.status} ${await response.text()}`);
                  }
                  return response.ok;
                }
                await new Promise(r => setTimeout(r, 3000));
              }
              logger.warn(`Demo evidence ${path}: the catalog never knew the entity`);
              return false;
            };

            // The catalog reads the demo files shortly after start: wait until it knows them all.
            // Each entity's catalog owner comes back with its scorecard: the deploy job claims it.
            const owners = new Map<string, string>();
            const waitForCatalog = async (refs: string[]) => {
              const deadline = Date.now() + 5 * 60_000;
              for (const ref of refs) {
                while (Date.now() < deadline) {
                  const response = await fetch(
                    `${baseUrl}/v1/scorecards?${new URLSearchParams({ entity: ref })}`,
                    { headers: await headers('application/json') },
                  );
                  if (response.ok) {
                    const { ownerRef } = (await response.json()) as { ownerRef?: string };
                    if (ownerRef) owners.set(ref, ownerRef);
                  }
                  if (response.status !== 404) break;
                  await new Promise(r => setTimeout(r, 2000));
                }
              }
            };
            await waitForCatalog([
              ...historyEntities.map(e => e.entity),
              ...items.map(item => item.getString('entity')),
            ]);

            // `backstage-cli package start` keeps the in-memory database across code reloads:
            // what a previous run of this module recorded is still there, so it is not sent twice.
            const alreadyThere = async (path: string) => {
              const response = await fetch(`${baseUrl}${path}`, { headers: await headers('application/json') });
              if (!response.ok) return false;
              const body = await response.json();
              if (body.snapshots) {
                // Today's snapshot may come from the daily job; a past day's only from a history.
                const today = new Date().toISOString().slice(0, 10);
                return body.snapshots.some((snapshot: { day: string }) => snapshot.day < today);
              }
              return (body.totalCount ?? 0) > 0;
            };
            /** Triggers the GitHub module's pull and waits (up to 5 minutes) until that run ended. */
            const pullGithubToday = async () => {
              // Whole seconds: the scheduler's times may be stored to the second (SQLite).
              const triggeredAt = Math.floor(Date.now() / 1000) * 1000;
              try {
                await scheduler.triggerTask('devsecops-github-pull');
              } catch (error) {
                logger.warn(`Demo: could not trigger the GitHub pull: ${error}`);
                return;
              }
              // The plugin's scheduler API (`/.backstage/scheduler/v1/tasks`) says when the run ended.
              const deadline = Date.now() + 5 * 60_000;
              while (Date.now() < deadline) {
                await new Promise(r => setTimeout(r, 2000));
                const response = await fetch(`${baseUrl}/.backstage/scheduler/v1/tasks`, {
                  headers: await headers('application/json'),
                });
                if (!response.ok) continue;
                const { tasks } = (await response.json()) as {
                  tasks: Array<{ taskId: string; taskState?: { status: string; lastRunEndedAt?: string } | null }>;
                };
                const state = tasks.find(t => t.taskId === 'devsecops-github-pull')?.taskState;
                if (state?.status === 'idle' && state.lastRunEndedAt && Date.parse(state.lastRunEndedAt) >= triggeredAt) {
                  logger.info("Demo: the GitHub module pulled today's state of the demo repositories");
                  return;
                }
              }
              logger.warn('Demo: the GitHub pull did not end within 5 minutes');
            };
            const historyOf = (entity: string) =>
              alreadyThere(`/v1/scorecards/history?${new URLSearchParams({ entity, days: '730' })}`);
            const historyPresent = historyEntities.length > 0 && (await historyOf(historyEntities[0].entity));
            if (historyPresent) {
              // The last entity's history is written last: without it, a reload cut the replay short.
              const complete = await historyOf(historyEntities[historyEntities.length - 1].entity);
              logger[complete ? 'info' : 'warn'](
                complete
                  ? 'Demo history already recorded (the database outlived a reload)'
                  : 'Demo history is incomplete: a reload interrupted it. Stop and start the backend to replay it from scratch',
              );
            }

            if (historyDays > 0 && historyEntities.length > 0 && !historyPresent) {
              const started = Date.now();
              const calls = planDemoHistory(
                historyEntities.map(e => ({ ...e, owner: owners.get(e.entity) })),
                historyDays,
              );
              let refused = 0;
              // The GitHub module's code, run for each past day's pull against the demo GitHub API.
              const writer = httpWriter({ baseUrl: async () => baseUrl, token: serviceToken });
              const demoGithubUrl = `${await discovery.getBaseUrl('devsecops-demo')}/github`;
              const pavedRoadWorkflows = readPavedRoadWorkflows(config);
              let pulls = 0;
              let pullMs = 0;
              for (const call of calls) {
                if (call.kind === 'github-pull') {
                  const pullStarted = Date.now();
                  pulls++;
                  try {
                    await runDemoGithubPull(call, { demoGithubUrl, writer, pavedRoadWorkflows });
                  } catch (error) {
                    logger.warn(`Demo history: GitHub pull of ${call.slug} on ${call.at}: ${error}`);
                    refused++;
                  }
                  pullMs += Date.now() - pullStarted;
                  continue;
                }
                if (call.kind === 'audit-export') {
                  // A person's export from the portal, recorded as evidence for the entity it covers.
                  const response = await fetch(`${baseUrl}/v1/audit-packages?${new URLSearchParams(call.query)}`, {
                    headers: await asUser(call.as),
                  });
                  if (!response.ok) {
                    logger.warn(`Demo history: audit package for ${call.query.entity} refused: ${response.status}`);
                    refused++;
                  }
                  await response.arrayBuffer();
                  continue;
                }
                if (call.kind === 'human-attestation') {
                  // A person's attestation, dated on its day: made as the persona, before that evening's snapshot.
                  try {
                    await post(call.as, '/v1/human-attestations', call.body);
                  } catch (error) {
                    logger.warn(`Demo history: ${error}`);
                    refused++;
                  }
                  continue;
                }
                const accepted =
                  call.kind === 'report'
                    ? await send(
                        `/v1/reports?${new URLSearchParams({ entity: call.entity, ...call.query })}`,
                        call.body,
                        'application/json',
                      )
                    : await send(PATHS[call.kind], JSON.stringify(call.body), 'application/json');
                if (!accepted) refused++;
              }
              logger.info(
                `Demo history of ${historyDays} days for ${historyEntities.length} entities: ${calls.length} calls, ${refused} refused, ${Math.round((Date.now() - started) / 1000)} s (${pulls} GitHub pulls: ${Math.round(pullMs / 1000)} s)`,
              );
            }

            for (const item of items) {
              const entity = item.getString('entity');
              for (const report of item.getOptionalConfigArray('reports') ?? []) {
                const query = new URLSearchParams({ entity });
                for (const key of ['format', 'artifact', 'commit', 'branch']) {
                  const value = report.getOptionalString(key);
                  if (value) query.set(key, value);
                }
                const body = await readFile(resolve(root, report.getString('file')));
                await send(`/v1/reports?${query}`, body, 'application/octet-stream');
              }
              for (const deployment of item.getOptional<object[]>('deployments') ?? []) {
                await send(
                  '/v1/deployments',
                  JSON.stringify({ entityRef: entity, ...deployment }),
                  'application/json',
                );
              }
            }
            logger.info(`Demo evidence uploaded for ${items.length} entities`);

            if (config.getOptionalBoolean('devsecopsDemo.activity')) {
              if (await alreadyThere('/v1/exceptions?limit=1')) {
                logger.info('Demo activity already recorded (the database outlived a reload)');
              } else {
                await replayActivity();
              }
            }

            // Today's GitHub pull, by the GitHub module itself (schedule `manual` in app-config.demo.yaml):
            // only now, since evidence of today makes the past days' snapshots unwritable.
            if (config.has('devsecops.github')) {
              await pullGithubToday();
            }

            // Today's snapshot: the daily job may have written it before any of this arrived.
            for (const ref of new Set([...historyEntities.map(e => e.entity), ...items.map(i => i.getString('entity'))])) {
              await send('/v1/scorecards/snapshots', JSON.stringify({ entityRef: ref, at: new Date().toISOString() }), 'application/json');
            }
          })().catch(error => logger.error(`Demo evidence failed: ${error}`));
        });
      },
    });
  },
});
