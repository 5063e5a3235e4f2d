import {
  ControlState,
  ExceptionRecord,
  DevsecopsApi,
  EntityScorecard,
  PIPELINE_CONTROLS,
  PIPELINE_STAGES,
  PipelineControl,
  EntityHistory,
  Exercise,
  Rollup,
  RollupHistory,
  RuntimeSignal,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { samplePendingReview, sampleRecurringFindings } from './fakeReviews';
import { sampleResponsibilityMatrix } from './fakeResponsibility';
import { sampleChecklist, sampleScopeChecklist } from './fakeChecklist';
import { sampleCampaign, sampleCampaignProgress } from './fakeCampaigns';

const emptyCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

const SAMPLE_STATES: Record<string, ControlState> = {
  'container-scan': 'failing',
  'secret-scanning': 'passing',
};

/** A scorecard as the backend answers it, for a service at stage 1 with one failing control. */
export const sampleScorecard: EntityScorecard = {
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/team-payments',
  type: 'service',
  evaluatedAt: '2026-11-28T12:00:00.000Z',
  controls: PIPELINE_CONTROLS.map(c => ({
    controlId: c.id,
    stage: c.stage,
    title: c.title,
    state: SAMPLE_STATES[c.id] ?? 'not_reported',
    reason:
      c.id === 'container-scan'
        ? '1 open finding(s) at critical or above without an exception (CVE-2026-1)'
        : 'No report evidences it yet',
    evidence: [],
  })),
  maturity: {
    stage: 1,
    stages: [
      { stage: 1, title: 'Stabilize the basics', met: true, criteria: [{ id: 'ownership', title: 'Establish ownership', met: true, reason: 'Owned by group:default/team-payments' }] },
      { stage: 2, title: 'Standardize secure delivery', met: false, criteria: [{ id: 'reusable-workflows', title: 'Move onto reusable CI/CD workflows', met: false, reason: 'No observation of ci.reusable_workflow' }] },
    ],
    nextSteps: [{ id: 'reusable-workflows', title: 'Move onto reusable CI/CD workflows', met: false, reason: 'No observation of ci.reusable_workflow' }],
  },
  metrics: {
    meanTimeToPatchDays: 12.5,
    patchedCount: 4,
    rotatedCount: 0,
    pastSla: { ...emptyCounts, critical: 1 },
    openBySeverity: { ...emptyCounts, critical: 1, high: 2 },
  },
  latestGateDecisions: [
    {
      id: 'd1',
      policy: 'production_release',
      environment: 'production',
      entityRef: 'component:default/payments-api',
      artifactDigest: `sha256:${'a'.repeat(64)}`,
      decision: 'deny',
      requirements: [
        { requirement: 'artifact_known', expected: 'recorded', passed: true, reason: 'known', evidence: [] },
        { requirement: 'container_critical_vulns', expected: 'none_or_approved_exception', passed: false, reason: '1 critical vulnerability without an approved exception: CVE-2026-1', evidence: [] },
      ],
      decidedAt: '2026-11-28T11:00:00.000Z',
      requestedBy: 'external:ci',
    },
  ],
};

export const sampleRollup: Rollup = {
  scope: { kind: 'org' },
  entityCount: 2,
  stageDistribution: { '0': 1, '1': 1, '2': 0, '3': 0, '4': 0 },
  controlAdoption: Object.fromEntries(
    PIPELINE_CONTROLS.map(c => [c.id, { states: { passing: 1, not_reported: 1 }, passingPct: 50 }]),
  ),
  gate: { allow: 1, deny: 0, undecided: 1, passRatePct: 100 },
  metrics: { meanTimeToPatchDays: 12.5, openBySeverity: emptyCounts, pastSla: emptyCounts },
  entities: [
    { entityRef: 'component:default/payments-api', ownerRef: 'group:default/team-payments', type: 'service', stage: 1, productionGate: 'allow' },
    { entityRef: 'component:default/checkout-web', ownerRef: 'group:default/team-checkout', type: 'website', stage: 0 },
  ],
};

/** Three daily snapshots: patching got faster and the stage went from 1 to 2. */
export const sampleHistory: EntityHistory = {
  entityRef: 'component:default/payments-api',
  snapshots: [
    ['2026-11-26', 1, 20, 5],
    ['2026-11-27', 1, 16, 4],
    ['2026-11-28', 2, 12.5, 3],
  ].map(([day, stage, mttp, open]) => ({
    day: day as string,
    stage: stage as number,
    controlStates: {},
    productionGate: 'deny' as const,
    metrics: {
      meanTimeToPatchDays: mttp as number,
      patchedCount: 4,
      rotatedCount: 0,
      pastSla: emptyCounts,
      openBySeverity: { ...emptyCounts, high: open as number },
    },
  })),
};

export const sampleRollupHistory: RollupHistory = {
  scope: { kind: 'org' },
  days: ['2026-11-27', '2026-11-28'].map((day, i) => ({
    day,
    entityCount: 2,
    stageDistribution: { '0': 1, '1': 1 - i, '2': 0, '3': i, '4': 0 },
    controlAdoption: { sast: { states: { passing: 1 + i }, passingPct: 50 + 50 * i } },
    gate: { allow: 1, deny: 1 - i, undecided: 0, passRatePct: 50 + 50 * i },
    metrics: { meanTimeToPatchDays: 14 - 4 * i, openBySeverity: { ...emptyCounts, critical: 2 - i }, pastSla: emptyCounts },
  })),
};

export const sampleSignal: RuntimeSignal = {
  id: 's1',
  entityRef: 'component:default/payments-api',
  kind: 'vulnerability-alert',
  severity: 'high',
  summary: 'Exploit attempt against /pay blocked by WAF',
  detectedAt: '2026-11-20T08:00:00.000Z',
  containedAt: '2026-11-20T10:00:00.000Z',
  remediatedAt: '2026-11-23T08:00:00.000Z',
  source: 'falco',
  recordedBy: 'external:monitoring',
  recordedAt: '2026-11-20T08:01:00.000Z',
};

export const sampleExercise: Exercise = {
  id: 'x1',
  scenario: 'leaked-secrets',
  heldOn: '2026-10-01',
  scopeRef: 'group:default/team-payments',
  participants: ['user:default/dana', 'user:default/rita'],
  findings: [{ title: 'Rotation runbook missing for the payment provider key', recurring: true }],
  followUps: [{ action: 'Write the rotation runbook', owner: 'user:default/dana', due: '2026-10-15' }],
  recordedBy: 'user:default/rita',
  recordedAt: '2026-10-01T16:00:00.000Z',
};

export const sampleException: ExceptionRecord = {
  id: 'e1',
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/team-payments',
  scope: { control: 'container-scan', vulnerabilityId: 'CVE-2026-1' },
  riskStatement: 'Not reachable from the internet',
  riskRating: 'medium',
  requester: 'user:default/dana',
  riskOwner: 'group:default/security-compliance',
  expiresAt: '2026-12-28T00:00:00.000Z',
  status: 'requested',
  requestedAt: '2026-11-28T00:00:00.000Z',
  events: [],
};

/**
 * A control added only in the backend's app-config (`devsecops.controls.dast`), not a built-in
 * one: the views must take it from `GET /controls` and the scorecard like any other.
 */
export const configuredDast: PipelineControl = { id: 'dast', stage: 'build', title: 'DAST' };

/**
 * The fake backend configured with `dast` (3 of 4 services passing it, team-payments 75%): in its
 * control catalogue, its roll-ups and the service's scorecard.
 */
export function fakeDevsecopsApiWithDast(
  overrides: Partial<DevsecopsApi> = {},
): DevsecopsApi {
  const base = fakeDevsecopsApi();
  const dast = { states: { passing: 3, failing: 1 }, passingPct: 75 };
  const withDast = <T extends { controlAdoption: Rollup['controlAdoption'] }>(r: T): T => ({
    ...r,
    controlAdoption: { ...r.controlAdoption, dast },
  });
  return fakeDevsecopsApi({
    getControlStack: async () => {
      const stack = await base.getControlStack();
      return { ...stack, controls: [...stack.controls, configuredDast] };
    },
    getRollup: async query => {
      const rollup = await base.getRollup(query);
      return { ...withDast(rollup), owners: rollup.owners?.map(withDast) };
    },
    getScorecard: async ref => {
      const scorecard = await base.getScorecard(ref);
      return {
        ...scorecard,
        controls: [
          ...scorecard.controls,
          {
            controlId: 'dast',
            stage: 'build',
            title: 'DAST',
            state: 'failing',
            reason: '1 open finding(s) at high or above without an exception (ZAP-40012)',
            evidence: [],
          },
        ],
      };
    },
    ...overrides,
  });
}

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
    listTickets: async () => ({ items: [] }),
    getScorecard: async () => sampleScorecard,
    searchComponents: async query => ({ items: [], totalCount: 0, entityCount: 0, limit: query.limit ?? 50, offset: query.offset ?? 0 }),
    listFindings: async query => ({
      items: [
        {
          id: '1',
          entityRef: 'component:default/payments-api',
          control: 'container-scan',
          tool: 'Trivy',
          fingerprint: 'f',
          kind: 'sca',
          severity: 'critical',
          ruleId: 'CVE-2026-1',
          vulnerabilityId: 'CVE-2026-1',
          title: 'openssl: remote code execution',
          package: { name: 'openssl', version: '3.0.0' },
          fixedVersions: ['3.0.1'],
          fixAvailable: true,
          status: 'open',
          firstSeenAt: '2026-11-01T00:00:00.000Z',
          lastSeenAt: '2026-11-28T00:00:00.000Z',
          firstReportId: 'r1',
          lastReportId: 'r2',
        },
      ],
      totalCount: 31,
      limit: query.limit ?? 10,
      offset: query.offset ?? 0,
    }),
    listReports: async () => ({ items: [], totalCount: 0, limit: 50, offset: 0 }),
    getRollup: async () => ({
      ...sampleRollup,
      owners: ['group:default/team-payments', 'group:default/team-checkout'].map(ref => {
        const { entities: _entities, ...rest } = sampleRollup;
        return { ...rest, scope: { kind: 'group' as const, ref }, entityCount: 1 };
      }),
    }),
    getScorecardHistory: async () => sampleHistory,
    getRollupHistory: async () => sampleRollupHistory,
    listRuntimeSignals: async () => ({ items: [sampleSignal], totalCount: 1, limit: 50, offset: 0 }),
    listExercises: async ({ scope }) => {
      const items = !scope || scope === sampleExercise.scopeRef ? [sampleExercise] : [];
      return {
        items,
        totalCount: items.length,
        limit: 20,
        offset: 0,
        recurringFindings: [],
        overdueFollowUps: items.map(x => ({
          ...x.followUps[0],
          exerciseId: x.id,
          index: 0,
          scenario: x.scenario,
          scopeRef: x.scopeRef,
          heldOn: x.heldOn,
          daysOverdue: 30,
        })),
      };
    },
    recordExercise: async input => ({
      ...sampleExercise,
      ...input,
      id: 'x2',
      findings: input.findings ?? [],
      followUps: input.followUps ?? [],
    }),
    setExerciseFollowUpDone: async (_id, index, done) => ({
      ...sampleExercise,
      followUps: sampleExercise.followUps.map((f, i) =>
        i === index ? { ...f, done, ...(done ? { doneAt: '2026-12-01T00:00:00.000Z', doneBy: 'user:default/dana' } : {}) } : f,
      ),
    }),
    listGateDecisions: async () => ({ items: [], totalCount: 0, limit: 50, offset: 0 }),
    listExceptions: async () => ({ items: [sampleException], totalCount: 1, limit: 100, offset: 0 }),
    getException: async id => ({ ...sampleException, id }),
    getExceptionActions: async id => ({
      exceptionId: id,
      actions: [
        { action: 'approve', allowed: true },
        { action: 'reject', allowed: true },
        { action: 'revoke', allowed: false, reason: 'Only approved exceptions can be revoked (this one is requested)' },
        { action: 'renew', allowed: false, reason: 'Only approved or expired exceptions are renewed (this one is requested)' },
      ],
    }),
    requestException: async request => ({ ...sampleException, ...request, status: 'requested' }),
    recordHumanAttestation: async input => {
      const { kind, scopeRef, date, expiresAt, ...details } = input;
      return {
        id: 'ha-1',
        kind,
        scopeRef,
        date,
        details,
        expiresAt: expiresAt ?? '2027-03-01T00:00:00.000Z',
        recordedBy: 'user:default/dana',
        recordedAt: '2026-12-01T00:00:00.000Z',
      };
    },
    listHumanAttestations: async () => ({ items: [], totalCount: 0, limit: 50, offset: 0 }),
    getPendingControlFailureReview: async () => samplePendingReview,
    listRecurringFindings: async () => sampleRecurringFindings,
    getResponsibilityMatrix: async () => sampleResponsibilityMatrix,
    getChecklist: async () => sampleChecklist,
    getScopeChecklist: async () => sampleScopeChecklist,
    listCampaigns: async () => ({ items: [sampleCampaign] }),
    getCampaign: async () => sampleCampaignProgress,
    createCampaign: async input => ({ ...sampleCampaign, ...input, scope: input.scope ?? {}, reminderDaysBefore: [14, 7, 1] }),
    listEligibleRiskOwners: async query => ({
      entityRef: query.entity,
      riskRating: query.riskRating,
      control: query.control,
      restricted: true,
      owners: [
        { ref: 'group:default/security-compliance', displayName: 'Security & Compliance', kind: 'group' },
        { ref: 'user:default/risk-owner-rita', displayName: 'Rita Risk', kind: 'user', memberOf: 'group:default/security-compliance' },
      ],
      defaultOwner: 'group:default/security-compliance',
      excluded: ['group:default/team-payments', 'user:default/paula-payne'],
      expiry: { maxDurationDays: 90, latest: new Date(Date.now() + 90 * 86_400_000).toISOString() },
    }),
    changeException: async (_id, action) => ({
      ...sampleException,
      status: ({ approve: 'approved', reject: 'rejected', revoke: 'revoked' } as const)[action],
    }),
    renewException: async () => ({ ...sampleException, status: 'requested' }),
    exportAuditPackage: async () => ({ blob: new Blob(['zip']), filename: 'audit.zip' }),
    getEvidenceChain: async () => ({
      entityRef: 'component:default/payments-api',
      environment: 'production',
      artifactDigest: `sha256:${'a'.repeat(64)}`,
      source: { commit: '4f2c9a1d0b7e' },
      scans: [],
      sbom: { reportId: 'r1', components: 62 },
      approval: { approver: 'user:default/paula-payne', changeRef: 'CHG-1042' },
      runtimeOwner: { ownerRef: 'group:default/team-payments' },
      evidenceLog: [{ seq: 7, kind: 'deployment.recorded', hash: 'f'.repeat(64), at: '2026-11-28T00:00:00.000Z' }],
      gaps: ['no signature verification recorded for this digest'],
    }),
    ...overrides,
  };
}
