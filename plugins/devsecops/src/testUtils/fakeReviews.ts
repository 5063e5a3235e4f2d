import { PendingControlFailureReview, RecurringFindingsResponse } from '@devsecops-scorecard/plugin-devsecops-common';

/** A pending control-failure review of team-payments as the backend answers it: one open, one fixed. */
export const samplePendingReview: PendingControlFailureReview = {
  scope: { kind: 'group', ref: 'group:default/team-payments' },
  signOffScopeRef: 'group:default/team-payments',
  previousReview: { id: 'ha-0', date: '2026-09-01', recordedBy: 'user:default/dana', failuresReviewed: 2 },
  since: '2026-09-01',
  windowDays: 90,
  entityCount: 2,
  failures: [
    {
      key: 'component:default/payments-api#container-scan@2026-10-02',
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      controlId: 'container-scan',
      controlTitle: 'Container scan',
      since: '2026-10-02',
      lastFailingOn: '2026-11-30',
      days: 59,
      status: 'still-failing',
      currentState: 'failing',
    },
    {
      key: 'component:default/payments-worker#sast@2026-10-10',
      entityRef: 'component:default/payments-worker',
      ownerRef: 'group:default/team-payments',
      controlId: 'sast',
      controlTitle: 'SAST',
      since: '2026-10-10',
      lastFailingOn: '2026-10-14',
      endedOn: '2026-10-15',
      days: 5,
      status: 'fixed',
      currentState: 'passing',
    },
  ],
};

/** A CVE open in three services that share a base image and a reusable workflow. */
export const sampleRecurringFindings: RecurringFindingsResponse = {
  minServices: 3,
  scope: { kind: 'org' },
  feedbackScopeRef: 'group:default/acme',
  items: [
    {
      key: 'CVE-2023-5363',
      kind: 'sca',
      title: 'openssl: incorrect cipher key and IV length processing',
      severity: 'high',
      services: 3,
      entityRefs: ['component:default/checkout-web', 'component:default/payments-api', 'component:default/storefront'],
      ownerRefs: ['group:default/team-checkout', 'group:default/team-payments', 'group:default/team-storefront'],
      controls: ['container-scan'],
      packages: [{ name: 'libssl3', version: '3.1.2-r0', services: 3 }],
      firstSeenAt: '2026-10-01T00:00:00.000Z',
      shared: {
        baseImages: [{ name: 'alpine', version: '3.18.3', services: 3 }],
        components: [{ name: 'libssl3', version: '3.1.2-r0', services: 3 }],
        workflows: [{ name: 'acme/platform-workflows/.github/workflows/build.yml', services: 2 }],
      },
    },
  ],
};
