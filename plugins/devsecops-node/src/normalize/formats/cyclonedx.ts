import { ReportFormatError, describeValue } from '../errors';
import {
  expectArray,
  expectObject,
  isObject,
  normalizeDigest,
  optionalString,
  packageIdentity,
  severityFromLabel,
  severityFromScore,
  stableFingerprint,
} from '../helpers';
import {
  NormalizedFinding,
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  SbomComponent,
  Severity,
} from '../types';
import { cyclonedxVexDocument, isStandaloneVex } from './cyclonedxVex';
import {
  advisoryIdIn,
  artifactFrom,
  isEmptyBody as isAmbiguousEmpty,
  preferCve,
  requiredString,
} from './shared';

/*
 * CycloneDX JSON 1.2–1.7, SBOM and VEX/VDR (fixtures/FORMATS.md §2).
 *
 * Decisions:
 * - Detection needs `bomFormat: "CycloneDX"` AND a `specVersion` 1.2–1.7. A document with another
 *   bomFormat (the spec's own `invalid-bomformat` test file) is not CycloneDX: not detected, and
 *   refused with a ReportFormatError naming `$.bomFormat` when the uploader names the format.
 * - Components: `components[]` recursively (`components[].components[]`); `metadata.component` is the
 *   subject (→ `artifact`), not a component. A component's name is `group/name` when it has a group
 *   (purl convention), so `com.example/lib` and `org.other/lib` stay distinct.
 * - Purls are kept as written; an invalid one (not `pkg:type/name…`) is never used for identity.
 * - One finding per vulnerability per distinct affected ref. A ref resolves to a component of this
 *   document (including nested ones and metadata.component); a BOM-Link (`urn:cdx:…#ref`) or a ref
 *   that resolves to nothing yields a component named after the ref (its purl when it is one).
 *   A vulnerability without `affects` gives one finding on metadata.component (if any).
 * - Severity: the highest over all ratings. A rating counts with its explicit severity; without one
 *   (or with `unknown`) its score counts when the method is CVSS (or absent) — EPSS/KEV/SSVC/OWASP
 *   scores (method `other`, …) are not CVSS and never become a severity. `none` (a producer's VEX
 *   decision) and `unknown` without a usable score are `info`, never dropped. No ratings at all →
 *   `info` with no originalSeverity (standalone VEX statements usually carry none).
 * - VEX `analysis.state` not_affected | false_positive | resolved | resolved_with_pedigree →
 *   `suppressed: true` (kept, not counted). exploitable / in_triage stay open.
 * - fixAvailable: true when `recommendation` reads "Upgrade X to version Y[, Z] [or higher]" (those
 *   versions become fixedVersions) or the affect lists an `unaffected` version/range; otherwise
 *   unknown (undefined).
 * - Fingerprint: stableFingerprint('cyclonedx', vulnId, packageIdentity(purl) or component name):
 *   the version is left out, so a bump to another vulnerable version stays the same finding.
 * - Controls: `sbom` when the document has a `components` array or no `vulnerabilities` array (a BOM
 *   without vulnerabilities is an SBOM); `dependency-scan` when it has a `vulnerabilities` array.
 */

const FORMAT_TITLE = 'CycloneDX JSON (SBOM and VEX)';
/** Nested `components[].components[]` levels read (recursively); real SBOMs use a handful. */
const MAX_COMPONENT_NESTING = 100;
const SPEC_VERSIONS = new Set(['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']);
const SUPPRESSED_STATES = new Set([
  'not_affected',
  'false_positive',
  'resolved',
  'resolved_with_pedigree',
]);
const RANK: Record<Severity, number> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

interface ParsedPurl {
  type: string;
  name: string;
  version?: string;
}

/** `pkg:type/namespace/name@version?qualifiers#subpath`, or undefined when it is not a purl. */
function parsePurl(value: string | undefined): ParsedPurl | undefined {
  if (!value) return undefined;
  const match =
    /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\/+([^?#]+?)(?:@([^?#@]+))?(?:\?[^#]*)?(?:#.*)?$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const name = match[2]
    .split('/')
    .filter(segment => segment !== '')
    .map(safeDecode)
    .join('/');
  if (name === '') return undefined;
  return {
    type: match[1].toLowerCase(),
    name,
    version: match[3] ? safeDecode(match[3]) : undefined,
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isSupportedSpecVersion(value: unknown): boolean {
  return typeof value === 'string' && SPEC_VERSIONS.has(value.trim());
}

interface ComponentRecord {
  name: string;
  version?: string;
  purl?: string;
  type?: string;
}

function componentName(node: Record<string, unknown>, path: string): string {
  const name = requiredString(FORMAT_TITLE, `${path}.name`, node.name);
  const group = optionalString(node.group);
  return group ? `${group}/${name}` : name;
}

function componentLicenses(node: Record<string, unknown>): string[] {
  const out: string[] = [];
  const licenses = Array.isArray(node.licenses) ? node.licenses : [];
  for (const entry of licenses) {
    if (!isObject(entry)) continue;
    const expression = optionalString(entry.expression);
    if (expression) out.push(expression);
    if (isObject(entry.license)) {
      const id =
        optionalString(entry.license.id) ?? optionalString(entry.license.name);
      if (id) out.push(id);
    }
  }
  return [...new Set(out)];
}

/** Severity of one vulnerability: the highest over its ratings (see the header comment). */
function vulnerabilitySeverity(ratings: unknown[]): {
  severity: Severity;
  original?: string;
} {
  let best: { severity: Severity; original?: string } | undefined;
  for (const rating of ratings) {
    if (!isObject(rating)) continue;
    const label = optionalString(rating.severity);
    const fromLabel =
      label && label.trim().toLowerCase() !== 'unknown'
        ? severityFromLabel(label)
        : undefined;
    let candidate: { severity: Severity; original?: string } | undefined;
    if (fromLabel) {
      candidate = { severity: fromLabel, original: label };
    } else {
      const method = optionalString(rating.method);
      const fromScore =
        method === undefined || /^cvss/i.test(method)
          ? severityFromScore(rating.score)
          : undefined;
      if (fromScore) {
        candidate = {
          severity: fromScore,
          original: `${String(rating.score)}${method ? ` (${method})` : ''}`,
        };
      } else if (label) {
        // `unknown`, or a value outside the enum, and no CVSS score: a found but unrated problem.
        candidate = { severity: 'info', original: label };
      }
    }
    if (
      candidate &&
      (!best || RANK[candidate.severity] > RANK[best.severity])
    ) {
      best = candidate;
    }
  }
  return best ?? { severity: 'info' };
}

/**
 * Other ids of a vulnerability: `references[].id` (aliases by the spec), and a CVE or GHSA id named
 * by its `source` or `advisories` (OSS Index / jake write the CVE only in the source URL).
 */
function aliasesOf(vuln: Record<string, unknown>): string[] {
  const names: string[] = [];
  const references = Array.isArray(vuln.references) ? vuln.references : [];
  for (const reference of references) {
    const id = isObject(reference) ? optionalString(reference.id)?.trim() : undefined;
    if (id) names.push(id);
  }
  const texts: unknown[] = [];
  if (isObject(vuln.source)) texts.push(vuln.source.url, vuln.source.name);
  const advisories = Array.isArray(vuln.advisories) ? vuln.advisories : [];
  for (const advisory of advisories) {
    if (isObject(advisory)) texts.push(advisory.url, advisory.title);
  }
  for (const text of texts) {
    const id = typeof text === 'string' ? advisoryIdIn(text) : undefined;
    if (id) names.push(id);
  }
  return names;
}

/** Versions from Trivy-style "Upgrade X to version 1.2.3, 1.4.0 or higher." */
function fixedVersionsFromRecommendation(text: string | undefined): string[] {
  if (!text) return [];
  const match = /\bto versions?\s+(.+)$/im.exec(text);
  if (!match) return [];
  const list = match[1]
    .trim()
    .replace(/\s+or\s+(higher|later|newer|above|greater)\b.*$/i, '')
    .replace(/\.$/, '');
  return list
    .split(/\s*,\s*|\s+or\s+|\s+and\s+/)
    .map(v => v.trim())
    .filter(v => /^[A-Za-z0-9][\w.+~:-]*$/.test(v));
}

function bomLinkFragment(ref: string): string | undefined {
  const match = /^urn:cdx:[^#]*#(.+)$/.exec(ref);
  return match ? match[1] : undefined;
}

function componentFromRef(ref: string): ComponentRecord {
  const local = bomLinkFragment(ref) ?? ref;
  const purl = parsePurl(local);
  if (purl) {
    return { name: purl.name, version: purl.version, purl: local };
  }
  return { name: local };
}

function toolOf(metadata: Record<string, unknown> | undefined): {
  tool: string;
  toolVersion?: string;
} {
  const tools = metadata?.tools;
  // ≤1.4: an array of tools; 1.5+: `{ components: [], services: [] }`.
  let list: unknown[] = [];
  if (Array.isArray(tools)) list = tools;
  else if (isObject(tools) && Array.isArray(tools.components)) {
    list = tools.components;
  }
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const name = optionalString(entry.name);
    if (name) return { tool: name, toolVersion: optionalString(entry.version) };
  }
  return { tool: 'unknown' };
}

function artifactOf(
  metadata: Record<string, unknown> | undefined,
): NormalizedReport['artifact'] {
  const subject = metadata?.component;
  if (!isObject(subject)) return undefined;
  let digest: string | undefined;
  const hashes = Array.isArray(subject.hashes) ? subject.hashes : [];
  for (const hash of hashes) {
    if (!isObject(hash)) continue;
    const alg = optionalString(hash.alg)?.toLowerCase().replace(/-/g, '');
    const content = optionalString(hash.content);
    if (alg === 'sha256' && content) {
      digest = normalizeDigest(`sha256:${content.trim()}`);
      if (digest) break;
    }
  }
  const properties = Array.isArray(subject.properties)
    ? subject.properties
    : [];
  if (!digest) {
    for (const property of properties) {
      if (
        isObject(property) &&
        property.name === 'aquasecurity:trivy:RepoDigest'
      ) {
        digest = normalizeDigest(property.value);
        if (digest) break;
      }
    }
  }
  if (!digest) {
    // An OCI purl's version is the manifest digest (`pkg:oci/name@sha256%3A…`).
    const purl = parsePurl(optionalString(subject.purl));
    if (purl?.type === 'oci') digest = normalizeDigest(purl.version);
  }
  if (!digest && subject.type === 'container') {
    // syft/grype put the image's manifest digest in the container component's version.
    const version = optionalString(subject.version);
    if (version && /^sha(256|384|512):[0-9a-fA-F]+$/.test(version.trim())) {
      digest = normalizeDigest(version);
    }
  }
  const name = optionalString(subject.name);
  return artifactFrom({ digest, name });
}

function normalizeBom(value: unknown): NormalizedReport {
  const doc = expectObject(FORMAT_TITLE, '$', value);
  if (doc.bomFormat !== 'CycloneDX') {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$.bomFormat',
      `must be "CycloneDX" (got ${describeValue(doc.bomFormat)})`,
    );
  }
  if (!isSupportedSpecVersion(doc.specVersion)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      '$.specVersion',
      `must be a CycloneDX JSON version 1.2–1.7 (got ${describeValue(
        doc.specVersion,
      )})`,
    );
  }
  const metadata =
    doc.metadata === undefined || doc.metadata === null
      ? undefined
      : expectObject(FORMAT_TITLE, '$.metadata', doc.metadata);

  // bom-ref → component, over the whole document (nested components and the subject included).
  const byRef = new Map<string, ComponentRecord>();
  const components: SbomComponent[] = [];

  const visit = (list: unknown, path: string, collect: boolean, depth = 1) => {
    if (depth > MAX_COMPONENT_NESTING) {
      throw new ReportFormatError(
        FORMAT_TITLE,
        path,
        `nests components more than ${MAX_COMPONENT_NESTING} levels deep`,
      );
    }
    const items = expectArray(FORMAT_TITLE, path, list);
    items.forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      const node = expectObject(FORMAT_TITLE, itemPath, item);
      const record: ComponentRecord = {
        name: componentName(node, itemPath),
        version: optionalString(node.version),
        purl: optionalString(node.purl),
        type: optionalString(node.type),
      };
      const ref = optionalString(node['bom-ref']);
      if (ref && !byRef.has(ref)) byRef.set(ref, record);
      if (collect) {
        components.push({
          name: record.name,
          ...(record.version ? { version: record.version } : {}),
          ...(record.purl ? { purl: record.purl } : {}),
          ...(record.type ? { type: record.type } : {}),
          licenses: componentLicenses(node),
        });
      }
      if (node.components !== undefined && node.components !== null) {
        visit(node.components, `${itemPath}.components`, collect, depth + 1);
      }
    });
  };

  let subject: ComponentRecord | undefined;
  if (
    metadata &&
    metadata.component !== undefined &&
    metadata.component !== null
  ) {
    const node = expectObject(
      FORMAT_TITLE,
      '$.metadata.component',
      metadata.component,
    );
    subject = {
      name: componentName(node, '$.metadata.component'),
      version: optionalString(node.version),
      purl: optionalString(node.purl),
      type: optionalString(node.type),
    };
    const ref = optionalString(node['bom-ref']);
    if (ref) byRef.set(ref, subject);
    if (node.components !== undefined && node.components !== null) {
      visit(node.components, '$.metadata.component.components', false);
    }
  }
  const hasComponents = doc.components !== undefined && doc.components !== null;
  if (hasComponents) visit(doc.components, '$.components', true);

  const hasVulnerabilities =
    doc.vulnerabilities !== undefined && doc.vulnerabilities !== null;
  const findings: NormalizedFinding[] = [];
  if (hasVulnerabilities) {
    const vulns = expectArray(
      FORMAT_TITLE,
      '$.vulnerabilities',
      doc.vulnerabilities,
    );
    vulns.forEach((item, index) => {
      const path = `$.vulnerabilities[${index}]`;
      findings.push(...vulnerabilityFindings(item, path, byRef, subject));
    });
  }

  const controls: string[] = [];
  if (hasComponents || !hasVulnerabilities) controls.push('sbom');
  if (hasVulnerabilities) controls.push('dependency-scan');

  const artifact = artifactOf(metadata);
  // A standalone VEX also applies to the findings of every other scanner (cyclonedxVex.ts).
  const vex = isStandaloneVex(doc)
    ? cyclonedxVexDocument(doc, aliasesOf, ref => byRef.get(ref) ?? componentFromRef(ref), subject)
    : undefined;
  return {
    format: 'cyclonedx',
    ...toolOf(metadata),
    controls,
    findings,
    components,
    ...(artifact ? { artifact } : {}),
    ...(vex && vex.statements.length > 0 ? { vex } : {}),
  };
}

function vulnerabilityFindings(
  item: unknown,
  path: string,
  byRef: Map<string, ComponentRecord>,
  subject: ComponentRecord | undefined,
): NormalizedFinding[] {
  const vuln = expectObject(FORMAT_TITLE, path, item);
  const id = requiredString(FORMAT_TITLE, `${path}.id`, vuln.id).trim();
  const ratings =
    vuln.ratings === undefined || vuln.ratings === null
      ? []
      : expectArray(FORMAT_TITLE, `${path}.ratings`, vuln.ratings);
  const affects =
    vuln.affects === undefined || vuln.affects === null
      ? []
      : expectArray(FORMAT_TITLE, `${path}.affects`, vuln.affects);
  const analysis = isObject(vuln.analysis) ? vuln.analysis : undefined;
  const state = optionalString(analysis?.state)?.trim().toLowerCase();
  const suppressed = state !== undefined && SUPPRESSED_STATES.has(state);
  const names = preferCve(id, aliasesOf(vuln));
  const { severity, original } = vulnerabilitySeverity(ratings);
  const recommended = fixedVersionsFromRecommendation(
    optionalString(vuln.recommendation),
  );

  // Distinct affected refs, in document order, each with its `unaffected` versions.
  const targets = new Map<string, { fixed: string[]; unaffected: boolean }>();
  affects.forEach((affect, index) => {
    const affectPath = `${path}.affects[${index}]`;
    const node = expectObject(FORMAT_TITLE, affectPath, affect);
    const ref = requiredString(FORMAT_TITLE, `${affectPath}.ref`, node.ref);
    const target = targets.get(ref) ?? { fixed: [], unaffected: false };
    const versions = Array.isArray(node.versions) ? node.versions : [];
    for (const version of versions) {
      if (!isObject(version) || version.status !== 'unaffected') continue;
      target.unaffected = true;
      const exact = optionalString(version.version);
      if (exact) target.fixed.push(exact.trim());
    }
    targets.set(ref, target);
  });

  const build = (
    component: ComponentRecord | undefined,
    fixed: string[],
    unaffected: boolean,
  ): NormalizedFinding => {
    const purl = parsePurl(component?.purl);
    const identity =
      purl && component?.purl
        ? packageIdentity(component.purl.trim())
        : component?.name;
    const fixedVersions = [...new Set([...recommended, ...fixed])];
    const fixAvailable =
      fixedVersions.length > 0 || unaffected ? true : undefined;
    const version = component?.version ?? purl?.version;
    return {
      kind: 'sca',
      control: 'dependency-scan',
      ruleId: id,
      ...names,
      title: component ? `${id} in ${component.name}` : id,
      severity,
      ...(original !== undefined ? { originalSeverity: original } : {}),
      ...(component
        ? {
            component: {
              name: component.name,
              ...(component.purl ? { purl: component.purl } : {}),
              ...(version ? { version } : {}),
              ...(purl ? { ecosystem: purl.type } : {}),
            },
          }
        : {}),
      ...(fixAvailable !== undefined ? { fixAvailable } : {}),
      ...(fixedVersions.length > 0 ? { fixedVersions } : {}),
      fingerprint: stableFingerprint('cyclonedx', id, identity),
      ...(suppressed ? { suppressed: true } : {}),
    };
  };

  if (targets.size === 0) return [build(subject, [], false)];
  return [...targets].map(([ref, target]) =>
    build(
      byRef.get(ref) ?? componentFromRef(ref),
      target.fixed,
      target.unaffected,
    ),
  );
}

/** @public */
export const cyclonedxNormalizer: ReportNormalizer = {
  id: 'cyclonedx',
  title: FORMAT_TITLE,
  detect(report: ParsedReport): boolean {
    if (report.shape !== 'json' || !isObject(report.value)) return false;
    const doc = report.value;
    return (
      doc.bomFormat === 'CycloneDX' && isSupportedSpecVersion(doc.specVersion)
    );
  },
  acceptsNamed(report: ParsedReport): boolean {
    // Another bomFormat or specVersion: normalize refuses it with a 400 naming the field.
    return (
      report.shape === 'json' &&
      isObject(report.value) &&
      ('bomFormat' in report.value || 'specVersion' in report.value)
    );
  },
  normalize(report: ParsedReport): NormalizedReport {
    if (isAmbiguousEmpty(report)) {
      // Named explicitly and empty: an SBOM with nothing in it.
      return {
        format: 'cyclonedx',
        tool: 'unknown',
        controls: ['sbom'],
        findings: [],
        components: [],
      };
    }
    if (report.shape !== 'json') {
      throw new ReportFormatError(
        FORMAT_TITLE,
        '$',
        report.shape === 'ndjson'
          ? 'must be one JSON document (got JSON lines)'
          : 'must be a JSON document (got text)',
      );
    }
    return normalizeBom(report.value);
  },
};
