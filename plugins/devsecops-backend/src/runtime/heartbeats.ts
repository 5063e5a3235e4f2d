import { InputError } from '@backstage/errors';
import { RuntimeMonitor } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { EntityLookup, EntityResolver } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { RuntimeMonitorStore } from '../store/RuntimeMonitorStore';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { parseTime } from './signals';

/** The runtime controls a heartbeat can say are monitored. */
export const MONITORED_CONTROLS = ['cloud-audit-logs', 'workload-telemetry', 'vulnerability-monitoring'] as const;

/**
 * `kind: heartbeat`: the runtime source is on for the entity and the listed runtime controls
 * (`monitors`); `detectedAt` (default: now) is when the source last saw the entity.
 */
export interface HeartbeatInput extends EntityLookup {
  kind: 'heartbeat';
  monitors: string[];
  source: string;
  detectedAt?: string;
}

/** A heartbeat's result: the monitors it moved forward. */
export interface HeartbeatRecorded {
  kind: 'heartbeat';
  entityRef: string;
  monitors: RuntimeMonitor[];
}

// A monitor heard from again after this long is logged again as "monitoring resumed".
const MONITOR_LOG_GAP_MS = 86_400_000;

/** Heartbeats: which runtime source was last heard from, per entity and runtime control. */
export class HeartbeatRecorder {
  constructor(
    private readonly options: {
      knex: Knex;
      entities: EntityResolver;
      /** Absent: heartbeats are refused. */
      monitors?: RuntimeMonitorStore;
      evidenceLog: EvidenceLogStore;
      onEvidenceChanged: OnEvidenceChanged;
      now: () => Date;
    },
  ) {}

  /**
   * A heartbeat moves the entity's monitor of each listed control forward (one row per entity,
   * control and source); the evidence log records a monitor when it is first heard from, or again
   * after a day of silence, not every heartbeat.
   */
  async record(input: HeartbeatInput, writer: EvidenceWriter): Promise<HeartbeatRecorded> {
    const store = this.options.monitors;
    if (!store) throw new InputError('Heartbeats are not recorded by this instance');
    const extra = (['severity', 'summary', 'containedAt', 'remediatedAt'] as const).filter(
      field => (input as unknown as Record<string, unknown>)[field] !== undefined,
    );
    if (extra.length) throw new InputError(`A heartbeat has no ${extra.join(', ')}`);
    const monitors = [...new Set(input.monitors ?? [])];
    if (monitors.length === 0) {
      throw new InputError(`A heartbeat needs monitors: one or more of ${MONITORED_CONTROLS.join(', ')}`);
    }
    const unknown = monitors.filter(m => !(MONITORED_CONTROLS as readonly string[]).includes(m));
    if (unknown.length) {
      throw new InputError(`Unknown monitors ${unknown.join(', ')}; expected ${MONITORED_CONTROLS.join(', ')}`);
    }
    const now = this.options.now();
    const seenAt = input.detectedAt === undefined ? now : parseTime('detectedAt', input.detectedAt, now);
    const resolved = await this.options.entities.resolveForWrite(input, writer);
    const recorded = await this.options.knex.transaction(async tx => {
      const result: RuntimeMonitor[] = [];
      for (const control of monitors) {
        const { monitor, previousSeenAt } = await store.seen(tx, {
          entityRef: resolved.entityRef,
          control,
          source: input.source,
          seenAt,
          recordedBy: writer.name,
          recordedAt: now,
        });
        if (!previousSeenAt || seenAt.getTime() - Date.parse(previousSeenAt) > MONITOR_LOG_GAP_MS) {
          await this.options.evidenceLog.append(tx, {
            kind: previousSeenAt ? 'runtime-monitor.resumed' : 'runtime-monitor.started',
            entityRef: resolved.entityRef,
            subjectId: `${control}:${monitor.source}`,
            actor: writer.name,
            at: now,
            payload: { control, source: monitor.source, seenAt: seenAt.toISOString(), previousSeenAt },
          });
        }
        result.push(monitor);
      }
      return result;
    });
    await this.options.onEvidenceChanged([resolved.entityRef]);
    return { kind: 'heartbeat', entityRef: resolved.entityRef, monitors: recorded };
  }
}
