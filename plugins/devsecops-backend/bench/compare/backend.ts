/*
 * The backend bench:compare and bench:scale measure: one Backstage backend with the catalog, guest
 * sign-in, the permission backend with the demo's policy (the same for every plugin), this plugin,
 * and — when DEVSECOPS_BENCH_TI_DIR names the on-demand install (bench:compare) — Tech Insights
 * (backend + JSON rules engine fact checker). Configuration comes from the files passed with --config.
 */
import { createBackend } from '@backstage/backend-defaults';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
// The demo portal's own policy, so both plugins run under the same one (a bench, not shipped code).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { permissionPolicyModule } from '../../../../packages/backend/src/modules/permissionPolicy';

const tiDir = process.env.DEVSECOPS_BENCH_TI_DIR;

// bench:scale --profile: the V8 CPU profiler runs from the start; each SIGUSR2 writes what it
// sampled since the last one to <dir>/<n>.cpuprofile and starts it again.
const profileDir = process.env.DEVSECOPS_BENCH_CPU_PROFILE_DIR;
if (profileDir) {
  const session = new Session();
  session.connect();
  let written = 0;
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  process.on('SIGUSR2', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(profileDir, `${++written}.cpuprofile`), JSON.stringify(result.profile));
      session.post('Profiler.start');
    });
  });
}

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
