import {
  canonicalJson,
  EvidenceLogLine,
  GENESIS_HASH,
  recordHash,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { Knex } from 'knex';
import { DbBigInt, DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

export { GENESIS_HASH, recordHash };

const TABLE = 'devsecops_evidence_log';

/** A row of devsecops_evidence_log. */
interface EvidenceLogRow {
  seq: DbBigInt;
  at: DbTime;
  kind: string;
  entity_ref: string | null;
  subject_id: string;
  actor: string;
  /** Canonical JSON of what was recorded. */
  payload: string;
  prev_hash: string;
  hash: string;
}
// Any constant: the key of the PostgreSQL advisory lock that serialises appends across instances.
const APPEND_LOCK_KEY = 0x64657673; // "devs"

/** The kind of the record, one per covered entity, that an audit package was exported from the portal. */
export const EVIDENCE_EXPORTED = 'evidence.exported';

export interface EvidenceEntry {
  kind: string;
  entityRef?: string;
  subjectId: string;
  actor: string;
  payload: unknown;
  at: Date;
}

export interface EvidenceRecord {
  seq: number;
  at: string;
  kind: string;
  entityRef?: string;
  subjectId: string;
  actor: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  records: number;
  headSeq: number;
  headHash: string;
  firstBroken?: { seq: number; problem: string };
}

/**
 * Owns devsecops_evidence_log. Appends run inside the caller's transaction, so a change and its
 * evidence commit together or not at all; on PostgreSQL an advisory transaction lock makes
 * concurrent appends from several instances take turns, and the primary key on `seq` is the
 * backstop that refuses a fork.
 */
export class EvidenceLogStore {
  constructor(private readonly knex: Knex) {}

  async append(tx: Knex.Transaction, entry: EvidenceEntry): Promise<EvidenceRecord> {
    if (tx.client.config.client === 'pg') {
      await tx.raw('select pg_advisory_xact_lock(?)', [APPEND_LOCK_KEY]);
    }
    const head = await tx<EvidenceLogRow>(TABLE).select('seq', 'hash').orderBy('seq', 'desc').first();
    const seq = head ? Number(head.seq) + 1 : 1;
    const prevHash = head ? head.hash : GENESIS_HASH;
    const at = toDbTime(entry.at);
    const payload = canonicalJson(entry.payload);
    const hash = recordHash({ seq, at, kind: entry.kind, entityRef: entry.entityRef, subjectId: entry.subjectId, actor: entry.actor, payload, prevHash });
    await tx<EvidenceLogRow>(TABLE).insert({
      seq,
      at,
      kind: entry.kind,
      entity_ref: entry.entityRef ?? null,
      subject_id: entry.subjectId,
      actor: entry.actor,
      payload,
      prev_hash: prevHash,
      hash,
    });
    return { seq, at, kind: entry.kind, entityRef: entry.entityRef, subjectId: entry.subjectId, actor: entry.actor, payload: entry.payload, prevHash, hash };
  }

  /** Runs a unit of work in a transaction on the log's database. */
  knexTransaction<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(work);
  }

  /** Appends in a transaction of its own. */
  async appendNow(entry: EvidenceEntry): Promise<EvidenceRecord> {
    return this.knex.transaction(tx => this.append(tx, entry));
  }

  /**
   * Recomputes the chain from the first record and reports the first record whose stored hash,
   * link to its predecessor or position does not match.
   */
  async verify(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let records = 0;
    const pageSize = 1000;
    for (;;) {
      const rows = await this.knex<EvidenceLogRow>(TABLE)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq', 'asc')
        .limit(pageSize);
      for (const row of rows) {
        const seq = Number(row.seq);
        let problem: string | undefined;
        if (seq !== expectedSeq) problem = `expected record ${expectedSeq}, found ${seq} (a record is missing)`;
        else if (row.prev_hash !== prevHash) problem = 'does not link to the previous record';
        const hash = recordHash({
          seq,
          at: fromDbTime(row.at),
          kind: row.kind,
          entityRef: row.entity_ref ?? undefined,
          subjectId: row.subject_id,
          actor: row.actor,
          payload: row.payload,
          prevHash: row.prev_hash,
        });
        if (!problem && hash !== row.hash) {
          problem = 'its content does not match its hash (edited after it was written)';
        }
        if (problem) {
          return { ok: false, records, headSeq: seq - 1, headHash: prevHash, firstBroken: { seq, problem } };
        }
        prevHash = row.hash;
        expectedSeq++;
        records++;
      }
      if (rows.length < pageSize) break;
    }
    return { ok: true, records, headSeq: expectedSeq - 1, headHash: prevHash };
  }

  /**
   * The contiguous part of the log written in a time range, for export. Records of entities
   * outside the export's scope keep only their position and hashes (redacted), so the auditor can
   * follow the chain without seeing other services' evidence.
   */
  async segment(filter: { entityRefs?: string[]; from: Date; to: Date }): Promise<EvidenceLogLine[]> {
    // Bounds by time, then every record between them: clocks of several instances may disagree by
    // a little, and a segment with a hole would not verify.
    const [bounds]: Array<{ first: DbBigInt | null; last: DbBigInt | null }> = await this.knex(TABLE)
      .where('at', '>=', toDbTime(filter.from))
      .where('at', '<=', toDbTime(filter.to))
      .select(this.knex.raw('min(seq) as first'), this.knex.raw('max(seq) as last'));
    if (bounds?.first === null || bounds?.first === undefined) return [];
    const rows = await this.knex<EvidenceLogRow>(TABLE)
      .whereBetween('seq', [Number(bounds.first), Number(bounds.last)])
      .orderBy('seq', 'asc');
    const inScope = filter.entityRefs ? new Set(filter.entityRefs) : undefined;
    return rows.map((row): EvidenceLogLine =>
      inScope && (row.entity_ref === null || !inScope.has(row.entity_ref))
        ? {
            seq: Number(row.seq),
            at: '',
            kind: 'redacted',
            subjectId: '',
            actor: '',
            payload: '',
            prevHash: row.prev_hash,
            hash: row.hash,
            redacted: true,
          }
        : {
      seq: Number(row.seq),
      at: fromDbTime(row.at),
      kind: row.kind,
      entityRef: row.entity_ref ?? undefined,
      subjectId: row.subject_id,
      actor: row.actor,
      payload: row.payload,
      prevHash: row.prev_hash,
      hash: row.hash,
          },
    );
  }

  /** The newest record of a kind about an entity, if any. */
  async latest(entityRef: string, kind: string): Promise<EvidenceRecord | undefined> {
    const row = await this.knex<EvidenceLogRow>(TABLE)
      .where({ entity_ref: entityRef, kind })
      .orderBy('seq', 'desc')
      .first();
    return row ? toRecord(row) : undefined;
  }

  async list(filter: {
    entityRef?: string;
    /** Only these entities' records (a caller's read scope); empty: none. */
    entityRefs?: readonly string[];
    subjectId?: string;
    fromSeq?: number;
    limit: number;
  }): Promise<EvidenceRecord[]> {
    const rows = await this.knex<EvidenceLogRow>(TABLE)
      .where(b => {
        if (filter.entityRef) b.where('entity_ref', filter.entityRef);
        if (filter.entityRefs) b.whereIn('entity_ref', [...filter.entityRefs]);
        if (filter.subjectId) b.where('subject_id', filter.subjectId);
        if (filter.fromSeq) b.where('seq', '>=', filter.fromSeq);
      })
      .orderBy('seq', 'asc')
      .limit(filter.limit);
    return rows.map(toRecord);
  }
}

function toRecord(row: EvidenceLogRow): EvidenceRecord {
  return {
    seq: Number(row.seq),
    at: fromDbTime(row.at),
    kind: row.kind,
    entityRef: row.entity_ref ?? undefined,
    subjectId: row.subject_id,
    actor: row.actor,
    payload: JSON.parse(row.payload),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
