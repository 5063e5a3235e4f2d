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

const weightedMean = (pairs: Array<[number | undefined, number]>) => {
  let total = 0;
  let weight = 0;
  for (const [value, w] of pairs) {
    if (value === undefined || w <= 0) continue;
    total += value * w;
    weight += w;
  }
  return weight === 0 ? undefined : Math.round((total / weight) * 10) / 10;
};

const pct = (part: number, whole: number) =>
  whole === 0 ? undefined : Math.round((part / whole) * 1000) / 10;

/** Aggregates entity summaries. Pure: the same summaries give the same roll-up. */
export function aggregate(
  scope: Rollup['scope'],
  summaries: SummaryForRollup[],
  controlIds: string[],
): Omit<Rollup, 'children'> {
  const stageDistribution: Record<string, number> = { '0': 0, '1': 0, '2': 0, '3': 0, '4': 0 };
  const controlAdoption: Rollup['controlAdoption'] = {};
  for (const id of controlIds) controlAdoption[id] = { states: {} };
  const gate = { allow: 0, deny: 0, undecided: 0 };
  const openBySeverity = emptyCounts();
  const pastSla = emptyCounts();

  for (const s of summaries) {
    stageDistribution[String(s.stage)] = (stageDistribution[String(s.stage)] ?? 0) + 1;
    for (const id of controlIds) {
      const state = s.controlStates[id];
      if (!state) continue;
      const states = controlAdoption[id].states;
      states[state] = (states[state] ?? 0) + 1;
    }
    if (s.productionGate === 'allow') gate.allow++;
    else if (s.productionGate === 'deny') gate.deny++;
    else gate.undecided++;
    for (const severity of Object.keys(openBySeverity) as Array<keyof typeof openBySeverity>) {
      openBySeverity[severity] += s.metrics.openBySeverity?.[severity] ?? 0;
      pastSla[severity] += s.metrics.pastSla?.[severity] ?? 0;
    }
  }
  for (const id of controlIds) {
    const states = controlAdoption[id].states;
    const applicable = Object.entries(states)
      .filter(([state]) => state !== 'not_applicable')
      .reduce((n, [, count]) => n + (count ?? 0), 0);
    controlAdoption[id].passingPct = pct((states.passing ?? 0) + (states.excepted ?? 0), applicable);
  }

  return {
    scope,
    entityCount: summaries.length,
    stageDistribution,
    controlAdoption,
    gate: { ...gate, passRatePct: pct(gate.allow, gate.allow + gate.deny) },
    metrics: {
      meanTimeToPatchDays: weightedMean(summaries.map(s => [s.metrics.meanTimeToPatchDays, s.metrics.patchedCount])),
      meanTimeToRotateDays: weightedMean(summaries.map(s => [s.metrics.meanTimeToRotateDays, s.metrics.rotatedCount])),
      ...rotatedBy(summaries),
      meanExceptionAgeDays: weightedMean(summaries.map(s => [s.metrics.meanExceptionAgeDays, 1])),
      meanTimeToRemediateDays: weightedMean(
        summaries.map(s => [s.metrics.meanTimeToRemediateDays, s.metrics.remediatedCount ?? 0]),
      ),
      openBySeverity,
      pastSla,
    },
    entities: summaries
      .map(s => ({
        entityRef: s.entityRef,
        ownerRef: s.ownerRef,
        type: s.type,
        stage: s.stage,
        productionGate: s.productionGate,
      }))
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
  };
}

/** Of the secrets rotated in scope, how many a closed ticket and how many their disappearance rotated (absent: none). */
function rotatedBy(summaries: SummaryForRollup[]): { rotatedBy?: { ticketClosed: number; secretGone: number } } {
  const by = { ticketClosed: 0, secretGone: 0 };
  for (const s of summaries) {
    by.ticketClosed += s.metrics.rotatedBy?.ticketClosed ?? 0;
    by.secretGone += s.metrics.rotatedBy?.secretGone ?? 0;
  }
  return by.ticketClosed + by.secretGone > 0 ? { rotatedBy: by } : {};
}
