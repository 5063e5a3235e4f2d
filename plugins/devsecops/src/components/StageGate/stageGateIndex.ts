import { DevsecopsApi, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { devsecopsApiRef } from '../../api';
import { getRollupInPages } from '../OverviewPage/rollupPages';

export type StageGateRow = Rollup['entities'][number];

/** How long one organisation roll-up answers every cell and card before it is asked again. */
const FRESH_MS = 60_000;
const cache = new WeakMap<DevsecopsApi, { at: number; rows: Promise<Map<string, StageGateRow>> }>();

/**
 * Stage and production gate of every entity the reader may see, from one organisation roll-up
 * shared by all the catalog's cells and the home card (not one scorecard request per row). Its
 * entity list is read in pages of 500 (no single response carries thousands of entities).
 */
export function stageGateIndex(api: DevsecopsApi, now = Date.now()): Promise<Map<string, StageGateRow>> {
  const cached = cache.get(api);
  if (cached && now - cached.at < FRESH_MS) return cached.rows;
  const rows = getRollupInPages(api, {}).then(r => new Map(r.entities.map(e => [e.entityRef, e])));
  // A failed read is not kept: the next cell asks again.
  rows.catch(() => cache.delete(api));
  cache.set(api, { at: now, rows });
  return rows;
}

/** The index as a React hook. */
export function useStageGateIndex() {
  const api = useApi(devsecopsApiRef);
  return useAsync(() => stageGateIndex(api), [api]);
}
