import { DevsecopsApi, Rollup, RollupQuery } from '@devsecops-scorecard/plugin-devsecops-common';

/** Entities per roll-up page (the API's most). */
export const ROLLUP_PAGE_SIZE = 500;

/**
 * A roll-up with its entity list read page by page (`entitiesLimit`, `entitiesCursor`): the
 * aggregates and team rows come with the first page, no single response carries thousands of
 * entities. Stops at the page count the first page announced, so a cursor that never ends
 * cannot loop.
 */
export async function getRollupInPages(
  api: Pick<DevsecopsApi, 'getRollup'>,
  query: RollupQuery,
  pageSize = ROLLUP_PAGE_SIZE,
): Promise<Rollup> {
  const scope: RollupQuery = { group: query.group, system: query.system, domain: query.domain, lifecycle: query.lifecycle };
  for (const key of Object.keys(scope) as Array<keyof RollupQuery>) {
    if (scope[key] === undefined) delete scope[key];
  }
  const first = await api.getRollup({ ...scope, entitiesLimit: pageSize });
  const entities = [...first.entities];
  const pages = Math.ceil((first.entitiesPage?.total ?? entities.length) / pageSize);
  let cursor = first.entitiesPage?.nextCursor;
  for (let page = 1; cursor && page < pages; page++) {
    const next = await api.getRollup({ ...scope, entitiesLimit: pageSize, entitiesCursor: cursor });
    entities.push(...next.entities);
    cursor = next.entitiesPage?.nextCursor;
  }
  const { entitiesPage: _page, ...rollup } = first;
  return { ...rollup, entities };
}
