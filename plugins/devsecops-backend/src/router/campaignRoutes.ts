import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { normalizeOwner } from '../validation/owners';
import { paging } from '../validation/query';
import { AreaContext } from './request';

/** A ref given in a query, with its kind defaulted; a 400 naming the parameter when malformed. */
function refParam(value: string | undefined, name: string, defaultKind: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }));
  } catch {
    throw new InputError(`Malformed ${name}: use an entity ref, e.g. ${defaultKind}:default/name`);
  }
}

/** Campaigns: created by platform and security owners, read like roll-ups (devsecops.read). */
export function mountCampaignRoutes({ router, services, callers }: AreaContext) {
  const { reader, person } = callers;
  const { campaigns } = services;

  router.post('/v1/campaigns', async (req, res) => {
    res.status(201).json(await campaigns.create(req.body, await person(req)));
  });

  router.get('/v1/campaigns', async (req, res) => {
    await reader(req);
    if (req.query.entity && req.query.group) throw new InputError('Filter by entity or by group, not both');
    res.json({
      items: await campaigns.list({
        entity: refParam(req.query.entity, 'entity', 'component'),
        group: req.query.group === undefined ? undefined : normalizeOwner(req.query.group),
      }),
    });
  });

  router.get('/v1/campaigns/:id', async (req, res) => {
    await reader(req);
    res.json(await campaigns.get(req.params.id, paging(req.query)));
  });
}
