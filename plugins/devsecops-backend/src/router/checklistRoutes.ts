import { InputError } from '@backstage/errors';
import { AreaContext } from './request';

/** The DevSecOps checklist per service, per team or for the org. */
export function mountChecklistRoutes({ router, services, callers }: AreaContext) {
  router.get('/v1/checklist', async (req, res) => {
    await callers.reader(req);
    const { entity, repository, group } = req.query;
    if (group && (entity || repository)) {
      throw new InputError('Pass entity or repository for one service, or group for a team, not both');
    }
    res.json(
      entity || repository
        ? await services.checklist.forEntity({ entityRef: entity, repository })
        : await services.checklist.forScope({ group }),
    );
  });
}
