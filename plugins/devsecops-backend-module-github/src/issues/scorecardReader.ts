import { ControlSnapshot, ScorecardControl, ScorecardReader } from './ControlIssues';

/**
 * Reads the devsecops plugin's stored scorecards over its API with the module's plugin token:
 * `GET /v1/scorecards` (the controls now) and `GET /v1/scorecards/history` (the daily snapshots
 * that say since when a control fails). Stateless: every instance and every restart sees the same.
 */
export function httpScorecardReader(options: {
  baseUrl: () => Promise<string>;
  token: () => Promise<string>;
  fetch?: typeof fetch;
}): ScorecardReader {
  const fetchFn = options.fetch ?? ((...args) => fetch(...args));
  const get = async (path: string, query: Record<string, string>) => {
    const response = await fetchFn(`${await options.baseUrl()}${path}?${new URLSearchParams(query)}`, {
      headers: { Authorization: `Bearer ${await options.token()}` },
    });
    if (response.status === 404) {
      await response.text().catch(() => '');
      return undefined;
    }
    if (!response.ok) {
      throw new Error(`devsecops ${path} refused: ${response.status} ${(await response.text()).slice(0, 300)}`);
    }
    return response.json();
  };
  return {
    async controls(entityRef) {
      const scorecard = await get('/v1/scorecards', { entity: entityRef });
      return scorecard ? (scorecard.controls as ScorecardControl[]) : undefined;
    },
    async history(entityRef, days) {
      const history = await get('/v1/scorecards/history', { entity: entityRef, days: String(Math.min(days, 730)) });
      return history ? (history.snapshots as ControlSnapshot[]) : [];
    },
  };
}
