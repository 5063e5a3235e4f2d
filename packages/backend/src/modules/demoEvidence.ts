import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Demo only: after start, uploads the reports, facts and deployments listed under
 * `devsecopsDemo.evidence` in app-config through the devsecops API, as a CI pipeline would, so
 * the local portal has scorecards to show. Off unless that key is present.
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
      },
      async init({ config, logger, auth, discovery, lifecycle }) {
        const items = config.getOptionalConfigArray('devsecopsDemo.evidence');
        if (!items?.length) return;
        const root = resolve(config.getOptionalString('devsecopsDemo.root') ?? '../..');

        lifecycle.addStartupHook(() => {
          // The catalog reads the demo files shortly after start; retry until it knows the entities.
          void (async () => {
            const baseUrl = await discovery.getBaseUrl('devsecops');
            const headers = async (contentType: string) => {
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'devsecops',
              });
              return { Authorization: `Bearer ${token}`, 'Content-Type': contentType };
            };
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
                  return;
                }
                await new Promise(r => setTimeout(r, 3000));
              }
              logger.warn(`Demo evidence ${path}: the catalog never knew the entity`);
            };

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
              const facts = item.getOptional<Array<{ fact: string; value: unknown }>>('facts');
              if (facts?.length) {
                await send(
                  '/v1/facts',
                  JSON.stringify({ entityRef: entity, facts: facts.map(f => ({ ...f, source: 'demo' })) }),
                  'application/json',
                );
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
          })().catch(error => logger.error(`Demo evidence failed: ${error}`));
        });
      },
    });
  },
});
