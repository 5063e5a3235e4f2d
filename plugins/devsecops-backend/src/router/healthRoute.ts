import { DevsecopsHealth } from '@devsecops-scorecard/plugin-devsecops-common';
import { DevsecopsServices } from '../services';
import { listAppliedMigrations } from '../store/migrations';
import { RETRY_AFTER_SECONDS } from './databaseErrors';
import { DevsecopsApiRouter } from './request';

/** Rejects when `work` has not settled within `ms` (the work itself is left to finish or fail). */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /health`, unauthenticated (probes and CD use it; it reveals no data). The database check is
 * bounded as a whole, connection acquisition included (`devsecops.database.healthCheckTimeoutMs`):
 * a frozen or unreachable database is a 503 with `Retry-After` within that time, never a hang.
 */
export function mountHealthRoute(router: DevsecopsApiRouter, services: DevsecopsServices) {
  const { knex, logger, databaseHealthCheckTimeoutMs: timeoutMs } = services;
  router.get('/health', async (_req, res) => {
    const health: DevsecopsHealth = {
      status: 'ok',
      database: { client: String(knex.client.config.client), reachable: true },
      migrations: [],
    };
    try {
      health.migrations = await within(
        timeoutMs,
        (async () => {
          // The query's own timeout frees it once it runs; the deadline also covers the wait for a connection.
          await knex.raw('select 1').timeout(timeoutMs);
          return listAppliedMigrations(knex);
        })(),
      );
    } catch (error) {
      logger.warn(`Health check could not reach the database: ${error}`);
      health.status = 'degraded';
      health.database.reachable = false;
      health.database.error = 'database unreachable';
    }
    if (health.status !== 'ok') res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
}
