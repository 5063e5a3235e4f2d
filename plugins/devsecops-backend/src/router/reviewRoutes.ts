import { AreaContext } from './request';

/** Control-failure reviews (what the next review looks at) and recurring findings across services. */
export function mountReviewRoutes({ router, services, callers }: AreaContext) {
  const { reader } = callers;
  const { controlFailureReviews, recurringFindings, readScopes } = services;

  router.get('/v1/control-failure-reviews/pending', async (req, res) => {
    await reader(req);
    res.json(await controlFailureReviews.pending({ group: req.query.group, lifecycle: req.query.lifecycle }));
  });

  router.get('/v1/findings/recurring', async (req, res) => {
    const scope = await readScopes.of(await reader(req));
    res.json(await recurringFindings.list({ group: req.query.group, lifecycle: req.query.lifecycle, minServices: req.query.minServices }, scope));
  });
}
