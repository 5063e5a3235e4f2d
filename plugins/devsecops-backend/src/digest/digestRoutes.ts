import { InputError } from '@backstage/errors';
import { AreaContext } from '../router/request';

/** The weekly digest's content for a group (or the organisation), read like roll-ups (devsecops.read). */
export function mountDigestRoutes({ router, services, callers }: AreaContext) {
  router.get('/v1/digests/preview', async (req, res) => {
    await callers.reader(req);
    const { group, ...rest } = req.query;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new InputError(`Unknown query parameter ${unknown.join(', ')} (pass group, or nothing for the organisation)`);
    if (group !== undefined && (typeof group !== 'string' || group.length === 0)) {
      throw new InputError('group: pass one group ref, such as group:default/team-payments');
    }
    res.json(await services.digests.preview(group));
  });
}
