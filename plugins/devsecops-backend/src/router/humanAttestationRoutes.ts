import { InputError, NotFoundError } from '@backstage/errors';
import { mayRead } from '../permissions/readScope';
import { paging } from '../validation/query';
import { AreaContext, optionalEntity } from './request';

/** Named human attestations: recorded by people, read like other evidence. */
export function mountHumanAttestationRoutes({ router, services, callers }: AreaContext) {
  const { reader, person } = callers;
  const { humanAttestations, stores, entities } = services;

  /** Recorded by the signed-in user; a service token is refused (403). */
  router.post('/v1/human-attestations', async (req, res) => {
    const credentials = await person(req);
    res.status(201).json(await humanAttestations.record(req.body, credentials));
  });

  /**
   * Those that count for the entity (made for it, its owner group or a group above), expired ones
   * included, newest first; `devsecops.entity.read` on the entity (404 otherwise).
   */
  router.get('/v1/human-attestations', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const entityRef = await optionalEntity(entities, req.query);
    if (!entityRef) throw new InputError('Pass entity or repository to list its human attestations');
    if (!mayRead(scope, entityRef)) throw new NotFoundError(`No catalog entity ${entityRef}`);
    const scopeRefs = await humanAttestations.scopesOf(entityRef);
    res.json(await stores.humanAttestations.list({ scopeRefs, kind: req.query.kind, ...paging(req.query) }));
  });
}
