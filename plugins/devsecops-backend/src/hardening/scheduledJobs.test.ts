/*
 * Issue #9, several instances: two complete devsecops backends on one PostgreSQL database, each
 * with its own connection pool and the real scheduler of @backstage/backend-defaults (not the
 * test utilities' mock), run each scheduled job once per window across both of them:
 *
 * - devsecops-daily-snapshot: one snapshot row per entity per day;
 * - devsecops-exception-lifecycle: one expiry transition, one evidence record and one
 *   notification per expired exception, and each warning and reminder once;
 * - devsecops-report-body-retention: one pass, clearing the bodies past retention only.
 *
 * Window one is the start-up run (initial delays shortened to 2 s with devsecops.schedules);
 * window two is one triggerTask per job, from alternating instances, followed by one poll
 * interval of the scheduler in which nothing may run; in window three instance a has stopped and
 * b runs every job (so b's scheduler was live all along: it ran nothing before because a had
 * claimed each window first). Every run of a job's function on either instance is recorded:
 * each job runs once per window, never two at once.
 * PostgreSQL only: SQLite is a single in-process file and cannot stand in for a shared server.
 */
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ExceptionRecord } from '@devsecops-scorecard/plugin-devsecops-common';
// The real scheduler; hoisted from the workspace (packages/backend depends on backend-defaults).
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import knexFactory from 'knex';
import request from 'supertest';
import { ExceptionStore } from '../store/ExceptionStore';
import { applyMigrations } from '../store/migrations';
import { ciHeader, startDevsecopsBackend, testEntities } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const POSTGRES: TestDatabaseId[] = ['POSTGRES_18', 'POSTGRES_17', 'POSTGRES_16', 'POSTGRES_15', 'POSTGRES_14', 'POSTGRES_13'];
const databases = TestDatabases.create({ ids: POSTGRES });

const SNAPSHOT = 'devsecops-daily-snapshot';
const LIFECYCLE = 'devsecops-exception-lifecycle';
const RETENTION = 'devsecops-report-body-retention';
const JOBS = [SNAPSHOT, LIFECYCLE, RETENTION];

/** The scheduler waits this long between looks at the tasks table (TaskWorker's work check). */
const SCHEDULER_POLL_MS = 5_000;
const DAY_MS = 86_400_000;

const config = {
  devsecops: {
    // Production frequencies and timeouts; only the start-up delay is shortened.
    schedules: {
      dailySnapshot: { initialDelay: { seconds: 2 } },
      exceptionLifecycle: { initialDelay: { seconds: 2 } },
      reportBodyRetention: { initialDelay: { seconds: 2 } },
    },
    evidence: { bodyRetentionDays: 30 },
  },
};

interface Run {
  instance: string;
  job: string;
  startedAt: number;
  endedAt?: number;
}

/**
 * The real scheduler for one instance, with every run of a job's function recorded. The plugin
 * is the only user of its plugin-scoped scheduler, so `schedulers[instance]` is the one it got.
 */
function recordingScheduler(instance: string, runs: Run[], schedulers: Record<string, SchedulerService>) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {
      database: coreServices.database,
      logger: coreServices.logger,
      rootLifecycle: coreServices.rootLifecycle,
      httpRouter: coreServices.httpRouter,
      pluginMetadata: coreServices.pluginMetadata,
      metrics: metricsServiceRef,
    },
    factory(deps) {
      const scheduler = DefaultSchedulerService.create(deps);
      const schedule = scheduler.scheduleTask.bind(scheduler);
      scheduler.scheduleTask = task =>
        schedule({
          ...task,
          fn: async signal => {
            const run: Run = { instance, job: task.id, startedAt: Date.now() };
            // The three jobs this test is about; the scorecard refresh runs every minute by design
            // (its own tests cover it), the feed and campaign jobs are covered by theirs.
            if (JOBS.includes(task.id)) runs.push(run);
            try {
              await task.fn(signal);
            } finally {
              run.endedAt = Date.now();
            }
          },
        });
      schedulers[instance] = scheduler;
      return scheduler;
    },
  });
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 3 * SCHEDULER_POLL_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

const trivy = (n: number) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/x:${n}`,
    ArtifactType: 'container_image',
    Metadata: { RepoDigests: [`registry.example.com/x@sha256:${String(n).padStart(64, '0')}`] },
    Results: [
      {
        Target: 'x',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: [{ VulnerabilityID: `CVE-2026-${1000 + n}`, PkgName: `p${n}`, InstalledVersion: '1', Severity: 'HIGH' }],
      },
    ],
  });

function exception(id: string, status: ExceptionRecord['status'], expiresAt: Date, entity = 'payments-api'): Omit<ExceptionRecord, 'events'> {
  return {
    id,
    entityRef: `component:default/${entity}`,
    ownerRef: 'group:default/team-payments',
    scope: { control: 'container-scan' },
    riskStatement: 'Accepted while the fix ships',
    riskRating: 'high',
    requester: 'user:default/dana',
    riskOwner: 'group:default/security-compliance',
    expiresAt: expiresAt.toISOString(),
    status,
    requestedAt: new Date(Date.now() - 10 * DAY_MS).toISOString(),
  };
}

describe.each(databases.eachSupportedId())('scheduled jobs on two backend instances (%p)', databaseId => {
  it('runs each job once per window across both instances', async () => {
    const knex = await databases.init(databaseId);
    // The second instance has its own pool to the same database, as a second pod would.
    const secondKnex = knexFactory(knex.client.config);
    const runs: Run[] = [];
    const schedulers: Record<string, SchedulerService> = {};
    const started: Array<Awaited<ReturnType<typeof startDevsecopsBackend>>> = [];
    try {
      // Window one's work, in place before either instance starts: two approved exceptions past
      // their expiry, one approved expiring in two days (one warning, from the tightest threshold it is within,
      // with the real day count), one request.
      await applyMigrations(knex);
      const store = new ExceptionStore(knex);
      const now = Date.now();
      const seeded = [
        exception('0d1f8c3e-7a55-4d43-9a3e-000000000001', 'approved', new Date(now - 60 * 60_000)),
        exception('0d1f8c3e-7a55-4d43-9a3e-000000000002', 'approved', new Date(now - 60_000), 'checkout-web'),
        exception('0d1f8c3e-7a55-4d43-9a3e-000000000003', 'approved', new Date(now + 2 * DAY_MS)),
        exception('0d1f8c3e-7a55-4d43-9a3e-000000000004', 'requested', new Date(now + 30 * DAY_MS)),
      ];
      for (const record of seeded) {
        await knex.transaction(tx =>
          store.insert(tx, record, { action: record.status === 'approved' ? 'approved' : 'requested', actor: record.requester, at: record.requestedAt, toStatus: record.status }),
        );
      }

      const a = await startDevsecopsBackend(databases, databaseId, {
        knex,
        config,
        features: [recordingScheduler('a', runs, schedulers)],
      });
      started.push(a);
      const b = await startDevsecopsBackend(databases, databaseId, {
        knex: secondKnex,
        config,
        features: [recordingScheduler('b', runs, schedulers)],
      });
      started.push(b);

      const finished = (job: string) => runs.filter(r => r.job === job && r.endedAt !== undefined).length;
      const allFinished = (count: number) => JOBS.every(job => finished(job) >= count);
      // The exception lifecycle's notifications (the uploads below may also raise regression
      // alerts — a new high finding on checkout-web — which regressionAlertsApi.test covers).
      const notifications = () =>
        [...a.notifications, ...b.notifications]
          .filter(n => !n.payload.topic?.startsWith('devsecops-finding-'))
          .map(n => n.payload.title.split(':')[0])
          .sort();
      const expiryEvents = async () =>
        (await knex('devsecops_exception_events').where({ action: 'expired' }).select('exception_id')).map(r => r.exception_id).sort();

      // Window one: the start-up run of every job, on whichever instance claimed it.
      await waitFor('the start-up run of every job', () => allFinished(1), 4 * SCHEDULER_POLL_MS);
      expect(await expiryEvents()).toEqual([seeded[0].id, seeded[1].id]);
      expect(notifications()).toEqual([
        'Exception awaiting your decision',
        'Exception expired',
        'Exception expired',
        'Exception expires in 2 days',
      ]);
      const [{ count: expiredRecords }] = await knex('devsecops_evidence_log').where({ kind: 'exception.expired' }).count({ count: '*' });
      expect(Number(expiredRecords)).toBe(2);

      // Reports for window two: two of three bodies are older than the 30-day retention.
      const uploads = await Promise.all(
        [1, 2, 3].map(n =>
          request(n % 2 ? a.server : b.server)
            .post('/api/devsecops/v1/reports?entity=checkout-web')
            .set('Authorization', ciHeader())
            .set('Content-Type', 'application/json')
            .send(trivy(n)),
        ),
      );
      expect(uploads.map(u => u.status)).toEqual([201, 201, 201]);
      const [old1, old2, recent] = uploads.map(u => u.body.report.id as string);
      await knex('devsecops_reports').whereIn('id', [old1, old2]).update({ received_at: new Date(now - 40 * DAY_MS) });
      // And one more exception that expired since.
      const late = exception('0d1f8c3e-7a55-4d43-9a3e-000000000005', 'approved', new Date(Date.now() - 1_000));
      await knex.transaction(tx => store.insert(tx, late, { action: 'approved', actor: late.requester, at: late.requestedAt, toStatus: 'approved' }));

      // Window two: each job triggered once, from alternating instances.
      await schedulers.b.triggerTask(SNAPSHOT);
      await schedulers.a.triggerTask(LIFECYCLE);
      await schedulers.b.triggerTask(RETENTION);
      await waitFor('the triggered run of every job', () => allFinished(2), 3 * SCHEDULER_POLL_MS);

      const bodies = await knex('devsecops_reports')
        .whereIn('id', [old1, old2, recent])
        .select('id', knex.raw('CASE WHEN body_gzip IS NULL THEN 0 ELSE 1 END as kept'));
      expect(Object.fromEntries(bodies.map((r: any) => [r.id, Number(r.kept)]))).toEqual({ [old1]: 0, [old2]: 0, [recent]: 1 });
      expect(await expiryEvents()).toEqual([seeded[0].id, seeded[1].id, late.id]);
      expect(notifications().filter(t => t === 'Exception expired')).toHaveLength(3);

      // One scheduler poll interval more, in which no instance may start anything.
      const before = runs.length;
      await new Promise(resolve => setTimeout(resolve, SCHEDULER_POLL_MS + 500));
      expect(runs).toHaveLength(before);

      // Window three: instance a stops; b, idle so far or not, takes every job on its own.
      await started.shift()!.stop();
      for (const job of JOBS) await schedulers.b.triggerTask(job);
      await waitFor('the runs of window three, on b', () => allFinished(3), 3 * SCHEDULER_POLL_MS);
      expect(runs.slice(-3).map(r => r.instance)).toEqual(['b', 'b', 'b']);

      for (const job of JOBS) {
        const ofJob = runs.filter(r => r.job === job).sort((x, y) => x.startedAt - y.startedAt);
        expect({ job, runs: ofJob.length }).toEqual({ job, runs: 3 });
        // Never two at once: each run ended before the next one started.
        for (let i = 1; i < ofJob.length; i++) expect(ofJob[i - 1].endedAt!).toBeLessThanOrEqual(ofJob[i].startedAt);
      }

      // One snapshot row per scored entity per day the job ran (two runs the same day: replaced).
      const components = testEntities.filter(e => e.kind === 'Component').map(e => `component:default/${e.metadata.name}`);
      const days = new Set(runs.filter(r => r.job === SNAPSHOT).map(r => new Date(r.startedAt).toISOString().slice(0, 10)));
      const snapshots = await knex('devsecops_entity_snapshots').select('entity_ref', 'day');
      expect(snapshots.map((s: any) => s.entity_ref).sort()).toEqual(
        components.flatMap(ref => [...days].map(() => ref)).sort(),
      );
      // The lifecycle run of window two did not expire, warn or remind twice.
      expect(notifications()).toEqual([
        'Exception awaiting your decision',
        'Exception expired',
        'Exception expired',
        'Exception expired',
        'Exception expires in 2 days',
      ]);
      const statuses = await knex('devsecops_exceptions').select('id', 'status', 'version').orderBy('id');
      expect(statuses.map((s: any) => [s.status, Number(s.version)])).toEqual([
        ['expired', 2],
        ['expired', 2],
        ['approved', 1],
        ['requested', 1],
        ['expired', 2],
      ]);
    } finally {
      for (const instance of started.reverse()) await instance.stop();
      await secondKnex.destroy();
    }
  });
});
