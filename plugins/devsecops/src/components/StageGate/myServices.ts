import { EntityScorecard, readableReason } from '@devsecops-scorecard/plugin-devsecops-common';
import { StageGateRow } from './stageGateIndex';

/** One of the signed-in user's services as the "my services" widget shows it. */
export interface MyService {
  row: StageGateRow;
  /** Names of the controls failing now (from the service's scorecard). */
  failing: string[];
  /** The one thing to do next, as a sentence. */
  nextStep: string;
}

/** The services owned by one of the user's ownership refs (the user and the teams they are in). */
export function ownedRows(rows: Iterable<StageGateRow>, ownershipRefs: string[]): StageGateRow[] {
  return [...rows].filter(r => r.ownerRef && ownershipRefs.includes(r.ownerRef)).sort(byGateThenStage);
}

/** Denied gate first, then the lowest stage, then by name: the order before scorecards are read. */
export function byGateThenStage(a: StageGateRow, b: StageGateRow): number {
  return (
    Number(b.productionGate === 'deny') - Number(a.productionGate === 'deny') ||
    a.stage - b.stage ||
    a.entityRef.localeCompare(b.entityRef)
  );
}

/**
 * The one next step of a service: fix the first failing control (with the reason), else refresh
 * the first stale control's evidence, else the first unmet criterion of the next stage.
 */
export function nextStepOf(scorecard: EntityScorecard): string {
  const failing = scorecard.controls.find(c => c.state === 'failing');
  if (failing) return `Fix ${failing.title}: ${readableReason(failing.reason)}`;
  const stale = scorecard.controls.find(c => c.state === 'stale');
  if (stale) return `Send fresh evidence for ${stale.title}: ${readableReason(stale.reason)}`;
  const next = scorecard.maturity.nextSteps[0];
  if (next) return `Reach stage ${scorecard.maturity.stage + 1}: ${next.title}`;
  return 'Nothing to do: no control fails and every stage is reached';
}

/** Failing first: a denied gate, then the most failing controls, then the lowest stage. */
export function failingFirst(services: MyService[]): MyService[] {
  return [...services].sort(
    (a, b) =>
      Number(b.row.productionGate === 'deny') - Number(a.row.productionGate === 'deny') ||
      b.failing.length - a.failing.length ||
      byGateThenStage(a.row, b.row),
  );
}

export function myService(row: StageGateRow, scorecard: EntityScorecard): MyService {
  return {
    row,
    failing: scorecard.controls.filter(c => c.state === 'failing').map(c => c.title),
    nextStep: nextStepOf(scorecard),
  };
}
