import { BackstageCredentials, BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { TicketSubjectKind } from '@devsecops-scorecard/plugin-devsecops-common';
import express from 'express';
import { narrowEntities } from '../permissions/readScope';
import { AreaContext, Callers, optionalEntity } from '../router/request';
import { TicketCaller } from './TicketService';

/** A person (the permission policy decides) or a service token (checked as an evidence writer). */
async function ticketCaller(callers: Callers, req: express.Request): Promise<TicketCaller> {
  const credentials = await callers.reader(req);
  if (credentials.principal.type === 'user') {
    return { type: 'user', credentials: credentials as BackstageCredentials<BackstageUserPrincipal> };
  }
  return { type: 'service', writer: await callers.writer(req) };
}

/** Tickets linked to findings and runtime signals: link or update one, list an entity's. */
export function mountTicketRoutes({ router, services, callers }: AreaContext) {
  const link = (kind: TicketSubjectKind) => async (req: express.Request, res: express.Response) => {
    const { ticket, created } = await services.tickets.link(kind, req.params.id, req.body, await ticketCaller(callers, req));
    res.status(created ? 201 : 200).json(ticket);
  };
  router.post('/v1/findings/:id/tickets', link('finding'));
  router.post('/v1/runtime-signals/:id/tickets', link('runtime-signal'));

  router.get('/v1/tickets', async (req, res) => {
    const scope = await services.readScopes.of(await callers.reader(req));
    const q = req.query;
    const entityRef = await optionalEntity(services.entities, q);
    if (!entityRef && !q.subjectId) throw new InputError('Pass entity (or repository) or subjectId');
    // Like findings: only the entities the caller may read (devsecops.entity.read).
    const entityRefs = narrowEntities(scope, entityRef ? [entityRef] : undefined);
    const items = await services.stores.tickets.list({
      entityRefs,
      subjectKind: q.subjectKind as TicketSubjectKind | undefined,
      subjectId: q.subjectId,
      limit: 1000,
    });
    res.json({ items });
  });
}
