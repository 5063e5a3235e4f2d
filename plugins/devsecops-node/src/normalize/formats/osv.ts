import {
  controlForKind,
  expectArray,
  expectObject,
  isObject,
  optionalString,
  severityFromLabel,
  severityFromScore,
  stableFingerprint,
} from '../helpers';
import {
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  SEVERITIES,
  Severity,
} from '../types';
import {
  jsonDocument as sharedJsonDocument,
  optionalArray as sharedOptionalArray,
  preferCve,
  requiredString as sharedRequiredString,
  stringsOf,
} from './shared';

/*
 * osv-scanner JSON (`osv-scanner --format json`), FORMATS.md §9:
 * `{results[{source{path,type}, packages[{package{name,version,ecosystem,commit?}, vulnerabilities[<OSV>], groups[]}]}]}`.
 * The older bare array of package entries (`[{package, vulnerabilities, groups}]`, osv-scanner's
 * internal/older output) is read as one result without a source path.
 *
 * Decisions:
 * - One finding per package per group (`groups[].ids` = the aliases of one issue). Vulnerabilities
 *   that no group lists are grouped among themselves by shared id/aliases.
 * - ruleId = the smallest id of the group; vulnerabilityId = the smallest CVE among the group's
 *   ids and aliases, else the ruleId. Fingerprint: ('osv-scanner', ruleId, ecosystem without its
 *   release suffix (`Debian:10` → `Debian`), package name) — no version, no source path (osv-scanner
 *   writes whatever path it was given, often absolute and runner-specific).
 * - Severity: a `MAL-*` id in the group → critical. Else `groups[].max_severity` (a score string;
 *   `""` is skipped) → severityFromScore; else the highest `database_specific.severity` of the group
 *   (GHSA labels, MODERATE → medium); else the highest CVSS base score computed from
 *   `severity[].score` vectors (CVSS v3.x and v2 are computed here; a v4 or unparseable vector
 *   cannot be scored and counts as medium; `Ubuntu` entries are labels); else info (the records do
 *   not rate the issue). `originalSeverity` is the value used (score string, label or vector).
 * - Fix: per record, the smallest `fixed` event (SEMVER/ECOSYSTEM ranges of the `affected` entries
 *   of this package) greater than the installed version, by a generic dotted/alphanumeric version
 *   comparison (not each ecosystem's exact ordering). fixAvailable true when there is one, false
 *   when the package has ranges but no such fix (e.g. MAL-* with only `introduced: 0`), undefined
 *   when the records carry no ranges.
 * - Call analysis (`experimental_analysis` / legacy `experimentalAnalysis`): when every analysed id
 *   of a group is `called: false` (or `unimportant: true`), osv-scanner leaves it out of its verdict,
 *   so the finding is kept with `suppressed: true`.
 * - Kind `sca`, control `dependency-scan`. An empty body (zero bytes, a real osv-scanner output),
 *   `null`, `[]` and `{}` give zero findings when the format is named; detect() refuses them.
 */

const FORMAT = 'osv-scanner JSON';
const TOOL = 'osv-scanner';

/** The format's name in error messages, bound for the shared helpers. */
const optionalArray = (path: string, value: unknown) =>
  sharedOptionalArray(FORMAT, path, value);
const requiredString = (path: string, value: unknown) =>
  sharedRequiredString(FORMAT, path, value);

function isPackageEntry(value: unknown): boolean {
  return (
    isObject(value) &&
    isObject(value.package) &&
    Array.isArray(value.vulnerabilities)
  );
}

function looksLikeOsvScanner(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(isPackageEntry);
  }
  if (!isObject(value) || !Array.isArray(value.results)) return false;
  if (value.results.length === 0) return 'experimental_config' in value;
  return value.results.every(
    r => isObject(r) && Array.isArray(r.packages) && 'source' in r,
  );
}

// ---------------------------------------------------------------------------------------------
// CVSS base scores (FIRST specifications v3.1 §7.1 / Appendix A, v2 §3.2.1)

const roundUp1 = (value: number) => {
  const int = Math.round(value * 100000);
  return int % 10000 === 0 ? int / 100000 : (Math.floor(int / 10000) + 1) / 10;
};

/** The metrics of a vector; a metric or value that is not a plain word is left out. */
function vectorMetrics(vector: string): Record<string, string> {
  const metrics: Record<string, string> = Object.create(null);
  for (const part of vector.split('/')) {
    const [key, value] = part.split(':');
    if (key && value !== undefined) metrics[key] = value;
  }
  return metrics;
}

/** A weight from a metric table, only for the table's own keys (`constructor` is no CVSS value). */
const weight = (table: Record<string, number>, value: string | undefined) =>
  value !== undefined && Object.hasOwn(table, value) ? table[value] : undefined;

/** CVSS v3.0/v3.1 base score from a vector, undefined if it is not a complete v3 vector. */
function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m = vectorMetrics(vector);
  const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };
  const changed = m.S === 'C';
  if (m.S !== 'U' && m.S !== 'C') return undefined;
  const av = weight({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 }, m.AV);
  const ac = weight({ L: 0.77, H: 0.44 }, m.AC);
  const pr = weight(
    changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 },
    m.PR,
  );
  const ui = weight({ N: 0.85, R: 0.62 }, m.UI);
  const c = weight(CIA, m.C);
  const i = weight(CIA, m.I);
  const a = weight(CIA, m.A);
  if (
    av === undefined ||
    ac === undefined ||
    pr === undefined ||
    ui === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined
  ) {
    return undefined;
  }
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed
    ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15)
    : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  return changed
    ? roundUp1(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp1(Math.min(impact + exploitability, 10));
}

/** CVSS v2 base score from a vector (with or without parentheses), undefined if incomplete. */
function cvss2BaseScore(vector: string): number | undefined {
  const m = vectorMetrics(vector.replace(/^\(|\)$/g, '').replace(/^CVSS:2\.0\//, ''));
  const CIA: Record<string, number> = { N: 0, P: 0.275, C: 0.66 };
  const av = weight({ L: 0.395, A: 0.646, N: 1 }, m.AV);
  const ac = weight({ H: 0.35, M: 0.61, L: 0.71 }, m.AC);
  const au = weight({ M: 0.45, S: 0.56, N: 0.704 }, m.Au);
  const c = weight(CIA, m.C);
  const i = weight(CIA, m.I);
  const a = weight(CIA, m.A);
  if (
    av === undefined ||
    ac === undefined ||
    au === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined
  ) {
    return undefined;
  }
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// Versions (a generic comparison: numbers numerically, words lexically, a trailing word such as
// `-rc1` sorts before the release)

function versionTokens(version: string): Array<number | string> {
  return (version.trim().replace(/^v(?=\d)/i, '').match(/\d+|[A-Za-z]+/g) ?? []).map(
    t => (/^\d+$/.test(t) ? Number(t) : t.toLowerCase()),
  );
}

function compareVersions(a: string, b: string): number {
  const x = versionTokens(a);
  const y = versionTokens(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === q) continue;
    if (p === undefined) return typeof q === 'string' ? 1 : -1;
    if (q === undefined) return typeof p === 'string' ? -1 : 1;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return 1;
    if (typeof q === 'number') return -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------

interface Pkg {
  name: string;
  version?: string;
  ecosystem?: string;
}

const baseEcosystem = (ecosystem: string | undefined) =>
  ecosystem?.split(':')[0].trim().toLowerCase();

/** The `affected` entries of a record that describe this package. */
function affectedOf(record: Record<string, unknown>, pkg: Pkg) {
  const affected = (Array.isArray(record.affected) ? record.affected : [])
    .filter(isObject)
    .filter(a => isObject(a.package) && a.package.name === pkg.name);
  const ecosystemOf = (a: Record<string, unknown>) =>
    isObject(a.package) ? optionalString(a.package.ecosystem) : undefined;
  const exact = affected.filter(a => ecosystemOf(a) === pkg.ecosystem);
  if (exact.length > 0) return exact;
  const base = affected.filter(
    a => baseEcosystem(ecosystemOf(a)) === baseEcosystem(pkg.ecosystem),
  );
  return base.length > 0 ? base : affected;
}

/** { fix: smallest fixed > installed, hasRanges } for one record. */
function recordFix(record: Record<string, unknown>, pkg: Pkg) {
  let hasRanges = false;
  let best: string | undefined;
  for (const affected of affectedOf(record, pkg)) {
    for (const range of Array.isArray(affected.ranges) ? affected.ranges : []) {
      if (!isObject(range) || range.type === 'GIT') continue;
      const events = Array.isArray(range.events) ? range.events : [];
      if (events.length === 0) continue;
      hasRanges = true;
      for (const event of events) {
        const fixed = isObject(event) ? optionalString(event.fixed) : undefined;
        if (fixed === undefined) continue;
        if (pkg.version !== undefined && compareVersions(fixed, pkg.version) <= 0) {
          continue;
        }
        if (best === undefined || compareVersions(fixed, best) < 0) best = fixed;
      }
    }
  }
  return { fix: best, hasRanges };
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

function severityOf(
  ids: string[],
  group: Record<string, unknown> | undefined,
  records: Array<Record<string, unknown>>,
): { severity: Severity; originalSeverity?: string } {
  const rated = ratedSeverity(group, records);
  if (ids.some(id => /^MAL-/i.test(id))) {
    // malicious package: critical whatever the records say
    return { ...rated, severity: 'critical' };
  }
  return rated ?? { severity: 'info' };
}

function ratedSeverity(
  group: Record<string, unknown> | undefined,
  records: Array<Record<string, unknown>>,
): { severity: Severity; originalSeverity?: string } | undefined {
  const max = group ? optionalString(group.max_severity) : undefined;
  const fromMax = severityFromScore(max);
  if (max !== undefined && fromMax !== undefined) {
    return { severity: fromMax, originalSeverity: max };
  }

  let best: { severity: Severity; originalSeverity: string } | undefined;
  const consider = (severity: Severity | undefined, original: string) => {
    if (severity && (!best || rank(severity) < rank(best.severity))) {
      best = { severity, originalSeverity: original };
    }
  };
  for (const record of records) {
    const label = isObject(record.database_specific)
      ? optionalString(record.database_specific.severity)
      : undefined;
    if (label) consider(severityFromLabel(label), label);
  }
  if (best) return best;

  for (const record of records) {
    for (const entry of Array.isArray(record.severity) ? record.severity : []) {
      if (!isObject(entry)) continue;
      const score = optionalString(entry.score);
      if (!score) continue;
      const type = optionalString(entry.type)?.toUpperCase();
      if (type === 'CVSS_V3' || /^CVSS:3/.test(score)) {
        consider(severityFromScore(cvss3BaseScore(score)) ?? 'medium', score);
      } else if (type === 'CVSS_V2') {
        consider(severityFromScore(cvss2BaseScore(score)) ?? 'medium', score);
      } else if (type === 'CVSS_V4' || /^CVSS:4/.test(score)) {
        consider('medium', score); // v4 scores are not computed here
      } else {
        consider(
          severityFromLabel(score) ?? severityFromScore(score) ?? 'medium',
          score,
        );
      }
    }
  }
  return best;
}

function analysisSuppressed(group: Record<string, unknown> | undefined): boolean {
  if (!group) return false;
  const analysis = [group.experimental_analysis, group.experimentalAnalysis].find(
    isObject,
  );
  if (!analysis) return false;
  const entries = Object.values(analysis).filter(isObject);
  return (
    entries.length > 0 &&
    entries.every(e => e.called === false || e.unimportant === true)
  );
}

interface Group {
  ids: string[];
  aliases: string[];
  group?: Record<string, unknown>;
}

/** The groups of a package entry: the listed ones, then ungrouped records by shared aliases. */
function groupsOf(
  entry: Record<string, unknown>,
  path: string,
  records: Map<string, Record<string, unknown>>,
): Group[] {
  const out: Group[] = [];
  const grouped = new Set<string>();
  optionalArray(`${path}.groups`, entry.groups).forEach((g, i) => {
    const group = expectObject(FORMAT, `${path}.groups[${i}]`, g);
    const ids = expectArray(FORMAT, `${path}.groups[${i}].ids`, group.ids)
      .filter((id): id is string => typeof id === 'string' && id !== '')
      .filter(id => records.has(id));
    if (ids.length === 0) return;
    ids.forEach(id => grouped.add(id));
    out.push({ ids, aliases: stringsOf(group.aliases), group });
  });
  const loose: Group[] = [];
  for (const [id, record] of records) {
    if (grouped.has(id)) continue;
    const names = new Set([id, ...stringsOf(record.aliases)]);
    const matching = loose.filter(g =>
      [...g.ids, ...g.aliases].some(n => names.has(n)),
    );
    const merged: Group = {
      ids: [...matching.flatMap(g => g.ids), id],
      aliases: [...matching.flatMap(g => g.aliases), ...names],
    };
    for (const g of matching) loose.splice(loose.indexOf(g), 1);
    loose.push(merged);
  }
  return [...out, ...loose];
}

function packageFindings(
  entry: Record<string, unknown>,
  path: string,
  sourcePath: string | undefined,
): NormalizedFinding[] {
  const p = expectObject(FORMAT, `${path}.package`, entry.package);
  const name =
    optionalString(p.name) ?? optionalString(p.commit) ?? requiredString(`${path}.package.name`, p.name);
  const pkg: Pkg = {
    name,
    version: optionalString(p.version),
    ecosystem: optionalString(p.ecosystem),
  };
  const records = new Map<string, Record<string, unknown>>();
  expectArray(FORMAT, `${path}.vulnerabilities`, entry.vulnerabilities).forEach(
    (v, i) => {
      const vp = `${path}.vulnerabilities[${i}]`;
      const record = expectObject(FORMAT, vp, v);
      const id = requiredString(`${vp}.id`, record.id);
      if (!records.has(id)) records.set(id, record);
    },
  );

  return groupsOf(entry, path, records).map(({ ids, aliases, group }) => {
    const sortedIds = [...new Set(ids)].sort();
    const ruleId = sortedIds[0];
    const members = sortedIds.map(id => records.get(id)!);
    const allNames = new Set([
      ...sortedIds,
      ...aliases,
      ...members.flatMap(r => stringsOf(r.aliases)),
    ]);
    const cve = [...allNames].filter(n => /^CVE-/i.test(n)).sort()[0];

    const fixes = members.map(r => recordFix(r, pkg));
    const fixedVersions = [
      ...new Set(fixes.map(f => f.fix).filter((f): f is string => !!f)),
    ].sort(compareVersions);
    let fixAvailable: boolean | undefined;
    if (fixedVersions.length > 0) fixAvailable = true;
    else if (fixes.some(f => f.hasRanges)) fixAvailable = false;

    const lead = records.get(ruleId)!;
    const summary =
      optionalString(lead.summary) ??
      members.map(r => optionalString(r.summary)).find(s => s !== undefined);
    return {
      kind: 'sca',
      control: controlForKind('sca'),
      ruleId,
      ...preferCve(cve ?? ruleId, allNames),
      title: summary ?? `${ruleId} in ${pkg.name}`,
      ...severityOf(sortedIds, group, members),
      ...(sourcePath ? { location: { path: sourcePath } } : {}),
      component: {
        name: pkg.name,
        ...(pkg.version ? { version: pkg.version } : {}),
        ...(pkg.ecosystem ? { ecosystem: pkg.ecosystem } : {}),
      },
      ...(fixAvailable !== undefined ? { fixAvailable } : {}),
      ...(fixedVersions.length > 0 ? { fixedVersions } : {}),
      fingerprint: stableFingerprint(
        TOOL,
        ruleId,
        baseEcosystem(pkg.ecosystem),
        pkg.name,
      ),
      ...(analysisSuppressed(group) ? { suppressed: true } : {}),
    };
  });
}

/** @public */
export const osvScannerNormalizer: ReportNormalizer = {
  id: 'osv-scanner',
  title: FORMAT,
  detect(report: ParsedReport): boolean {
    try {
      return report.shape === 'json' && looksLikeOsvScanner(report.value);
    } catch {
      return false;
    }
  },
  acceptsNamed(report: ParsedReport): boolean {
    // `{results: []}` without experimental_config, and results whose packages are all clean.
    if (report.shape !== 'json') return false;
    const value = report.value;
    if (Array.isArray(value)) return value.every(isPackageEntry);
    return (
      isObject(value) &&
      Array.isArray(value.results) &&
      value.results.every(r => isObject(r) && Array.isArray(r.packages))
    );
  },
  normalize(report: ParsedReport): NormalizedReport {
    const doc = sharedJsonDocument(FORMAT, report);
    const findings: NormalizedFinding[] = [];
    if (Array.isArray(doc)) {
      // older / internal output: a bare array of package entries
      doc.forEach((entry, i) =>
        findings.push(
          ...packageFindings(expectObject(FORMAT, `$[${i}]`, entry), `$[${i}]`, undefined),
        ),
      );
    } else if (doc !== undefined && doc !== null) {
      const root = expectObject(FORMAT, '$', doc);
      optionalArray('$.results', root.results).forEach((r, i) => {
        const rp = `$.results[${i}]`;
        const result = expectObject(FORMAT, rp, r);
        const source = isObject(result.source) ? result.source : {};
        const sourcePath = optionalString(source.path);
        expectArray(FORMAT, `${rp}.packages`, result.packages).forEach(
          (entry, j) =>
            findings.push(
              ...packageFindings(
                expectObject(FORMAT, `${rp}.packages[${j}]`, entry),
                `${rp}.packages[${j}]`,
                sourcePath,
              ),
            ),
        );
      });
    }
    return {
      format: 'osv-scanner',
      tool: 'osv-scanner',
      controls: [controlForKind('sca')],
      findings,
    };
  },
};
