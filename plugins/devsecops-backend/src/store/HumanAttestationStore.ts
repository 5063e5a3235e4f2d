import { HumanAttestation } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

export const HUMAN_ATTESTATIONS_TABLE = 'devsecops_human_attestations';

/** A row of devsecops_human_attestations. */
interface HumanAttestationRow {
  id: string;
  kind: HumanAttestation['kind'];
  scope_ref: string;
  /** YYYY-MM-DD */
  held_on: string;
  /** JSON: the kind's fields. */
  details: string;
  expires_at: DbTime;
  recorded_by: string;
  recorded_at: DbTime;
}

/** Owns devsecops_human_attestations: named human attestations with their expiry. */
export class HumanAttestationStore {
  constructor(private readonly knex: Knex) {}

  async insert(tx: Knex.Transaction, attestation: HumanAttestation): Promise<HumanAttestation> {
    await tx<HumanAttestationRow>(HUMAN_ATTESTATIONS_TABLE).insert({
      id: attestation.id,
      kind: attestation.kind,
      scope_ref: attestation.scopeRef,
      held_on: attestation.date,
      details: JSON.stringify(attestation.details),
      expires_at: toDbTime(new Date(attestation.expiresAt)),
      recorded_by: dbText(attestation.recordedBy, 255),
      recorded_at: toDbTime(new Date(attestation.recordedAt)),
    });
    const row = await tx<HumanAttestationRow>(HUMAN_ATTESTATIONS_TABLE).where({ id: attestation.id }).first();
    return toHumanAttestation(row!);
  }

  /**
   * The attestations made for any of the scopes that are in force at `now`: held on or before its
   * day (so a snapshot of the past sees the reviews held by then, like exercises) and not yet
   * expired; newest first (by day, then by recording).
   */
  async inForce(scopeRefs: string[], now: Date): Promise<HumanAttestation[]> {
    if (scopeRefs.length === 0) return [];
    const rows = await this.knex<HumanAttestationRow>(HUMAN_ATTESTATIONS_TABLE)
      .whereIn('scope_ref', scopeRefs)
      .where('held_on', '<=', now.toISOString().slice(0, 10))
      .where('expires_at', '>', toDbTime(now))
      .orderBy([
        { column: 'held_on', order: 'desc' },
        { column: 'recorded_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(1000);
    return rows.map(toHumanAttestation);
  }

  /** A page of the attestations made for the scopes (expired ones included), newest first. */
  async list(filter: { scopeRefs: string[]; kind?: string; limit: number; offset: number }) {
    const query = this.knex<HumanAttestationRow>(HUMAN_ATTESTATIONS_TABLE).where(b => {
      b.whereIn('scope_ref', filter.scopeRefs);
      if (filter.kind) b.where('kind', filter.kind);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .clone()
      .select('*')
      .orderBy([
        { column: 'held_on', order: 'desc' },
        { column: 'recorded_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return {
      items: rows.map(toHumanAttestation),
      totalCount: Number(count),
      limit: filter.limit,
      offset: filter.offset,
    };
  }
}

function toHumanAttestation(row: HumanAttestationRow): HumanAttestation {
  return {
    id: row.id,
    kind: row.kind,
    scopeRef: row.scope_ref,
    date: String(row.held_on),
    details: JSON.parse(row.details),
    expiresAt: fromDbTime(row.expires_at),
    recordedBy: row.recorded_by,
    recordedAt: fromDbTime(row.recorded_at),
  };
}
