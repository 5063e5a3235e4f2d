import { EntityScorecard } from '@devsecops-scorecard/plugin-devsecops-common';
import { regressionCauses } from './RegressionAlerts';

const card = (stage: number, sast: 'passing' | 'failing', gates: EntityScorecard['latestGateDecisions'] = []): EntityScorecard => ({
  entityRef: 'component:default/payments-api',
  ownerRef: 'group:default/team-payments',
  evaluatedAt: '2026-12-06T10:00:00.000Z',
  controls: [{ controlId: 'sast', stage: 'build', title: 'SAST', state: sast, reason: `SAST is ${sast}`, evidence: [] } as any],
  maturity: {
    stage,
    stages: [{ stage: 3, title: 'Three', met: false, criteria: [{ id: 'threat-modeling', title: 'Threat modeling', met: false, reason: 'none' }] }],
    nextSteps: [],
  },
  metrics: {} as any,
  latestGateDecisions: gates,
});
const decision = (id: string, verdict: 'allow' | 'deny') =>
  ({ id, policy: 'production_release', environment: 'production', entityRef: 'component:default/payments-api', artifactDigest: 'sha256:1', decision: verdict, requirements: [{ requirement: 'sbom', expected: 'generated', passed: verdict === 'allow', reason: '', evidence: [] }], decidedAt: '2026-12-06T10:00:00.000Z', requestedBy: 'ci' } as any);

describe('regressionCauses', () => {
  it('names a control turned failing, a dropped stage and a denied gate; nothing on a first evaluation', () => {
    expect(regressionCauses(undefined, card(1, 'failing'))).toEqual([]);
    const causes = regressionCauses(card(2, 'passing'), card(1, 'failing', [decision('d1', 'deny')]));
    expect(causes.map(c => [c.cause, c.alert?.topic, c.alert?.title])).toEqual([
      ['control:sast', 'devsecops-control-failing', 'payments-api: SAST is failing'],
      ['stage', 'devsecops-stage-dropped', 'payments-api dropped from stage 2 to 1'],
      ['gate:production', 'devsecops-gate-denied', 'payments-api: release to production denied'],
    ]);
    expect(causes[1].alert!.description).toBe('Unmet now: Threat modeling');
    expect(causes[2].alert!.description).toBe('Failed: sbom');
  });

  it('ends a cause when the control passes, the stage rises or the gate allows', () => {
    const causes = regressionCauses(card(1, 'failing', [decision('d1', 'deny')]), card(2, 'passing', [decision('d2', 'allow')]));
    expect(causes).toEqual([{ cause: 'control:sast' }, { cause: 'stage' }, { cause: 'gate:production' }]);
  });

  it('tells each rise of open critical/high findings and of findings past their SLA once, and ends the counts that fell', () => {
    const counts = (critical: number, high: number, pastSla: Partial<Record<string, number>> = {}) => ({
      ...card(2, 'passing'),
      metrics: {
        openBySeverity: { critical, high, medium: 5, low: 0, info: 0 },
        pastSla: { critical: 0, high: 0, medium: 0, low: 0, info: 0, ...pastSla },
      } as any,
    });
    const rise = regressionCauses(counts(0, 1), counts(2, 1, { high: 1 }));
    expect(rise).toEqual([
      {
        cause: 'finding:critical:2',
        alert: {
          topic: 'devsecops-finding-new',
          title: 'payments-api: 2 new critical findings',
          description: '2 open critical findings (0 before)',
          link: '/catalog/default/component/payments-api/security#findings',
          severity: 'high',
        },
      },
      {
        cause: 'sla:high:1',
        alert: {
          topic: 'devsecops-finding-past-sla',
          title: 'payments-api: 1 high finding past its SLA',
          description: "1 high finding open past the severity's SLA due date (0 before)",
          link: '/catalog/default/component/payments-api/security#findings',
          severity: 'high',
        },
      },
    ]);
    // Fixed one critical and the late high: the causes above the new counts end (a rise notifies again).
    expect(regressionCauses(counts(2, 1, { high: 1 }), counts(1, 1))).toEqual([{ cause: 'finding:critical:2' }, { cause: 'sla:high:1' }]);
    // Unchanged counts (a medium count is never a new-finding cause): nothing.
    expect(regressionCauses(counts(1, 1), counts(1, 1))).toEqual([]);
  });
});
