import { ReportFormatError, jsonTypeOf } from '../errors';
import {
  controlForKind,
  expectArray,
  expectObject,
  isObject,
  optionalString,
  stableFingerprint,
} from '../helpers';
import {
  FindingKind,
  NormalizeContext,
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  Severity,
} from '../types';
import {
  advisoryIdIn,
  describeShape,
  firstLine,
  isEmptyBody,
  locationAt,
  normalizeRepoPath,
} from './shared';

/*
 * Semgrep JSON.
 *
 * Shapes read:
 *  - CLI `semgrep --json`: `{version, results: [{check_id, path, start{line,col,offset},
 *    end{…}, extra{severity, message, fingerprint, metadata, lines, is_ignored, sca_info?, …}}],
 *    errors: [], paths: {scanned}, …}`. `{results: [], errors: []}` is a clean scan.
 *  - Semgrep AppSec Platform supply-chain API page (`GET …/deployments/{id}/ssc-vulns`):
 *    `{vulns: [{title, advisory{ruleId, severity, ecosystem, references{cveIds, urls}, …},
 *    matchedDependency{name, versionSpecifier}, dependencyFileLocation{path, startLine, …},
 *    closestSafeDependency, triage{status}, repositoryName, repositoryId, …}], hasMore, cursor}`.
 *  - An empty body, `null`, `[]` and `{}` give zero findings when the format is named (detection
 *    refuses them as ambiguous). Anything else without a `results` or `vulns` array is rejected
 *    with a 400 naming the path, as are results without a string `check_id`.
 * Detection never claims SARIF (`runs`), even Semgrep's own `--sarif` output.
 *
 * Kind: supply-chain findings (the API shape; CLI results with `extra.sca_info`, a `ssc-` rule id
 * or `metadata.product: supply-chain`) → sca; `metadata.product: secrets` → secret; else sast.
 * Controls: `sast` for CLI output plus the control of every finding kind; `dependency-scan` for
 * the supply-chain API shape. CLI output lists Semgrep's products as its scanners (`semgrep ci
 * --code --secrets --supply-chain`): `code` → sast, `secrets` → secret-scanning, `supply-chain` →
 * dependency-scan, for the uploader's `scanners=` (a clean secrets run writes no secret results).
 *
 * Severity (Semgrep's own mapping): CRITICAL→critical, ERROR/HIGH→high, WARNING/MEDIUM→medium,
 * INFO/LOW→low (legacy INFO is Semgrep's "Low"), EXPERIMENT/INVENTORY→info; missing or unknown →
 * info, with the value kept in `originalSeverity`. CLI supply-chain results prefer
 * `metadata["sca-severity"]`.
 *
 * Secrets and code: `extra.lines` (the matched source, or "requires login") and `extra.metavars`
 * (bound code fragments) are never copied. For secret findings, `extra.lines` only enters the
 * fingerprint as `context.secretFingerprint(lines)`; their title is the rule id, never the
 * message (messages may interpolate metavariables).
 *
 * Fingerprint (CLI): `extra.fingerprint` when it is a real value (not "requires login", the
 * placeholder every result carries without a login, and not repeated in another result) →
 * stableFingerprint('semgrep', check_id, 'fingerprint', value). Otherwise
 * stableFingerprint('semgrep', check_id, path, package name, secret HMAC) — no line numbers.
 * (API): stableFingerprint('semgrep', advisory.ruleId, file path, package name, repository) —
 * without the version, so the same advisory survives a bump that does not fix it.
 *
 * Suppressed: CLI `extra.is_ignored: true` (nosemgrep); API triage status other than
 * NEW/OPEN/REVIEWING/FIXING/IN_PROGRESS/UNTRIAGED (IGNORED, CLOSED, FIXED, …): kept, not counted.
 */

const FORMAT_TITLE = 'Semgrep JSON';
const TOOL = 'Semgrep';
const FP_TOOL = 'semgrep';

type Rec = Record<string, unknown>;

const SEVERITIES: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['critical', 'critical'],
  ['error', 'high'],
  ['high', 'high'],
  ['warning', 'medium'],
  ['medium', 'medium'],
  ['moderate', 'medium'],
  ['info', 'low'],
  ['low', 'low'],
  ['experiment', 'info'],
  ['inventory', 'info'],
]);

function severityOf(value: unknown): {
  severity: Severity;
  originalSeverity?: string;
} {
  const original = optionalString(value)?.trim();
  if (!original) return { severity: 'info' };
  return {
    severity: SEVERITIES.get(original.toLowerCase()) ?? 'info',
    originalSeverity: original,
  };
}

const OPEN_TRIAGE = new Set([
  'new',
  'open',
  'reviewing',
  'fixing',
  'in_progress',
  'untriaged',
]);

function positiveInteger(value: unknown): number | undefined {
  const n =
    typeof value === 'string' && /^\d+$/.test(value.trim())
      ? Number(value)
      : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

function normalizePath(path: string): string {
  return normalizeRepoPath(path.trim());
}

function vulnerabilityId(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const id = advisoryIdIn(candidate);
    if (id) return id;
  }
  return undefined;
}

function isRequiresLogin(value: string): boolean {
  return value.trim().toLowerCase() === 'requires login';
}

function usableFingerprint(extra: Rec): string | undefined {
  const value = optionalString(extra.fingerprint);
  return value && !isRequiresLogin(value) ? value : undefined;
}

function isCliResult(value: unknown): boolean {
  return isObject(value) && typeof value.check_id === 'string';
}

function isApiVuln(value: unknown): boolean {
  return (
    isObject(value) &&
    isObject(value.advisory) &&
    (isObject(value.matchedDependency) ||
      isObject(value.dependencyFileLocation))
  );
}

function detectSemgrep(report: ParsedReport): boolean {
  if (report.shape !== 'json' || !isObject(report.value)) return false;
  const doc = report.value;
  if ('runs' in doc || '$schema' in doc) return false; // SARIF, Semgrep's included
  if (Array.isArray(doc.results)) {
    if (doc.results.length === 0) {
      // `{results: [], errors: []}`: only Semgrep writes an errors array beside results.
      return Array.isArray(doc.errors);
    }
    return doc.results.every(isCliResult);
  }
  if (Array.isArray(doc.vulns) && doc.vulns.length > 0) {
    return doc.vulns.every(isApiVuln);
  }
  return false;
}

interface ScaDetails {
  name?: string;
  version?: string;
  ecosystem?: string;
  lockfile?: string;
  fixedVersions?: string[];
}

/** CLI supply-chain details: `extra.sca_info.dependency_match` and `metadata["sca-fix-versions"]`. */
function cliScaDetails(extra: Rec, metadata: Rec): ScaDetails {
  const scaInfo = isObject(extra.sca_info) ? extra.sca_info : {};
  const match = isObject(scaInfo.dependency_match)
    ? scaInfo.dependency_match
    : {};
  const found = isObject(match.found_dependency) ? match.found_dependency : {};
  const pattern = isObject(match.dependency_pattern)
    ? match.dependency_pattern
    : {};
  const name = optionalString(found.package) ?? optionalString(pattern.package);
  const details: ScaDetails = {
    name,
    version: optionalString(found.version),
    ecosystem:
      optionalString(found.ecosystem) ?? optionalString(pattern.ecosystem),
    lockfile:
      optionalString(found.lockfile_path) ?? optionalString(match.lockfile),
  };
  const fixes = metadata['sca-fix-versions'];
  if (Array.isArray(fixes)) {
    const versions = new Set<string>();
    for (const fix of fixes) {
      if (!isObject(fix)) continue;
      for (const [pkg, version] of Object.entries(fix)) {
        if ((!name || pkg === name) && optionalString(version)) {
          versions.add(String(version));
        }
      }
    }
    details.fixedVersions = [...versions];
  }
  return details;
}

/** Semgrep's products, as `semgrep ci --code --secrets --supply-chain` names them. */
const SEMGREP_PRODUCTS: ReadonlyArray<{ name: string; controls: readonly string[] }> = [
  { name: 'code', controls: [controlForKind('sast')] },
  { name: 'secrets', controls: [controlForKind('secret')] },
  { name: 'supply-chain', controls: [controlForKind('sca')] },
];

function cliKind(checkId: string, extra: Rec, metadata: Rec): FindingKind {
  const product = optionalString(metadata.product)?.toLowerCase();
  if (
    isObject(extra.sca_info) ||
    product === 'supply-chain' ||
    checkId.startsWith('ssc-')
  ) {
    return 'sca';
  }
  if (product === 'secrets') return 'secret';
  return 'sast';
}

function normalizeCli(doc: Rec, context: NormalizeContext): NormalizedReport {
  const results = expectArray(FORMAT_TITLE, '$.results', doc.results);
  const items = results.map((value, i) => {
    const path = `$.results[${i}]`;
    const result = expectObject(FORMAT_TITLE, path, value);
    if (!optionalString(result.check_id)) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${path}.check_id`,
        `must be a non-empty string (got ${jsonTypeOf(result.check_id)})`,
      );
    }
    return result;
  });

  const fingerprintUses = new Map<string, number>();
  for (const result of items) {
    const extra = isObject(result.extra) ? result.extra : {};
    const fp = usableFingerprint(extra);
    if (fp) fingerprintUses.set(fp, (fingerprintUses.get(fp) ?? 0) + 1);
  }

  const controls = new Set<string>(['sast']);
  const findings: NormalizedFinding[] = [];
  for (const result of items) {
    const checkId = String(result.check_id);
    const extra = isObject(result.extra) ? result.extra : {};
    const metadata = isObject(extra.metadata) ? extra.metadata : {};
    const kind = cliKind(checkId, extra, metadata);
    const control = controlForKind(kind);
    controls.add(control);

    const { severity, originalSeverity } = severityOf(
      (kind === 'sca' ? optionalString(metadata['sca-severity']) : undefined) ??
        extra.severity,
    );
    const title =
      (kind === 'secret'
        ? undefined
        : firstLine(optionalString(extra.message))) ?? checkId;

    const finding: NormalizedFinding = {
      kind,
      control,
      ruleId: checkId,
      title,
      severity,
      fingerprint: '',
    };
    if (originalSeverity !== undefined) {
      finding.originalSeverity = originalSeverity;
    }

    const rawPath = optionalString(result.path);
    if (rawPath) {
      const start = isObject(result.start) ? result.start : {};
      const end = isObject(result.end) ? result.end : {};
      finding.location = locationAt(
        normalizePath(rawPath),
        positiveInteger(start.line),
        positiveInteger(end.line),
      );
    }

    let packageName: string | undefined;
    if (kind === 'sca') {
      const vulnId = vulnerabilityId(
        metadata['sca-vuln-database-identifier'],
        checkId,
      );
      if (vulnId) finding.vulnerabilityId = vulnId;
      const sca = cliScaDetails(extra, metadata);
      if (sca.name) {
        packageName = sca.name;
        finding.component = { name: sca.name };
        if (sca.version) finding.component.version = sca.version;
        if (sca.ecosystem) finding.component.ecosystem = sca.ecosystem;
      }
      if (sca.fixedVersions !== undefined) {
        finding.fixAvailable = sca.fixedVersions.length > 0;
        if (sca.fixedVersions.length > 0) {
          finding.fixedVersions = sca.fixedVersions;
        }
      }
    }

    const toolFingerprint = usableFingerprint(extra);
    if (toolFingerprint && fingerprintUses.get(toolFingerprint) === 1) {
      finding.fingerprint = stableFingerprint(
        FP_TOOL,
        checkId,
        'fingerprint',
        toolFingerprint,
      );
    } else {
      const lines = optionalString(extra.lines);
      const secret =
        kind === 'secret' && lines && !isRequiresLogin(lines)
          ? context.secretFingerprint(lines)
          : undefined;
      finding.fingerprint = stableFingerprint(
        FP_TOOL,
        checkId,
        finding.location?.path,
        packageName,
        secret,
      );
    }
    if (extra.is_ignored === true) finding.suppressed = true;
    findings.push(finding);
  }

  const report: NormalizedReport = {
    format: 'semgrep',
    tool: TOOL,
    controls: [...controls].sort(),
    findings,
    scanners: SEMGREP_PRODUCTS.map(p => ({ name: p.name, controls: [...p.controls] })),
  };
  const version = optionalString(doc.version);
  if (version) report.toolVersion = version;
  return report;
}

function normalizeSupplyChainApi(doc: Rec): NormalizedReport {
  const vulns = expectArray(FORMAT_TITLE, '$.vulns', doc.vulns);
  const findings: NormalizedFinding[] = [];
  const repositories = new Set<string>();
  vulns.forEach((value, i) => {
    const path = `$.vulns[${i}]`;
    const vuln = expectObject(FORMAT_TITLE, path, value);
    const advisory = expectObject(
      FORMAT_TITLE,
      `${path}.advisory`,
      vuln.advisory,
    );
    const ruleId = optionalString(advisory.ruleId);
    if (!ruleId) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        `${path}.advisory.ruleId`,
        `must be a non-empty string (got ${jsonTypeOf(advisory.ruleId)})`,
      );
    }
    const references = isObject(advisory.references) ? advisory.references : {};
    const cveIds = Array.isArray(references.cveIds) ? references.cveIds : [];
    const urls = Array.isArray(references.urls) ? references.urls : [];
    const dependency = isObject(vuln.matchedDependency)
      ? vuln.matchedDependency
      : {};
    const fileLocation = isObject(vuln.dependencyFileLocation)
      ? vuln.dependencyFileLocation
      : {};
    const repository =
      optionalString(vuln.repositoryName) ?? optionalString(vuln.repositoryId);
    if (repository) repositories.add(repository);

    const { severity, originalSeverity } = severityOf(advisory.severity);
    const finding: NormalizedFinding = {
      kind: 'sca',
      control: controlForKind('sca'),
      ruleId,
      title:
        optionalString(vuln.title) ?? optionalString(advisory.title) ?? ruleId,
      severity,
      fingerprint: '',
    };
    if (originalSeverity !== undefined) {
      finding.originalSeverity = originalSeverity;
    }
    const vulnId = vulnerabilityId(...cveIds, ...urls);
    if (vulnId) finding.vulnerabilityId = vulnId;

    const filePath = optionalString(fileLocation.path);
    if (filePath) {
      finding.location = locationAt(
        normalizePath(filePath),
        positiveInteger(fileLocation.startLine),
        positiveInteger(fileLocation.endLine),
      );
    }

    const name = optionalString(dependency.name);
    if (name) {
      finding.component = { name };
      const version = optionalString(dependency.versionSpecifier);
      if (version) finding.component.version = version;
      const ecosystem = optionalString(advisory.ecosystem);
      if (ecosystem) finding.component.ecosystem = ecosystem;

      const fixed = new Set<string>();
      const closest = isObject(vuln.closestSafeDependency)
        ? vuln.closestSafeDependency
        : undefined;
      if (closest && optionalString(closest.name) === name) {
        const v = optionalString(closest.versionSpecifier);
        if (v) fixed.add(v);
      }
      if (fixed.size === 0 && Array.isArray(advisory.safeDependencies)) {
        for (const safe of advisory.safeDependencies) {
          if (isObject(safe) && optionalString(safe.name) === name) {
            const v = optionalString(safe.versionSpecifier);
            if (v) fixed.add(v);
          }
        }
      }
      if (fixed.size > 0) {
        finding.fixAvailable = true;
        finding.fixedVersions = [...fixed];
      }
    }

    finding.fingerprint = stableFingerprint(
      FP_TOOL,
      ruleId,
      finding.location?.path,
      name,
      repository,
    );
    const triage = isObject(vuln.triage) ? vuln.triage : {};
    const status = optionalString(triage.status)?.toLowerCase();
    if (status && !OPEN_TRIAGE.has(status)) finding.suppressed = true;
    findings.push(finding);
  });

  const report: NormalizedReport = {
    format: 'semgrep',
    tool: TOOL,
    controls: [controlForKind('sca')],
    findings,
  };
  if (repositories.size === 1) report.artifact = { name: [...repositories][0] };
  return report;
}

function normalizeSemgrep(
  report: ParsedReport,
  context: NormalizeContext,
): NormalizedReport {
  if (isEmptyBody(report)) {
    return { format: 'semgrep', tool: TOOL, controls: ['sast'], findings: [] };
  }
  if (report.shape !== 'json') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$',
      `must be a JSON object (got ${describeShape(report)})`,
    );
  }
  const doc = expectObject(FORMAT_TITLE, '$', report.value);
  if (!('results' in doc) && 'vulns' in doc) {
    return normalizeSupplyChainApi(doc);
  }
  return normalizeCli(doc, context);
}

/** @public */
export const semgrepNormalizer: ReportNormalizer = {
  id: 'semgrep',
  title: FORMAT_TITLE,
  // `extra.lines`: the matched source, the secret itself for secret rules.
  secretFields: ['lines'],
  detect(report) {
    try {
      return detectSemgrep(report);
    } catch {
      return false;
    }
  },
  acceptsNamed(report) {
    // `{results: []}` without `errors`, and an empty supply-chain page `{vulns: []}`.
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const doc = report.value;
    if ('runs' in doc) return false;
    if (Array.isArray(doc.results)) return doc.results.every(isCliResult);
    return Array.isArray(doc.vulns) && doc.vulns.every(isApiVuln);
  },
  normalize: normalizeSemgrep,
};
