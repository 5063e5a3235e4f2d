import { Knex } from 'knex';
import { DbBigInt } from './rowTypes';

/*
 * What VEX matching reads of an entity's open findings (their ids, aliases and package), beside the
 * evaluation's own columns (FindingStore.openForEntity): only findings that may match a statement.
 */

const FINDINGS = 'devsecops_findings';
const REPORTS = 'devsecops_reports';
// Bound-variable limit of SQLite (32766) and PostgreSQL (65535) with room to spare.
const MAX_IDS = 5_000;

export interface FindingVexFacts {
  id: string;
  /**
   * The artifact the finding belongs to: its scope for artifact-scoped controls, else the artifact
   * its newest report scanned (a dependency scan of an image), if any.
   */
  vulnerabilityId?: string;
  ruleId: string;
  aliases?: string[];
  artifactDigest?: string;
  package?: { name: string; version?: string; purl?: string };
}

/**
 * Open findings of an entity whose vulnerability id or rule id is one of `ids`, or that carry
 * aliases (matched in code). A statement about a whole image matches by id only, so this is
 * every finding a statement can apply to.
 */
export async function openFindingsForVex(knex: Knex, entityRef: string, ids: string[]): Promise<FindingVexFacts[]> {
  const wanted = [...new Set(ids)].slice(0, MAX_IDS);
  const rows: Array<{
    id: DbBigInt;
    vulnerability_id: string | null;
    rule_id: string;
    aliases: string | null;
    scope_digest: string;
    report_digest: string | null;
    package_name: string | null;
    package_version: string | null;
    package_purl: string | null;
  }> = await knex(`${FINDINGS} as f`)
    .leftJoin(`${REPORTS} as r`, 'r.id', 'f.last_report_id')
    .select(
      'f.id',
      'f.vulnerability_id',
      'f.rule_id',
      'f.aliases',
      'f.scope_digest',
      'r.artifact_digest as report_digest',
      'f.package_name',
      'f.package_version',
      'f.package_purl',
    )
    .where({ 'f.entity_ref': entityRef, 'f.status': 'open' })
    .where(b => b.whereIn('f.vulnerability_id', wanted).orWhereIn('f.rule_id', wanted).orWhereNotNull('f.aliases'));
  return rows.map(r => ({
    id: String(r.id),
    ruleId: r.rule_id,
    ...(r.vulnerability_id ? { vulnerabilityId: r.vulnerability_id } : {}),
    ...(r.aliases ? { aliases: JSON.parse(r.aliases) as string[] } : {}),
    ...(r.scope_digest || r.report_digest ? { artifactDigest: r.scope_digest || r.report_digest! } : {}),
    ...(r.package_name
      ? {
          package: {
            name: r.package_name,
            ...(r.package_version ? { version: r.package_version } : {}),
            ...(r.package_purl ? { purl: r.package_purl } : {}),
          },
        }
      : {}),
  }));
}

/** The artifact digest each of these reports scanned (reports of no artifact are left out). */
export async function reportArtifactDigests(knex: Knex, reportIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(reportIds)].slice(0, MAX_IDS);
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; artifact_digest: string | null }> = await knex(REPORTS)
    .select('id', 'artifact_digest')
    .whereIn('id', ids)
    .whereNotNull('artifact_digest');
  return new Map(rows.filter(r => r.artifact_digest).map(r => [r.id, r.artifact_digest!]));
}
