import { ControlFailure, ControlFailureStatus, ControlState } from '@devsecops-scorecard/plugin-devsecops-common';

/** One day of an entity's control states: a daily snapshot, or today's summary. */
export interface StatePoint {
  day: string;
  controlStates: Record<string, ControlState>;
}

/** The states a review looks at: the control failed, with or without an exception. */
const FAILED: ReadonlySet<ControlState> = new Set(['failing', 'excepted']);
/** The states that end a failure: the evidence says it holds again (or no longer applies). */
const HOLDS: ReadonlySet<ControlState> = new Set(['passing', 'not_applicable']);

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS));

/** The key a review records for a failure episode (stable while the episode lasts). */
export const failureKey = (entityRef: string, controlId: string, since: string) => `${entityRef}#${controlId}@${since}`;

/**
 * The keys earlier reviews recorded, indexed for the pending review: the keys themselves, and per
 * entity and control the earliest start any key names (so an episode truncated by the window is
 * matched in one lookup, not by scanning every key: reviews of a large org record tens of thousands).
 */
export interface ReviewedIndex {
  keys: ReadonlySet<string>;
  earliest: ReadonlyMap<string, string>;
}

export function indexReviewed(keys: Iterable<string>): ReviewedIndex {
  const set = new Set(keys);
  const earliest = new Map<string, string>();
  for (const key of set) {
    const at = key.lastIndexOf('@');
    if (at < 0) continue;
    const prefix = key.slice(0, at);
    const since = key.slice(at + 1);
    const known = earliest.get(prefix);
    if (known === undefined || since < known) earliest.set(prefix, since);
  }
  return { keys: set, earliest };
}

/**
 * Whether a review's key covers the episode: the same key, or — for an episode that was already
 * failing on the window's first day (so its true start lies before the window) — a key of the same
 * entity and control whose start is no later than that day.
 */
function covered(reviewed: ReviewedIndex, episode: { entityRef: string; controlId: string; since: string }, truncated: boolean): boolean {
  if (reviewed.keys.has(failureKey(episode.entityRef, episode.controlId, episode.since))) return true;
  if (!truncated) return false;
  const earliest = reviewed.earliest.get(`${episode.entityRef}#${episode.controlId}`);
  return earliest !== undefined && earliest <= episode.since;
}

/**
 * The control-failure episodes of one entity that a review still has to look at: runs of days on
 * which a control was failing or excepted (stale, not-reported and error days neither break nor
 * extend a run: nobody knows), ended by the first day it holds again. An episode counts when it
 * lasted until `since` or later and no earlier review covered it (`reviewed`: the keys the scope's
 * reviews recorded). `points` are the entity's daily snapshots from `since` on, oldest first, and
 * today's state last. Pure: the caller loads the points and the reviews.
 */
export function pendingFailures(input: {
  entityRef: string;
  ownerRef?: string;
  points: StatePoint[];
  since: string;
  today: string;
  /** The keys earlier reviews recorded (a set, or indexed once for many entities). */
  reviewed: ReadonlySet<string> | ReviewedIndex;
  controlTitle: (controlId: string) => string;
}): ControlFailure[] {
  const { entityRef, points, since, today } = input;
  const reviewed = 'earliest' in input.reviewed ? input.reviewed : indexReviewed(input.reviewed);
  const ordered = [...points].sort((a, b) => a.day.localeCompare(b.day));
  const controls = new Set(ordered.flatMap(p => Object.keys(p.controlStates)));
  const current = ordered[ordered.length - 1];
  const out: ControlFailure[] = [];
  for (const controlId of [...controls].sort()) {
    let open: { since: string; lastFailingOn: string; truncated: boolean } | undefined;
    const close = (endedOn: string | undefined, state: ControlState) => {
      if (!open) return;
      const episode = { entityRef, controlId, since: open.since };
      if ((endedOn === undefined || endedOn >= since) && !covered(reviewed, episode, open.truncated)) {
        out.push({
          key: failureKey(entityRef, controlId, open.since),
          entityRef,
          ...(input.ownerRef ? { ownerRef: input.ownerRef } : {}),
          controlId,
          controlTitle: input.controlTitle(controlId),
          since: open.since,
          lastFailingOn: open.lastFailingOn,
          ...(endedOn ? { endedOn } : {}),
          days: daysBetween(open.since, endedOn ?? today),
          status: endedOn ? 'fixed' : statusOf(state),
          currentState: current?.controlStates[controlId] ?? 'not_reported',
        });
      }
      open = undefined;
    };
    ordered.forEach((point, index) => {
      const state = point.controlStates[controlId];
      if (state === undefined) return;
      if (FAILED.has(state)) {
        if (!open) open = { since: point.day, lastFailingOn: point.day, truncated: index === 0 && point.day <= since };
        open.lastFailingOn = point.day;
      } else if (HOLDS.has(state)) {
        close(point.day, state);
      }
    });
    close(undefined, current?.controlStates[controlId] ?? 'not_reported');
  }
  return out;
}

function statusOf(state: ControlState): ControlFailureStatus {
  if (state === 'failing') return 'still-failing';
  if (state === 'excepted') return 'excepted';
  return 'unverified';
}

/** Longest open first, then by entity and control: what the review starts with. */
export function byReviewOrder(a: ControlFailure, b: ControlFailure): number {
  const open = (f: ControlFailure) => (f.status === 'fixed' ? 1 : 0);
  // Plain code-unit order for the refs and ids (ASCII): a large org lists tens of thousands.
  return open(a) - open(b) || b.days - a.days || cmp(a.entityRef, b.entityRef) || cmp(a.controlId, b.controlId);
}

function cmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
