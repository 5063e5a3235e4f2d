import { InputError, NotFoundError } from '@backstage/errors';
import {
  ArtifactDetails,
  FindingSeverity,
  FindingStatus,
  PIPELINE_STAGES,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeDigest } from '@devsecops-scorecard/plugin-devsecops-node';
import { parsePackageQuery } from '../portfolio/packageQuery';
import { FindingOrder } from '../store/FindingStore';
import { normalizeOwner } from '../validation/owners';
import { csv, knownControls, MAX_PAGE, optionalDigest, paging } from '../validation/query';
import { mayRead, narrowEntities } from '../permissions/readScope';
import { AreaContext, optionalEntity } from './request';

/** Controls and formats, report uploads and reads, findings, artifacts. */
export function mountReportRoutes({ router, services, callers }: AreaContext) {
  const { reader, writer } = callers;
  const { controls, entities, stores, readScopes } = services;

  router.get('/controls', async (req, res) => {
    await reader(req);
    res.json({ stages: PIPELINE_STAGES, controls: controls.list() });
  });

  router.get('/formats', async (req, res) => {
    await reader(req);
    res.json({
      formats: services.normalizers.list().map(n => ({ id: n.id, title: n.title })),
    });
  });

  router.post('/v1/reports', async (req, res) => {
    const writerIdentity = await writer(req);
    if (!Buffer.isBuffer(req.body)) {
      throw new InputError('The report must be sent as the request body');
    }
    const q = req.query;
    const result = await services.reportIngest.ingest({
      body: req.body,
      lookup: { entityRef: q.entity, repository: q.repository },
      format: q.format,
      control: q.control,
      sourceCommit: q.commit,
      branch: q.branch,
      artifactDigest: q.artifact,
      scannedAt: q.scannedAt,
      scanners: csv(q.scanners),
      writer: writerIdentity,
    });
    res.status(result.duplicate ? 200 : 201).json(result);
  });

  router.get('/v1/reports', async (req, res) => {
    const scope = await readScopes.of(await reader(req));
    const entityRef = await optionalEntity(entities, req.query);
    const page = paging(req.query);
    knownControls(controls, req.query.control);
    res.json(
      await stores.reports.list({
        entityRef,
        entityRefs: scope.all ? undefined : scope.entityRefs,
        control: req.query.control,
        artifactDigest: optionalDigest(req.query.artifact),
        ...page,
      }),
    );
  });

  router.get('/v1/reports/:id', async (req, res) => {
    const scope = await readScopes.of(await reader(req));
    const report = await stores.reports.get(req.params.id);
    if (!report || !mayRead(scope, report.entityRef)) throw new NotFoundError(`No report ${req.params.id}`);
    res.json(report);
  });

  router.get('/v1/reports/:id/body', async (req, res) => {
    const scope = await readScopes.of(await reader(req));
    const report = scope.all ? undefined : await stores.reports.get(req.params.id);
    const body = scope.all || (report && mayRead(scope, report.entityRef)) ? await stores.reports.getBody(req.params.id) : undefined;
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
        'Access-Control-Expose-Headers': 'Content-Disposition, X-Devsecops-Redacted',
      })
      .send(body.gzip);
  });

  router.get('/v1/findings', async (req, res) => {
    const scope = await readScopes.of(await reader(req));
    const q = req.query;
    const entityRef = await optionalEntity(entities, q);
    const page = await stores.findings.list({
      entityRefs: narrowEntities(scope, entityRef ? [entityRef] : undefined),
      ownerRefs: q.owner ? [normalizeOwner(q.owner)] : undefined,
      controls: knownControls(controls, q.control),
      severities: csv(q.severity) as FindingSeverity[] | undefined,
      statuses: csv(q.status) as FindingStatus[] | undefined,
      tool: q.tool,
      vulnerabilityId: q.vulnerabilityId,
      package: q.package ? parsePackageQuery(q.package) : undefined,
      orderBy: (q.orderBy ?? 'severity') as FindingOrder,
      order: q.order ?? (q.orderBy && q.orderBy !== 'severity' && q.orderBy !== 'exploitability' ? 'asc' : 'desc'),
      ...paging(q),
    });
    // Open findings are due under the severity SLA of their entity (lifecycle, tier); resolved and suppressed ones are not. Each
    // shows the VEX statement that applies to it, if any (`vex.suppresses`: not counted).
    const items = await services.vex.annotate(page.items, new Date());
    res.json({
      ...page,
      items: await services.dueDates.annotate(items),
    });
  });

  router.get('/v1/artifacts/:digest', async (req, res) => {
    const scope = await readScopes.of(await reader(req));
    const digest = normalizeDigest(req.params.digest);
    if (!digest) {
      throw new InputError(`Malformed artifact digest '${req.params.digest}': use algorithm:hex`);
    }
    const entityRef = await optionalEntity(entities, req.query);
    const records = (await stores.artifacts.get(digest, entityRef)).filter(r => mayRead(scope, r.entityRef));
    if (records.length === 0) {
      throw new NotFoundError(`No artifact ${digest}`);
    }
    const firstPage = { artifactDigest: digest, limit: MAX_PAGE, offset: 0 };
    const details: ArtifactDetails[] = await Promise.all(
      records.map(async record => ({
        ...record,
        sbom: await stores.artifacts.getSbom(record.entityRef, digest),
        scans: (await stores.reports.list({ entityRef: record.entityRef, ...firstPage })).items,
        deployments: (await stores.deployments.list({ entityRef: record.entityRef, ...firstPage })).items,
      })),
    );
    res.json(entityRef ? details[0] : { artifacts: details });
  });
}
