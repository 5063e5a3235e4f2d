import { InputError, NotFoundError } from '@backstage/errors';
import { mayReadException } from '../permissions/exceptionRead';
import { AreaContext } from './request';

/** What a person may do on an exception's page, and exercise follow-ups marked done. */
export function mountExceptionActionRoutes({ router, services, callers }: AreaContext) {
  const { reader, person } = callers;
  const { exceptions, runtime } = services;

  router.get('/v1/exceptions/:id/actions', async (req, res) => {
    const credentials = await reader(req);
    const record = await exceptions.get(req.params.id);
    if (!(await mayReadException(services.permissions, credentials, record))) {
      throw new NotFoundError(`No exception ${req.params.id}`);
    }
    if (credentials.principal.type !== 'user') {
      throw new InputError('The actions are computed for a person: use a user token');
    }
    res.json({ exceptionId: record.id, actions: await exceptions.actionsFor(record, credentials as any) });
  });

  router.post('/v1/exercises/:id/follow-ups/:index', async (req, res) => {
    const credentials = await person(req);
    res.json(await runtime.setFollowUpDone(req.params.id, Number(req.params.index), req.body.done, credentials));
  });
}
