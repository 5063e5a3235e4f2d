import { daysBetween } from './time';
import { ResolvedFinding, SecretTicketClosure } from './types';

/** How a secret finding was rotated: its ticket closed, or the secret gone from the latest scan. */
export type RotatedBy = 'ticket_closed' | 'secret_gone';

export interface Rotation {
  firstSeenAt: string;
  rotatedAt: string;
  by: RotatedBy;
}

/**
 * The secret findings rotated within the metrics window: each at whichever came first, its linked
 * ticket closing or the secret disappearing from the scans. `resolved` are the window's resolved
 * findings; `closures` the secret findings with a closed ticket (closed or resolved in the window).
 */
export function secretRotations(
  resolved: ResolvedFinding[],
  closures: SecretTicketClosure[],
  now: Date,
  windowDays?: number,
): Rotation[] {
  const inWindow = (at: string) =>
    Date.parse(at) <= now.getTime() && (windowDays === undefined || daysBetween(at, now) <= windowDays);
  // Closures seen by the evaluation's clock (snapshots evaluate the past).
  const closedFirst = new Map(
    closures
      .filter(c => Date.parse(c.closedAt) <= now.getTime())
      .filter(c => !c.resolvedAt || Date.parse(c.closedAt) < Date.parse(c.resolvedAt))
      .map(c => [c.findingId, c]),
  );
  const rotations: Rotation[] = [];
  for (const f of resolved) {
    if (f.kind !== 'secret' || (f.id && closedFirst.has(f.id))) continue;
    rotations.push({ firstSeenAt: f.firstSeenAt, rotatedAt: f.resolvedAt, by: 'secret_gone' });
  }
  for (const c of closedFirst.values()) {
    if (inWindow(c.closedAt)) rotations.push({ firstSeenAt: c.firstSeenAt, rotatedAt: c.closedAt, by: 'ticket_closed' });
  }
  return rotations;
}
