import { RuntimeMonitor } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { dbText } from './text';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

const TABLE = 'devsecops_runtime_monitors';

/** A row of devsecops_runtime_monitors. */
interface RuntimeMonitorRow {
  entity_ref: string;
  control: string;
  source: string;
  first_seen_at: DbTime;
  last_seen_at: DbTime;
  recorded_by: string;
  recorded_at: DbTime;
}

/** Owns devsecops_runtime_monitors: the runtime sources last heard from per entity and runtime control. */
export class RuntimeMonitorStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Moves the monitor forward to `seenAt` (never back: a late heartbeat does not undo a newer one)
   * and returns it with the time it was last seen before, if it was known.
   */
  async seen(
    tx: Knex.Transaction,
    monitor: { entityRef: string; control: string; source: string; seenAt: Date; recordedBy: string; recordedAt: Date },
  ): Promise<{ monitor: RuntimeMonitor; previousSeenAt?: string }> {
    const key = { entity_ref: monitor.entityRef, control: monitor.control, source: dbText(monitor.source, 255) };
    const before = await tx<RuntimeMonitorRow>(TABLE).where(key).first();
    if (!before) {
      // Two first heartbeats at once: one inserts, the other moves that row forward below.
      await tx<RuntimeMonitorRow>(TABLE)
        .insert({
          ...key,
          first_seen_at: toDbTime(monitor.seenAt),
          last_seen_at: toDbTime(monitor.seenAt),
          recorded_by: dbText(monitor.recordedBy, 255),
          recorded_at: toDbTime(monitor.recordedAt),
        })
        .onConflict(['entity_ref', 'control', 'source'])
        .ignore();
    }
    const query = tx<RuntimeMonitorRow>(TABLE).where(key).first();
    if (tx.client.config.client === 'pg') query.forUpdate();
    const current = (await query)!;
    const previousSeenAt = before ? fromDbTime(before.last_seen_at) : undefined;
    if (Date.parse(fromDbTime(current.last_seen_at)) >= monitor.seenAt.getTime()) {
      return { monitor: toMonitor(current), previousSeenAt };
    }
    const update = {
      last_seen_at: toDbTime(monitor.seenAt),
      recorded_by: dbText(monitor.recordedBy, 255),
      recorded_at: toDbTime(monitor.recordedAt),
    };
    await tx<RuntimeMonitorRow>(TABLE).where(key).update(update);
    return { monitor: toMonitor({ ...current, ...update }), previousSeenAt };
  }

  /** Every monitor of an entity, newest first. */
  async forEntity(entityRef: string): Promise<RuntimeMonitor[]> {
    const rows = await this.knex<RuntimeMonitorRow>(TABLE).where({ entity_ref: entityRef }).orderBy('last_seen_at', 'desc');
    return rows.map(toMonitor);
  }
}

function toMonitor(row: RuntimeMonitorRow): RuntimeMonitor {
  return {
    entityRef: row.entity_ref,
    control: row.control,
    source: row.source,
    firstSeenAt: fromDbTime(row.first_seen_at),
    lastSeenAt: fromDbTime(row.last_seen_at),
    recordedBy: row.recorded_by,
    recordedAt: fromDbTime(row.recorded_at),
  };
}
