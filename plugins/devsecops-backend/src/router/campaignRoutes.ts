import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { paging } from '../validation/query';
import { AreaContext, optionalEntity } from './request';

/** A group given in a query (kind defaults to group), as roll-ups read it. */
function groupParam(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind: 'group', defaultNamespace: 'default' }));
  } catch (error) {
    throw new InputError(`Malformed group ref '${value}': ${(error as Error).message}`);
  }
}

/** Campaigns: created by platform and security owners, read like roll-ups (devsecops.read). */
export function mountCampaignRoutes({ router, services, callers }: AreaContext) {
  const { reader, person } = callers;
  const { campaigns, entities } = services;

  router.post('/v1/campaigns', async (req, res) => {
    res.status(201).json(await campaigns.create(req.body, await person(req)));
  });

  router.get('/v1/campaigns', async (req, res) => {
    await reader(req);
    if (req.query.entity && req.query.group) throw new InputError('Filter by entity or by group, not both');
    res.json({
      items: await campaigns.list({
        entity: await optionalEntity(entities, { entity: req.query.entity }),
        group: groupParam(req.query.group),
      }),
    });
  });

  router.get('/v1/campaigns/:id', async (req, res) => {
    await reader(req);
    res.json(await campaigns.get(req.params.id, paging(req.query)));
  });
}
