/*
 * The backend bench:compare and bench:scale measure: one Backstage backend with the catalog, guest
 * sign-in, the permission backend with the demo's policy (the same for every plugin), this plugin,
 * and — when DEVSECOPS_BENCH_TI_DIR names the on-demand install (bench:compare) — Tech Insights
 * (backend + JSON rules engine fact checker). Configuration comes from the files passed with --config.
 */
import { createBackend } from '@backstage/backend-defaults';
import { join } from 'node:path';
// The demo portal's own policy, so both plugins run under the same one (a bench, not shipped code).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { permissionPolicyModule } from '../../../../packages/backend/src/modules/permissionPolicy';

const tiDir = process.env.DEVSECOPS_BENCH_TI_DIR;

const backend = createBackend();
// The demo portal (packages/backend) declares these; the bench borrows them from the workspace.
/* eslint-disable @backstage/no-undeclared-imports */
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
/* eslint-enable @backstage/no-undeclared-imports */
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);
backend.add(import('../../src'));
if (tiDir) {
  const fromTi = (name: string) => require(join(tiDir, 'node_modules', name));
  backend.add(fromTi('@backstage-community/plugin-tech-insights-backend').default);
  backend.add(fromTi('@backstage-community/plugin-tech-insights-backend-module-jsonfc').default);
}
backend.start();
