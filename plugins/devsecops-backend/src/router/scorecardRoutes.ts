import { InputError } from '@backstage/errors';
import { parseObservedTime } from '../validation/inputTimes';
import { historyDays } from '../validation/query';
import { AreaContext, optionalEntity } from './request';
import { sendStoredJson } from './storedJson';

/** Entity scorecards and their history, backfilled snapshots, roll-ups and their history. */
export function mountScorecardRoutes({ router, services, callers }: AreaContext) {
  const { reader, writer } = callers;
  const { scorecards, rollups, stores } = services;

  router.get('/v1/scorecards', async (req, res) => {
    await reader(req);
    const { entity, repository } = req.query;
    if (!entity && !repository) {
      throw new InputError('Pass entity or repository');
    }
    // Stored as JSON text and sent as it is: no parse and stringify per read, compressed once per text.
    sendStoredJson(req, res, await scorecards.scorecardJson({ entityRef: entity, repository }));
  });

  router.get('/v1/scorecards/history', async (req, res) => {
    await reader(req);
    const entityRef = await optionalEntity(services.entities, req.query);
    if (!entityRef) throw new InputError('Pass entity or repository');
    const days = historyDays(req.query.days);
    const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    res.json({ entityRef, snapshots: await stores.summaries.history(entityRef, since) });
  });

  router.post('/v1/scorecards/snapshots', async (req, res) => {
    const writerIdentity = await writer(req);
    const { entityRef, repository, at } = req.body;
    if (!entityRef && !repository) throw new InputError('Pass entityRef or repository');
    const now = new Date();
    const time = parseObservedTime('at', at, now, 5 * 60 * 1000);
    if (time.getTime() < now.getTime() - 730 * 86_400_000) {
      throw new InputError(`at '${at}' is more than 730 days ago, beyond any history shown`);
    }
    const summary = await scorecards.summaryAt({ entityRef, repository }, time, writerIdentity);
    const day = time.toISOString().slice(0, 10);
    await stores.summaries.snapshot(summary, day);
    await services.campaigns.snapshotsChanged(day);
    res.status(201).json({ entityRef: summary.entityRef, day, stage: summary.stage });
  });

  router.get('/v1/rollups', async (req, res) => {
    await reader(req);
    const { entitiesLimit, entitiesCursor, ...scope } = req.query;
    res.json(await rollups.rollup(scope, { entitiesLimit, entitiesCursor }));
  });

  router.get('/v1/rollups/history', async (req, res) => {
    await reader(req);
    const { days: daysParam, ...scope } = req.query;
    const days = historyDays(daysParam);
    res.json(await rollups.history(scope, days));
  });
}
