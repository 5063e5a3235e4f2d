import { CHECKLIST_ITEMS, EntityChecklist, ScopeChecklist } from '@devsecops-scorecard/plugin-devsecops-common';

/** A service whose Scorecard result measures least privilege (met) and nothing measures CI logs. */
export const sampleChecklist: EntityChecklist = {
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/team-payments',
  evaluatedAt: '2026-11-28T12:00:00.000Z',
  items: CHECKLIST_ITEMS.map(item => {
    if (item.id === 'least-privilege') {
      return { ...item, state: 'met', source: 'collected', reason: 'Scorecard Token-Permissions 10/10: GitHub workflow tokens follow principle of least privilege', evidence: ['openssf.token-permissions.result'] };
    }
    if (item.id === 'exception-review') {
      return { ...item, state: 'met', source: 'portal', reason: 'Every exception recorded here names a risk owner who is not its requester and expires by itself (1 in force)', evidence: ['exceptions'] };
    }
    return {
      ...item,
      state: 'not_measured',
      reason: 'No OpenSSF Scorecard result',
      evidence: [],
      howToMeasure: 'run OpenSSF Scorecard in CI (`scorecard --format json > results.json`) and upload it (`devsecops upload results.json`)',
    };
  }),
};

const COUNTS: Partial<Record<string, ScopeChecklist['items'][number]['counts']>> = {
  'exception-review': { met: 2, unmet: 0, not_measured: 0, not_applicable: 0 },
  'least-privilege': { met: 1, unmet: 1, not_measured: 0, not_applicable: 0 },
};

/** A team of two services: both meet exception review, one least privilege. */
export const sampleScopeChecklist: ScopeChecklist = {
  scope: { kind: 'group', ref: 'group:default/team-payments' },
  entityCount: 2,
  truncated: false,
  evaluatedAt: '2026-11-28T12:00:00.000Z',
  items: CHECKLIST_ITEMS.map(item => ({
    ...item,
    counts: COUNTS[item.id] ?? { met: 0, unmet: 0, not_measured: 2, not_applicable: 0 },
    ...(item.id === 'ci-log-redaction' ? { howToMeasure: 'not observable by the GitHub provider, Scorecard or scanners' } : {}),
  })),
  entities: [],
};
