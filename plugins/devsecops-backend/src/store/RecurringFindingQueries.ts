import { FindingSeverity } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { SEVERITY_RANKS } from '../evaluate/severity';
import { fromDbTime } from './time';

const FINDINGS = 'devsecops_findings';
const COMPONENTS = 'devsecops_sbom_components';
const FACTS = 'devsecops_control_facts';

/** A finding's identity across services: the CVE (or other vulnerability id), else its rule. */
const FINDING_KEY = 'COALESCE(vulnerability_id, rule_id)';
const SEVERITY_RANK_SQL = `CASE severity ${Object.entries(SEVERITY_RANKS)
  .map(([severity, rank]) => `WHEN '${severity}' THEN ${rank}`)
  .join(' ')} ELSE 0 END`;
const SEVERITY_BY_RANK = Object.fromEntries(Object.entries(SEVERITY_RANKS).map(([s, r]) => [r, s])) as Record<number, FindingSeverity>;

/** SQLite's bound-variable limit (32766) with room for the other parameters. */
export const MAX_SCOPE_ENTITIES = 30_000;

/** One rule or vulnerability open in several of the entities. */
export interface RecurringGroupRow {
  kind: string;
  key: string;
  services: number;
  severity: FindingSeverity;
  title: string;
  firstSeenAt: string;
}

/** One open finding of a recurring group, as much as the grouping needs. */
export interface RecurringMemberRow {
  kind: string;
  key: string;
  entityRef: string;
  ownerRef?: string;
  control: string;
  packageName?: string;
  packageVersion?: string;
}

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');

/**
 * Set-based reads of the findings, SBOM components and facts tables for recurring findings
 * (the same rule or vulnerability open in several services), on SQLite and PostgreSQL alike.
 */
export class RecurringFindingQueries {
  constructor(private readonly knex: Knex) {}

  /**
   * The rules and vulnerabilities open in at least `minServices` of the entities, most services
   * first, then most severe: one GROUP BY over the open findings.
   */
  async groups(entityRefs: string[], minServices: number, limit: number): Promise<RecurringGroupRow[]> {
    if (entityRefs.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.knex(FINDINGS)
      .select(
        'kind',
        this.knex.raw(`${FINDING_KEY} AS finding_key`),
        this.knex.raw('COUNT(DISTINCT entity_ref) AS services'),
        this.knex.raw(`MAX(${SEVERITY_RANK_SQL}) AS severity_rank`),
        this.knex.raw('MIN(title) AS title'),
        this.knex.raw('MIN(first_seen_at) AS first_seen_at'),
      )
      .where('status', 'open')
      .whereIn('entity_ref', entityRefs)
      .groupByRaw(`kind, ${FINDING_KEY}`)
      .havingRaw('COUNT(DISTINCT entity_ref) >= ?', [minServices])
      .orderByRaw('services DESC, severity_rank DESC, finding_key ASC')
      .limit(limit);
    return rows.map(row => ({
      kind: String(row.kind),
      key: String(row.finding_key),
      services: Number(row.services),
      severity: SEVERITY_BY_RANK[Number(row.severity_rank)] ?? 'info',
      title: String(row.title),
      firstSeenAt: fromDbTime(row.first_seen_at),
    }));
  }

  /** The open findings of the groups' keys among the entities (one row per entity, control and package). */
  async members(entityRefs: string[], keys: string[]): Promise<RecurringMemberRow[]> {
    if (entityRefs.length === 0 || keys.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.knex(FINDINGS)
      .distinct(
        'kind',
        this.knex.raw(`${FINDING_KEY} AS finding_key`),
        'entity_ref',
        'owner_ref',
        'control',
        'package_name',
        'package_version',
      )
      .where('status', 'open')
      .whereIn('entity_ref', entityRefs)
      .whereRaw(`${FINDING_KEY} IN (${placeholders(keys)})`, keys);
    return rows.map(row => ({
      kind: String(row.kind),
      key: String(row.finding_key),
      entityRef: String(row.entity_ref),
      ownerRef: (row.owner_ref as string | null) ?? undefined,
      control: String(row.control),
      packageName: (row.package_name as string | null) ?? undefined,
      packageVersion: (row.package_version as string | null) ?? undefined,
    }));
  }

  /**
   * The entities' SBOM components that are their base (type `operating-system`) or carry one of
   * the packages, one row per entity and component.
   */
  async components(
    entityRefs: string[],
    packageNames: string[],
  ): Promise<Array<{ entityRef: string; name: string; version?: string; baseImage: boolean }>> {
    if (entityRefs.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.knex(COMPONENTS)
      .distinct('entity_ref', 'name', 'version', 'type')
      .whereIn('entity_ref', entityRefs)
      .where(b => {
        b.where('type', 'operating-system');
        if (packageNames.length > 0) b.orWhereIn('name', packageNames);
      });
    return rows.map(row => ({
      entityRef: String(row.entity_ref),
      name: String(row.name),
      version: (row.version as string | null) ?? undefined,
      baseImage: row.type === 'operating-system',
    }));
  }

  /** The newest `ci.reusable_workflows` observation of each entity (the GitHub provider's list of calls). */
  async reusableWorkflows(entityRefs: string[]): Promise<Array<{ entityRef: string; calls: unknown }>> {
    if (entityRefs.length === 0) return [];
    const rows: Array<{ id: number | string; entity_ref: string; value: string }> = await this.knex(`${FACTS} as f`)
      .select('f.id', 'f.entity_ref', 'f.value')
      .where('f.fact', 'ci.reusable_workflows')
      .whereIn('f.entity_ref', entityRefs)
      .whereRaw(
        `f.observed_at = (SELECT MAX(g.observed_at) FROM ${FACTS} g WHERE g.entity_ref = f.entity_ref AND g.fact = f.fact)`,
      )
      .orderBy('f.id', 'desc');
    const newest = new Map<string, unknown>();
    for (const row of rows) {
      if (newest.has(row.entity_ref)) continue;
      try {
        newest.set(row.entity_ref, JSON.parse(row.value));
      } catch {
        newest.set(row.entity_ref, undefined);
      }
    }
    return [...newest].map(([entityRef, calls]) => ({ entityRef, calls }));
  }
}
