import { CriterionRule, EntityEvidence, EvaluationConfig } from './types';
import { slaDaysFor } from './dueDates';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The exercise criterion's window when the stage does not name one (maturity.ts). */
const DEFAULT_EXERCISE_WINDOW_DAYS = 365;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The first instant after `now` at which the entity's scorecard can change without new evidence,
 * or undefined when nothing in it depends on the clock any more. Pure.
 *
 * Time enters the evaluation only through comparisons of the clock with a dated piece of
 * evidence: an exception or attestation expiring (`expiresAt > now`), evidence leaving a
 * freshness window or a maturity window (`age > window`, so one millisecond after the window),
 * an open finding passing its SLA, a lapsed exception or a resolved finding leaving the metrics
 * window, a stale item's age in days (named in its reason), and exception age rounded to a tenth
 * of a day. Every such instant is a candidate; the earliest one is returned. The candidates are a
 * superset (an instant may change nothing), never a subset, so a scorecard stored until this
 * instant is exactly the one an evaluation would give at any time before it.
 */
export function nextChangeAt(evidence: EntityEvidence, config: EvaluationConfig, now: Date): Date | undefined {
  const nowMs = now.getTime();
  let earliest = Infinity;
  const consider = (ms: number) => {
    if (ms > nowMs && ms < earliest) earliest = ms;
  };
  const windows = windowsOf(config);
  const smallestWindow = Math.min(...windows);
  /** A dated item read against the windows: crossing each, and (once past one) each birthday of its age. */
  const dated = (iso: string | undefined) => {
    const at = parseTime(iso);
    if (at === undefined) return;
    for (const days of windows) consider(at + days * DAY_MS + 1);
    const ageDays = (nowMs - at) / DAY_MS;
    if (ageDays > smallestWindow) consider(at + (Math.floor(ageDays) + 1) * DAY_MS);
  };
  const expiring = (iso: string | undefined) => {
    const at = parseTime(iso);
    if (at !== undefined) consider(at);
  };

  for (const e of evidence.exceptions) expiring(e.expiresAt);
  for (const a of evidence.humanAttestations ?? []) {
    expiring(a.expiresAt);
    expiring(`${a.date}T00:00:00Z`); // counts from its day on
    dated(`${a.date}T00:00:00Z`);
  }
  const windowDays = config.metricTargets.windowDays;
  for (const e of evidence.lapsedExceptions ?? []) consider(Date.parse(e.lapsedAt) + windowDays * DAY_MS + 1);
  for (const f of evidence.resolvedFindings) consider(Date.parse(f.resolvedAt) + windowDays * DAY_MS);
  for (const c of evidence.secretTicketClosures ?? []) consider(Date.parse(c.closedAt) + windowDays * DAY_MS);
  for (const s of evidence.runtimeSignals ?? []) {
    if (s.remediatedAt) consider(Date.parse(s.remediatedAt) + windowDays * DAY_MS);
    dated(s.detectedAt);
  }
  const slaDays = slaDaysFor(config.severityPolicy, evidence.entity);
  for (const f of evidence.openFindings) {
    consider(Date.parse(f.firstSeenAt) + slaDays[f.severity] * DAY_MS + 1);
  }
  for (const r of evidence.reports) dated(r.scannedAt);
  for (const f of evidence.facts) dated(f.observedAt);
  for (const d of evidence.deployments) dated(d.deployedAt);
  for (const d of evidence.gateDecisions) dated(d.decidedAt);
  for (const s of evidence.signatures) dated(s.at);
  for (const m of evidence.runtimeMonitors ?? []) dated(m.lastSeenAt);
  for (const x of evidence.exercises ?? []) dated(x.heldOn.length === 10 ? `${x.heldOn}T00:00:00Z` : x.heldOn);
  if (evidence.lastExport) dated(evidence.lastExport.at);
  consider(exceptionAgeTick(evidence, nowMs));
  return Number.isFinite(earliest) ? new Date(earliest) : undefined;
}

/**
 * Exception age (the mean age of the exceptions in force, shown to a tenth of a day) grows with
 * the clock while one is active: the instant its rounded value next moves.
 */
function exceptionAgeTick(evidence: EntityEvidence, nowMs: number): number {
  const active = evidence.exceptions.filter(e => Date.parse(e.expiresAt) > nowMs);
  if (active.length === 0) return Infinity;
  const activeIds = new Set(active.map(e => e.id));
  const lapsed = (evidence.lapsedExceptions ?? []).filter(e => !activeIds.has(e.id));
  const ages = [
    ...active.map(e => (nowMs - Date.parse(e.approvedAt)) / DAY_MS),
    ...lapsed.map(e => (Date.parse(e.lapsedAt) - Date.parse(e.approvedAt)) / DAY_MS),
  ];
  const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
  // Math.round(x * 10) moves when x * 10 passes the next half: mean grows by active/all per day.
  const nextHalf = (Math.floor(mean * 10 + 0.5) + 0.5) / 10;
  // A millisecond early rather than late: floating-point error must never skip the change.
  return nowMs + Math.max(1, Math.floor(((nextHalf - mean) * DAY_MS * ages.length) / active.length) - 1);
}

/** Every window, in days, a dated piece of evidence is compared against. */
function windowsOf(config: EvaluationConfig): number[] {
  const windows = new Set<number>([DEFAULT_EXERCISE_WINDOW_DAYS, config.metricTargets.windowDays]);
  for (const control of config.controls) windows.add(control.freshnessDays);
  const visit = (rule: CriterionRule) => {
    if ('withinDays' in rule && typeof rule.withinDays === 'number') windows.add(rule.withinDays);
    if (rule.type === 'any' || rule.type === 'all') rule.rules.forEach(visit);
  };
  for (const stage of config.stages) for (const criterion of stage.criteria) visit(criterion.rule);
  return [...windows].filter(d => Number.isFinite(d) && d > 0);
}

function parseTime(value: string | undefined): number | undefined {
  if (!value || !ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}
