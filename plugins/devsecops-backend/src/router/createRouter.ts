import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DevsecopsHealth,
  PIPELINE_CONTROLS,
  PIPELINE_STAGES,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { NormalizerRegistry } from '@devsecops-scorecard/plugin-devsecops-node';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import { listAppliedMigrations } from '../store/migrations';

export interface RouterOptions {
  knex: Knex;
  logger: LoggerService;
  normalizers: NormalizerRegistry;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { knex, logger, normalizers } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    const health: DevsecopsHealth = {
      status: 'ok',
      database: { client: String(knex.client.config.client), reachable: true },
      migrations: [],
    };
    try {
      await knex.raw('select 1');
      health.migrations = await listAppliedMigrations(knex);
    } catch (error) {
      logger.warn(`Health check could not reach the database: ${error}`);
      health.status = 'degraded';
      health.database.reachable = false;
      health.database.error = 'database unreachable';
    }
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  router.get('/controls', (_req, res) => {
    res.json({ stages: PIPELINE_STAGES, controls: PIPELINE_CONTROLS });
  });

  router.get('/formats', (_req, res) => {
    res.json({
      formats: normalizers.list().map(n => ({ id: n.id, title: n.title })),
    });
  });

  return router;
}
