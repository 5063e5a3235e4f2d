import { overdueFollowUps, recurringFindings } from '../runtime/RuntimeService';
import { paging } from '../validation/query';
import { AreaContext, optionalEntity } from './request';

/** Runtime signals with their timeline, and tabletop exercises. */
export function mountRuntimeRoutes({ router, services, callers }: AreaContext) {
  const { reader, writer, person } = callers;
  const { runtime, stores } = services;

  /** Runtime monitoring records alerts and incidents with a service token, like deployments. */
  router.post('/v1/runtime-signals', async (req, res) => {
    res.status(201).json(await runtime.record(req.body, await writer(req)));
  });

  /** Containment and remediation come from responders (users) or from tooling (services). */
  router.post('/v1/runtime-signals/:id/timeline', async (req, res) => {
    const credentials = await reader(req);
    res.status(200).json(await runtime.updateTimeline(req.params.id, req.body, credentials));
  });

  router.get('/v1/runtime-signals', async (req, res) => {
    const scope = await services.readScopes.of(await reader(req));
    const entityRef = await optionalEntity(services.entities, req.query);
    res.json(
      await stores.runtimeSignals.list({
        entityRef,
        entityRefs: scope.all ? undefined : scope.entityRefs,
        open: req.query.open === undefined ? undefined : req.query.open === 'true',
        ...paging(req.query),
      }),
    );
  });

  /** Exercises are recorded by the people who held them. */
  router.post('/v1/exercises', async (req, res) => {
    const credentials = await person(req);
    res.status(201).json(await runtime.recordExercise(req.body, credentials));
  });

  router.get('/v1/exercises', async (req, res) => {
    await reader(req);
    const q = req.query;
    const scopeRefs = q.scope ? [await runtime.resolveScope(q.scope)] : undefined;
    const page = await stores.exercises.list({ scopeRefs, scenario: q.scenario, ...paging(q) });
    // Recurring findings over every matching exercise, not just this page.
    const all = await stores.exercises.list({ scopeRefs, scenario: q.scenario, limit: 5000, offset: 0 });
    res.json({
      ...page,
      recurringFindings: recurringFindings(all.items),
      overdueFollowUps: overdueFollowUps(all.items, new Date().toISOString().slice(0, 10)),
    });
  });
}
