import { ReportFormatError, jsonTypeOf } from '../errors';
import {
  controlForKind,
  expectObject,
  isObject,
  normalizeDigest,
  optionalString,
  stableFingerprint,
} from '../helpers';
import {
  NormalizeContext,
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  ReportScanner,
} from '../types';
import {
  artifactFrom,
  jsonDocument as sharedJsonDocument,
  labelOrInfo,
  optionalArray as sharedOptionalArray,
  purlWithoutVersion,
  requiredString as sharedRequiredString,
} from './shared';
import { trivyCvss } from './scannerRisk';

/*
 * Trivy JSON (`trivy image|fs|repo|config|k8s --format json`), FORMATS.md §4.
 *
 * Shapes read: SchemaVersion 2 objects; the pre-0.20 top-level array of results; `null`; objects
 * without `Results`; the k8s report `{ClusterName, Resources[{Namespace,Kind,Name,Results[]}]}` and
 * the older k8s summary `{ClusterName, Vulnerabilities[], Misconfigurations[]}` (arrays of
 * resources). An empty body, `null`, `[]` and `{}` are accepted only when the format is named
 * (detect() refuses them) and give zero findings.
 *
 * Decisions:
 * - Vulnerabilities → kind `sca`, control `container-scan` for image and k8s scans, else
 *   `dependency-scan`. Severity from `Severity`; `UNKNOWN` (and any label we do not know, or a
 *   missing one) → `info`, the tool's value kept in `originalSeverity`.
 *   Fingerprint: ('trivy', VulnerabilityID, PURL without version/qualifiers or `Type:PkgName`,
 *   Target only for lang-pkgs (the lockfile: the same package in two lockfiles is two findings),
 *   k8s resource). Versions are left out so a finding survives a version bump; Trivy's own
 *   `Fingerprint` includes the ArtifactID and changes with every rebuilt image, so it is not used.
 *   fixAvailable: true when FixedVersion is non-empty or Status is `fixed`; false for
 *   affected/will_not_fix/fix_deferred/end_of_life or (no Status, legacy) an empty FixedVersion;
 *   undefined for unknown/under_investigation/not_affected.
 * - Misconfigurations → kind `iac`; PASS skipped, EXCEPTION kept as suppressed. ruleId = ID (else
 *   AVDID). Fingerprint: ('trivy', ruleId, Target, CauseMetadata.Resource, k8s resource).
 *   Code lines and Message are never copied (they can echo configuration values).
 * - Secrets → kind `secret`. `Match` and `Code` are never copied; identity is
 *   ('trivy', 'secret', RuleID, Target, k8s resource, secretFingerprint(Match)).
 * - `ExperimentalModifiedFindings` (VEX / ignore-file suppressions, also read as `ModifiedFindings`)
 *   and vulnerabilities with Status `not_affected` → kept with `suppressed: true`.
 * - Licenses are not findings.
 * - controls: the union of the controls of the scanners that ran, from each Result's Class
 *   (os-pkgs/lang-pkgs → vulnerability control, config → iac-lint, secret → secret-scanning; a
 *   legacy result without Class is classified by what it holds), or the vulnerability control when
 *   nothing maps (no Results, licence-only reports).
 * - scanners (Trivy's `--scanners` names): `vuln` → the vulnerability control, `misconfig` →
 *   iac-lint, `secret` → secret-scanning, `license` → none. Trivy leaves a scanner's results out
 *   when it found nothing, so only the uploader can say a clean secret scan ran.
 */

const FORMAT = 'Trivy JSON';
const TOOL = 'trivy';

/** The format's name in error messages, bound for the shared helpers. */
const optionalArray = (path: string, value: unknown) =>
  sharedOptionalArray(FORMAT, path, value);
const requiredString = (path: string, value: unknown) =>
  sharedRequiredString(FORMAT, path, value);

/** Result.Type values of OS package results (legacy results have no Class). */
const OS_TYPES = new Set([
  'alpine',
  'alma',
  'amazon',
  'azurelinux',
  'bottlerocket',
  'cbl-mariner',
  'centos',
  'chainguard',
  'debian',
  'echo',
  'fedora',
  'minimos',
  'opensuse',
  'opensuse.leap',
  'opensuse.tumbleweed',
  'oracle',
  'photon',
  'redhat',
  'rocky',
  'sles',
  'suse linux enterprise micro',
  'suse linux enterprise server',
  'ubuntu',
  'wolfi',
]);

const NO_FIX_STATUSES = new Set([
  'affected',
  'will_not_fix',
  'fix_deferred',
  'end_of_life',
]);

interface ResultRef {
  result: Record<string, unknown>;
  path: string;
  /** `namespace/Kind/name` of the k8s resource the result belongs to. */
  resource?: string;
}

interface Scope {
  vulnControl: string;
  context: NormalizeContext;
}

function isResultLike(value: unknown): boolean {
  return isObject(value) && typeof value.Target === 'string';
}

function looksLikeTrivy(value: unknown): boolean {
  if (Array.isArray(value)) {
    // Legacy (< 0.20): a top-level array of results.
    return (
      value.length > 0 &&
      value.every(
        r =>
          isResultLike(r) &&
          ('Vulnerabilities' in (r as object) ||
            'Type' in (r as object) ||
            'Misconfigurations' in (r as object)),
      )
    );
  }
  if (!isObject(value)) return false;
  if (typeof value.SchemaVersion === 'number') {
    return (
      'ArtifactName' in value ||
      'ArtifactType' in value ||
      Array.isArray(value.Results)
    );
  }
  if (typeof value.ClusterName === 'string') {
    return (
      Array.isArray(value.Resources) ||
      Array.isArray(value.Vulnerabilities) ||
      Array.isArray(value.Misconfigurations)
    );
  }
  // Old object reports without SchemaVersion: `{ImageID?, RepoDigests?, Results: [{Target,…}]}`.
  return (
    Array.isArray(value.Results) &&
    value.Results.length > 0 &&
    value.Results.every(isResultLike)
  );
}

// UNKNOWN is mapped to info by severityFromLabel; labels we do not know and a missing value are
// info too, on purpose (a finding the tool could not rate is still a finding).
const severityOf = labelOrInfo;

function resourceKey(resource: Record<string, unknown>): string {
  return [resource.Namespace, resource.Kind, resource.Name]
    .map(part => (typeof part === 'string' ? part : ''))
    .join('/');
}

function collectResults(doc: unknown): ResultRef[] {
  if (doc === undefined || doc === null) return [];
  if (Array.isArray(doc)) {
    return doc.map((r, i) => ({
      result: expectObject(FORMAT, `$[${i}]`, r),
      path: `$[${i}]`,
    }));
  }
  const root = expectObject(FORMAT, '$', doc);
  const refs: ResultRef[] = [];
  optionalArray('$.Results', root.Results).forEach((r, i) =>
    refs.push({
      result: expectObject(FORMAT, `$.Results[${i}]`, r),
      path: `$.Results[${i}]`,
    }),
  );
  if (typeof root.ClusterName === 'string') {
    for (const key of ['Resources', 'Vulnerabilities', 'Misconfigurations']) {
      optionalArray(`$.${key}`, root[key]).forEach((res, i) => {
        const resPath = `$.${key}[${i}]`;
        const resource = expectObject(FORMAT, resPath, res);
        optionalArray(`${resPath}.Results`, resource.Results).forEach(
          (r, j) =>
            refs.push({
              result: expectObject(FORMAT, `${resPath}.Results[${j}]`, r),
              path: `${resPath}.Results[${j}]`,
              resource: resourceKey(resource),
            }),
        );
      });
    }
  }
  return refs;
}

type ResultClass = 'os-pkgs' | 'lang-pkgs' | 'config' | 'secret' | 'other';

function classOf(result: Record<string, unknown>): ResultClass {
  const declared = optionalString(result.Class);
  switch (declared) {
    case 'os-pkgs':
    case 'lang-pkgs':
    case 'config':
    case 'secret':
      return declared;
    case undefined:
      break;
    default:
      return 'other'; // license, license-file, custom, …
  }
  if ('Misconfigurations' in result || 'MisconfSummary' in result) {
    return 'config';
  }
  if ('Secrets' in result) return 'secret';
  if ('Vulnerabilities' in result || 'Packages' in result || 'Type' in result) {
    const type = optionalString(result.Type)?.toLowerCase();
    return type !== undefined && OS_TYPES.has(type) ? 'os-pkgs' : 'lang-pkgs';
  }
  return 'other';
}

function fixOf(vuln: Record<string, unknown>): {
  fixAvailable?: boolean;
  fixedVersions?: string[];
} {
  const fixedVersions = (
    typeof vuln.FixedVersion === 'string' ? vuln.FixedVersion : ''
  )
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
  const status = optionalString(vuln.Status);
  if (fixedVersions.length > 0) return { fixAvailable: true, fixedVersions };
  if (status === 'fixed') return { fixAvailable: true };
  if (status === undefined || NO_FIX_STATUSES.has(status)) {
    return { fixAvailable: false };
  }
  return {}; // unknown, under_investigation, not_affected: the report does not say
}

function vulnerabilityFinding(
  vuln: Record<string, unknown>,
  path: string,
  ref: ResultRef,
  cls: ResultClass,
  scope: Scope,
  suppressed: boolean,
): NormalizedFinding {
  const vulnId = requiredString(`${path}.VulnerabilityID`, vuln.VulnerabilityID);
  const pkgName = requiredString(`${path}.PkgName`, vuln.PkgName);
  const purl = isObject(vuln.PkgIdentifier)
    ? optionalString(vuln.PkgIdentifier.PURL)
    : undefined;
  const type = optionalString(ref.result.Type);
  const target = optionalString(ref.result.Target);
  const pkgPath = optionalString(vuln.PkgPath);
  const installed = optionalString(vuln.InstalledVersion);
  const locationPath = pkgPath ?? (cls === 'lang-pkgs' ? target : undefined);
  const isSuppressed = suppressed || vuln.Status === 'not_affected';
  return {
    kind: 'sca',
    control: scope.vulnControl,
    ruleId: vulnId,
    vulnerabilityId: vulnId,
    title: optionalString(vuln.Title) ?? `${vulnId} in ${pkgName}`,
    ...severityOf(vuln.Severity),
    ...(locationPath ? { location: { path: locationPath } } : {}),
    component: {
      name: pkgName,
      ...(installed ? { version: installed } : {}),
      ...(purl ? { purl } : {}),
      ...(type ? { ecosystem: type } : {}),
    },
    ...fixOf(vuln),
    ...trivyCvss(vuln),
    fingerprint: stableFingerprint(
      TOOL,
      vulnId,
      purl ? purlWithoutVersion(purl) : `${type ?? ''}:${pkgName}`,
      cls === 'lang-pkgs' ? target : undefined,
      ref.resource,
    ),
    ...(isSuppressed ? { suppressed: true } : {}),
  };
}

/** `{location}` at the result's Target with the item's StartLine/EndLine (when above 0), or `{}`. */
function locationOf(
  target: string | undefined,
  item: Record<string, unknown>,
): Pick<NormalizedFinding, 'location'> {
  if (!target) return {};
  const line = (value: unknown) =>
    typeof value === 'number' && value > 0 ? value : undefined;
  const startLine = line(item.StartLine);
  const endLine = line(item.EndLine);
  return {
    location: {
      path: target,
      ...(startLine ? { startLine } : {}),
      ...(endLine ? { endLine } : {}),
    },
  };
}

function misconfigurationFinding(
  misconf: Record<string, unknown>,
  path: string,
  ref: ResultRef,
  suppressed: boolean,
): NormalizedFinding | undefined {
  const status = optionalString(misconf.Status)?.toUpperCase();
  if (status === 'PASS' && !suppressed) return undefined;
  const ruleId = optionalString(misconf.ID) ?? optionalString(misconf.AVDID);
  if (ruleId === undefined) {
    throw new ReportFormatError(
      FORMAT,
      `${path}.ID`,
      `must be a non-empty string (got ${jsonTypeOf(misconf.ID)})`,
    );
  }
  const target = optionalString(ref.result.Target);
  const cause = isObject(misconf.CauseMetadata) ? misconf.CauseMetadata : {};
  return {
    kind: 'iac',
    control: controlForKind('iac'),
    ruleId,
    title: optionalString(misconf.Title) ?? ruleId,
    ...severityOf(misconf.Severity),
    ...locationOf(target, cause),
    fingerprint: stableFingerprint(
      TOOL,
      ruleId,
      target,
      optionalString(cause.Resource),
      ref.resource,
    ),
    ...(suppressed || status === 'EXCEPTION' ? { suppressed: true } : {}),
  };
}

function secretFinding(
  secret: Record<string, unknown>,
  path: string,
  ref: ResultRef,
  scope: Scope,
  suppressed: boolean,
): NormalizedFinding {
  // Never read Match or Code into the result: Match holds the (masked) secret and context lines
  // of Code are not masked at all.
  const ruleId = requiredString(`${path}.RuleID`, secret.RuleID);
  const target = optionalString(ref.result.Target);
  const match = typeof secret.Match === 'string' ? secret.Match : undefined;
  return {
    kind: 'secret',
    control: controlForKind('secret'),
    ruleId,
    title: optionalString(secret.Title) ?? ruleId,
    ...severityOf(secret.Severity),
    ...locationOf(target, secret),
    fingerprint: stableFingerprint(
      TOOL,
      'secret',
      ruleId,
      target,
      ref.resource,
      match !== undefined ? scope.context.secretFingerprint(match) : undefined,
    ),
    ...(suppressed ? { suppressed: true } : {}),
  };
}

function resultFindings(
  ref: ResultRef,
  cls: ResultClass,
  scope: Scope,
): NormalizedFinding[] {
  const out: NormalizedFinding[] = [];
  const { result, path } = ref;
  optionalArray(`${path}.Vulnerabilities`, result.Vulnerabilities).forEach(
    (v, i) => {
      const p = `${path}.Vulnerabilities[${i}]`;
      out.push(
        vulnerabilityFinding(expectObject(FORMAT, p, v), p, ref, cls, scope, false),
      );
    },
  );
  optionalArray(`${path}.Misconfigurations`, result.Misconfigurations).forEach(
    (m, i) => {
      const p = `${path}.Misconfigurations[${i}]`;
      const finding = misconfigurationFinding(
        expectObject(FORMAT, p, m),
        p,
        ref,
        false,
      );
      if (finding) out.push(finding);
    },
  );
  optionalArray(`${path}.Secrets`, result.Secrets).forEach((s, i) => {
    const p = `${path}.Secrets[${i}]`;
    out.push(secretFinding(expectObject(FORMAT, p, s), p, ref, scope, false));
  });
  for (const key of ['ExperimentalModifiedFindings', 'ModifiedFindings']) {
    optionalArray(`${path}.${key}`, result[key]).forEach((mf, i) => {
      const p = `${path}.${key}[${i}]`;
      const modified = expectObject(FORMAT, p, mf);
      const type = optionalString(modified.Type)?.toLowerCase();
      const fp = `${p}.Finding`;
      if (type === 'vulnerability') {
        out.push(
          vulnerabilityFinding(
            expectObject(FORMAT, fp, modified.Finding),
            fp,
            ref,
            cls,
            scope,
            true,
          ),
        );
      } else if (type === 'misconfiguration') {
        const finding = misconfigurationFinding(
          expectObject(FORMAT, fp, modified.Finding),
          fp,
          ref,
          true,
        );
        if (finding) out.push(finding);
      } else if (type === 'secret') {
        out.push(
          secretFinding(
            expectObject(FORMAT, fp, modified.Finding),
            fp,
            ref,
            scope,
            true,
          ),
        );
      }
      // license findings are not findings here
    });
  }
  return out;
}

function artifactOf(doc: unknown): NormalizedReport['artifact'] {
  if (!isObject(doc)) return undefined;
  const metadata = isObject(doc.Metadata) ? doc.Metadata : {};
  const repoDigests = [
    ...(Array.isArray(metadata.RepoDigests) ? metadata.RepoDigests : []),
    ...(Array.isArray(doc.RepoDigests) ? doc.RepoDigests : []),
  ];
  const digest = repoDigests
    .map(d => normalizeDigest(optionalString(d)))
    .find(d => d !== undefined);
  const repoTags = [
    ...(Array.isArray(metadata.RepoTags) ? metadata.RepoTags : []),
    ...(Array.isArray(doc.RepoTags) ? doc.RepoTags : []),
  ];
  const name =
    optionalString(doc.ArtifactName) ??
    optionalString(doc.ClusterName) ??
    repoTags.map(optionalString).find(t => t !== undefined);
  const imageConfig = isObject(metadata.ImageConfig) ? metadata.ImageConfig : {};
  const config = isObject(imageConfig.config) ? imageConfig.config : {};
  const labels = isObject(config.Labels) ? config.Labels : {};
  const commit = optionalString(labels['org.opencontainers.image.revision']);
  return artifactFrom({ digest, name, commit });
}

/** @public */
export const trivyNormalizer: ReportNormalizer = {
  id: 'trivy',
  title: FORMAT,
  // FORMATS.md §4: secret `Match` (masked) and `Code` (its context lines are not masked).
  secretFields: ['Match', 'Code'],
  detect(report: ParsedReport): boolean {
    try {
      return report.shape === 'json' && looksLikeTrivy(report.value);
    } catch {
      return false;
    }
  },
  acceptsNamed(report: ParsedReport): boolean {
    // A schema 2 object without artifact or results, `{Results: []}` of an old clean scan.
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const value = report.value;
    return (
      typeof value.SchemaVersion === 'number' ||
      (Array.isArray(value.Results) && value.Results.every(isResultLike))
    );
  },
  normalize(report: ParsedReport, context: NormalizeContext): NormalizedReport {
    const doc = sharedJsonDocument(FORMAT, report);
    if (doc !== undefined && doc !== null && !Array.isArray(doc)) {
      expectObject(FORMAT, '$', doc);
    }
    const root = isObject(doc) ? doc : {};
    const isImage =
      root.ArtifactType === 'container_image' ||
      typeof root.ClusterName === 'string';
    const vulnControl = isImage ? 'container-scan' : controlForKind('sca');
    const scope: Scope = { vulnControl, context };

    const controls = new Set<string>();
    const findings: NormalizedFinding[] = [];
    for (const ref of collectResults(doc)) {
      const cls = classOf(ref.result);
      if (cls === 'os-pkgs' || cls === 'lang-pkgs') controls.add(vulnControl);
      else if (cls === 'config') controls.add(controlForKind('iac'));
      else if (cls === 'secret') controls.add(controlForKind('secret'));
      for (const finding of resultFindings(ref, cls, scope)) {
        controls.add(finding.control);
        findings.push(finding);
      }
    }
    if (controls.size === 0) controls.add(vulnControl);

    const trivy = isObject(root.Trivy) ? root.Trivy : {};
    const toolVersion = optionalString(trivy.Version);
    const artifact = artifactOf(doc);
    return {
      format: 'trivy',
      tool: 'Trivy',
      ...(toolVersion ? { toolVersion } : {}),
      controls: [...controls].sort(),
      findings,
      ...(artifact ? { artifact } : {}),
      scanners: trivyScanners([vulnControl]),
    };
  },
};

/** Trivy's scanners (`trivy --scanners vuln,misconfig,secret,license`) and what each covers. */
export function trivyScanners(vulnControls: string[]): ReportScanner[] {
  return [
    { name: 'vuln', controls: vulnControls },
    { name: 'misconfig', controls: [controlForKind('iac')] },
    { name: 'secret', controls: [controlForKind('secret')] },
    { name: 'license', controls: [] },
  ];
}
