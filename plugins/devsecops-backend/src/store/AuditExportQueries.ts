import { Knex } from 'knex';
import { toDbTime } from './time';

const chunk = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** The tables an audit package carries, and the columns (never report bodies). */
export const AUDIT_TABLES = {
  reports: {
    table: 'devsecops_reports',
    time: 'received_at',
    columns: ['id', 'entity_ref', 'owner_ref', 'control', 'controls', 'format', 'tool', 'tool_version', 'source_commit', 'branch', 'artifact_digest', 'uploader', 'received_at', 'scanned_at', 'summary', 'body_sha256', 'body_size'],
  },
  findings: {
    table: 'devsecops_findings',
    time: 'last_seen_at',
    columns: ['id', 'entity_ref', 'owner_ref', 'control', 'tool', 'scope_digest', 'fingerprint', 'kind', 'severity', 'rule_id', 'vulnerability_id', 'title', 'location', 'package_name', 'package_version', 'fixed_versions', 'status', 'first_seen_at', 'last_seen_at', 'resolved_at', 'first_report_id', 'last_report_id'],
  },
  deployments: {
    table: 'devsecops_deployments',
    time: 'deployed_at',
    columns: ['id', 'entity_ref', 'owner_ref', 'claimed_owner_ref', 'environment', 'artifact_digest', 'source_commit', 'deployer', 'approver', 'change_ref', 'result', 'deployed_at', 'recorded_by', 'recorded_at'],
  },
  gateDecisions: {
    table: 'devsecops_gate_decisions',
    time: 'decided_at',
    columns: ['id', 'policy', 'environment', 'entity_ref', 'artifact_digest', 'decision', 'requirements', 'decided_at', 'requested_by', 'deployment_id'],
  },
  exceptions: {
    table: 'devsecops_exceptions',
    time: 'requested_at',
    columns: ['id', 'entity_ref', 'owner_ref', 'scope_control', 'scope_rule_id', 'scope_vulnerability_id', 'scope_fingerprint', 'scope_artifact_digest', 'risk_statement', 'risk_rating', 'compensating_controls', 'requester', 'risk_owner', 'expires_at', 'status', 'requested_at', 'decided_at', 'decided_by', 'renewal_of'],
  },
  controlFacts: {
    table: 'devsecops_control_facts',
    time: 'observed_at',
    columns: ['entity_ref', 'fact', 'value', 'source', 'observed_at', 'recorded_by', 'recorded_at'],
  },
  runtimeSignals: {
    table: 'devsecops_runtime_signals',
    time: 'detected_at',
    columns: ['id', 'entity_ref', 'kind', 'severity', 'summary', 'detected_at', 'contained_at', 'remediated_at', 'source', 'recorded_by', 'recorded_at'],
  },
  /**
   * Named human attestations, by the day they were held; made for an entity or a group, so the
   * package's entities are matched on scope_ref together with their owner groups (`scopeColumn`).
   */
  humanAttestations: {
    table: 'devsecops_human_attestations',
    time: 'recorded_at',
    scopeColumn: 'scope_ref',
    columns: ['id', 'kind', 'scope_ref', 'held_on', 'details', 'expires_at', 'recorded_by', 'recorded_at'],
  },
} as const;

export type AuditTable = keyof typeof AUDIT_TABLES;

/**
 * Read-only queries for audit packages. It owns no table: it reads each store's tables as they
 * are, row for row, because an audit export must show what was recorded, not a re-modelled view.
 */
export class AuditExportQueries {
  constructor(private readonly knex: Knex) {}

  /** Rows of a table for the entities, in the time range of `timeColumn`, oldest first. */
  async rows(
    table: AuditTable,
    entityRefs: string[] | undefined,
    from: Date,
    to: Date,
  ): Promise<Record<string, unknown>[]> {
    const spec = AUDIT_TABLES[table];
    const out: Record<string, unknown>[] = [];
    const chunks = entityRefs ? chunk(entityRefs, 500) : [undefined];
    for (const refs of chunks) {
      const rows = await this.knex(spec.table)
        .select(spec.columns)
        .where(spec.time, '>=', toDbTime(from))
        .where(spec.time, '<=', toDbTime(to))
        .modify(q => {
          if (refs) q.whereIn('scopeColumn' in spec ? spec.scopeColumn : 'entity_ref', refs);
        })
        .orderBy(spec.time, 'asc');
      out.push(...rows.map(normalizeRow));
    }
    return out;
  }
}

