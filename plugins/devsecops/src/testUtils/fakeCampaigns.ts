import { CampaignOverview, CampaignProgress } from '@devsecops-scorecard/plugin-devsecops-common';

/** A running campaign as GET /v1/campaigns?entity= answers it for payments-api. */
export const sampleCampaign: CampaignOverview = {
  id: '6f1c2b0e-2a7d-4c55-9a31-0d5b1a2c3e4f',
  title: 'Every production service at stage 2',
  goal: { type: 'stage', stage: 2 },
  scope: { group: 'group:default/acme', lifecycle: 'production' },
  startDate: '2026-11-01',
  targetDate: '2026-12-18',
  ownerRef: 'group:default/platform-team',
  reminderDaysBefore: [14, 7, 1],
  source: 'api',
  status: 'active',
  daysLeft: 12,
  counts: { inScope: 4, done: 1, excepted: 0, donePct: 25 },
  entity: {
    entityRef: 'component:default/payments-api',
    ownerRef: 'group:default/team-payments',
    done: false,
    excepted: false,
    stepsLeft: 1,
    nextStep: { kind: 'criterion', stage: 2, criterionId: 'sast', text: 'Stage 2, Run SAST on every change: SAST is failing' },
  },
  team: { ownerRef: 'group:default/team-payments', inScope: 2, done: 1, excepted: 0, donePct: 50 },
};

/** The same campaign with its progress, as GET /v1/campaigns/{id} answers it. */
export const sampleCampaignProgress: CampaignProgress = {
  ...sampleCampaign,
  entity: undefined,
  team: undefined,
  teams: [
    { ownerRef: 'group:default/team-checkout', inScope: 2, done: 0, excepted: 0, donePct: 0 },
    { ownerRef: 'group:default/team-payments', inScope: 2, done: 1, excepted: 0, donePct: 50 },
  ],
  burnup: [
    { day: '2026-11-01', inScope: 4, done: 0 },
    { day: '2026-11-20', inScope: 4, done: 1 },
  ],
  entities: {
    items: [
      { ...sampleCampaign.entity! },
      { entityRef: 'component:default/cart-service', ownerRef: 'group:default/team-payments', done: true, excepted: false, doneOn: '2026-11-20', stepsLeft: 0 },
    ],
    totalCount: 2,
    limit: 200,
    offset: 0,
  },
};
