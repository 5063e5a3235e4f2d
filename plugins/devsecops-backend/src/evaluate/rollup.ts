import { ControlState, Rollup } from '@devsecops-scorecard/plugin-devsecops-common';
import { emptyCounts } from './severity';

/** The part of an entity summary a roll-up reads. */
export interface SummaryForRollup {
  entityRef: string;
  ownerRef?: string;
  type?: string;
  stage: number;
  controlStates: Record<string, ControlState>;
  productionGate?: 'allow' | 'deny';
  metrics: {
    meanTimeToPatchDays?: number;
    patchedCount: number;
    meanTimeToRotateDays?: number;
    rotatedCount: number;
    rotatedBy?: { ticketClosed: number; secretGone: number };
    meanExceptionAgeDays?: number;
    meanTimeToRemediateDays?: number;
    remediatedCount?: number;
    openBySeverity: Record<string, number>;
    pastSla: Record<string, number>;
  };
}

/** A weighted mean not yet divided: Σ value·weight and Σ weight. */
export type MeanSum = [total: number, weight: number];

/**
 * What a roll-up counts of some summaries, in a form that adds up: the partial of a union is the
 * merge of the parts' partials (mergePartials), so roll-ups keep one per owner (store/OwnerRollupStore)
 * and merge them instead of reading every summary. Plain JSON, stored as it is.
 */
export interface RollupPartial {
  entityCount: number;
  /** Stage → entities. */
  stages: Record<string, number>;
  /** Control id → state → entities; every control the summaries name (finalize keeps the configured ones). */
  controls: Record<string, Partial<Record<ControlState, number>>>;
  gate: { allow: number; deny: number; undecided: number };
  openBySeverity: Record<string, number>;
  pastSla: Record<string, number>;
  means: {
    patch: MeanSum;
    rotate: MeanSum;
    exceptionAge: MeanSum;
    remediate: MeanSum;
  };
  rotatedBy: { ticketClosed: number; secretGone: number };
}

/** The partial of no summaries: the identity of mergePartials. */
export function emptyPartial(): RollupPartial {
  return {
    entityCount: 0,
    stages: {},
    controls: {},
    gate: { allow: 0, deny: 0, undecided: 0 },
    openBySeverity: emptyCounts(),
    pastSla: emptyCounts(),
    means: { patch: [0, 0], rotate: [0, 0], exceptionAge: [0, 0], remediate: [0, 0] },
    rotatedBy: { ticketClosed: 0, secretGone: 0 },
  };
}

const addMean = (sum: MeanSum, value: number | undefined, weight: number) => {
  if (value === undefined || weight <= 0) return;
  sum[0] += value * weight;
  sum[1] += weight;
};

/** Counts some summaries into a partial. Pure. */
export function partialOf(summaries: SummaryForRollup[]): RollupPartial {
  const p = emptyPartial();
  for (const s of summaries) {
    p.entityCount++;
    p.stages[String(s.stage)] = (p.stages[String(s.stage)] ?? 0) + 1;
    for (const [id, state] of Object.entries(s.controlStates)) {
      if (!state) continue;
      const states = (p.controls[id] ??= {});
      states[state] = (states[state] ?? 0) + 1;
    }
    if (s.productionGate === 'allow') p.gate.allow++;
    else if (s.productionGate === 'deny') p.gate.deny++;
    else p.gate.undecided++;
    for (const severity of Object.keys(p.openBySeverity)) {
      p.openBySeverity[severity] += s.metrics.openBySeverity?.[severity] ?? 0;
      p.pastSla[severity] += s.metrics.pastSla?.[severity] ?? 0;
    }
    addMean(p.means.patch, s.metrics.meanTimeToPatchDays, s.metrics.patchedCount);
    addMean(p.means.rotate, s.metrics.meanTimeToRotateDays, s.metrics.rotatedCount);
    addMean(p.means.exceptionAge, s.metrics.meanExceptionAgeDays, 1);
    addMean(p.means.remediate, s.metrics.meanTimeToRemediateDays, s.metrics.remediatedCount ?? 0);
    p.rotatedBy.ticketClosed += s.metrics.rotatedBy?.ticketClosed ?? 0;
    p.rotatedBy.secretGone += s.metrics.rotatedBy?.secretGone ?? 0;
  }
  return p;
}

const addCounts = <K extends string>(into: Partial<Record<K, number>>, from: Partial<Record<K, number>>) => {
  // for…in: no entry arrays allocated (roll-ups merge a few hundred of these per call).
  for (const key in from) {
    if (Object.prototype.hasOwnProperty.call(from, key)) into[key] = (into[key] ?? 0) + (from[key] ?? 0);
  }
};

const MEAN_KEYS = ['patch', 'rotate', 'exceptionAge', 'remediate'] as const;

/** The partial of the union of the partials' summaries. Pure; the inputs are not changed. */
export function mergePartials(partials: Iterable<RollupPartial>): RollupPartial {
  const out = emptyPartial();
  for (const p of partials) {
    out.entityCount += p.entityCount;
    addCounts(out.stages, p.stages);
    for (const id in p.controls) {
      if (Object.prototype.hasOwnProperty.call(p.controls, id)) addCounts((out.controls[id] ??= {}), p.controls[id]);
    }
    addCounts(out.gate, p.gate);
    addCounts(out.openBySeverity, p.openBySeverity);
    addCounts(out.pastSla, p.pastSla);
    for (const key of MEAN_KEYS) {
      out.means[key][0] += p.means[key][0];
      out.means[key][1] += p.means[key][1];
    }
    addCounts(out.rotatedBy, p.rotatedBy);
  }
  return out;
}

const mean = ([total, weight]: MeanSum) => (weight === 0 ? undefined : Math.round((total / weight) * 10) / 10);

const pct = (part: number, whole: number) =>
  whole === 0 ? undefined : Math.round((part / whole) * 1000) / 10;

/** The roll-up of a partial, with the entity list given (already in entity ref order). Pure. */
export function finalize(
  scope: Rollup['scope'],
  partial: RollupPartial,
  controlIds: string[],
  entities: Rollup['entities'],
): Omit<Rollup, 'children'> {
  const stageDistribution: Record<string, number> = { '0': 0, '1': 0, '2': 0, '3': 0, '4': 0 };
  addCounts(stageDistribution, partial.stages);
  const controlAdoption: Rollup['controlAdoption'] = {};
  for (const id of controlIds) {
    const states = { ...partial.controls[id] };
    const applicable = Object.entries(states)
      .filter(([state]) => state !== 'not_applicable')
      .reduce((n, [, count]) => n + (count ?? 0), 0);
    controlAdoption[id] = { states, passingPct: pct((states.passing ?? 0) + (states.excepted ?? 0), applicable) };
  }
  const { gate, rotatedBy, means } = partial;
  const openBySeverity = emptyCounts();
  const pastSla = emptyCounts();
  addCounts<string>(openBySeverity, partial.openBySeverity);
  addCounts<string>(pastSla, partial.pastSla);
  return {
    scope,
    entityCount: partial.entityCount,
    stageDistribution,
    controlAdoption,
    gate: { ...gate, passRatePct: pct(gate.allow, gate.allow + gate.deny) },
    metrics: {
      meanTimeToPatchDays: mean(means.patch),
      meanTimeToRotateDays: mean(means.rotate),
      // Of the secrets rotated in scope, how many a closed ticket and how many their disappearance rotated (absent: none).
      ...(rotatedBy.ticketClosed + rotatedBy.secretGone > 0 ? { rotatedBy: { ...rotatedBy } } : {}),
      meanExceptionAgeDays: mean(means.exceptionAge),
      meanTimeToRemediateDays: mean(means.remediate),
      openBySeverity,
      pastSla,
    },
    entities,
  };
}

/** Entity refs in code-point order, as the database sorts them (store/rollupQueries). */
export const byEntityRef = (a: { entityRef: string }, b: { entityRef: string }) => {
  if (a.entityRef === b.entityRef) return 0;
  return a.entityRef < b.entityRef ? -1 : 1;
};

/** Aggregates entity summaries. Pure: the same summaries give the same roll-up. */
export function aggregate(
  scope: Rollup['scope'],
  summaries: SummaryForRollup[],
  controlIds: string[],
): Omit<Rollup, 'children'> {
  const entities = summaries
    .map(s => ({ entityRef: s.entityRef, ownerRef: s.ownerRef, type: s.type, stage: s.stage, productionGate: s.productionGate }))
    .sort(byEntityRef);
  return finalize(scope, partialOf(summaries), controlIds, entities);
}
