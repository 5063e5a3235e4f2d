import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ArtifactDetails,
  devsecopsReadPermission,
  DevsecopsHealth,
  FindingSeverity,
  FindingStatus,
  PIPELINE_STAGES,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  NormalizerRegistry,
  normalizeDigest,
} from '@devsecops-scorecard/plugin-devsecops-node';
import express from 'express';
import { Knex } from 'knex';
import { EntityResolver } from '../catalog/EntityResolver';
import { EvidenceRecorder, parseClaimedOwner } from '../ingest/EvidenceRecorder';
import { ReportIngestService } from '../ingest/ReportIngestService';
import { spec } from '../schema/openapi';
import { parseObservedTime } from '../validation/inputTimes';
import { ArtifactStore } from '../store/ArtifactStore';
import { DeploymentStore } from '../store/DeploymentStore';
import { FactStore } from '../store/FactStore';
import { FindingOrder, FindingStore } from '../store/FindingStore';
import { listAppliedMigrations } from '../store/migrations';
import { ReportStore } from '../store/ReportStore';
import { GateDecisionStore } from '../store/GateDecisionStore';
import { SummaryStore } from '../store/SummaryStore';
import { ScorecardService } from '../scorecard/ScorecardService';
import { RollupService } from '../scorecard/RollupService';
import { ControlDefinition, ExceptionStatus } from '@devsecops-scorecard/plugin-devsecops-common';
import { ExceptionService } from '../exceptions/ExceptionService';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { EvidenceChainService } from '../evidence/EvidenceChainService';
import { AuditPackageService } from '../evidence/AuditPackageService';
import { AttestationService } from '../attest/AttestationService';
import { decompressBody } from '../ingest/ReportIngestService';
import { databaseUnavailableToServiceUnavailable } from './databaseErrors';
import { recurringFindings, RuntimeService } from '../runtime/RuntimeService';
import { RuntimeSignalStore } from '../store/RuntimeSignalStore';
import { ExerciseStore } from '../store/ExerciseStore';

export interface RouterOptions {
  knex: Knex;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  normalizers: NormalizerRegistry;
  entities: EntityResolver;
  reportIngest: ReportIngestService;
  evidence: EvidenceRecorder;
  reports: ReportStore;
  findings: FindingStore;
  artifacts: ArtifactStore;
  deployments: DeploymentStore;
  facts: FactStore;
  decisions: GateDecisionStore;
  summaries: SummaryStore;
  scorecards: ScorecardService;
  rollups: RollupService;
  controls: ControlDefinition[];
  exceptions: ExceptionService;
  evidenceLog: EvidenceLogStore;
  evidenceChains: EvidenceChainService;
  auditPackages: AuditPackageService;
  attestations: AttestationService;
  runtime: RuntimeService;
  runtimeSignals: RuntimeSignalStore;
  exerciseStore: ExerciseStore;
  maxReportBytes: number;
}

const MAX_PAGE = 500;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { knex, logger, httpAuth } = options;

  // Report uploads keep their exact bytes (the sha256 is evidence); everything else is JSON.
  const rawReport = express.raw({
    type: () => true,
    limit: options.maxReportBytes,
  });
  const json = express.json({ limit: '1mb' });
  const router = createValidatedOpenApiRouter(spec, {
    middleware: [
      (req, res, next) => {
        if (!(req.method === 'POST' && (req.path === '/v1/reports' || req.path === '/v1/attestations'))) {
          json(req, res, error => {
            // A body that does not decompress as its Content-Encoding says: name that, not just "Bad Request".
            const code = String((error as { code?: unknown } | undefined)?.code ?? '');
            if (error && code.startsWith('Z_')) {
              next(new InputError(`The request body is not valid ${req.headers['content-encoding']} (Content-Encoding): ${code}`));
              return;
            }
            next(error);
          });
          return;
        }
        // A gzip body is kept compressed here and unpacked by the ingest service under the same
        // size limit (bounded output, so a gzip bomb stops at the limit).
        if (/^\s*(x-)?gzip\s*$/i.test(req.headers['content-encoding'] ?? '')) {
          delete req.headers['content-encoding'];
        }
        rawReport(req, res, error => {
          // The validator turns every earlier error into a 400; a body over the limit is a 413.
          if (error?.type === 'entity.too.large') {
            res.status(413).json({
              error: {
                name: 'PayloadTooLargeError',
                message: `Report is larger than ${options.maxReportBytes} bytes (devsecops.ingest.maxReportBytes)`,
              },
              request: { method: req.method, url: req.originalUrl },
              response: { statusCode: 413 },
            });
            return;
          }
          next(error);
        });
      },
    ],
  });

  /** CI and CD write with a service token; users read. */
  const writer = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['service'] });
  /** Users read when the permission policy allows `devsecops.read`; services always may. */
  const reader = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    if (credentials.principal.type === 'user') {
      const [decision] = await options.permissions.authorize(
        [{ permission: devsecopsReadPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError('The permission policy does not allow devsecops.read');
      }
    }
    return credentials;
  };

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

  router.get('/controls', async (req, res) => {
    await reader(req);
    res.json({ stages: PIPELINE_STAGES, controls: options.controls });
  });

  router.get('/formats', async (req, res) => {
    await reader(req);
    res.json({
      formats: options.normalizers
        .list()
        .map(n => ({ id: n.id, title: n.title })),
    });
  });

  router.post('/v1/reports', async (req, res) => {
    const credentials = await writer(req);
    if (!Buffer.isBuffer(req.body)) {
      throw new InputError('The report must be sent as the request body');
    }
    const q = req.query;
    const result = await options.reportIngest.ingest({
      body: req.body,
      lookup: { entityRef: q.entity, repository: q.repository },
      format: q.format,
      control: q.control,
      sourceCommit: q.commit,
      branch: q.branch,
      artifactDigest: q.artifact,
      scannedAt: q.scannedAt,
      uploader: principalName(credentials),
    });
    if (!result.duplicate) await refreshQuietly(result.report.entityRef);
    res.status(result.duplicate ? 200 : 201).json(result);
  });

  router.post('/v1/attestations', async (req, res) => {
    const credentials = await writer(req);
    if (!Buffer.isBuffer(req.body)) throw new InputError('The attestation must be sent as the request body');
    const body = decompressBody(req.body, options.maxReportBytes, 'Attestation');
    const recordedBy = principalName(credentials);
    const results = await options.attestations.attest(
      { entityRef: req.query.entity, repository: req.query.repository, artifactDigest: req.query.artifact, body },
      recordedBy,
    );
    const entity = await optionalEntity(options.entities, req.query);
    if (entity) await refreshQuietly(entity);
    res.status(201).json({ results });
  });

  router.get('/v1/reports', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    const page = paging(req.query);
    knownControls(options.controls, req.query.control);
    res.json(
      await options.reports.list({
        entityRef,
        control: req.query.control,
        artifactDigest: optionalDigest(req.query.artifact),
        ...page,
      }),
    );
  });

  router.get('/v1/reports/:id', async (req, res) => {
    await reader(req);
    const report = await options.reports.get(req.params.id);
    if (!report) throw new NotFoundError(`No report ${req.params.id}`);
    res.json(report);
  });

  router.get('/v1/reports/:id/body', async (req, res) => {
    await reader(req);
    const body = await options.reports.getBody(req.params.id);
    if (!body) {
      throw new NotFoundError(
        `No kept body for report ${req.params.id} (unknown report, or past the retention period)`,
      );
    }
    res
      .status(200)
      .set({
        'Content-Type': 'application/octet-stream',
        'Content-Encoding': 'gzip',
        'Content-Disposition': `attachment; filename="report-${req.params.id}"`,
        'X-Devsecops-Redacted': String(body.redacted),
      })
      .send(body.gzip);
  });

  router.get('/v1/findings', async (req, res) => {
    await reader(req);
    const q = req.query;
    const entityRef = await optionalEntity(options.entities, q);
    res.json(
      await options.findings.list({
        entityRefs: entityRef ? [entityRef] : undefined,
        ownerRefs: q.owner ? [normalizeOwner(q.owner)] : undefined,
        controls: knownControls(options.controls, q.control),
        severities: csv(q.severity) as FindingSeverity[] | undefined,
        statuses: csv(q.status) as FindingStatus[] | undefined,
        tool: q.tool,
        orderBy: (q.orderBy ?? 'severity') as FindingOrder,
        order: q.order ?? (q.orderBy && q.orderBy !== 'severity' ? 'asc' : 'desc'),
        ...paging(q),
      }),
    );
  });

  router.post('/v1/deployments', async (req, res) => {
    const credentials = await writer(req);
    const recordedBy = principalName(credentials);
    const result = await options.evidence.recordDeployment(req.body, recordedBy);
    if (result.duplicate) {
      res.status(200).json(result);
      return;
    }
    // Every recorded deployment to an environment with a release policy is judged by it.
    const { deployment } = result;
    const gateDecision = options.scorecards.policyFor(deployment.environment)
      ? await options.scorecards.decide({
          entityRef: deployment.entityRef,
          artifactDigest: deployment.artifactDigest,
          environment: deployment.environment,
          claimedOwner: deployment.claimedOwnerRef,
          requestedBy: `deployment:${recordedBy}`,
          deploymentId: deployment.id,
        })
      : undefined;
    await refreshQuietly(deployment.entityRef);
    res.status(201).json({ ...result, gateDecision });
  });

  router.get('/v1/deployments', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    res.json(
      await options.deployments.list({
        entityRef,
        environment: req.query.environment,
        ...paging(req.query),
      }),
    );
  });

  router.post('/v1/facts', async (req, res) => {
    const credentials = await writer(req);
    const facts = await options.evidence.recordFacts(
      req.body,
      principalName(credentials),
    );
    await refreshQuietly(facts[0].entityRef);
    res.status(201).json({ facts });
  });

  router.get('/v1/facts', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    if (!entityRef) {
      throw new InputError('Pass entity or repository to list its facts');
    }
    res.json({ facts: await options.facts.current(entityRef) });
  });

  router.get('/v1/scorecards', async (req, res) => {
    await reader(req);
    const { entity, repository } = req.query;
    if (!entity && !repository) {
      throw new InputError('Pass entity or repository');
    }
    res.json(await options.scorecards.scorecard({ entityRef: entity, repository }));
  });

  router.get('/v1/scorecards/history', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    if (!entityRef) throw new InputError('Pass entity or repository');
    const days = req.query.days === undefined ? 90 : Number(req.query.days);
    if (days < 1 || days > 730) throw new InputError('days must be between 1 and 730');
    const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    res.json({ entityRef, snapshots: await options.summaries.history(entityRef, since) });
  });

  router.post('/v1/scorecards/snapshots', async (req, res) => {
    await writer(req);
    const { entityRef, repository, at } = req.body;
    if (!entityRef && !repository) throw new InputError('Pass entityRef or repository');
    const now = new Date();
    const time = parseObservedTime('at', at, now, 5 * 60 * 1000);
    if (time.getTime() < now.getTime() - 730 * 86_400_000) {
      throw new InputError(`at '${at}' is more than 730 days ago, beyond any history shown`);
    }
    const summary = await options.scorecards.summaryAt({ entityRef, repository }, time);
    const day = time.toISOString().slice(0, 10);
    await options.summaries.snapshot(summary, day);
    res.status(201).json({ entityRef: summary.entityRef, day, stage: summary.stage });
  });

  router.get('/v1/rollups', async (req, res) => {
    await reader(req);
    res.json(await options.rollups.rollup(req.query));
  });

  router.get('/v1/rollups/history', async (req, res) => {
    await reader(req);
    const { days: daysParam, ...scope } = req.query;
    const days = daysParam === undefined ? 90 : Number(daysParam);
    if (days < 1 || days > 730) throw new InputError('days must be between 1 and 730');
    res.json(await options.rollups.history(scope, days));
  });

  router.post('/v1/gate/decisions', async (req, res) => {
    const credentials = await writer(req);
    const body = req.body;
    if (body.claimedOwner !== undefined) parseClaimedOwner(body.claimedOwner);
    const decision = await options.scorecards.decide({
      entityRef: body.entityRef,
      repository: body.repository,
      artifactDigest: body.artifactDigest,
      environment: body.environment,
      claimedOwner: body.claimedOwner,
      requestedBy: principalName(credentials),
    });
    await refreshQuietly(decision.entityRef);
    res.status(200).json(decision);
  });

  router.get('/v1/gate/decisions', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    res.json(
      await options.decisions.list({
        entityRef,
        environment: req.query.environment,
        ...paging(req.query),
      }),
    );
  });

  /** Exceptions are requested and decided by people, never by pipelines. */
  const person = (req: express.Request) => httpAuth.credentials(req, { allow: ['user'] });

  router.post('/v1/exceptions', async (req, res) => {
    const credentials = await person(req);
    res.status(201).json(await options.exceptions.request(req.body, credentials));
  });

  router.get('/v1/exceptions', async (req, res) => {
    const credentials = await reader(req);
    const q = req.query;
    const entityRef = await optionalEntity(options.entities, q);
    let riskOwners: string[] | undefined;
    if (q.riskOwner === 'me') {
      if (credentials.principal.type !== 'user') {
        throw new InputError('riskOwner=me needs a user token');
      }
      riskOwners = await options.exceptions.claims(credentials as any);
    } else if (q.riskOwner) {
      riskOwners = [normalizeOwner(q.riskOwner.includes(':') ? q.riskOwner : `user:${q.riskOwner}`)];
    }
    res.json(
      await options.exceptions.list({
        entityRef,
        riskOwners,
        statuses: csv(q.status) as ExceptionStatus[] | undefined,
        expiringWithinDays: q.expiringWithinDays === undefined ? undefined : Number(q.expiringWithinDays),
        ...paging(q),
      }),
    );
  });

  router.get('/v1/exceptions/:id', async (req, res) => {
    await reader(req);
    res.json(await options.exceptions.get(req.params.id));
  });

  router.post('/v1/exceptions/:id/approve', async (req, res) => {
    res.json(await options.exceptions.decide(req.params.id, 'approve', req.body.reason, await person(req)));
  });

  router.post('/v1/exceptions/:id/reject', async (req, res) => {
    res.json(await options.exceptions.decide(req.params.id, 'reject', req.body.reason, await person(req)));
  });

  router.post('/v1/exceptions/:id/revoke', async (req, res) => {
    res.json(await options.exceptions.revoke(req.params.id, req.body.reason, await person(req)));
  });

  router.post('/v1/exceptions/:id/renew', async (req, res) => {
    res.status(201).json(await options.exceptions.renew(req.params.id, req.body, await person(req)));
  });

  /** Runtime monitoring records alerts and incidents with a service token, like deployments. */
  router.post('/v1/runtime-signals', async (req, res) => {
    const credentials = await writer(req);
    const signal = await options.runtime.recordSignal(req.body, principalName(credentials));
    await refreshQuietly(signal.entityRef);
    res.status(201).json(signal);
  });

  /** Containment and remediation come from responders (users) or from tooling (services). */
  router.post('/v1/runtime-signals/:id/timeline', async (req, res) => {
    const credentials = await reader(req);
    const signal = await options.runtime.updateTimeline(req.params.id, req.body, principalName(credentials));
    await refreshQuietly(signal.entityRef);
    res.status(200).json(signal);
  });

  router.get('/v1/runtime-signals', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    res.json(
      await options.runtimeSignals.list({
        entityRef,
        open: req.query.open === undefined ? undefined : req.query.open === 'true',
        ...paging(req.query),
      }),
    );
  });

  /** Exercises are recorded by the people who held them. */
  router.post('/v1/exercises', async (req, res) => {
    const credentials = await person(req);
    const exercise = await options.runtime.recordExercise(req.body, principalName(credentials));
    if (exercise.scopeRef.startsWith('group:')) {
      // Entities owned by the group or a group below it count the exercise: re-evaluate them now.
      const groups = new Set(await options.runtime.groupAndDescendants(exercise.scopeRef));
      const owned = (await options.summaries.all()).filter(s => s.ownerRef && groups.has(s.ownerRef));
      for (const summary of owned) await refreshQuietly(summary.entityRef);
    } else {
      await refreshQuietly(exercise.scopeRef);
    }
    res.status(201).json(exercise);
  });

  router.get('/v1/exercises', async (req, res) => {
    await reader(req);
    const q = req.query;
    const scopeRefs = q.scope ? [await options.runtime.resolveScope(q.scope)] : undefined;
    const page = await options.exerciseStore.list({ scopeRefs, scenario: q.scenario, ...paging(q) });
    // Recurring findings over every matching exercise, not just this page.
    const all = await options.exerciseStore.list({ scopeRefs, scenario: q.scenario, limit: 5000, offset: 0 });
    res.json({ ...page, recurringFindings: recurringFindings(all.items) });
  });

  router.get('/v1/evidence/chain', async (req, res) => {
    await reader(req);
    const q = req.query;
    res.json(
      await options.evidenceChains.chain({
        deployment: q.deployment,
        artifact: q.artifact,
        entityRef: q.entity,
        repository: q.repository,
        environment: q.environment,
      }),
    );
  });

  router.get('/v1/audit-packages', async (req, res) => {
    const credentials = await reader(req);
    const q = req.query;
    const { zip, filename } = await options.auditPackages.export(
      { entity: q.entity, repository: q.repository, group: q.group, org: q.org === 'true', from: q.from, to: q.to },
      principalName(credentials),
    );
    res
      .status(200)
      .set({ 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${filename}"` })
      .send(Buffer.from(zip));
  });

  router.get('/v1/evidence/verify', async (req, res) => {
    await reader(req);
    res.json(await options.evidenceLog.verify());
  });

  router.get('/v1/evidence/log', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(options.entities, req.query);
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (limit < 1 || limit > 1000) throw new InputError('limit must be between 1 and 1000');
    res.json({
      records: await options.evidenceLog.list({
        entityRef,
        subjectId: req.query.subject,
        fromSeq: req.query.fromSeq === undefined ? undefined : Number(req.query.fromSeq),
        limit,
      }),
    });
  });

  router.get('/v1/artifacts/:digest', async (req, res) => {
    await reader(req);
    const digest = normalizeDigest(req.params.digest);
    if (!digest) {
      throw new InputError(
        `Malformed artifact digest '${req.params.digest}': use algorithm:hex`,
      );
    }
    const entityRef = await optionalEntity(options.entities, req.query);
    const records = await options.artifacts.get(digest, entityRef);
    if (records.length === 0) {
      throw new NotFoundError(`No artifact ${digest}`);
    }
    const details: ArtifactDetails[] = await Promise.all(
      records.map(async record => ({
        ...record,
        sbom: await options.artifacts.getSbom(record.entityRef, digest),
        scans: (
          await options.reports.list({
            entityRef: record.entityRef,
            artifactDigest: digest,
            limit: MAX_PAGE,
            offset: 0,
          })
        ).items,
        deployments: (
          await options.deployments.list({
            entityRef: record.entityRef,
            artifactDigest: digest,
            limit: MAX_PAGE,
            offset: 0,
          })
        ).items,
      })),
    );
    res.json(entityRef ? details[0] : { artifacts: details });
  });

  /**
   * The write is committed; a failed summary refresh must not turn it into an error (the daily
   * job and the next read re-evaluate).
   */
  async function refreshQuietly(entityRef: string) {
    try {
      await options.scorecards.refresh(entityRef);
    } catch (error) {
      logger.warn(`Could not refresh the scorecard summary of ${entityRef}: ${error}`);
    }
  }

  router.use(databaseUnavailableToServiceUnavailable);

  return router as unknown as express.Router;
}

function principalName(
  credentials: BackstageCredentials<
    BackstageUserPrincipal | BackstageServicePrincipal
  >,
): string {
  const principal = credentials.principal;
  return principal.type === 'user'
    ? principal.userEntityRef
    : principal.subject;
}

function paging(query: { limit?: string; offset?: string }) {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (limit < 1 || limit > MAX_PAGE) {
    throw new InputError(`limit must be between 1 and ${MAX_PAGE}`);
  }
  return { limit, offset: query.offset === undefined ? 0 : Number(query.offset) };
}

/** A comma list of control ids, each a configured control; else a 400 naming the unknown one. */
function knownControls(controls: ControlDefinition[], value?: string): string[] | undefined {
  const ids = csv(value);
  const unknown = ids?.find(id => !controls.some(c => c.id === id));
  if (unknown) {
    throw new InputError(`Unknown control '${unknown}'. Controls: ${controls.map(c => c.id).join(', ')}`);
  }
  return ids;
}

function csv(value?: string): string[] | undefined {
  return value ? [...new Set(value.split(','))] : undefined;
}

function optionalDigest(value?: string): string | undefined {
  if (value === undefined) return undefined;
  const digest = normalizeDigest(value);
  if (!digest) {
    throw new InputError(`Malformed artifact digest '${value}': use algorithm:hex`);
  }
  return digest;
}

async function optionalEntity(
  entities: EntityResolver,
  query: { entity?: string; repository?: string },
): Promise<string | undefined> {
  if (!query.entity && !query.repository) return undefined;
  return (
    await entities.resolve({ entityRef: query.entity, repository: query.repository })
  ).entityRef;
}

function normalizeOwner(owner: string): string {
  const match = /^(?:(group|user):)?(?:([a-zA-Z0-9._-]{1,63})\/)?([a-zA-Z0-9._-]{1,63})$/.exec(owner);
  if (!match) {
    throw new InputError(`Malformed owner '${owner}': use e.g. group:default/team-payments`);
  }
  return `${match[1] ?? 'group'}:${match[2] ?? 'default'}/${match[3]}`;
}
