import { aggregate, SummaryForRollup } from './rollup';

const metrics = (over: Partial<SummaryForRollup['metrics']> = {}): SummaryForRollup['metrics'] => ({
  patchedCount: 0,
  rotatedCount: 0,
  openBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  pastSla: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  ...over,
});

const summary = (ref: string, stage: number, states: Record<string, any>, over: Partial<SummaryForRollup> = {}): SummaryForRollup => ({
  entityRef: `component:default/${ref}`,
  stage,
  controlStates: states,
  metrics: metrics(),
  ...over,
});

describe('aggregate', () => {
  it('counts stages, control states and gate outcomes, and weights means by sample size', () => {
    const rollup = aggregate(
      { kind: 'org' },
      [
        summary('a', 2, { sast: 'passing', 'container-scan': 'failing' }, {
          productionGate: 'allow',
          metrics: metrics({
            meanTimeToPatchDays: 10,
            patchedCount: 3,
            meanTimeToRemediateDays: 2,
            remediatedCount: 3,
            openBySeverity: { critical: 1, high: 2, medium: 0, low: 0, info: 0 },
          }),
        }),
        summary('b', 0, { sast: 'not_reported', 'container-scan': 'not_applicable' }, {
          productionGate: 'deny',
          metrics: metrics({
            meanTimeToPatchDays: 30,
            patchedCount: 1,
            meanTimeToRemediateDays: 6,
            remediatedCount: 1,
            pastSla: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
          }),
        }),
        summary('c', 2, { sast: 'excepted', 'container-scan': 'passing' }),
      ],
      ['sast', 'container-scan'],
    );
    expect(rollup.entityCount).toBe(3);
    expect(rollup.stageDistribution).toEqual({ '0': 1, '1': 0, '2': 2, '3': 0, '4': 0 });
    // passing or excepted, among the entities the control applies to
    expect(rollup.controlAdoption.sast).toEqual({ states: { passing: 1, not_reported: 1, excepted: 1 }, passingPct: 66.7 });
    expect(rollup.controlAdoption['container-scan'].passingPct).toBe(50);
    expect(rollup.gate).toEqual({ allow: 1, deny: 1, undecided: 1, passRatePct: 50 });
    expect(rollup.metrics.meanTimeToPatchDays).toBe(15); // (10·3 + 30·1) / 4
    expect(rollup.metrics.meanTimeToRotateDays).toBeUndefined();
    expect(rollup.metrics.meanTimeToRemediateDays).toBe(3); // (2·3 + 6·1) / 4
    expect(rollup.metrics.openBySeverity.critical).toBe(1);
    expect(rollup.metrics.pastSla.critical).toBe(1);
    expect(rollup.entities.map(e => e.entityRef)).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/c',
    ]);
  });

  it('sums which rotated the secrets in scope: a closed ticket or the secret gone from the scan', () => {
    const rollup = aggregate(
      { kind: 'org' },
      [
        summary('a', 1, {}, { metrics: metrics({ meanTimeToRotateDays: 1, rotatedCount: 2, rotatedBy: { ticketClosed: 2, secretGone: 0 } }) }),
        summary('b', 1, {}, { metrics: metrics({ meanTimeToRotateDays: 4, rotatedCount: 1, rotatedBy: { ticketClosed: 0, secretGone: 1 } }) }),
        summary('c', 1, {}),
      ],
      [],
    );
    expect(rollup.metrics.meanTimeToRotateDays).toBe(2);
    expect(rollup.metrics.rotatedBy).toEqual({ ticketClosed: 2, secretGone: 1 });
    expect(aggregate({ kind: 'org' }, [summary('c', 1, {})], []).metrics.rotatedBy).toBeUndefined();
  });

  it('answers an empty scope without dividing by zero', () => {
    const rollup = aggregate({ kind: 'group', ref: 'group:default/empty' }, [], ['sast']);
    expect(rollup.entityCount).toBe(0);
    expect(rollup.controlAdoption.sast.passingPct).toBeUndefined();
    expect(rollup.gate.passRatePct).toBeUndefined();
  });
});
