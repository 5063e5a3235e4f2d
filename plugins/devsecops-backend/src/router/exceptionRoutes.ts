import { InputError, NotFoundError } from '@backstage/errors';
import { exceptionReadCriteria, mayReadException } from '../permissions/exceptionRead';
import { ExceptionStatus } from '@devsecops-scorecard/plugin-devsecops-common';
import { normalizeOwner } from '../validation/owners';
import { csv, paging } from '../validation/query';
import { AreaContext, optionalEntity } from './request';

/** Risk exceptions: requested and decided by people; read by anyone who may read. */
export function mountExceptionRoutes({ router, services, callers }: AreaContext) {
  const { reader, person } = callers;
  const { exceptions } = services;

  router.post('/v1/exceptions', async (req, res) => {
    const credentials = await person(req);
    res.status(201).json(await exceptions.request(req.body, credentials));
  });

  router.get('/v1/exceptions', async (req, res) => {
    const credentials = await reader(req);
    const q = req.query;
    const entityRef = await optionalEntity(services.entities, q);
    let riskOwners: string[] | undefined;
    if (q.riskOwner === 'me') {
      if (credentials.principal.type !== 'user') {
        throw new InputError('riskOwner=me needs a user token');
      }
      riskOwners = await exceptions.claims(credentials as any);
    } else if (q.riskOwner) {
      riskOwners = [normalizeOwner(q.riskOwner.includes(':') ? q.riskOwner : `user:${q.riskOwner}`)];
    }
    let requester: string | undefined;
    if (q.requester === 'me') {
      if (credentials.principal.type !== 'user') {
        throw new InputError('requester=me needs a user token');
      }
      requester = credentials.principal.userEntityRef;
    } else if (q.requester) {
      requester = normalizeOwner(q.requester.includes(':') ? q.requester : `user:${q.requester}`);
    }
    res.json(
      await exceptions.list({
        readable: await exceptionReadCriteria(services.permissions, credentials),
        entityRef,
        riskOwners,
        requester,
        ownerRef: q.owner ? normalizeOwner(q.owner) : undefined,
        riskRating: q.riskRating,
        order: q.order,
        statuses: csv(q.status) as ExceptionStatus[] | undefined,
        expiringWithinDays: q.expiringWithinDays === undefined ? undefined : Number(q.expiringWithinDays),
        ...paging(q),
      }),
    );
  });

  router.get('/v1/exceptions/risk-owners', async (req, res) => {
    const credentials = await reader(req);
    if (credentials.principal.type !== 'user') {
      throw new InputError('Eligible risk owners are computed for a requester: use a user token');
    }
    const q = req.query;
    res.json(
      await exceptions.eligibleRiskOwners(
        { entityRef: q.entity, repository: q.repository, riskRating: q.riskRating, control: q.control },
        credentials as any,
      ),
    );
  });

  router.get('/v1/exceptions/:id', async (req, res) => {
    const credentials = await reader(req);
    const record = await exceptions.get(req.params.id);
    if (!(await mayReadException(services.permissions, credentials, record))) {
      throw new NotFoundError(`No exception ${req.params.id}`);
    }
    res.json(record);
  });

  router.post('/v1/exceptions/:id/approve', async (req, res) => {
    res.json(await exceptions.decide(req.params.id, 'approve', req.body.reason, await person(req)));
  });

  router.post('/v1/exceptions/:id/reject', async (req, res) => {
    res.json(await exceptions.decide(req.params.id, 'reject', req.body.reason, await person(req)));
  });

  router.post('/v1/exceptions/:id/revoke', async (req, res) => {
    res.json(await exceptions.revoke(req.params.id, req.body.reason, await person(req)));
  });

  router.post('/v1/exceptions/:id/renew', async (req, res) => {
    res.status(201).json(await exceptions.renew(req.params.id, req.body, await person(req)));
  });
}
