import { Finding, FindingSeverity, FindingStatus } from '@devsecops-scorecard/plugin-devsecops-common';
import { NormalizedFinding } from '@devsecops-scorecard/plugin-devsecops-node';
import { PackageQuery } from '../portfolio/packageQuery';
import { DbBigInt, DbBoolean, DbTime } from './rowTypes';
import { fromDbTime, fromDbTimeOrUndefined } from './time';
import { exploitabilityInfo } from './findingExploitability';

/*
 * The shape of devsecops_findings and the pure conversions FindingStore uses: rows ↔ findings,
 * the identity and re-import columns, the filter and order types.
 */

/** A row of devsecops_findings. */
export interface FindingRow {
  id: DbBigInt;
  entity_ref: string;
  control: string;
  tool: string;
  /** Artifact digest for artifact scans, '' for source scans. */
  scope_digest: string;
  owner_ref: string | null;
  fingerprint: string;
  kind: Finding['kind'];
  severity: FindingSeverity;
  original_severity: string | null;
  rule_id: string;
  vulnerability_id: string | null;
  /** JSON array: the vulnerability's other ids (GHSA ↔ CVE, vendor ids). */
  aliases: string | null;
  title: string;
  /** path:line, for code findings. */
  location: string | null;
  package_purl: string | null;
  package_name: string | null;
  package_version: string | null;
  /** JSON array. */
  fixed_versions: string | null;
  fix_available: DbBoolean | null;
  status: FindingStatus;
  first_seen_at: DbTime;
  last_seen_at: DbTime;
  resolved_at: DbTime | null;
  first_report_id: string;
  last_report_id: string;
  /** What the scanner said (Grype knownExploited / epss, CVSS of any scanner). */
  scanner_kev: DbBoolean | null;
  scanner_epss: number | null;
  scanner_epss_percentile: number | null;
  cvss_score: number | null;
  cvss_vector: string | null;
  /** What the imported feeds say: joined by vulnerability id when read (withFeeds), not stored. */
  kev_added_on: string | null;
  feed_epss: number | null;
  feed_epss_percentile: number | null;
}
export const IDENTITY = [
  'entity_ref',
  'control',
  'tool',
  'scope_digest',
  'fingerprint',
] as const;

/** Re-imports refresh what describes a finding; first seen and the first report never change. */
export const REFRESHED_ON_REIMPORT: Array<keyof FindingRow> = [
  'owner_ref',
  'kind',
  'severity',
  'original_severity',
  'rule_id',
  'vulnerability_id',
  'aliases',
  'title',
  'location',
  'package_purl',
  'package_name',
  'package_version',
  'fixed_versions',
  'fix_available',
  'status',
  'last_seen_at',
  'resolved_at',
  'last_report_id',
  'scanner_kev',
  'scanner_epss',
  'scanner_epss_percentile',
  'cvss_score',
  'cvss_vector',
];

export const SEVERITY_RANK: Record<FindingSeverity, number> = {
  critical: 5,
  high: 4,
  medium: 3,
  low: 2,
  info: 1,
};

/** The slice of findings one report is the new truth for. */
export interface ScanScope {
  entityRef: string;
  control: string;
  tool: string;
  /** Artifact digest for scans of a built artifact, '' for scans of the source. */
  scopeDigest: string;
}

export interface ScanApplied {
  new: number;
  updated: number;
  resolved: number;
}

export type FindingOrder =
  | 'severity'
  | 'exploitability'
  | 'firstSeenAt'
  | 'lastSeenAt'
  | 'ruleId'
  | 'control';

export interface FindingFilter {
  entityRefs?: string[];
  ownerRefs?: string[];
  controls?: string[];
  severities?: FindingSeverity[];
  statuses?: FindingStatus[];
  tool?: string;
  /** A CVE, GHSA or other id: the finding's vulnerability id, rule id or one of its aliases. */
  vulnerabilityId?: string;
  /** A package by name or purl, optionally with a version or range (portfolio search). */
  package?: PackageQuery;
  orderBy: FindingOrder;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A report may list one problem several times (several paths, aliases): keep the most severe. */
export function dedupeByFingerprint(findings: NormalizedFinding[]): NormalizedFinding[] {
  const byFingerprint = new Map<string, NormalizedFinding>();
  for (const finding of findings) {
    const seen = byFingerprint.get(finding.fingerprint);
    if (
      !seen ||
      SEVERITY_RANK[finding.severity] > SEVERITY_RANK[seen.severity] ||
      (seen.suppressed && !finding.suppressed)
    ) {
      byFingerprint.set(finding.fingerprint, finding);
    }
  }
  return [...byFingerprint.values()];
}

export function formatLocation(finding: NormalizedFinding): string | null {
  if (!finding.location) return null;
  const { path, startLine } = finding.location;
  return startLine ? `${path}:${startLine}` : path;
}

export function toColumn(order: Exclude<FindingOrder, 'severity' | 'exploitability'>): string {
  switch (order) {
    case 'firstSeenAt':
      return 'first_seen_at';
    case 'lastSeenAt':
      return 'last_seen_at';
    case 'ruleId':
      return 'rule_id';
    case 'control':
      return 'control';
    default:
      throw new Error(`Unknown order ${order}`);
  }
}

export function toFinding(row: FindingRow): Finding {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    control: row.control,
    tool: row.tool,
    artifactDigest: row.scope_digest || undefined,
    fingerprint: row.fingerprint,
    kind: row.kind,
    severity: row.severity,
    originalSeverity: row.original_severity ?? undefined,
    ruleId: row.rule_id,
    vulnerabilityId: row.vulnerability_id ?? undefined,
    ...(row.aliases ? { aliases: JSON.parse(row.aliases) as string[] } : {}),
    title: row.title,
    location: row.location ?? undefined,
    package: row.package_name
      ? {
          name: row.package_name,
          version: row.package_version ?? undefined,
          purl: row.package_purl ?? undefined,
        }
      : undefined,
    fixedVersions: row.fixed_versions ? JSON.parse(row.fixed_versions) : [],
    fixAvailable:
      row.fix_available === null || row.fix_available === undefined
        ? undefined
        : !!row.fix_available,
    status: row.status,
    firstSeenAt: fromDbTime(row.first_seen_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
    resolvedAt: fromDbTimeOrUndefined(row.resolved_at),
    firstReportId: row.first_report_id,
    lastReportId: row.last_report_id,
    ...exploitabilityInfo(row),
  };
}
