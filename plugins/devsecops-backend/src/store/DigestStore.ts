import { Knex } from 'knex';
import { DbTime } from './rowTypes';
import { toDbTime } from './time';

const CLAIMS = 'devsecops_digest_claims';

interface DigestClaimRow {
  recipient: string;
  week: string;
  claimed_at: DbTime;
}

/** Owns devsecops_digest_claims: the weekly digests sent, one per recipient and week. */
export class DigestStore {
  constructor(private readonly knex: Knex) {}

  /** Claims a digest before it is sent; false when it was claimed already (here or elsewhere). */
  async claim(recipient: string, week: string, now: Date): Promise<boolean> {
    const inserted = await this.knex<DigestClaimRow>(CLAIMS)
      .insert({ recipient, week, claimed_at: toDbTime(now) })
      .onConflict(['recipient', 'week'])
      .ignore()
      .returning('recipient');
    return inserted.length === 1;
  }

  /** The digest could not be sent: the next run retries it. */
  async release(recipient: string, week: string): Promise<void> {
    await this.knex<DigestClaimRow>(CLAIMS).where({ recipient, week }).delete();
  }
}
