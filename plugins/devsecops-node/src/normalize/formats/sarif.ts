import { ReportFormatError, describeValue } from '../errors';
import {
  controlForKind,
  expectArray,
  expectObject,
  isObject,
  normalizeDigest,
  optionalString,
  severityFromLabel,
  severityFromScore,
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
import { trivyScanners } from './trivy';

/*
 * SARIF 2.1.0 (FORMATS.md §1): CodeQL, Semgrep, flawfinder, gitleaks, Trivy, Grype,
 * dependency-check, … `--format sarif`.
 *
 * Shapes read: `{version: "2.1.0", runs: [...]}`. `runs: []` and runs without `results` (absent or
 * null) are clean scans. An empty body, `null`, `[]` and `{}` give zero findings when the format is
 * named (detection refuses them as ambiguous). Other versions (the 2.0.0 drafts, with `tool.name`
 * instead of `tool.driver`) are rejected with a 400 naming `$.version`, as are a non-array `runs` or
 * `results`, and runs, tools, drivers or results that are not objects.
 *
 * Rule id: `result.ruleId` → `result.rule.id` → the rule at `result.ruleIndex` (or
 * `result.rule.index`) in the driver's rules, or in `tool.extensions[rule.toolComponent.index]`.
 * Rule metadata is looked up by index (when its id agrees) or by id (driver, then extensions; a
 * hierarchical id `a/b/c` falls back to `a/b`, then `a`). Each run has its own rules. gitleaks 7.x
 * writes no rule id at all: for secret tools only, the longest declared rule id the message starts
 * with is used (`"AWS Access Key secret detected"`). Otherwise the rule id is `unknown`.
 *
 * Kind, per run, from `tool.driver.name`: /gitleaks|trufflehog|secret/i → secret; IaC linters
 * (checkov, tfsec, kics, terrascan, cfn-lint, hadolint, kube-linter, Snyk IaC) → iac; grype, trivy,
 * /dependency|osv|snyk/i (not Snyk Code), Black Duck, Mend, retire.js, npm/pip/cargo audit → sca;
 * a run whose every result has a CVE/GHSA/BDSA id as rule id → sca (Black Duck names the driver
 * after the scanned application); anything else → sast. Trivy puts vulnerabilities,
 * misconfigurations and secrets in one run; for Trivy the rule's `properties.tags` (`vulnerability`,
 * `misconfiguration`, `secret`) pick the kind of each finding. SCA findings of a run that scanned a
 * container image (Trivy `properties.imageID`, `repoDigests` or `repoTags`) count against
 * `container-scan`, others against `controlForKind(kind)`.
 *
 * Controls: the control of every run's kind (a clean run is evidence too) and of every finding;
 * `sast` when there are no runs. Sorted. A log whose runs are all Trivy's lists Trivy's scanners
 * (`vuln`, `misconfig`, `secret`, `license`, as for Trivy JSON) for the uploader's `scanners=`.
 *
 * OpenSSF Scorecard's SARIF (driver `Scorecard`) is refused with a 400 pointing to its JSON
 * (format `openssf-scorecard`): it carries no scores, only the checks that warned.
 *
 * Skipped results: `kind` `pass` / `notApplicable`, and `baselineState: "absent"` (in the baseline,
 * no longer found). Suppressed: any `suppressions[]` entry whose `status` is not `rejected` (a
 * missing status means accepted).
 *
 * Severity: `security-severity` (result `properties`, else rule `properties`) parsed as a 0–10
 * score (≥9 critical, ≥7 high, ≥4 medium, >0 low, 0 info); a label there (`"CRITICAL"`) is mapped
 * as a label. Otherwise the level: `result.level` → `none` when `result.kind` is present and not
 * `fail` (spec) → `run.invocations[].ruleConfigurationOverrides` → rule
 * `defaultConfiguration.level` → `warning` (spec default); error→high, warning→medium, note→low,
 * none→info, anything else → medium. `originalSeverity` is the security-severity value or the level.
 * Secret tools that give no level at all (gitleaks) → high, without `originalSeverity` (FORMATS.md
 * §6: a leaked secret is not a "warning").
 *
 * Location: `locations[0].physicalLocation.artifactLocation.uri`, or `run.artifacts[index]` when
 * only the index is given. The path stays relative to its `uriBaseId` (resolving
 * `originalUriBaseIds` would put the build machine's checkout directory into the identity);
 * `file://` is stripped, percent-escapes decoded, `\` → `/`, leading `./` dropped. Invalid URIs are
 * kept as written. Lines from `region.startLine/endLine`.
 *
 * SCA details (Trivy, Grype): `Package:`, `(Installed) Version:` and `Fix(ed) Version:` lines of
 * the result message, else of the rule's `help.text` (Trivy shares one rule between packages, so
 * the message wins); Black Duck's `properties.component/componentVersion`. The vulnerability id is
 * the CVE / GHSA id inside the rule id (`CVE-1999-0001-package-1`, `BDSA-… (CVE-…)`).
 *
 * Title: rule `shortDescription.text` → first line of the result message → rule `name` → rule id.
 * For secret tools the message is never used (and neither is anything else the result carries).
 *
 * Secrets: `region.snippet.text` / `contextRegion.snippet.text` are never copied, for any tool.
 * For secret tools, the secret (gitleaks 7 `properties.offender`, else the snippet, which holds the
 * secret in gitleaks 8) only enters the fingerprint as `context.secretFingerprint(secret)`.
 * Of `partialFingerprints` only `primaryLocationLineHash` is read, and never for secret tools:
 * gitleaks fills them with commit, author, email, date and commit message (PII).
 *
 * Fingerprint: the first key (sorted) of `result.fingerprints` (a string, or Black Duck's
 * `{value}`) whose value is not `requires login` and does not repeat in another result →
 * stableFingerprint(tool, ruleId, 'fingerprints', key, value, category). Otherwise
 * stableFingerprint(tool, ruleId, path, category, component name, logical location,
 * secret HMAC, primaryLocationLineHash) — no line numbers. `category` is
 * `run.automationDetails.id`; `tool` is the run's driver name. Two results of one rule in one file
 * with neither a tool fingerprint nor a line hash share an identity (the backend dedups them).
 *
 * Tool: the driver names of the runs (empty and null names skipped), distinct, sorted, joined with
 * ', '; `unknown` when none. `toolVersion` only when there is one tool. Artifact: `commit` from
 * `versionControlProvenance[].revisionId`, `name` from Trivy's `properties.imageName` (else
 * `versionControlProvenance[].repositoryUri`), `digest` from Trivy's `properties.repoDigests[0]`.
 */

const FORMAT_TITLE = 'SARIF 2.1.0';

type Rec = Record<string, unknown>;

interface RunInfo {
  path: string;
  run: Rec;
  toolName: string;
  toolVersion?: string;
  kind: FindingKind;
  trivy: boolean;
  container: boolean;
  driverRules: unknown[];
  extensionRules: unknown[][];
  ruleById: Map<string, { rule: Rec; component: number; index: number }>;
  artifacts: unknown[];
  category?: string;
  results: Rec[];
}

const SKIPPED_KINDS = new Set(['pass', 'notApplicable']);

/** Advisory ids in rule ids: a run whose every result is one is a dependency scan (Black Duck). */
const ADVISORY_ID =
  /\b(CVE-\d{4}-\d{4,}|GHSA(-[0-9a-z]{4}){3}|BDSA-\d{4}-\d+)\b/i;

function runKind(name: string, results: Rec[]): FindingKind {
  if (/gitleaks|trufflehog|secret/i.test(name)) return 'secret';
  if (
    /checkov|tfsec|kics|terrascan|cfn[-_ ]?lint|cfn[-_ ]?nag|hadolint|kube-?linter|kube-?score|snyk[-_ ]?iac/i.test(
      name,
    )
  ) {
    return 'iac';
  }
  if (/snyk[-_ ]?code/i.test(name)) return 'sast';
  if (
    /grype|trivy|dependency|osv|snyk|black ?duck|\bmend\b|whitesource|retire|(npm|pip|cargo|bundler?)[- ]audit/i.test(
      name,
    )
  ) {
    return 'sca';
  }
  if (
    results.length > 0 &&
    results.every(r => ADVISORY_ID.test(optionalString(r.ruleId) ?? ''))
  ) {
    return 'sca';
  }
  return 'sast';
}

function nonNegativeInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : undefined;
}

function textOf(value: unknown): string | undefined {
  return isObject(value) ? optionalString(value.text) : undefined;
}

/** A SARIF artifact URI as a repository path (see the header). */
function sarifUriToPath(uri: string): string {
  let path = uri.trim();
  const isFileUri = /^file:/i.test(path);
  if (isFileUri) {
    path = path.replace(/^file:(\/\/[^/]*)?/i, '');
    path = path.replace(/^\/+/, '/');
    if (/^\/[A-Za-z]:[/\\]/.test(path)) path = path.slice(1);
  }
  if (isFileUri || !/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = decodeURIComponent(path);
    } catch {
      // Not percent-encoded after all: keep it as written.
    }
    path = normalizeRepoPath(path);
  }
  return path;
}

function collectRules(
  info: Pick<RunInfo, 'driverRules' | 'extensionRules'>,
): RunInfo['ruleById'] {
  const byId: RunInfo['ruleById'] = new Map();
  const add = (rules: unknown[], component: number) => {
    rules.forEach((rule, index) => {
      if (!isObject(rule)) return;
      const id = optionalString(rule.id);
      if (id && !byId.has(id)) byId.set(id, { rule, component, index });
    });
  };
  add(info.driverRules, -1);
  info.extensionRules.forEach((rules, i) => add(rules, i));
  return byId;
}

function readRun(value: unknown, path: string): RunInfo {
  const run = expectObject(FORMAT_TITLE, path, value);
  const tool = expectObject(FORMAT_TITLE, `${path}.tool`, run.tool);
  const driver = expectObject(FORMAT_TITLE, `${path}.tool.driver`, tool.driver);
  const toolName = optionalString(driver.name)?.trim() ?? '';
  const driverRules = Array.isArray(driver.rules) ? driver.rules : [];
  const extensionRules = (
    Array.isArray(tool.extensions) ? tool.extensions : []
  ).map(ext => (isObject(ext) && Array.isArray(ext.rules) ? ext.rules : []));

  let results: Rec[] = [];
  if (run.results !== undefined && run.results !== null) {
    results = expectArray(FORMAT_TITLE, `${path}.results`, run.results).map(
      (result, i) =>
        expectObject(FORMAT_TITLE, `${path}.results[${i}]`, result),
    );
  }

  const kind = runKind(toolName, results);
  const props = isObject(run.properties) ? run.properties : {};
  const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;
  const container =
    !!optionalString(props.imageID) ||
    nonEmptyArray(props.repoDigests) ||
    nonEmptyArray(props.repoTags);
  const automation = isObject(run.automationDetails)
    ? run.automationDetails
    : undefined;

  return {
    path,
    run,
    toolName,
    toolVersion:
      optionalString(driver.semanticVersion) ?? optionalString(driver.version),
    kind,
    trivy: /trivy/i.test(toolName),
    container,
    driverRules,
    extensionRules,
    ruleById: collectRules({ driverRules, extensionRules }),
    artifacts: Array.isArray(run.artifacts) ? run.artifacts : [],
    category: optionalString(automation?.id),
    results,
  };
}

interface ResolvedRule {
  ruleId: string;
  rule?: Rec;
  component: number;
  index?: number;
}

function lookupRuleById(
  run: RunInfo,
  ruleId: string,
): { rule: Rec; component: number; index: number } | undefined {
  let id = ruleId;
  for (;;) {
    const found = run.ruleById.get(id);
    if (found) return found;
    const slash = id.lastIndexOf('/');
    if (slash <= 0) return undefined;
    id = id.slice(0, slash);
  }
}

function resolveRule(run: RunInfo, result: Rec): ResolvedRule {
  const ref = isObject(result.rule) ? result.rule : undefined;
  const index =
    nonNegativeInteger(result.ruleIndex) ?? nonNegativeInteger(ref?.index);
  const componentRef = isObject(ref?.toolComponent)
    ? nonNegativeInteger(ref!.toolComponent.index)
    : undefined;
  const component = componentRef ?? -1;
  const rules =
    component >= 0 ? run.extensionRules[component] ?? [] : run.driverRules;
  const indexed =
    index !== undefined && isObject(rules[index])
      ? (rules[index] as Rec)
      : undefined;

  const explicitId = optionalString(result.ruleId) ?? optionalString(ref?.id);
  if (explicitId) {
    const indexedId = optionalString(indexed?.id);
    if (
      indexed &&
      (!indexedId ||
        indexedId === explicitId ||
        explicitId.startsWith(`${indexedId}/`))
    ) {
      return { ruleId: explicitId, rule: indexed, component, index };
    }
    const found = lookupRuleById(run, explicitId);
    return {
      ruleId: explicitId,
      rule: found?.rule,
      component: found?.component ?? component,
      index: found?.index,
    };
  }
  const indexedId = optionalString(indexed?.id);
  if (indexed && indexedId) {
    return { ruleId: indexedId, rule: indexed, component, index };
  }
  if (run.kind === 'secret') {
    // gitleaks 7.x: no ruleId, the message is "<rule id> secret detected".
    const message = textOf(result.message);
    if (message) {
      let best: string | undefined;
      for (const id of run.ruleById.keys()) {
        if (
          message.startsWith(`${id} `) &&
          (!best || id.length > best.length)
        ) {
          best = id;
        }
      }
      if (best) {
        const found = run.ruleById.get(best)!;
        return { ruleId: best, ...found };
      }
    }
  }
  return { ruleId: 'unknown', component: -1 };
}

/** `run.invocations[].ruleConfigurationOverrides[]` level for a rule, if any. */
function overriddenLevel(
  run: RunInfo,
  resolved: ResolvedRule,
): string | undefined {
  const invocations = Array.isArray(run.run.invocations)
    ? run.run.invocations
    : [];
  for (const invocation of invocations) {
    if (
      !isObject(invocation) ||
      !Array.isArray(invocation.ruleConfigurationOverrides)
    ) {
      continue;
    }
    for (const override of invocation.ruleConfigurationOverrides) {
      if (!isObject(override) || !isObject(override.descriptor)) continue;
      const descriptor = override.descriptor;
      const level = isObject(override.configuration)
        ? optionalString(override.configuration.level)
        : undefined;
      if (!level) continue;
      const descriptorComponent = isObject(descriptor.toolComponent)
        ? nonNegativeInteger(descriptor.toolComponent.index) ?? -1
        : -1;
      const ruleId = optionalString(resolved.rule?.id) ?? resolved.ruleId;
      const idMatches = optionalString(descriptor.id) === ruleId;
      const indexMatches =
        resolved.index !== undefined &&
        nonNegativeInteger(descriptor.index) === resolved.index &&
        descriptorComponent === resolved.component;
      if (idMatches || indexMatches) return level;
    }
  }
  return undefined;
}

function securitySeverity(
  value: unknown,
): { severity: Severity; original: string } | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const severity = severityFromScore(value) ?? severityFromLabel(value);
  return severity ? { severity, original: String(value) } : undefined;
}

function severityOf(
  run: RunInfo,
  result: Rec,
  resolved: ResolvedRule,
  findingKind: FindingKind,
): { severity: Severity; originalSeverity?: string } {
  const resultProps = isObject(result.properties) ? result.properties : {};
  const ruleProps = isObject(resolved.rule?.properties)
    ? (resolved.rule!.properties as Rec)
    : {};
  const security =
    securitySeverity(resultProps['security-severity']) ??
    securitySeverity(ruleProps['security-severity']);
  if (security) {
    return { severity: security.severity, originalSeverity: security.original };
  }
  const kind = optionalString(result.kind);
  const defaultConfiguration = isObject(resolved.rule?.defaultConfiguration)
    ? (resolved.rule!.defaultConfiguration as Rec)
    : undefined;
  const level =
    optionalString(result.level) ??
    (kind && kind !== 'fail' ? 'none' : undefined) ??
    overriddenLevel(run, resolved) ??
    optionalString(defaultConfiguration?.level);
  if (!level && findingKind === 'secret') {
    // gitleaks & co. rate nothing; a leaked secret is not a "warning" (FORMATS.md §6: high).
    return { severity: 'high' };
  }
  const effective = level ?? 'warning';
  return {
    severity: severityFromLabel(effective) ?? 'medium',
    originalSeverity: effective,
  };
}

function isSuppressed(result: Rec): boolean {
  if (!Array.isArray(result.suppressions)) return false;
  return result.suppressions.some(s => isObject(s) && s.status !== 'rejected');
}

interface LocationInfo {
  location?: NormalizedFinding['location'];
  logicalName?: string;
  snippet?: string;
}

function locationOf(run: RunInfo, result: Rec): LocationInfo {
  const locations = Array.isArray(result.locations) ? result.locations : [];
  const first = locations.find(isObject);
  if (!first) return {};
  const physical = isObject(first.physicalLocation)
    ? first.physicalLocation
    : undefined;
  const artifactLocation = isObject(physical?.artifactLocation)
    ? (physical!.artifactLocation as Rec)
    : undefined;
  let uri = optionalString(artifactLocation?.uri);
  if (!uri) {
    const index = nonNegativeInteger(artifactLocation?.index);
    const artifact = index !== undefined ? run.artifacts[index] : undefined;
    if (isObject(artifact) && isObject(artifact.location)) {
      uri = optionalString(artifact.location.uri);
    }
  }
  const region = isObject(physical?.region)
    ? (physical!.region as Rec)
    : undefined;
  const contextRegion = isObject(physical?.contextRegion)
    ? (physical!.contextRegion as Rec)
    : undefined;
  const logical = Array.isArray(first.logicalLocations)
    ? first.logicalLocations.find(isObject)
    : undefined;

  const info: LocationInfo = {
    logicalName:
      optionalString(logical?.fullyQualifiedName) ??
      optionalString(logical?.name),
    snippet:
      textOf(region?.snippet) ?? textOf(contextRegion?.snippet) ?? undefined,
  };
  if (uri) {
    info.location = locationAt(
      sarifUriToPath(uri),
      region?.startLine,
      region?.endLine,
    );
  }
  return info;
}

function kindOf(run: RunInfo, rule: Rec | undefined): FindingKind {
  if (!run.trivy || !isObject(rule?.properties)) return run.kind;
  const tags = (rule!.properties as Rec).tags;
  if (!Array.isArray(tags)) return run.kind;
  const lower = tags
    .filter(t => typeof t === 'string')
    .map(t => t.toLowerCase());
  if (lower.includes('secret')) return 'secret';
  if (lower.includes('misconfiguration')) return 'iac';
  if (lower.includes('vulnerability')) return 'sca';
  return run.kind;
}

function controlOf(run: RunInfo, kind: FindingKind): string {
  return kind === 'sca' && run.container
    ? 'container-scan'
    : controlForKind(kind);
}

interface PackageInfo {
  name?: string;
  version?: string;
  /** undefined: not said; []: said there is no fix. */
  fixedVersions?: string[];
}

function packageFromText(text: string | undefined): PackageInfo | undefined {
  if (!text) return undefined;
  const name = /^Package:[ \t]*(.*?)[ \t]*$/m.exec(text)?.[1];
  if (!name) return undefined;
  const version = /^(?:Installed )?Version:[ \t]*(.*?)[ \t]*$/m.exec(text)?.[1];
  const fixed = /^Fix(?:ed)? Versions?:[ \t]*(.*?)[ \t]*$/m.exec(text)?.[1];
  return {
    name,
    version: version || undefined,
    fixedVersions:
      fixed === undefined
        ? undefined
        : [
            ...new Set(
              fixed
                .split(',')
                .map(v => v.trim())
                .filter(v => v !== ''),
            ),
          ],
  };
}

function packageOf(
  result: Rec,
  rule: Rec | undefined,
): PackageInfo | undefined {
  const fromText =
    packageFromText(textOf(result.message)) ??
    packageFromText(textOf(rule?.help));
  if (fromText) return fromText;
  const props = isObject(result.properties) ? result.properties : {};
  const name = optionalString(props.component);
  if (!name) return undefined;
  return { name, version: optionalString(props.componentVersion) };
}

const fingerprintKey = (key: string, value: string) => `${key}\u0000${value}`;

/** `result.fingerprints` entries usable as identities: (key, value) pairs, sorted by key. */
function toolFingerprints(result: Rec): Array<[string, string]> {
  if (!isObject(result.fingerprints)) return [];
  const out: Array<[string, string]> = [];
  for (const key of Object.keys(result.fingerprints).sort()) {
    const raw = result.fingerprints[key];
    const value =
      optionalString(raw) ??
      (isObject(raw) ? optionalString(raw.value) : undefined);
    if (!value || value.trim().toLowerCase() === 'requires login') continue;
    out.push([key, value]);
  }
  return out;
}

/**
 * CodeQL's `partialFingerprints.primaryLocationLineHash` (`<hash of the flagged line's text>:<n-th
 * such line in the file>`): no line number, so it survives lines moving, and it tells apart two
 * results of one rule in one file. No other partial fingerprint is read (gitleaks puts PII there).
 */
function lineHashOf(result: Rec): string | undefined {
  return isObject(result.partialFingerprints)
    ? optionalString(result.partialFingerprints.primaryLocationLineHash)
    : undefined;
}

function secretValue(
  result: Rec,
  snippet: string | undefined,
): string | undefined {
  const props = isObject(result.properties) ? result.properties : {};
  return optionalString(props.offender) ?? snippet;
}

function readArtifact(runs: RunInfo[]): NormalizedReport['artifact'] {
  let digest: string | undefined;
  let imageName: string | undefined;
  let repository: string | undefined;
  let commit: string | undefined;
  for (const { run } of runs) {
    const props = isObject(run.properties) ? run.properties : {};
    imageName ??= optionalString(props.imageName);
    if (Array.isArray(props.repoDigests)) {
      digest ??= props.repoDigests.map(normalizeDigest).find(d => d);
    }
    const provenance = Array.isArray(run.versionControlProvenance)
      ? run.versionControlProvenance
      : [];
    for (const vcs of provenance) {
      if (!isObject(vcs)) continue;
      commit ??= optionalString(vcs.revisionId);
      repository ??= optionalString(vcs.repositoryUri);
    }
  }
  const artifact: NonNullable<NormalizedReport['artifact']> = {};
  if (digest) artifact.digest = digest;
  const name = imageName ?? repository;
  if (name) artifact.name = name;
  if (commit) artifact.commit = commit;
  return Object.keys(artifact).length > 0 ? artifact : undefined;
}

function normalizeSarif(
  report: ParsedReport,
  context: NormalizeContext,
): NormalizedReport {
  if (isEmptyBody(report)) {
    return {
      format: 'sarif',
      tool: 'unknown',
      controls: ['sast'],
      findings: [],
    };
  }
  if (report.shape !== 'json') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$',
      `must be a JSON object (got ${describeShape(report)})`,
    );
  }
  const log = expectObject(FORMAT_TITLE, '$', report.value);
  if (log.version !== '2.1.0') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$.version',
      `must be "2.1.0" (got ${describeValue(log.version)})`,
    );
  }
  const runs = expectArray(FORMAT_TITLE, '$.runs', log.runs).map((run, i) =>
    readRun(run, `$.runs[${i}]`),
  );
  // OpenSSF Scorecard's SARIF keeps only the checks with warnings, without their scores: it is
  // posture, not findings, and is read from its JSON.
  const scorecardRun = runs.findIndex(run => /^scorecard$/i.test(run.toolName));
  if (scorecardRun >= 0) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `$.runs[${scorecardRun}].tool.driver.name`,
      "is OpenSSF Scorecard, whose SARIF leaves out the checks' scores: upload `scorecard --format json` instead (format 'openssf-scorecard')",
    );
  }

  // A tool fingerprint that several results share is not an identity.
  const fingerprintUses = new Map<string, number>();
  for (const run of runs) {
    for (const result of run.results) {
      for (const [key, value] of toolFingerprints(result)) {
        const k = fingerprintKey(key, value);
        fingerprintUses.set(k, (fingerprintUses.get(k) ?? 0) + 1);
      }
    }
  }

  const controls = new Set<string>();
  const findings: NormalizedFinding[] = [];
  for (const run of runs) {
    controls.add(controlOf(run, run.kind));
    for (const result of run.results) {
      const resultKind = optionalString(result.kind);
      if (resultKind && SKIPPED_KINDS.has(resultKind)) continue;
      if (result.baselineState === 'absent') continue;

      const resolved = resolveRule(run, result);
      const { ruleId, rule } = resolved;
      const kind = kindOf(run, rule);
      const control = controlOf(run, kind);
      controls.add(control);
      const { severity, originalSeverity } = severityOf(
        run,
        result,
        resolved,
        kind,
      );
      const { location, logicalName, snippet } = locationOf(run, result);

      const title =
        textOf(rule?.shortDescription) ??
        (kind === 'secret' ? undefined : firstLine(textOf(result.message))) ??
        optionalString(rule?.name) ??
        ruleId;

      const finding: NormalizedFinding = {
        kind,
        control,
        ruleId,
        title,
        severity,
        fingerprint: '',
      };
      if (originalSeverity !== undefined) {
        finding.originalSeverity = originalSeverity;
      }
      if (location) finding.location = location;

      let componentName: string | undefined;
      if (kind === 'sca') {
        const vulnerabilityId = advisoryIdIn(ruleId);
        if (vulnerabilityId) finding.vulnerabilityId = vulnerabilityId;
        const pkg = packageOf(result, rule);
        if (pkg?.name) {
          componentName = pkg.name;
          finding.component = { name: pkg.name };
          if (pkg.version) finding.component.version = pkg.version;
        }
        if (pkg?.fixedVersions !== undefined) {
          finding.fixAvailable = pkg.fixedVersions.length > 0;
          if (pkg.fixedVersions.length > 0)
            finding.fixedVersions = pkg.fixedVersions;
        }
      }

      const unique = toolFingerprints(result).find(
        ([key, value]) => fingerprintUses.get(fingerprintKey(key, value)) === 1,
      );
      if (unique) {
        finding.fingerprint = stableFingerprint(
          run.toolName,
          ruleId,
          'fingerprints',
          unique[0],
          unique[1],
          run.category,
        );
      } else {
        const secret =
          kind === 'secret' ? secretValue(result, snippet) : undefined;
        finding.fingerprint = stableFingerprint(
          run.toolName,
          ruleId,
          location?.path,
          run.category,
          componentName,
          logicalName,
          secret ? context.secretFingerprint(secret) : undefined,
          kind === 'secret' ? undefined : lineHashOf(result),
        );
      }
      if (isSuppressed(result)) finding.suppressed = true;
      findings.push(finding);
    }
  }
  if (controls.size === 0) controls.add('sast');

  const toolNames = [
    ...new Set(runs.map(r => r.toolName).filter(n => n !== '')),
  ].sort();
  const normalized: NormalizedReport = {
    format: 'sarif',
    tool: toolNames.length > 0 ? toolNames.join(', ') : 'unknown',
    controls: [...controls].sort(),
    findings,
  };
  if (toolNames.length === 1) {
    const version = runs.find(
      r => r.toolName === toolNames[0] && r.toolVersion,
    )?.toolVersion;
    if (version) normalized.toolVersion = version;
  }
  const artifact = readArtifact(runs);
  if (artifact) normalized.artifact = artifact;
  if (runs.length > 0 && runs.every(run => run.trivy)) {
    // Trivy's SARIF, like its JSON, leaves out the results of a scanner that found nothing.
    normalized.scanners = trivyScanners(
      [...new Set(runs.map(run => controlOf(run, 'sca')))].sort(),
    );
  }
  return normalized;
}

/** True for a SARIF log: `runs[]` with `version: "2.1.0"` or a `$schema` naming SARIF. */
function isSarifDocument(value: unknown): boolean {
  if (!isObject(value) || !Array.isArray(value.runs)) return false;
  if (value.version === '2.1.0') return true;
  const schema = value.$schema;
  return typeof schema === 'string' && /sarif/i.test(schema);
}

/** @public */
export const sarifNormalizer: ReportNormalizer = {
  id: 'sarif',
  title: FORMAT_TITLE,
  // FORMATS.md §1/§6: `region.snippet` / `contextRegion.snippet` (gitleaks 8 puts the secret
  // there); gitleaks 7 writes it as `properties.offender`.
  secretFields: ['snippet', 'offender'],
  detect(report) {
    try {
      return report.shape === 'json' && isSarifDocument(report.value);
    } catch {
      return false;
    }
  },
  acceptsNamed(report) {
    // A log of another SARIF version: normalize refuses it with a 400 naming `$.version`.
    return (
      report.shape === 'json' &&
      isObject(report.value) &&
      Array.isArray(report.value.runs)
    );
  },
  normalize: normalizeSarif,
};
