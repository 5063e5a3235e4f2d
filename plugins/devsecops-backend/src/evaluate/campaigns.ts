import {
  CampaignCounts,
  CampaignEntityProgress,
  CampaignGoal,
  CampaignReport,
  CampaignStep,
  CampaignTeamProgress,
  ControlState,
  MaturityResult,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { CriterionRule, StageDefinition } from './types';

/** What campaign evaluation reads of a summary or a daily snapshot. */
export interface GoalState {
  entityRef: string;
  ownerRef?: string;
  stage: number;
  controlStates: Record<string, ControlState>;
}

/** A control counts towards a goal when it passes, is excepted, or does not apply. */
const MEETS: ControlState[] = ['passing', 'excepted', 'not_applicable'];

/**
 * The controls an exception could stand in for under the goal: the goal's controls, or those
 * the `controls` criteria of stages 1..target name.
 */
export function goalControls(goal: CampaignGoal, stages: StageDefinition[]): string[] {
  if (goal.type === 'controls') return [...goal.controls];
  const out = new Set<string>();
  const walk = (rule: CriterionRule) => {
    if (rule.type === 'controls') rule.controls.forEach(c => out.add(c));
    if (rule.type === 'any' || rule.type === 'all') rule.rules.forEach(walk);
  };
  for (const stage of stages) {
    if (stage.stage <= goal.stage) stage.criteria.forEach(c => walk(c.rule));
  }
  return [...out].sort();
}

/**
 * The goal as conditions on stored columns, for counting daily snapshots in the database (the
 * burn-up of a large scope): a minimum stage, or per control the states that meet it.
 */
export function goalCondition(goal: CampaignGoal): { minStage: number } | { controls: Array<{ id: string; states: ControlState[] }> } {
  if (goal.type === 'stage') return { minStage: goal.stage };
  return { controls: goal.controls.map(id => ({ id, states: [...MEETS] })) };
}

/**
 * An approved exception standing in for one of the goal's controls, as a condition on the stored
 * control states (what `counts` calls excepted among the services done).
 */
export function exceptedCondition(controls: string[]): Array<{ id: string; states: ControlState[] }> {
  return controls.map(id => ({ id, states: ['excepted'] }));
}

/** A service's standing against a goal, as counted (by the database, or from its states). */
export interface GoalMark {
  ownerRef?: string;
  met: boolean;
  /** An exception stands in for one of the goal's controls. */
  excepted: boolean;
}

export function meetsGoal(goal: CampaignGoal, state: Pick<GoalState, 'stage' | 'controlStates'>): boolean {
  if (goal.type === 'stage') return state.stage >= goal.stage;
  return goal.controls.every(id => MEETS.includes(state.controlStates[id] ?? 'not_reported'));
}

/** Met, but only because an approved exception stands in for one of the goal's controls. */
function exceptedFor(controls: string[], state: GoalState): boolean {
  return controls.some(id => state.controlStates[id] === 'excepted');
}

/**
 * The first day of the latest unbroken run of daily snapshots meeting the goal, or `today` when
 * the newest snapshot does not (it met the goal since then). Snapshots: oldest first.
 */
export function doneOn(goal: CampaignGoal, snapshots: Array<GoalState & { day: string }>, today: string): string {
  let since = today;
  for (let i = snapshots.length - 1; i >= 0; i--) {
    if (snapshots[i].day > today) continue;
    if (!meetsGoal(goal, snapshots[i])) break;
    since = snapshots[i].day;
  }
  return since;
}

export interface StepContext {
  /** The control's title, for the step's sentence. */
  controlTitle: (id: string) => string;
  /** The entity's stored maturity, for a stage goal: the unmet criteria up to the target. */
  maturity?: MaturityResult;
}

/** What is left for one service, and the one thing to do next. */
export function stepsLeft(goal: CampaignGoal, state: GoalState, context: StepContext): { stepsLeft: number; nextStep?: CampaignStep } {
  if (meetsGoal(goal, state)) return { stepsLeft: 0 };
  if (goal.type === 'controls') {
    const unmet = goal.controls.filter(id => !MEETS.includes(state.controlStates[id] ?? 'not_reported'));
    const first = unmet[0];
    const current = (state.controlStates[first] ?? 'not_reported').replace('_', ' ');
    return {
      stepsLeft: unmet.length,
      nextStep: { kind: 'control', controlId: first, text: `Make ${context.controlTitle(first)} pass (it is ${current})` },
    };
  }
  const stages = (context.maturity?.stages ?? []).filter(s => s.stage <= goal.stage && s.stage > state.stage);
  const unmet = stages.flatMap(s => s.criteria.filter(c => !c.met).map(c => ({ stage: s.stage, ...c })));
  const first = unmet[0];
  if (!first) {
    // No stored scorecard to read the criteria from: the stages still to reach are what is known.
    return {
      stepsLeft: goal.stage - state.stage,
      nextStep: { kind: 'criterion', stage: state.stage + 1, text: `Reach stage ${state.stage + 1} (open the scorecard for its criteria)` },
    };
  }
  return {
    stepsLeft: unmet.length,
    nextStep: {
      kind: 'criterion',
      stage: first.stage,
      criterionId: first.id,
      text: `Stage ${first.stage}, ${first.title}: ${first.reason}`,
    },
  };
}

/** One service of the campaign today; `doneOn` from its snapshots since the start. */
export function entityProgress(
  goal: CampaignGoal,
  controls: string[],
  state: GoalState,
  snapshots: Array<GoalState & { day: string }>,
  today: string,
  context: StepContext,
): CampaignEntityProgress {
  const done = meetsGoal(goal, state);
  return {
    entityRef: state.entityRef,
    ...(state.ownerRef ? { ownerRef: state.ownerRef } : {}),
    done,
    excepted: done && exceptedFor(controls, state),
    ...(done ? { doneOn: doneOn(goal, snapshots, today) } : {}),
    ...stepsLeft(goal, state, context),
  };
}

export function counts(goal: CampaignGoal, controls: string[], states: GoalState[]): CampaignCounts {
  return markCounts(marksOf(goal, controls, states));
}

/** The marks of services from their states. */
export function marksOf(goal: CampaignGoal, controls: string[], states: GoalState[]): Array<GoalMark & { entityRef: string }> {
  return states.map(s => ({
    entityRef: s.entityRef,
    ...(s.ownerRef ? { ownerRef: s.ownerRef } : {}),
    met: meetsGoal(goal, s),
    excepted: exceptedFor(controls, s),
  }));
}

/** In scope, done, and done through an exception. */
export function markCounts(marks: GoalMark[]): CampaignCounts {
  let done = 0;
  let excepted = 0;
  for (const mark of marks) {
    if (!mark.met) continue;
    done++;
    if (mark.excepted) excepted++;
  }
  return {
    inScope: marks.length,
    done,
    excepted,
    ...(marks.length > 0 ? { donePct: Math.round((done / marks.length) * 1000) / 10 } : {}),
  };
}

/** Per owning team, by team ref. */
export function teamProgress(goal: CampaignGoal, controls: string[], states: GoalState[]): CampaignTeamProgress[] {
  return markTeams(marksOf(goal, controls, states));
}

/** Per owning team from marks, by team ref. */
export function markTeams(marks: GoalMark[]): CampaignTeamProgress[] {
  const byOwner = new Map<string, GoalMark[]>();
  for (const mark of marks) {
    const owner = mark.ownerRef ?? 'unowned';
    const list = byOwner.get(owner);
    if (list) list.push(mark);
    else byOwner.set(owner, [mark]);
  }
  return [...byOwner.keys()].sort().map(ownerRef => ({ ownerRef, ...markCounts(byOwner.get(ownerRef)!) }));
}

/**
 * Per day with snapshots from the start on (oldest first): the services in scope today that had a
 * snapshot that day, and those of them that met the goal (counted by the store with
 * `goalCondition`).
 */
export function burnup(
  countsByDay: Map<string, { inScope: number; done: number }>,
  startDate: string,
  today: string,
): Array<{ day: string; inScope: number; done: number }> {
  return [...countsByDay.entries()]
    .filter(([day]) => day >= startDate && day <= today)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, c]) => ({ day, inScope: c.inScope, done: c.done }));
}

/** How the campaign ended: each service done on time, late, through an exception, or not done. */
export function endReport(targetDate: string, entities: CampaignEntityProgress[]): CampaignReport {
  const report: CampaignReport = { targetDate, doneOnTime: [], doneLate: [], excepted: [], notDone: [] };
  for (const e of entities) {
    if (!e.done) report.notDone.push(e.entityRef);
    else if (e.excepted) report.excepted.push(e.entityRef);
    else if ((e.doneOn ?? targetDate) <= targetDate) report.doneOnTime.push(e.entityRef);
    else report.doneLate.push(e.entityRef);
  }
  return report;
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
