/*
 * The backend bench/readProfile.ts profiles: the catalog, guest sign-in, the permission backend
 * with the demo portal's policy and this plugin (bench/compare/backend.ts without Tech Insights),
 * started with an IPC channel. The parent sends { cmd: 'start' } and { cmd: 'stop', file } around
 * each measure; this process then runs the V8 CPU profiler (inspector Profiler API) and answers
 * with its own CPU time (process.cpuUsage) over the measure, and writes the profile to `file`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
// The demo portal's own policy (a bench, not shipped code).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { permissionPolicyModule } from '../../../../packages/backend/src/modules/permissionPolicy';

const backend = createBackend();
/* eslint-disable @backstage/no-undeclared-imports */
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
/* eslint-enable @backstage/no-undeclared-imports */
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionPolicyModule);
backend.add(import('../../src'));
backend.start();

const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<any>((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );

let cpuStart: NodeJS.CpuUsage | undefined;
process.on('message', async (message: { cmd?: 'start' | 'stop'; file?: string; profile?: boolean }) => {
  if (message?.cmd !== 'start' && message?.cmd !== 'stop') return;
  try {
    if (message.cmd === 'start') {
      if (message.profile) {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 200 });
        await post('Profiler.start');
      }
      cpuStart = process.cpuUsage();
      process.send!({ readProfile: true, ok: true });
    } else {
      const cpu = process.cpuUsage(cpuStart);
      if (message.file) {
        const { profile } = await post('Profiler.stop');
        writeFileSync(message.file, JSON.stringify(profile));
      }
      process.send!({ readProfile: true, ok: true, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  } catch (error) {
    process.send!({ readProfile: true, ok: false, error: String(error) });
  }
});
