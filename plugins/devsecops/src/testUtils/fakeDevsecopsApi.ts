import {
  DevsecopsApi,
  PIPELINE_CONTROLS,
  PIPELINE_STAGES,
} from '@devsecops-scorecard/plugin-devsecops-common';

/** An in-memory DevsecopsApi answering like a healthy backend, for component tests. */
export function fakeDevsecopsApi(
  overrides: Partial<DevsecopsApi> = {},
): DevsecopsApi {
  return {
    getHealth: async () => ({
      status: 'ok',
      database: { client: 'pg', reachable: true },
      migrations: ['20261128150000_evidence_store.js'],
    }),
    getControlStack: async () => ({
      stages: [...PIPELINE_STAGES],
      controls: [...PIPELINE_CONTROLS],
    }),
    listFormats: async () => ({ formats: [{ id: 'sarif', title: 'SARIF' }] }),
    ...overrides,
  };
}
