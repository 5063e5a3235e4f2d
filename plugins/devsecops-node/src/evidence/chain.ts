import { createHash } from 'node:crypto';

/** The hash the first evidence-log record commits to. @public */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so the same content always hashes the same. @public */
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

/** One evidence-log record as stored and exported; `payload` is the canonical JSON text. @public */
export interface EvidenceLogLine {
  seq: number;
  at: string;
  kind: string;
  entityRef?: string;
  subjectId: string;
  actor: string;
  payload: string;
  prevHash: string;
  hash: string;
  /**
   * Set on records of other entities in an exported segment: only their position and hashes are
   * kept, so the chain can still be followed without disclosing them.
   */
  redacted?: true;
}

/** The hash of a record: it commits to the previous hash and to every field of the record. @public */
export function recordHash(r: Omit<EvidenceLogLine, 'hash'>): string {
  return createHash('sha256')
    .update([r.prevHash, r.seq, r.at, r.kind, r.entityRef ?? '', r.subjectId, r.actor, r.payload].join('\n'))
    .digest('hex');
}

/**
 * Checks that consecutive records link and that each hash matches its content. A segment of the
 * whole log (an audit package's) starts at any record; `startsAfter` names the hash its first
 * record must link to, when known. Returns the first broken record, if any.
 * @public
 */
export function verifyChainSegment(
  records: EvidenceLogLine[],
  startsAfter?: string,
): { ok: boolean; headHash?: string; firstBroken?: { seq: number; problem: string } } {
  let prev: EvidenceLogLine | undefined;
  for (const record of records) {
    let problem: string | undefined;
    if (prev && record.seq !== prev.seq + 1) problem = `expected record ${prev.seq + 1}, found ${record.seq} (a record is missing)`;
    else if (prev && record.prevHash !== prev.hash) problem = 'does not link to the previous record';
    else if (!prev && startsAfter !== undefined && record.prevHash !== startsAfter) problem = 'does not link to the expected predecessor';
    else if (!record.redacted && recordHash(record) !== record.hash) {
      problem = 'its content does not match its hash (edited after it was written)';
    }
    if (problem) return { ok: false, headHash: prev?.hash, firstBroken: { seq: record.seq, problem } };
    prev = record;
  }
  return { ok: true, headHash: prev?.hash };
}
