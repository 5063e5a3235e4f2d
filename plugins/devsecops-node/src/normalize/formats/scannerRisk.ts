import { isObject, optionalString } from '../helpers';
import { FindingExploitability, NormalizedFinding } from '../types';

/*
 * What scanners already say about risk, kept instead of dropped: Grype's `epss[]`,
 * `knownExploited[]` and `cvss[]`, Trivy's `CVSS` map. Values out of range or of the wrong type
 * are ignored (never an error: they only add context to a finding).
 */

/** A probability or percentile in [0, 1], or undefined. */
function unitInterval(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
    ? value
    : undefined;
}

/** A CVSS base score in [0, 10], or undefined. */
function cvssScore(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10
    ? value
    : undefined;
}

/** `YYYY-MM-DD`, without Go's zero date (`0001-01-01`, written when the database had none). */
function scoreDate(value: unknown): string | undefined {
  const text = optionalString(value);
  return text && /^(19|20)\d\d-\d\d-\d\d/.test(text) ? text.slice(0, 10) : undefined;
}

/** Bounded text (vectors are short; a huge value is not a vector). */
function vectorText(value: unknown): string | undefined {
  const text = optionalString(value);
  return text && text.length <= 255 ? text : undefined;
}

/**
 * Grype's exploitability of one vulnerability: the `epss[]` entry of the key CVE (else the highest
 * score), and `knownExploited[]` (absent field: unknown; an empty array: not listed).
 */
export function grypeExploitability(
  vuln: Record<string, unknown>,
  key: string,
): Pick<NormalizedFinding, 'exploitability'> {
  const result: FindingExploitability = {};
  if (Array.isArray(vuln.epss)) {
    const scored = vuln.epss
      .filter(isObject)
      .map(e => ({
        cve: optionalString(e.cve),
        score: unitInterval(e.epss),
        percentile: unitInterval(e.percentile),
        date: scoreDate(e.date),
      }))
      .filter(e => e.score !== undefined);
    const chosen =
      scored.find(e => e.cve?.toUpperCase() === key.toUpperCase()) ??
      scored.sort((a, b) => b.score! - a.score!)[0];
    if (chosen) {
      result.epss = {
        score: chosen.score!,
        ...(chosen.percentile !== undefined ? { percentile: chosen.percentile } : {}),
        ...(chosen.date ? { date: chosen.date } : {}),
      };
    }
  }
  if (Array.isArray(vuln.knownExploited)) {
    result.knownExploited = vuln.knownExploited.some(isObject);
  }
  return Object.keys(result).length > 0 ? { exploitability: result } : {};
}

/** Grype's `cvss[]`: the NVD's entry of the highest version with a base score, else any. */
export function grypeCvss(vuln: Record<string, unknown>): Pick<NormalizedFinding, 'cvss'> {
  if (!Array.isArray(vuln.cvss)) return {};
  const entries = vuln.cvss
    .filter(isObject)
    .map(c => ({
      score: cvssScore(isObject(c.metrics) ? c.metrics.baseScore : undefined),
      vector: vectorText(c.vector),
      source: optionalString(c.source),
      version: optionalString(c.version) ?? '',
    }))
    .filter(c => c.score !== undefined)
    .sort(
      (a, b) =>
        Number(b.source === 'nvd') - Number(a.source === 'nvd') ||
        b.version.localeCompare(a.version),
    );
  const best = entries[0];
  if (!best) return {};
  return {
    cvss: {
      score: best.score!,
      ...(best.vector ? { vector: best.vector } : {}),
      ...(best.source ? { source: best.source } : {}),
    },
  };
}

/**
 * Trivy's `CVSS` map (source → V40/V3/V2 score and vector): the entry of `SeveritySource`, else
 * the NVD's, else the first; the newest CVSS version it scores.
 */
export function trivyCvss(vuln: Record<string, unknown>): Pick<NormalizedFinding, 'cvss'> {
  if (!isObject(vuln.CVSS)) return {};
  const sources = Object.entries(vuln.CVSS).filter(
    (e): e is [string, Record<string, unknown>] => isObject(e[1]),
  );
  const preferred = optionalString(vuln.SeveritySource);
  const ordered = [
    ...sources.filter(([s]) => s === preferred),
    ...sources.filter(([s]) => s === 'nvd' && s !== preferred),
    ...sources.filter(([s]) => s !== 'nvd' && s !== preferred),
  ];
  for (const [source, entry] of ordered) {
    for (const version of ['V40', 'V3', 'V2']) {
      const score = cvssScore(entry[`${version}Score`]);
      if (score === undefined) continue;
      const vector = vectorText(entry[`${version}Vector`]);
      return { cvss: { score, ...(vector ? { vector } : {}), source } };
    }
  }
  return {};
}
