import fc from 'fast-check';
import { aggregate, finalize, mergePartials, partialOf, SummaryForRollup } from './rollup';

// fast-check is hoisted from the workspace (a dev dependency of plugin-devsecops-node).

const CONTROLS = ['sast', 'container-scan', 'secret-scanning'];
const STATES = ['passing', 'failing', 'excepted', 'not_reported', 'not_applicable'] as const;
const severities = () =>
  fc.record({ critical: fc.nat(5), high: fc.nat(5), medium: fc.nat(5), low: fc.nat(5), info: fc.nat(5) });
// Quarter days and whole weights: every sum is exact in floating point, so merging partials in
// another order than aggregate adds them cannot move a mean across a 0.1 rounding step.
const days = () => fc.option(fc.integer({ min: 0, max: 400 }).map(n => n / 4), { nil: undefined });

const summaryArb = (i: number): fc.Arbitrary<SummaryForRollup> =>
  fc.record({
    entityRef: fc.constant(`component:default/svc-${i}`),
    ownerRef: fc.option(fc.constantFrom('group:default/a', 'group:default/b'), { nil: undefined }),
    type: fc.option(fc.constantFrom('service', 'website'), { nil: undefined }),
    stage: fc.integer({ min: 0, max: 4 }),
    // Some controls the roll-up does not list (finalize keeps the configured ones only).
    controlStates: fc.dictionary(fc.constantFrom(...CONTROLS, 'retired-control'), fc.constantFrom(...STATES)),
    productionGate: fc.option(fc.constantFrom('allow' as const, 'deny' as const), { nil: undefined }),
    metrics: fc.record({
      meanTimeToPatchDays: days(),
      patchedCount: fc.nat(4),
      meanTimeToRotateDays: days(),
      rotatedCount: fc.nat(4),
      rotatedBy: fc.option(fc.record({ ticketClosed: fc.nat(3), secretGone: fc.nat(3) }), { nil: undefined }),
      meanExceptionAgeDays: days(),
      meanTimeToRemediateDays: days(),
      remediatedCount: fc.option(fc.nat(4), { nil: undefined }),
      openBySeverity: severities(),
      pastSla: severities(),
    }),
  });

const summariesArb = fc
  .integer({ min: 0, max: 40 })
  .chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => summaryArb(i))).map(list => list as SummaryForRollup[]));

describe('roll-up partials', () => {
  it('merged from any split of the summaries into groups, finalize gives the roll-up of them all', () => {
    fc.assert(
      fc.property(
        summariesArb.chain(summaries =>
          fc.tuple(fc.constant(summaries), fc.array(fc.nat(5), { minLength: summaries.length, maxLength: summaries.length })),
        ),
        fc.subarray(CONTROLS),
        ([summaries, groupOf], controlIds) => {
          const groups = new Map<number, SummaryForRollup[]>();
          summaries.forEach((s, i) => groups.set(groupOf[i], [...(groups.get(groupOf[i]) ?? []), s]));
          // Stored as JSON and read back, as the owner rows keep them.
          const partials = [...groups.values()].map(g => JSON.parse(JSON.stringify(partialOf(g))));
          const whole = aggregate({ kind: 'org' }, summaries, controlIds);
          const merged = finalize({ kind: 'org' }, mergePartials(partials), controlIds, whole.entities);
          expect(merged).toEqual(whole);
          // The same, merging merged partials (team rows into group rows into the org).
          const halves = [mergePartials(partials.slice(0, 1)), mergePartials(partials.slice(1))];
          expect(finalize({ kind: 'org' }, mergePartials(halves), controlIds, whole.entities)).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves its inputs as they were', () => {
    const p = partialOf([
      { entityRef: 'component:default/a', stage: 2, controlStates: { sast: 'passing' }, metrics: { patchedCount: 0, rotatedCount: 0, openBySeverity: { critical: 1 }, pastSla: {} } },
    ]);
    const before = JSON.stringify(p);
    const merged = mergePartials([p, p]);
    expect(JSON.stringify(p)).toBe(before);
    expect(merged.entityCount).toBe(2);
    expect(merged.controls.sast).toEqual({ passing: 2 });
    expect(merged.openBySeverity.critical).toBe(2);
  });
});
