import { NormalizedFinding } from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { scannerRiskColumns } from './findingExploitability';
import { dbText } from './text';
import { toDbTime } from './time';

/*
 * Findings opened by matching an imported OSV advisory against stored SBOM components (no rescan):
 * rows of devsecops_findings with tool `osv-advisory-match`, rule id = the advisory id. For the
 * advisories of one import, the matches are the truth: new ones open, known ones are refreshed
 * (first seen kept), open ones no longer matched (a withdrawn advisory, a component gone from its
 * SBOM, a range that now excludes it) resolve. FindingStore delegates here; it owns the table.
 */

/** The finding's tool: what marks it "from advisory match". */
export const ADVISORY_MATCH_TOOL = 'osv-advisory-match';

export interface AdvisoryMatch {
  entityRef: string;
  ownerRef?: string;
  control: string;
  /** The SBOM's artifact digest, '' for a source SBOM. */
  scopeDigest: string;
  /** The SBOM report that lists the component (the finding's evidence). */
  reportId: string;
  finding: NormalizedFinding;
}

export interface AdvisoryMatchesApplied {
  opened: number;
  resolved: number;
  /** Entities whose open advisory findings changed (opened, resolved or re-rated). */
  entities: string[];
}

const TABLE = 'devsecops_findings';
const IDENTITY = ['entity_ref', 'control', 'tool', 'scope_digest', 'fingerprint'];
const REFRESHED = [
  'owner_ref',
  'severity',
  'original_severity',
  'vulnerability_id',
  'aliases',
  'title',
  'package_purl',
  'package_name',
  'package_version',
  'fixed_versions',
  'fix_available',
  'status',
  'last_seen_at',
  'resolved_at',
  'last_report_id',
  'cvss_score',
  'cvss_vector',
];
const CHUNK = 500;

const keyOf = (r: { entity_ref: string; control: string; scope_digest: string; fingerprint: string }) =>
  `${r.entity_ref}\u0000${r.control}\u0000${r.scope_digest}\u0000${r.fingerprint}`;

export async function applyAdvisoryMatches(
  tx: Knex.Transaction,
  advisoryIds: string[],
  matches: AdvisoryMatch[],
  seenAt: Date,
): Promise<AdvisoryMatchesApplied> {
  const seen = toDbTime(seenAt);
  const existing: Array<{ id: string | number; entity_ref: string; control: string; scope_digest: string; fingerprint: string; status: string; severity: string }> = [];
  for (let i = 0; i < advisoryIds.length; i += CHUNK) {
    existing.push(
      ...(await tx(TABLE)
        .select('id', 'entity_ref', 'control', 'scope_digest', 'fingerprint', 'status', 'severity')
        .where('tool', ADVISORY_MATCH_TOOL)
        .whereIn('rule_id', advisoryIds.slice(i, i + CHUNK))),
    );
  }
  const before = new Map(existing.map(r => [keyOf(r), r]));

  const rows = new Map<string, Record<string, unknown>>();
  for (const m of matches) {
    const f = m.finding;
    const row = {
      entity_ref: m.entityRef,
      control: m.control,
      tool: ADVISORY_MATCH_TOOL,
      scope_digest: m.scopeDigest,
      fingerprint: f.fingerprint,
      owner_ref: m.ownerRef ?? null,
      kind: f.kind,
      severity: f.severity,
      original_severity: dbText(f.originalSeverity, 64),
      rule_id: dbText(f.ruleId, 255),
      vulnerability_id: dbText(f.vulnerabilityId, 128),
      aliases: f.aliases?.length ? dbText(JSON.stringify(f.aliases)) : null,
      title: dbText(f.title),
      location: null,
      package_purl: dbText(f.component?.purl),
      package_name: dbText(f.component?.name, 255),
      package_version: dbText(f.component?.version, 128),
      fixed_versions: f.fixedVersions?.length ? dbText(JSON.stringify(f.fixedVersions)) : null,
      fix_available: f.fixAvailable ?? null,
      status: 'open',
      first_seen_at: seen,
      last_seen_at: seen,
      resolved_at: null,
      first_report_id: m.reportId,
      last_report_id: m.reportId,
      ...scannerRiskColumns(f),
    };
    rows.set(keyOf(row), row);
  }
  const list = [...rows.values()];
  for (let i = 0; i < list.length; i += CHUNK) {
    await tx(TABLE).insert(list.slice(i, i + CHUNK)).onConflict(IDENTITY).merge(REFRESHED);
  }

  const changed = new Set<string>();
  let opened = 0;
  for (const [key, row] of rows) {
    const old = before.get(key);
    if (!old || old.status === 'resolved') {
      opened++;
      changed.add(row.entity_ref as string);
    } else if (old.severity !== row.severity) {
      changed.add(row.entity_ref as string);
    }
  }
  const stale = existing.filter(r => r.status !== 'resolved' && !rows.has(keyOf(r)));
  for (let i = 0; i < stale.length; i += CHUNK) {
    await tx(TABLE)
      .whereIn('id', stale.slice(i, i + CHUNK).map(r => r.id))
      .update({ status: 'resolved', resolved_at: seen });
  }
  for (const r of stale) changed.add(r.entity_ref);
  return { opened, resolved: stale.length, entities: [...changed].sort() };
}
