import { Knex } from 'knex';
import { DbTime } from './rowTypes';
import { toDbTime } from './time';

const ALERTS = 'devsecops_regression_alerts';

interface RegressionAlertRow {
  entity_ref: string;
  cause: string;
  claimed_at: DbTime;
}

/** Owns devsecops_regression_alerts: the open regression causes already notified. */
export class RegressionAlertStore {
  constructor(private readonly knex: Knex) {}

  /** Claims a cause before its notification; false when it is claimed already (here or elsewhere). */
  async claim(entityRef: string, cause: string, now: Date): Promise<boolean> {
    const inserted = await this.knex<RegressionAlertRow>(ALERTS)
      .insert({ entity_ref: entityRef, cause, claimed_at: toDbTime(now) })
      .onConflict(['entity_ref', 'cause'])
      .ignore()
      .returning('entity_ref');
    return inserted.length === 1;
  }

  /** The open causes starting with a prefix (no LIKE wildcards in it), as `<entity ref> <cause>` keys. */
  async claimedWithPrefix(prefix: string): Promise<Set<string>> {
    const rows = await this.knex<RegressionAlertRow>(ALERTS)
      .select('entity_ref', 'cause')
      .where('cause', 'like', `${prefix}%`);
    return new Set(rows.map(r => `${r.entity_ref} ${r.cause}`));
  }

  /** The cause ended (or its notification failed): the next occurrence notifies again. */
  async release(entityRef: string, cause: string): Promise<void> {
    await this.knex<RegressionAlertRow>(ALERTS).where({ entity_ref: entityRef, cause }).delete();
  }
}
