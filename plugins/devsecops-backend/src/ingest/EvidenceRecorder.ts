import { InputError } from '@backstage/errors';
import { ControlFact, factWithOwnSource } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { FactStore } from '../store/FactStore';
import { EvidenceLogStore } from '../store/EvidenceLogStore';
import { EntityLookup, EntityResolver, ResolvedEntity } from '../catalog/EntityResolver';
import { EvidenceWriter } from '../identity/ciIdentities';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { parseObservedTime } from '../validation/inputTimes';

export interface FactsInput extends EntityLookup {
  facts: Array<{
    fact: string;
    value: unknown;
    source: string;
    observedAt?: string;
  }>;
}

// Fact values are small documents (a flag, a count, a digest and a verdict); deeper is an attack.
const MAX_FACT_DEPTH = 16;

// An observation more than a day ahead of the server clock is a clock or input error.
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/**
 * Records control facts (from pipelines, the GitHub module and verified attestations), the
 * evidence that does not come in scanner files, then refreshes the entity's scorecard.
 */
export class EvidenceRecorder {
  constructor(
    private readonly options: {
      knex: Knex;
      entities: EntityResolver;
      facts: FactStore;
      evidenceLog: EvidenceLogStore;
      onEvidenceChanged: OnEvidenceChanged;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Records claimed facts (POST /v1/facts). A fact with a source that proves it (a verification,
   * an audit-package export, a person's attestation, an exercise, a monitor's heartbeat, a
   * Scorecard result: `factWithOwnSource`) is refused with that source named: a claim never
   * stands in for it.
   */
  async recordFacts(input: FactsInput, writer: EvidenceWriter): Promise<ControlFact[]> {
    input.facts.forEach((f, index) => {
      const own = factWithOwnSource(f.fact);
      if (own) {
        throw new InputError(
          `facts[${index}].fact '${f.fact}' is not accepted as a claim: it is recorded from ${own.source}`,
        );
      }
    });
    return this.record(input, writer);
  }

  /** Records the outcome of a verification the backend itself made (AttestationService). */
  async recordVerifiedFacts(input: FactsInput, writer: EvidenceWriter): Promise<ControlFact[]> {
    return this.record(input, writer);
  }

  /** The entity facts would be recorded for, once the writer may write for it. */
  async target(lookup: EntityLookup, writer: EvidenceWriter): Promise<ResolvedEntity> {
    return this.options.entities.resolveForWrite(lookup, writer);
  }

  private async record(input: FactsInput, writer: EvidenceWriter): Promise<ControlFact[]> {
    const recordedBy = writer.name;
    const now = this.now();
    const facts = input.facts.map((f, index) => {
      if (f.value === undefined) {
        throw new InputError(`facts[${index}].value is missing`);
      }
      if (depthOf(f.value) > MAX_FACT_DEPTH) {
        throw new InputError(`facts[${index}].value is nested more than ${MAX_FACT_DEPTH} levels deep`);
      }
      return {
        fact: f.fact,
        value: f.value,
        source: f.source,
        observedAt: parseTime(`facts[${index}].observedAt`, f.observedAt, now).toISOString(),
      };
    });
    const resolved = await this.options.entities.resolveForWrite(input, writer);
    const records: ControlFact[] = facts.map(f => ({
      entityRef: resolved.entityRef,
      ...f,
      recordedBy,
      recordedAt: now.toISOString(),
    }));
    await this.options.knex.transaction(async tx => {
      await this.options.facts.insert(tx, records);
      await this.options.evidenceLog.append(tx, {
        kind: 'facts.recorded',
        entityRef: resolved.entityRef,
        subjectId: `facts@${now.toISOString()}`,
        actor: recordedBy,
        at: now,
        payload: facts,
      });
    });
    await this.options.onEvidenceChanged([resolved.entityRef]);
    return records;
  }
}

/** Nesting depth of a JSON value, without recursion (hostile values nest thousands deep). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > MAX_FACT_DEPTH) return depth;
    if (item && typeof item === 'object') {
      for (const child of Object.values(item)) stack.push([child, depth + 1]);
    }
  }
  return max;
}

function parseTime(field: string, value: string | undefined, now: Date): Date {
  return value === undefined ? now : parseObservedTime(field, value, now, MAX_FUTURE_MS);
}
