import { ReportFormatError, jsonTypeOf } from '../errors';
import { expectObject, isObject, optionalString } from '../helpers';
import {
  NormalizedReport,
  ParsedReport,
  ReportFact,
  ReportNormalizer,
} from '../types';
import { artifactFrom, jsonDocument, optionalArray, requiredString } from './shared';

/*
 * OpenSSF Scorecard JSON (`scorecard --format json`, v4 and v5; FORMATS.md §12).
 *
 * Shape: `{date, repo: {name, commit}, scorecard: {version, commit}, score, checks: [{name, score,
 * reason, details: string[] | null, documentation: {short, url}}], metadata}`. A check's score is
 * 0–10, or -1 when Scorecard could not decide (inconclusive: no releases, a token without access).
 *
 * Scorecard measures a repository's posture, it lists no problems: the report has no findings.
 * Every check becomes facts, recorded with the report (source `openssf-scorecard`):
 * - `openssf.<check>.score`: the score as a number (-1 inconclusive), for fact rules (`atLeast`);
 * - `openssf.<check>.result`: `{check, score, reason, details, documentationUrl, repo, commit}`,
 *   with `details` bounded (MAX_DETAILS lines of at most MAX_DETAIL_CHARS characters, and
 *   `detailsOmitted` counting the lines left out);
 * - the checklist's facts, from a conclusive score (≥ 0) of their check, true at
 *   SCORECARD_PASSING_SCORE or above: `ci.least_privilege_tokens` (Token-Permissions),
 *   `ci.pinned_dependencies` (Pinned-Dependencies), `ci.no_dangerous_workflows`
 *   (Dangerous-Workflow), `dependency_updates.automated` (Dependency-Update-Tool).
 * `<check>` is the check's name in lower case (`token-permissions`).
 *
 * Controls: `code-review` (Branch-Protection and Code-Review are Scorecard's view of it; the
 * control itself is decided by its facts). Tool `Scorecard`, its version from `scorecard.version`;
 * the artifact is the repository (`repo.name`) at `repo.commit`.
 *
 * Scorecard's SARIF (`--format sarif`) keeps only the checks with warnings, as results without a
 * score: the SARIF normaliser refuses it and points here.
 */

const FORMAT_ID = 'openssf-scorecard';
const FORMAT_TITLE = 'OpenSSF Scorecard JSON';

/** A check scoring at least this (of 10) counts as met for the checklist's facts. @public */
export const SCORECARD_PASSING_SCORE = 8;

/** Details kept per check, and characters per detail line. */
const MAX_DETAILS = 20;
const MAX_DETAIL_CHARS = 300;
const MAX_REASON_CHARS = 500;

/** The checklist facts and the check each is read from. */
const CHECKLIST_FACTS: ReadonlyArray<[check: string, fact: string]> = [
  ['token-permissions', 'ci.least_privilege_tokens'],
  ['pinned-dependencies', 'ci.pinned_dependencies'],
  ['dangerous-workflow', 'ci.no_dangerous_workflows'],
  ['dependency-update-tool', 'dependency_updates.automated'],
];

/** One check as kept: what a decision about it needs. @public */
export interface ScorecardCheckResult {
  check: string;
  /** 0–10, or -1 when Scorecard could not decide. */
  score: number;
  reason?: string;
  details: string[];
  /** How many detail lines were left out to keep the fact small. */
  detailsOmitted?: number;
  documentationUrl?: string;
  repo?: string;
  commit?: string;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function isScorecardResult(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    Array.isArray(value.checks) &&
    isObject(value.repo) &&
    typeof value.repo.name === 'string' &&
    isObject(value.scorecard) &&
    'score' in value
  );
}

/** A fact name part from a check name: lower case, anything but letters, digits and '-' → '-'. */
function checkSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'check';
}

function readCheck(
  value: unknown,
  path: string,
  repo: string | undefined,
  commit: string | undefined,
): ScorecardCheckResult {
  const check = expectObject(FORMAT_TITLE, path, value);
  const name = requiredString(FORMAT_TITLE, `${path}.name`, check.name).trim();
  const score = check.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < -1 || score > 10) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${path}.score`,
      `must be a whole number from -1 (inconclusive) to 10 (got ${
        typeof score === 'number' ? String(score) : jsonTypeOf(score)
      })`,
    );
  }
  const lines = optionalArray(FORMAT_TITLE, `${path}.details`, check.details).map((line, i) => {
    if (typeof line !== 'string') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${path}.details[${i}]`,
        `must be a string (got ${jsonTypeOf(line)})`,
      );
    }
    return clip(line.trim(), MAX_DETAIL_CHARS);
  });
  const details = lines.filter(line => line !== '');
  const reason = optionalString(check.reason)?.trim();
  const documentationUrl = isObject(check.documentation)
    ? optionalString(check.documentation.url)?.trim()
    : undefined;
  return {
    check: name,
    score,
    ...(reason ? { reason: clip(reason, MAX_REASON_CHARS) } : {}),
    details: details.slice(0, MAX_DETAILS),
    ...(details.length > MAX_DETAILS ? { detailsOmitted: details.length - MAX_DETAILS } : {}),
    ...(documentationUrl ? { documentationUrl } : {}),
    ...(repo ? { repo } : {}),
    ...(commit ? { commit } : {}),
  };
}

/** The facts a Scorecard result states: two per check, then the checklist's. @public */
export function scorecardFacts(checks: ScorecardCheckResult[]): ReportFact[] {
  const facts: ReportFact[] = [];
  const scores = new Map<string, number>();
  for (const result of checks) {
    const slug = checkSlug(result.check);
    // A check listed twice: the last one stands (Scorecard lists each once).
    scores.set(slug, result.score);
    facts.push({ fact: `openssf.${slug}.score`, value: result.score });
    facts.push({ fact: `openssf.${slug}.result`, value: result });
  }
  for (const [check, fact] of CHECKLIST_FACTS) {
    const score = scores.get(check);
    if (score !== undefined && score >= 0) {
      facts.push({ fact, value: score >= SCORECARD_PASSING_SCORE });
    }
  }
  return facts;
}

function normalizeScorecard(report: ParsedReport): NormalizedReport {
  const document = jsonDocument(FORMAT_TITLE, report);
  if (!isObject(document)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$',
      `must be a Scorecard result object (got ${
        document === undefined ? 'an empty body' : jsonTypeOf(document)
      })`,
    );
  }
  const repoObject = expectObject(FORMAT_TITLE, '$.repo', document.repo);
  const repo = requiredString(FORMAT_TITLE, '$.repo.name', repoObject.name).trim();
  const commit = optionalString(repoObject.commit)?.trim().toLowerCase();
  const scorecard = isObject(document.scorecard) ? document.scorecard : {};
  const version = optionalString(scorecard.version)?.trim();
  if (!Array.isArray(document.checks)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$.checks',
      `must be an array (got ${jsonTypeOf(document.checks)})`,
    );
  }
  const checks = document.checks.map((check, i) =>
    readCheck(check, `$.checks[${i}]`, repo, commit),
  );
  return {
    format: FORMAT_ID,
    tool: 'Scorecard',
    ...(version ? { toolVersion: version } : {}),
    controls: ['code-review'],
    findings: [],
    artifact: artifactFrom({ name: repo, commit }),
    facts: scorecardFacts(checks),
  };
}

/** @public */
export const scorecardNormalizer: ReportNormalizer = {
  id: FORMAT_ID,
  title: FORMAT_TITLE,
  detect(report) {
    return report.shape === 'json' && isScorecardResult(report.value);
  },
  acceptsNamed(report) {
    // A result with a part missing or malformed: normalize names the path.
    return (
      report.shape === 'json' &&
      isObject(report.value) &&
      'checks' in report.value &&
      ('repo' in report.value || 'scorecard' in report.value)
    );
  },
  normalize: report => normalizeScorecard(report),
};
