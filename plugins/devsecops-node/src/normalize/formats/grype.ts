import {
  controlForKind,
  expectArray,
  expectObject,
  isObject,
  normalizeDigest,
  optionalString,
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
  artifactFrom,
  jsonDocument as sharedJsonDocument,
  labelOrInfo,
  optionalArray as sharedOptionalArray,
  preferCve,
  purlWithoutVersion,
  requiredString as sharedRequiredString,
  stringsOf,
} from './shared';
import { grypeCvss, grypeExploitability } from './scannerRisk';

/*
 * Grype JSON (`grype -o json`), FORMATS.md §5, current schema and the legacy 0.7 one
 * (`matchDetails` object, `cvssV2/V3`, object cpes, no `fix` but `fixedInVersion`).
 *
 * Decisions:
 * - Every match → kind `sca`; control `container-scan` when `source.type` is `image`, else
 *   `dependency-scan` (also the report's only control).
 * - Severity: Critical/High/Medium/Low as named; Negligible → info; Unknown, a value we do not know
 *   and a missing `severity` → info. `originalSeverity` keeps the tool's value when there is one
 *   (absent when the field is missing).
 * - Fix: `fix.state` fixed with versions → fixAvailable true + fixedVersions; not-fixed / wont-fix →
 *   false; unknown, "" or no `fix` → undefined (fixed without versions is undefined too). Legacy
 *   `fixedInVersion` (non-empty) → true.
 * - `ignoredMatches[]` → kept with `suppressed: true`.
 * - Fingerprint: ('grype', vulnerability key, purl without version/qualifiers or `type:name`). No
 *   version (survives upgrades) and no location (grype's lang-package locations contain the version).
 *   The vulnerability key is the CVE: the match id when it is a CVE, else the first (sorted) CVE
 *   of `relatedVulnerabilities`, else the match id — so a GHSA and its CVE for one package are one
 *   problem.
 * - Matches with the same fingerprint (GHSA + CVE of one package, the same package found at several
 *   locations, repeated matches) are collapsed into one finding: the highest severity, the union of
 *   fixed versions, fixAvailable true if any says so, suppressed only if every member is. Its ids
 *   and component come from the member whose id is the key (else the first member).
 * - artifact: digest = `source.target.manifestDigest`, else the first parseable `repoDigests[]`;
 *   name = `userInput` (image) or the target string (directory/file; not `unknown`); commit = the
 *   `org.opencontainers.image.revision` label (target `labels`, or the base64 image `config`).
 * - An empty body, `null` and `{}` give zero findings when the format is named; grype never writes
 *   arrays, so a top-level array is rejected.
 */

const FORMAT = 'Grype JSON';
const TOOL = 'grype';
const REVISION_LABEL = 'org.opencontainers.image.revision';

/** The format's name in error messages, bound for the shared helpers. */
const optionalArray = (path: string, value: unknown) =>
  sharedOptionalArray(FORMAT, path, value);
const requiredString = (path: string, value: unknown) =>
  sharedRequiredString(FORMAT, path, value);

function looksLikeGrype(value: unknown): boolean {
  if (!isObject(value) || !Array.isArray(value.matches)) return false;
  const descriptor = value.descriptor;
  if (isObject(descriptor) && descriptor.name === 'grype') return true;
  return (
    isObject(value.source) &&
    typeof value.source.type === 'string' &&
    'target' in value.source
  );
}

function fixOf(vuln: Record<string, unknown>): {
  fixAvailable?: boolean;
  fixedVersions?: string[];
} {
  if (isObject(vuln.fix)) {
    const state = optionalString(vuln.fix.state)?.toLowerCase();
    const versions = stringsOf(vuln.fix.versions);
    if (state === 'fixed') {
      return versions.length > 0
        ? { fixAvailable: true, fixedVersions: versions }
        : {};
    }
    if (state === 'not-fixed' || state === 'wont-fix') {
      return { fixAvailable: false };
    }
    return {}; // unknown, "" or anything else: the report does not know
  }
  const legacy = optionalString(vuln.fixedInVersion); // grype 0.7
  return legacy ? { fixAvailable: true, fixedVersions: [legacy] } : {};
}

interface Member {
  finding: NormalizedFinding;
  /** The match's own id equals the key the fingerprint was built from. */
  isKey: boolean;
}

function matchMember(
  match: unknown,
  path: string,
  control: string,
  suppressed: boolean,
): Member {
  const m = expectObject(FORMAT, path, match);
  const vuln = expectObject(FORMAT, `${path}.vulnerability`, m.vulnerability);
  const artifact = expectObject(FORMAT, `${path}.artifact`, m.artifact);
  const id = requiredString(`${path}.vulnerability.id`, vuln.id);
  const name = requiredString(`${path}.artifact.name`, artifact.name);
  const version = optionalString(artifact.version);
  const purl = optionalString(artifact.purl);
  const type = optionalString(artifact.type);

  const relatedIds = optionalArray(
    `${path}.relatedVulnerabilities`,
    m.relatedVulnerabilities,
  )
    .map(r => (isObject(r) ? optionalString(r.id) : undefined))
    .filter((r): r is string => r !== undefined);
  const related = relatedIds.filter(r => /^CVE-/i.test(r)).sort();
  const key = /^CVE-/i.test(id) ? id : related[0] ?? id;

  // Negligible and Unknown are info (severityFromLabel); unknown labels and a missing field too.
  const { severity, originalSeverity } = labelOrInfo(vuln.severity);
  const locations = Array.isArray(artifact.locations) ? artifact.locations : [];
  const firstLocation = locations.find(isObject);
  const locationPath = firstLocation
    ? optionalString(firstLocation.path)
    : undefined;

  const finding: NormalizedFinding = {
    kind: 'sca',
    control,
    ruleId: id,
    // The CVE of a GHSA match (relatedVulnerabilities), with the GHSA kept as an alias.
    ...preferCve(id, relatedIds),
    title: `${id} in ${name}`,
    severity,
    ...(originalSeverity !== undefined ? { originalSeverity } : {}),
    ...(locationPath ? { location: { path: locationPath } } : {}),
    component: {
      name,
      ...(version ? { version } : {}),
      ...(purl ? { purl } : {}),
      ...(type ? { ecosystem: type } : {}),
    },
    ...fixOf(vuln),
    ...grypeExploitability(vuln, key),
    ...grypeCvss(vuln),
    fingerprint: stableFingerprint(
      TOOL,
      key,
      purl ? purlWithoutVersion(purl) : `${type ?? ''}:${name}`,
    ),
    ...(suppressed ? { suppressed: true } : {}),
  };
  return { finding, isKey: id === key };
}

function collapse(members: Member[]): NormalizedFinding {
  const lead = (members.find(m => m.isKey) ?? members[0]).finding;
  if (members.length === 1) return lead;
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const worst = members
    .map(m => m.finding)
    .reduce((a, b) => (rank(b.severity) < rank(a.severity) ? b : a));
  const fixedVersions = [
    ...new Set(members.flatMap(m => m.finding.fixedVersions ?? [])),
  ];
  const fixes = members.map(m => m.finding.fixAvailable);
  let fixAvailable: boolean | undefined;
  if (fixes.includes(true)) fixAvailable = true;
  else if (fixes.includes(false)) fixAvailable = false;
  const suppressed = members.every(m => m.finding.suppressed);
  const names = preferCve(lead.vulnerabilityId ?? lead.ruleId, [
    ...members.map(m => m.finding.ruleId),
    ...members.flatMap(m => m.finding.aliases ?? []),
  ]);
  const {
    originalSeverity: _o,
    fixAvailable: _f,
    fixedVersions: _v,
    suppressed: _s,
    ...rest
  } = lead;
  return {
    ...rest,
    ...names,
    severity: worst.severity,
    ...(worst.originalSeverity !== undefined
      ? { originalSeverity: worst.originalSeverity }
      : {}),
    ...(fixAvailable !== undefined ? { fixAvailable } : {}),
    ...(fixedVersions.length > 0 ? { fixedVersions } : {}),
    ...(suppressed ? { suppressed: true } : {}),
  };
}

function revisionFromTarget(target: Record<string, unknown>): string | undefined {
  if (isObject(target.labels)) {
    const label = optionalString(target.labels[REVISION_LABEL]);
    if (label) return label;
  }
  const config = optionalString(target.config);
  if (!config) return undefined;
  try {
    const parsed: unknown = JSON.parse(
      Buffer.from(config, 'base64').toString('utf8'),
    );
    if (!isObject(parsed) || !isObject(parsed.config)) return undefined;
    const labels = parsed.config.Labels;
    return isObject(labels) ? optionalString(labels[REVISION_LABEL]) : undefined;
  } catch {
    return undefined; // not an image config: no commit
  }
}

function artifactOf(
  source: Record<string, unknown>,
): NormalizedReport['artifact'] {
  const target = source.target;
  let digest: string | undefined;
  let name: string | undefined;
  let commit: string | undefined;
  if (isObject(target)) {
    digest =
      normalizeDigest(target.manifestDigest) ??
      stringsOf(target.repoDigests)
        .map(d => normalizeDigest(d))
        .find(d => d !== undefined);
    name = optionalString(target.userInput);
    commit = revisionFromTarget(target);
  } else if (typeof target === 'string' && target !== 'unknown') {
    name = optionalString(target);
  }
  return artifactFrom({ digest, name, commit });
}

/** @public */
export const grypeNormalizer: ReportNormalizer = {
  id: 'grype',
  title: 'Grype JSON',
  detect(report: ParsedReport): boolean {
    try {
      return report.shape === 'json' && looksLikeGrype(report.value);
    } catch {
      return false;
    }
  },
  acceptsNamed(report: ParsedReport): boolean {
    // `{matches: [...]}` without the source or descriptor that detection looks for.
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const matches = report.value.matches;
    return (
      matches === null ||
      (Array.isArray(matches) &&
        matches.every(
          m => isObject(m) && isObject(m.vulnerability) && isObject(m.artifact),
        ))
    );
  },
  normalize(report: ParsedReport): NormalizedReport {
    const doc = sharedJsonDocument(FORMAT, report);
    const root =
      doc === undefined || doc === null ? {} : expectObject(FORMAT, '$', doc);
    const empty = Object.keys(root).length === 0;

    const source = root.source === undefined || root.source === null
      ? {}
      : expectObject(FORMAT, '$.source', root.source);
    const control =
      source.type === 'image' ? 'container-scan' : controlForKind('sca');

    const members: Member[] = [];
    // `{}` is an empty report; otherwise `matches` is required (`null` counts as none).
    const matches =
      empty || root.matches === null
        ? []
        : expectArray(FORMAT, '$.matches', root.matches);
    matches.forEach((m, i) =>
      members.push(matchMember(m, `$.matches[${i}]`, control, false)),
    );
    optionalArray('$.ignoredMatches', root.ignoredMatches).forEach((m, i) =>
      members.push(matchMember(m, `$.ignoredMatches[${i}]`, control, true)),
    );

    const groups = new Map<string, Member[]>();
    for (const member of members) {
      const group = groups.get(member.finding.fingerprint);
      if (group) group.push(member);
      else groups.set(member.finding.fingerprint, [member]);
    }
    const findings = [...groups.values()].map(collapse);

    const descriptor = isObject(root.descriptor) ? root.descriptor : {};
    const version = optionalString(descriptor.version);
    const toolVersion =
      version && version !== '[not provided]' ? version : undefined;
    const artifact = artifactOf(source);
    return {
      format: 'grype',
      tool: 'Grype',
      ...(toolVersion ? { toolVersion } : {}),
      controls: [control],
      findings,
      ...(artifact ? { artifact } : {}),
    };
  },
};
