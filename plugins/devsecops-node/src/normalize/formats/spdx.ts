import { ReportFormatError, describeValue } from '../errors';
import {
  expectArray,
  expectObject,
  isObject,
  normalizeDigest,
  optionalString,
} from '../helpers';
import {
  NormalizedReport,
  ParsedReport,
  ReportNormalizer,
  SbomComponent,
} from '../types';
import {
  artifactFrom,
  isEmptyBody as isAmbiguousEmpty,
  requiredString,
} from './shared';

/*
 * SPDX 2.x JSON (2.2 and 2.3), an inventory format (fixtures/FORMATS.md §3).
 *
 * Decisions:
 * - Detection: an object whose `spdxVersion` starts with `SPDX-2.`, or GitHub's dependency-graph
 *   export `{ "sbom": { …SPDX 2.x… } }`. SPDX 3 JSON-LD (`@context`, `spdxVersion: SPDX-3.0`) and
 *   tag-value text are never detected: the registry refuses them with a named message.
 * - Every `packages[]` entry is a component (the described package too: for SPDX it is a package
 *   like any other, e.g. Elasticsearch describing itself). purl from `externalRefs[]` with
 *   referenceType `purl` and category `PACKAGE-MANAGER` (2.3) or `PACKAGE_MANAGER` (2.2 tools), kept
 *   as written even when invalid; version from `versionInfo`; licenses from licenseConcluded and
 *   licenseDeclared, without NOASSERTION/NONE. `files[]` are not components.
 * - SPDX 2.x has no vulnerability object (SECURITY advisory refs are links, not findings): zero
 *   findings, controls `['sbom']`.
 * - artifact: the first described package (`documentDescribes`, else a DESCRIBES relationship from
 *   the document — Trivy 2.2 wrote `DESCRIBE` — else DESCRIBED_BY): its name, and its SHA256 checksum
 *   (or the manifest digest of a `pkg:oci` purl) as digest.
 * - tool / toolVersion from the first `Tool: name-version` creator.
 */

const FORMAT_TITLE = 'SPDX 2.3 JSON';
const UNKNOWN = new Set(['NOASSERTION', 'NONE']);

function isSpdx2(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.spdxVersion === 'string' &&
    value.spdxVersion.trim().startsWith('SPDX-2.') &&
    !('@context' in value)
  );
}

/** The SPDX document of a body: the body itself, or GitHub's `{ sbom: … }` wrapper's content. */
function spdxDocument(value: unknown): Record<string, unknown> | undefined {
  if (isSpdx2(value)) return value as Record<string, unknown>;
  if (isObject(value) && isSpdx2(value.sbom)) {
    return value.sbom as Record<string, unknown>;
  }
  return undefined;
}

function known(value: unknown): string | undefined {
  const text = optionalString(value)?.trim();
  return text && !UNKNOWN.has(text.toUpperCase()) ? text : undefined;
}

function packagePurl(pkg: Record<string, unknown>): string | undefined {
  const refs = Array.isArray(pkg.externalRefs) ? pkg.externalRefs : [];
  for (const ref of refs) {
    if (!isObject(ref)) continue;
    const category = optionalString(ref.referenceCategory)
      ?.trim()
      .toUpperCase()
      .replace(/_/g, '-');
    if (category === 'PACKAGE-MANAGER' && ref.referenceType === 'purl') {
      const locator = optionalString(ref.referenceLocator);
      if (locator) return locator.trim();
    }
  }
  return undefined;
}

/** Manifest digest from a `pkg:oci/name@sha256%3A…` purl. */
function ociDigest(purl: string | undefined): string | undefined {
  const match = /^pkg:oci\/[^@?#]+@([^?#]+)/i.exec(purl ?? '');
  if (!match) return undefined;
  try {
    return normalizeDigest(decodeURIComponent(match[1]));
  } catch {
    return undefined;
  }
}

function toolOf(doc: Record<string, unknown>): {
  tool: string;
  toolVersion?: string;
} {
  const creationInfo = isObject(doc.creationInfo) ? doc.creationInfo : {};
  const creators = Array.isArray(creationInfo.creators)
    ? creationInfo.creators
    : [];
  for (const creator of creators) {
    const match = /^\s*Tool:\s*(.+?)\s*$/.exec(
      typeof creator === 'string' ? creator : '',
    );
    if (!match) continue;
    // "syft-1.50.0", "trivy-dev", "GitHub.com-Dependency-Graph" (no version).
    const split = /^(.+?)-(v?\d\S*|dev)$/.exec(match[1]);
    return split
      ? { tool: split[1], toolVersion: split[2] }
      : { tool: match[1] };
  }
  return { tool: 'unknown' };
}

function describedIds(doc: Record<string, unknown>): string[] {
  const ids: string[] = [];
  if (Array.isArray(doc.documentDescribes)) {
    for (const id of doc.documentDescribes) {
      if (typeof id === 'string') ids.push(id);
    }
  }
  const documentId = optionalString(doc.SPDXID) ?? 'SPDXRef-DOCUMENT';
  const relationships = Array.isArray(doc.relationships)
    ? doc.relationships
    : [];
  for (const rel of relationships) {
    if (!isObject(rel)) continue;
    const type = optionalString(rel.relationshipType)?.toUpperCase();
    if (
      (type === 'DESCRIBES' || type === 'DESCRIBE') &&
      rel.spdxElementId === documentId &&
      typeof rel.relatedSpdxElement === 'string'
    ) {
      ids.push(rel.relatedSpdxElement);
    } else if (
      type === 'DESCRIBED_BY' &&
      rel.relatedSpdxElement === documentId &&
      typeof rel.spdxElementId === 'string'
    ) {
      ids.push(rel.spdxElementId);
    }
  }
  return ids;
}

function artifactOf(
  doc: Record<string, unknown>,
  packages: Map<string, Record<string, unknown>>,
): NormalizedReport['artifact'] {
  const subject = describedIds(doc)
    .map(id => packages.get(id))
    .find(pkg => pkg !== undefined);
  if (!subject) return undefined;
  let digest: string | undefined;
  const checksums = Array.isArray(subject.checksums) ? subject.checksums : [];
  for (const checksum of checksums) {
    if (
      isObject(checksum) &&
      typeof checksum.algorithm === 'string' &&
      checksum.algorithm.toUpperCase().replace(/[-_]/g, '') === 'SHA256' &&
      typeof checksum.checksumValue === 'string'
    ) {
      digest = normalizeDigest(`sha256:${checksum.checksumValue.trim()}`);
      if (digest) break;
    }
  }
  digest = digest ?? ociDigest(packagePurl(subject));
  const name = optionalString(subject.name);
  return artifactFrom({ digest, name });
}

function normalizeSpdx(value: unknown): NormalizedReport {
  const top = expectObject(FORMAT_TITLE, '$', value);
  const wrapped = !('spdxVersion' in top) && isObject(top.sbom);
  const doc = wrapped ? (top.sbom as Record<string, unknown>) : top;
  const base = wrapped ? '$.sbom' : '$';
  if ('@context' in doc) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${base}["@context"]`,
      'is SPDX 3 JSON-LD, which is not supported (export SPDX 2.3 JSON instead)',
    );
  }
  if (!isSpdx2(doc)) {
    throw new ReportFormatError(
      FORMAT_TITLE,
      `${base}.spdxVersion`,
      `must be "SPDX-2.x" (got ${describeValue(doc.spdxVersion)})`,
    );
  }
  const list =
    doc.packages === undefined || doc.packages === null
      ? []
      : expectArray(FORMAT_TITLE, `${base}.packages`, doc.packages);
  const byId = new Map<string, Record<string, unknown>>();
  const components: SbomComponent[] = list.map((item, index) => {
    const path = `${base}.packages[${index}]`;
    const pkg = expectObject(FORMAT_TITLE, path, item);
    const name = requiredString(FORMAT_TITLE, `${path}.name`, pkg.name).trim();
    const id = optionalString(pkg.SPDXID);
    if (id && !byId.has(id)) byId.set(id, pkg);
    const version = known(pkg.versionInfo);
    const purl = packagePurl(pkg);
    const licenses = [
      ...new Set(
        [known(pkg.licenseConcluded), known(pkg.licenseDeclared)].filter(
          (l): l is string => l !== undefined,
        ),
      ),
    ];
    return {
      name,
      ...(version ? { version } : {}),
      ...(purl ? { purl } : {}),
      licenses,
    };
  });
  const artifact = artifactOf(doc, byId);
  return {
    format: 'spdx',
    ...toolOf(doc),
    controls: ['sbom'],
    findings: [],
    components,
    ...(artifact ? { artifact } : {}),
  };
}

/** @public */
export const spdxNormalizer: ReportNormalizer = {
  id: 'spdx',
  title: FORMAT_TITLE,
  detect(report: ParsedReport): boolean {
    return report.shape === 'json' && spdxDocument(report.value) !== undefined;
  },
  acceptsNamed(report: ParsedReport): boolean {
    // Other SPDX versions and tag-value: normalize refuses them with a message saying what to do.
    if (report.shape === 'text') return /^SPDXVersion:/m.test(report.text);
    return (
      report.shape === 'json' &&
      isObject(report.value) &&
      ('spdxVersion' in report.value || isObject(report.value.sbom))
    );
  },
  normalize(report: ParsedReport): NormalizedReport {
    if (isAmbiguousEmpty(report)) {
      // Named explicitly and empty: an SBOM with nothing in it.
      return {
        format: 'spdx',
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
        report.shape === 'text' && /^SPDXVersion:/m.test(report.text)
          ? 'must be JSON (got SPDX tag-value; convert it to SPDX 2.3 JSON)'
          : `must be one JSON document (got ${
              report.shape === 'ndjson' ? 'JSON lines' : 'text'
            })`,
      );
    }
    return normalizeSpdx(report.value);
  },
};
