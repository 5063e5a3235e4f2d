import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Exercise, ExerciseScenario, OverdueFollowUp, RecurringFinding } from '@devsecops-scorecard/plugin-devsecops-common';
import { parseCalendarDay } from '../validation/inputTimes';

export interface ExerciseInput {
  scenario: ExerciseScenario;
  heldOn: string;
  scopeRef: string;
  participants: string[];
  findings?: Array<{ title: string; recurring?: boolean }>;
  followUps?: Array<{ action: string; owner: string; due: string; done?: boolean }>;
}

// Exercise days before 2000 are a zeroed or mistyped date; follow-ups further ahead than this too.
const EARLIEST_DAY = '2000-01-01';
const MAX_DUE_YEARS = 5;

/** The exercise's day (not in the future, not before 2000) and its follow-ups' due days, checked. */
export function checkExerciseDays(input: ExerciseInput, now: Date): string {
  const heldOn = parseCalendarDay('heldOn', input.heldOn);
  if (heldOn > now.toISOString().slice(0, 10)) {
    throw new InputError(`heldOn '${input.heldOn}' is in the future`);
  }
  if (heldOn < EARLIEST_DAY) throw new InputError(`heldOn '${input.heldOn}' is before the year 2000`);
  const latestDue = new Date(now.getTime() + MAX_DUE_YEARS * 365 * 86_400_000).toISOString().slice(0, 10);
  (input.followUps ?? []).forEach((f, index) => {
    const due = parseCalendarDay(`followUps[${index}].due`, f.due);
    if (due < EARLIEST_DAY) throw new InputError(`followUps[${index}].due '${f.due}' is before the year 2000`);
    if (due > latestDue) {
      throw new InputError(`followUps[${index}].due '${f.due}' is more than ${MAX_DUE_YEARS} years away`);
    }
  });
  return heldOn;
}

/** Findings marked recurring, or raised (by title) in more than one exercise. */
export function recurringFindings(exercises: Exercise[]): RecurringFinding[] {
  const byTitle = new Map<string, { title: string; exercises: Exercise[]; marked: boolean }>();
  for (const exercise of exercises) {
    for (const finding of exercise.findings) {
      const key = finding.title.trim().toLowerCase();
      const entry = byTitle.get(key) ?? { title: finding.title.trim(), exercises: [], marked: false };
      if (!entry.exercises.includes(exercise)) entry.exercises.push(exercise);
      entry.marked ||= finding.recurring === true;
      byTitle.set(key, entry);
    }
  }
  return [...byTitle.values()]
    .filter(e => e.marked || e.exercises.length > 1)
    .map(e => ({
      title: e.title,
      occurrences: e.exercises.length,
      scenarios: [...new Set(e.exercises.map(x => x.scenario))].sort(),
      scopes: [...new Set(e.exercises.map(x => x.scopeRef))].sort(),
      lastHeldOn: e.exercises.map(x => x.heldOn).sort().reverse()[0],
    }))
    .sort((a, b) => b.occurrences - a.occurrences || a.title.localeCompare(b.title));
}

/** Follow-ups not done whose due day is before `today` (YYYY-MM-DD), most overdue first. */
export function overdueFollowUps(exercises: Exercise[], today: string): OverdueFollowUp[] {
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  return exercises
    .flatMap(exercise =>
      exercise.followUps.map((followUp, index) => ({
        ...followUp,
        exerciseId: exercise.id,
        index,
        scenario: exercise.scenario,
        scopeRef: exercise.scopeRef,
        heldOn: exercise.heldOn,
        daysOverdue: Math.round((todayMs - Date.parse(`${followUp.due}T00:00:00Z`)) / 86_400_000),
      })),
    )
    .filter(f => !f.done && f.daysOverdue > 0)
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.action.localeCompare(b.action));
}

/** A follow-up owner as a catalog ref where it parses as one. */
export function ownerRef(owner: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'user', defaultNamespace: 'default' }));
  } catch {
    // Owners may be people or teams outside the catalog; keep what was given.
    return owner;
  }
}
