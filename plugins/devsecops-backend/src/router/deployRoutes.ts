import { parseClaimedOwner } from '../validation/owners';
import { paging } from '../validation/query';
import { AreaContext, optionalEntity } from './request';

/** Deployments (recorded, then judged under their environment's policy) and gate decisions. */
export function mountDeployRoutes({ router, services, callers }: AreaContext) {
  const { reader, writer } = callers;
  const { entities, stores } = services;

  router.post('/v1/deployments', async (req, res) => {
    const result = await services.deployments.record(req.body, await writer(req));
    res.status(result.duplicate ? 200 : 201).json(result);
  });

  router.get('/v1/deployments', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const entityRef = await optionalEntity(entities, req.query);
    res.json(
      await stores.deployments.list({
        entityRef,
        entityRefs: scope.all ? undefined : scope.entityRefs,
        environment: req.query.environment,
        ...paging(req.query),
      }),
    );
  });

  router.post('/v1/gate/decisions', async (req, res) => {
    const writerIdentity = await writer(req);
    const body = req.body;
    if (body.claimedOwner !== undefined) parseClaimedOwner(body.claimedOwner);
    const decision = await services.gate.decide({
      entityRef: body.entityRef,
      repository: body.repository,
      artifactDigest: body.artifactDigest,
      environment: body.environment,
      claimedOwner: body.claimedOwner,
      requestedBy: writerIdentity.name,
      writer: writerIdentity,
    });
    res.status(200).json(decision);
  });

  router.get('/v1/gate/decisions', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const entityRef = await optionalEntity(entities, req.query);
    res.json(
      await stores.decisions.list({
        entityRef,
        entityRefs: scope.all ? undefined : scope.entityRefs,
        environment: req.query.environment,
        ...paging(req.query),
      }),
    );
  });
}
