import { AreaContext } from './request';

/** The responsibility model as configured: who acts, provides and decides per capability. */
export function mountResponsibilityRoutes({ router, services, callers }: AreaContext) {
  router.get('/v1/responsibility', async (req, res) => {
    await callers.reader(req);
    res.json(services.responsibility.matrix());
  });
}
