import { InputError, NotFoundError } from '@backstage/errors';
import { decompressBody } from '../ingest/ReportIngestService';
import { mayRead } from '../permissions/readScope';
import { AreaContext, optionalEntity, principalName } from './request';

/** Facts, attestations, evidence chains, audit packages and the evidence log. */
export function mountEvidenceRoutes({ router, services, callers }: AreaContext) {
  const { reader, writer } = callers;
  const { entities, stores } = services;

  router.post('/v1/facts', async (req, res) => {
    const facts = await services.evidence.recordFacts(req.body, await writer(req));
    res.status(201).json({ facts });
  });

  router.get('/v1/facts', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const entityRef = await optionalEntity(entities, req.query);
    if (!entityRef) {
      throw new InputError('Pass entity or repository to list its facts');
    }
    if (!mayRead(scope, entityRef)) throw new NotFoundError(`No catalog entity ${entityRef}`);
    res.json({ facts: await stores.facts.current(entityRef) });
  });

  router.post('/v1/attestations', async (req, res) => {
    const writerIdentity = await writer(req);
    if (!Buffer.isBuffer(req.body)) throw new InputError('The attestation must be sent as the request body');
    const body = decompressBody(req.body, services.maxReportBytes, 'Attestation');
    const q = req.query;
    const results = await services.attestations.attest(
      { entityRef: q.entity, repository: q.repository, artifactDigest: q.artifact, body },
      writerIdentity,
    );
    res.status(201).json({ results });
  });

  router.get('/v1/evidence/chain', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const q = req.query;
    const chain = await services.evidenceChains.chain({
      deployment: q.deployment,
      artifact: q.artifact,
      entityRef: q.entity,
      repository: q.repository,
      environment: q.environment,
    });
    if (!mayRead(scope, chain.entityRef)) throw new NotFoundError('No evidence chain for that release');
    res.json(chain);
  });

  router.get('/v1/audit-packages', async (req, res) => {
    const credentials = await reader(req);
    const q = req.query;
    const { zip, filename } = await services.auditPackages.export(
      { entity: q.entity, repository: q.repository, group: q.group, org: q.org === 'true', from: q.from, to: q.to },
      principalName(credentials),
      await services.readScopes.of(credentials),
    );
    res
      .status(200)
      .set({
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${filename}"`,
        // A frontend on another origin (the dev server) may read the file name only when exposed.
        'Access-Control-Expose-Headers': 'Content-Disposition',
      })
      .send(Buffer.from(zip));
  });

  router.get('/v1/evidence/verify', async (req, res) => {
    await reader(req);
    res.json(await stores.evidenceLog.verify());
  });

  router.get('/v1/evidence/log', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const entityRef = await optionalEntity(entities, req.query);
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (limit < 1 || limit > 1000) throw new InputError('limit must be between 1 and 1000');
    res.json({
      records: await stores.evidenceLog.list({
        entityRef,
        entityRefs: scope.all ? undefined : scope.entityRefs,
        subjectId: req.query.subject,
        fromSeq: req.query.fromSeq === undefined ? undefined : Number(req.query.fromSeq),
        limit,
      }),
    });
  });
}
