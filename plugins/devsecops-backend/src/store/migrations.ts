import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@devsecops-scorecard/plugin-devsecops-backend',
  'migrations',
);

/** Brings the plugin's schema to the newest version; knex's lock keeps concurrent instances safe. */
export async function applyMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}

/** Names of the applied migrations, oldest first. */
export async function listAppliedMigrations(knex: Knex): Promise<string[]> {
  const [completed] = await knex.migrate.list({ directory: migrationsDir });
  return completed.map((m: { name: string }) => m.name);
}

export { migrationsDir };
