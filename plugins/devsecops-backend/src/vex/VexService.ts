import { Finding } from '@devsecops-scorecard/plugin-devsecops-common';
import { Knex } from 'knex';
import { openFindingsForVex, reportArtifactDigests } from '../store/findingVexFacts';
import { indexVex, StoredVexStatement, VexIndex, vexFor } from './matchVex';
import { VexStore } from './VexStore';

/**
 * Applies the VEX statements recorded for an entity to the findings of every scanner: the
 * evaluation (scorecard, release gate) does not count a finding a statement suppresses, and the
 * findings API shows the statement that applies. Applied when read, so a statement's expiry and a
 * newer statement take effect without rewriting findings, and a rescan keeps its suppression.
 */
export class VexService {
  constructor(
    private readonly knex: Knex,
    readonly store: VexStore,
    readonly maxAgeDays: number,
  ) {}

  /** The findings no statement suppresses at `now` (the evaluation's view of open findings). */
  async withoutSuppressed<T extends { id: string }>(entityRef: string, findings: T[], now: Date): Promise<T[]> {
    if (findings.length === 0) return findings;
    const suppressed = await this.suppressedIds(entityRef, now);
    return suppressed.size === 0 ? findings : findings.filter(f => !suppressed.has(f.id));
  }

  /** Ids of the entity's open findings that a statement suppresses at `now`. */
  async suppressedIds(entityRef: string, now: Date): Promise<Set<string>> {
    const statements = await this.store.forEntity(entityRef);
    const suppressing = statements.filter(s => s.status === 'not_affected');
    if (suppressing.length === 0) return new Set();
    const facts = await openFindingsForVex(this.knex, entityRef, idsOf(suppressing));
    const index = indexVex(statements);
    const out = new Set<string>();
    for (const finding of facts) {
      if (vexFor(finding, index, now)?.suppresses) out.add(finding.id);
    }
    return out;
  }

  /** A page of findings with the statement that applies to each (`vex`), when one does. */
  async annotate(findings: Finding[], now: Date): Promise<Finding[]> {
    if (findings.length === 0) return findings;
    const statementsByEntity = await this.store.forEntities([...new Set(findings.map(f => f.entityRef))]);
    const byEntity = new Map<string, VexIndex>(
      [...statementsByEntity].filter(([, list]) => list.length > 0).map(([ref, list]) => [ref, indexVex(list)]),
    );
    const stated = findings.filter(f => byEntity.has(f.entityRef));
    if (stated.length === 0) return findings;
    // A finding of a source-scoped control belongs to the artifact its newest report scanned.
    const digests = await reportArtifactDigests(this.knex, stated.filter(f => !f.artifactDigest).map(f => f.lastReportId));
    return findings.map(finding => {
      const statements = byEntity.get(finding.entityRef);
      if (!statements) return finding;
      const artifactDigest = finding.artifactDigest ?? digests.get(finding.lastReportId);
      const vex = vexFor({ ...finding, artifactDigest }, statements, now);
      return vex ? { ...finding, vex } : finding;
    });
  }
}

function idsOf(statements: StoredVexStatement[]): string[] {
  return statements.flatMap(s => [s.vulnerabilityId, ...s.aliases]);
}
