import { Finding, Page } from '@devsecops-scorecard/plugin-devsecops-common';
import { NormalizedFinding } from '@devsecops-scorecard/plugin-devsecops-node';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { inRange, PackageQuery, purlBase } from '../portfolio/packageQuery';
import { dbText } from './text';
import { fromDbTime, toDbTime } from './time';
import {
  FEED_COLUMNS,
  SCANNER_COLUMNS,
  withFeeds,
  ExploitabilityColumn,
  exploitabilitySignal,
  entitiesWithCves,
  exploitabilityOrder,
  scannerRiskColumns,
} from './findingExploitability';
import { AdvisoryMatch, AdvisoryMatchesApplied, applyAdvisoryMatches } from './advisoryFindings';

import {
  dedupeByFingerprint,
  FindingFilter,
  FindingRow,
  formatLocation,
  IDENTITY,
  REFRESHED_ON_REIMPORT,
  SEVERITY_RANK,
  ScanApplied,
  ScanScope,
  toColumn,
  toFinding,
} from './findingRows';

const TABLE = 'devsecops_findings';

/** A version range or purl is decided in code (see portfolio/packageQuery), over a bounded set. */
const MAX_PACKAGE_ROWS = 20_000;

// Keeps every batch well under SQLite's bound-variable limit (32766) at ~25 columns a row.
const BATCH_ROWS = 500;

export type { FindingFilter, FindingOrder, ScanApplied, ScanScope } from './findingRows';

/** Owns devsecops_findings: normalised problems with their open → resolved history. */
export class FindingStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Makes `findings` the truth for `scope`: new ones are inserted, known ones refreshed (keeping
   * their first-seen time, reopening them if they had been resolved), and open ones the report no
   * longer contains are resolved at `seenAt`.
   */
  async applyScan(
    tx: Knex.Transaction,
    scope: ScanScope,
    findings: NormalizedFinding[],
    context: { reportId: string; ownerRef?: string; seenAt: Date },
  ): Promise<ScanApplied> {
    const unique = dedupeByFingerprint(findings);
    const seenAt = toDbTime(context.seenAt);
    const scopeWhere = {
      entity_ref: scope.entityRef,
      control: scope.control,
      tool: scope.tool,
      scope_digest: scope.scopeDigest,
    };

    const rows = unique.map((f): Omit<FindingRow, 'id' | 'kev_added_on' | 'feed_epss' | 'feed_epss_percentile'> => ({
      ...scopeWhere,
      fingerprint: f.fingerprint,
      owner_ref: context.ownerRef ?? null,
      kind: f.kind,
      severity: f.severity,
      original_severity: dbText(f.originalSeverity, 64),
      rule_id: dbText(f.ruleId, 255),
      vulnerability_id: dbText(f.vulnerabilityId, 128),
      aliases: f.aliases?.length ? dbText(JSON.stringify(f.aliases)) : null,
      title: dbText(f.title),
      location: dbText(formatLocation(f)),
      package_purl: dbText(f.component?.purl),
      package_name: dbText(f.component?.name, 255),
      package_version: dbText(f.component?.version, 128),
      fixed_versions: f.fixedVersions?.length
        ? dbText(JSON.stringify(f.fixedVersions))
        : null,
      fix_available: f.fixAvailable ?? null,
      status: f.suppressed ? 'suppressed' : 'open',
      first_seen_at: seenAt,
      last_seen_at: seenAt,
      resolved_at: null,
      first_report_id: context.reportId,
      last_report_id: context.reportId,
      ...scannerRiskColumns(f),
    }));

    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      await tx<FindingRow>(TABLE)
        .insert(rows.slice(i, i + BATCH_ROWS))
        .onConflict([...IDENTITY])
        .merge(REFRESHED_ON_REIMPORT);
    }

    const resolved = await tx<FindingRow>(TABLE)
      .where(scopeWhere)
      .whereNot('last_report_id', context.reportId)
      .whereNot('status', 'resolved')
      .update({ status: 'resolved', resolved_at: seenAt });

    // Rows this report created still carry it as their first report.
    const [{ created }] = await tx<FindingRow>(TABLE)
      .where(scopeWhere)
      .where('first_report_id', context.reportId)
      .count({ created: '*' });
    return {
      new: Number(created),
      updated: unique.length - Number(created),
      resolved,
    };
  }

  /** Open findings of an entity, as the evaluation needs them. */
  async openForEntity(
    entityRef: string,
    control?: string,
    scopeDigest?: string,
    /**
     * Artifact-scoped findings count only for the artifact each control last scanned (control →
     * digest): an image scanned long ago and replaced keeps its findings as history, but they are
     * not open problems of the service any more.
     */
    currentArtifacts?: Record<string, string>,
  ) {
    const rows: Array<
      Pick<FindingRow, 'id' | 'control' | 'severity' | 'rule_id' | 'vulnerability_id' | 'fingerprint' | 'scope_digest' | 'kind' | 'first_seen_at' | ExploitabilityColumn>
    > = await withFeeds(this.knex<FindingRow>(TABLE))
      .select('id', 'control', 'severity', 'rule_id', 'vulnerability_id', 'fingerprint', 'scope_digest', 'kind', 'first_seen_at', ...SCANNER_COLUMNS, ...FEED_COLUMNS)
      .where({ entity_ref: entityRef, status: 'open' })
      .modify(q => {
        if (control) q.where({ control });
        if (scopeDigest !== undefined) q.where({ scope_digest: scopeDigest });
        if (currentArtifacts) {
          q.where(b => {
            b.where('scope_digest', '');
            for (const [c, digest] of Object.entries(currentArtifacts)) {
              b.orWhere(pair => pair.where({ control: c, scope_digest: digest }));
            }
          });
        }
      });
    return rows.map(r => ({
      id: String(r.id),
      control: r.control,
      severity: r.severity,
      ruleId: r.rule_id,
      vulnerabilityId: r.vulnerability_id ?? undefined,
      fingerprint: r.fingerprint,
      artifactDigest: r.scope_digest || undefined,
      kind: r.kind,
      firstSeenAt: fromDbTime(r.first_seen_at),
      ...exploitabilitySignal(r),
    }));
  }

  /** The entities whose open or suppressed findings name one of these CVEs (a feed import's). */
  entitiesWithCves(tx: Knex.Transaction, cves: string[]): Promise<string[]> {
    return entitiesWithCves(tx, cves);
  }

  /** Findings from an OSV advisory import's matches (see advisoryFindings). */
  applyAdvisoryMatches(tx: Knex.Transaction, advisoryIds: string[], matches: AdvisoryMatch[], seenAt: Date): Promise<AdvisoryMatchesApplied> {
    return applyAdvisoryMatches(tx, advisoryIds, matches, seenAt);
  }

  /** Whether any finding of the entity (any status) falls inside an exception's scope. */
  async scopeMatches(
    entityRef: string,
    scope: { control: string; ruleId?: string; vulnerabilityId?: string; fingerprint?: string; artifactDigest?: string },
  ): Promise<boolean> {
    const row = await this.knex<FindingRow>(TABLE)
      .where({ entity_ref: entityRef, control: scope.control })
      .modify(q => {
        if (scope.ruleId) q.where('rule_id', scope.ruleId);
        if (scope.vulnerabilityId) {
          q.where(b => b.where('vulnerability_id', scope.vulnerabilityId!).orWhere('rule_id', scope.vulnerabilityId!));
        }
        if (scope.fingerprint) q.where('fingerprint', scope.fingerprint);
        if (scope.artifactDigest) q.where('scope_digest', scope.artifactDigest);
      })
      .first('id');
    return !!row;
  }

  /** Findings of an entity resolved since a time: what the patch and rotate metrics measure. */
  async resolvedSince(entityRef: string, since: Date) {
    const rows = await this.knex<FindingRow>(TABLE)
      .select('id', 'severity', 'kind', 'first_seen_at', 'resolved_at')
      .where({ entity_ref: entityRef, status: 'resolved' })
      .where('resolved_at', '>=', toDbTime(since));
    return rows.map(r => ({
      id: String(r.id),
      severity: r.severity,
      kind: r.kind,
      firstSeenAt: fromDbTime(r.first_seen_at),
      resolvedAt: fromDbTime(r.resolved_at),
    }));
  }

  /** Findings of one package name whose version is in range (and purl matches), paged in code. */
  private async listByPackage(
    query: Knex.QueryBuilder,
    filter: FindingFilter,
    pkg: PackageQuery,
  ): Promise<Page<Finding>> {
    const rows: FindingRow[] = await this.ordered(query.clone().select(`${TABLE}.*`, ...FEED_COLUMNS), filter).limit(MAX_PACKAGE_ROWS + 1);
    if (rows.length > MAX_PACKAGE_ROWS) {
      throw new InputError(`package: more than ${MAX_PACKAGE_ROWS} findings of ${pkg.name}; narrow the search (entity, status, severity)`);
    }
    const matching = rows.filter(
      r => inRange(r.package_version, pkg.range) && (!pkg.purl || (r.package_purl !== null && purlBase(r.package_purl) === pkg.purl)),
    );
    return {
      items: matching.slice(filter.offset, filter.offset + filter.limit).map(toFinding),
      totalCount: matching.length,
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  private ordered(ordered: Knex.QueryBuilder, filter: FindingFilter): Knex.QueryBuilder {
    if (filter.orderBy === 'exploitability') {
      // KEV first, then EPSS (feed, else scanner), then severity.
      ordered.orderByRaw(exploitabilityOrder(filter.order === 'asc' ? 'asc' : 'desc'));
    }
    if (filter.orderBy === 'severity' || filter.orderBy === 'exploitability') {
      ordered.orderByRaw(
        `CASE severity ${Object.entries(SEVERITY_RANK)
          .map(([s, rank]) => `WHEN '${s}' THEN ${rank}`)
          .join(' ')} ELSE 0 END ${filter.order === 'asc' ? 'asc' : 'desc'}`,
      );
    } else {
      ordered.orderBy(toColumn(filter.orderBy), filter.order);
    }
    return ordered.orderBy(`${TABLE}.id`, 'asc');
  }

  async list(filter: FindingFilter): Promise<Page<Finding>> {
    const query = withFeeds(this.knex<FindingRow>(TABLE)).where(builder => {
      if (filter.entityRefs) builder.whereIn('entity_ref', filter.entityRefs);
      if (filter.ownerRefs) builder.whereIn('owner_ref', filter.ownerRefs);
      if (filter.controls) builder.whereIn('control', filter.controls);
      if (filter.severities) builder.whereIn('severity', filter.severities);
      if (filter.statuses) builder.whereIn('status', filter.statuses);
      if (filter.tool) builder.where('tool', filter.tool);
      if (filter.vulnerabilityId) {
        const id = filter.vulnerabilityId;
        // Ids are letters, digits, '.', ':' and '-' (the API's pattern): nothing LIKE would read.
        builder.where(b =>
          b.where('vulnerability_id', id).orWhere('rule_id', id).orWhere('aliases', 'like', `%${JSON.stringify(id)}%`),
        );
      }
      if (filter.package) builder.where('package_name', filter.package.name);
    });
    if (filter.package && (filter.package.range.length > 0 || filter.package.purl)) {
      return this.listByPackage(query, filter, filter.package);
    }
    const [{ count }] = await query.clone().count({ count: '*' });
    const ordered = this.ordered(query.clone().select(`${TABLE}.*`, ...FEED_COLUMNS), filter);
    const rows = await ordered
      .limit(filter.limit)
      .offset(filter.offset);
    return {
      items: rows.map(toFinding),
      totalCount: Number(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }
}
