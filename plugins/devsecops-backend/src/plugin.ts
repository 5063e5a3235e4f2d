import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  devsecopsNormalizersExtensionPoint,
  NormalizerRegistry,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { applyMigrations } from './store/migrations';
import { createRouter } from './router/createRouter';

/**
 * The DevSecOps scorecard backend plugin.
 * @public
 */
export const devsecopsPlugin = createBackendPlugin({
  pluginId: 'devsecops',
  register(env) {
    // Formats contributed by modules are collected before init runs (see catalog-backend).
    const normalizers = new NormalizerRegistry();
    env.registerExtensionPoint(devsecopsNormalizersExtensionPoint, {
      addNormalizer: (...added) => normalizers.add(...added),
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
      },
      async init({ logger, database, httpRouter }) {
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyMigrations(knex);
        }
        httpRouter.use(await createRouter({ knex, logger, normalizers }));
        // Load balancers and CD probe health without a Backstage token; it reveals no data.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
