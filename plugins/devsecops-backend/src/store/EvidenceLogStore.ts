import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { fromDbTime, toDbTime } from './time';

const TABLE = 'devsecops_evidence_log';
/** The hash the first record commits to. */
export const GENESIS_HASH = '0'.repeat(64);
// Any constant: the key of the PostgreSQL advisory lock that serialises appends across instances.
const APPEND_LOCK_KEY = 0x64657673; // "devs"

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

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash of a record: it commits to the previous hash and to every field of the record. */
export function recordHash(r: {
  seq: number;
  at: string;
  kind: string;
  entityRef?: string;
  subjectId: string;
  actor: string;
  payload: string;
  prevHash: string;
}): string {
  return createHash('sha256')
    .update([r.prevHash, r.seq, r.at, r.kind, r.entityRef ?? '', r.subjectId, r.actor, r.payload].join('\n'))
    .digest('hex');
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
    const head = await tx(TABLE).select('seq', 'hash').orderBy('seq', 'desc').first();
    const seq = head ? Number(head.seq) + 1 : 1;
    const prevHash = head ? head.hash : GENESIS_HASH;
    const at = toDbTime(entry.at);
    const payload = canonicalJson(entry.payload);
    const hash = recordHash({ seq, at, kind: entry.kind, entityRef: entry.entityRef, subjectId: entry.subjectId, actor: entry.actor, payload, prevHash });
    await tx(TABLE).insert({
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
      const rows = await this.knex(TABLE)
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

  async list(filter: { entityRef?: string; subjectId?: string; fromSeq?: number; limit: number }): Promise<EvidenceRecord[]> {
    const rows = await this.knex(TABLE)
      .where(b => {
        if (filter.entityRef) b.where('entity_ref', filter.entityRef);
        if (filter.subjectId) b.where('subject_id', filter.subjectId);
        if (filter.fromSeq) b.where('seq', '>=', filter.fromSeq);
      })
      .orderBy('seq', 'asc')
      .limit(filter.limit);
    return rows.map(toRecord);
  }
}

function toRecord(row: any): EvidenceRecord {
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
