import { FindingVexStatement } from '@devsecops-scorecard/plugin-devsecops-common';

/*
 * Which VEX statement applies to a finding: pure, no I/O (the store reads, the service applies).
 */

/** A stored VEX statement, as matching reads it. */
export interface StoredVexStatement {
  id: string;
  /** Artifact digest the statement is scoped to, '' for every artifact (and the source) of the entity. */
  scopeDigest: string;
  vulnerabilityId: string;
  aliases: string[];
  product: { name: string; purl?: string; version?: string };
  status: FindingVexStatement['status'];
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  statedAt: string;
  recordedAt: string;
  expiresAt: string;
  documentId?: string;
  author?: string;
  reportId: string;
}

/** What matching reads of a finding (any scanner's). */
export interface VexFindingFacts {
  vulnerabilityId?: string;
  ruleId: string;
  aliases?: string[];
  artifactDigest?: string;
  package?: { name: string; version?: string; purl?: string };
}

const canonicalId = (id: string) => id.trim().toUpperCase();

/** `pkg:type/ns/name` in lowercase, without version, qualifiers and subpath. */
export function purlWithoutVersion(purl: string): string {
  const bare = purl.split('?')[0].split('#')[0];
  const at = bare.lastIndexOf('@');
  return (at > bare.indexOf('/') ? bare.slice(0, at) : bare).toLowerCase();
}

function purlVersion(purl: string): string | undefined {
  const bare = purl.split('?')[0].split('#')[0];
  const at = bare.lastIndexOf('@');
  if (at <= bare.indexOf('/')) return undefined;
  try {
    return decodeURIComponent(bare.slice(at + 1));
  } catch {
    return bare.slice(at + 1);
  }
}

/** The last segment of a package name as scanners write it (`group:artifact`, `ns/name`, `name`). */
function shortName(name: string): string {
  const parts = name.trim().toLowerCase().split(/[/:]/);
  return parts[parts.length - 1];
}

/** A statement about an image as a whole (an OCI product without subcomponents): every package in it. */
function isWholeImage(statement: StoredVexStatement): boolean {
  return !!statement.product.purl?.toLowerCase().startsWith('pkg:oci/') && statement.scopeDigest !== '';
}

function samePackage(statement: StoredVexStatement, finding: VexFindingFacts): boolean {
  if (isWholeImage(statement)) return true;
  const pkg = finding.package;
  if (!pkg) return false;
  const product = statement.product;
  if (product.purl && pkg.purl) {
    if (purlWithoutVersion(product.purl) !== purlWithoutVersion(pkg.purl)) return false;
  } else if (shortName(product.name) !== shortName(pkg.name)) {
    return false;
  }
  if (!product.version) return true;
  const version = pkg.version ?? (pkg.purl ? purlVersion(pkg.purl) : undefined);
  return version !== undefined && version.trim() === product.version.trim();
}

function sameVulnerability(statement: StoredVexStatement, finding: VexFindingFacts): boolean {
  const stated = new Set([statement.vulnerabilityId, ...statement.aliases].map(canonicalId));
  return [finding.vulnerabilityId, finding.ruleId, ...(finding.aliases ?? [])].some(
    id => id !== undefined && id !== '' && stated.has(canonicalId(id)),
  );
}

/** Newer first: by when it was stated, then when it was recorded, then insertion order. */
function newer(a: StoredVexStatement, b: StoredVexStatement): boolean {
  const at = Date.parse(a.statedAt) - Date.parse(b.statedAt);
  if (at !== 0) return at > 0;
  const recorded = Date.parse(a.recordedAt) - Date.parse(b.recordedAt);
  if (recorded !== 0) return recorded > 0;
  return Number(a.id) > Number(b.id);
}

/** Statements by each of their ids (upper case): an entity's thousands of statements, looked up per finding. */
export type VexIndex = ReadonlyMap<string, readonly StoredVexStatement[]>;

export function indexVex(statements: readonly StoredVexStatement[]): VexIndex {
  const index = new Map<string, StoredVexStatement[]>();
  for (const statement of statements) {
    for (const id of new Set([statement.vulnerabilityId, ...statement.aliases].map(canonicalId))) {
      const list = index.get(id);
      if (list) list.push(statement);
      else index.set(id, [statement]);
    }
  }
  return index;
}

function candidates(finding: VexFindingFacts, statements: readonly StoredVexStatement[] | VexIndex): Iterable<StoredVexStatement> {
  if (!(statements instanceof Map)) return statements as readonly StoredVexStatement[];
  const ids = [finding.vulnerabilityId, finding.ruleId, ...(finding.aliases ?? [])].filter((id): id is string => !!id);
  return new Set(ids.flatMap(id => statements.get(canonicalId(id)) ?? []));
}

/**
 * The newest statement about the finding's vulnerability (by id or alias) in its package (purl, or
 * name when either side has no purl; the version when the statement names one), among those for
 * the finding's artifact or for the whole entity; undefined when none applies. It suppresses when
 * it is `not_affected` with a justification or impact statement and has not expired at `now`:
 * `affected`, `under_investigation` and `fixed` never do, and a newer statement replaces an
 * older one whatever either says.
 */
export function vexFor(
  finding: VexFindingFacts,
  statements: readonly StoredVexStatement[] | VexIndex,
  now: Date,
): FindingVexStatement | undefined {
  let latest: StoredVexStatement | undefined;
  for (const statement of candidates(finding, statements)) {
    if (statement.scopeDigest !== '' && statement.scopeDigest !== finding.artifactDigest) continue;
    if (!sameVulnerability(statement, finding) || !samePackage(statement, finding)) continue;
    if (!latest || newer(statement, latest)) latest = statement;
  }
  if (!latest) return undefined;
  const suppresses =
    latest.status === 'not_affected' &&
    !!(latest.justification || latest.impactStatement) &&
    Date.parse(latest.expiresAt) > now.getTime();
  return {
    status: latest.status,
    suppresses,
    ...(latest.justification ? { justification: latest.justification } : {}),
    ...(latest.impactStatement ? { impactStatement: latest.impactStatement } : {}),
    ...(latest.actionStatement ? { actionStatement: latest.actionStatement } : {}),
    statedAt: latest.statedAt,
    recordedAt: latest.recordedAt,
    expiresAt: latest.expiresAt,
    ...(latest.documentId ? { documentId: latest.documentId } : {}),
    ...(latest.author ? { author: latest.author } : {}),
    reportId: latest.reportId,
  };
}
