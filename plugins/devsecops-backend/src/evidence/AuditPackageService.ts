import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { toCsv } from '@devsecops-scorecard/plugin-devsecops-common';
import { AuditPackageManifest } from '@devsecops-scorecard/plugin-devsecops-node';
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { EntityResolver } from '../catalog/EntityResolver';
import { mayRead, READ_ALL, ReadScope } from '../permissions/readScope';
import { RollupService } from '../scorecard/RollupService';
import { AuditExportQueries, AUDIT_TABLES, AuditTable } from '../store/AuditExportQueries';
import { EVIDENCE_EXPORTED, EvidenceLogStore } from '../store/EvidenceLogStore';
import { parseObservedTime } from '../validation/inputTimes';
import { SummaryStore } from '../store/SummaryStore';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';

const MAX_RANGE_DAYS = 3 * 366;

const README = `DevSecOps audit package
=======================

manifest.json      scope, time range, the evidence-log head hash, and the sha256 of every file
control-map.json   the operating model's controls mapped to NIST SSDF practices and SOC 2 criteria
data/*.json        the recorded rows, for machines (humanAttestations: those made for the
                   entities or their owner groups)
csv/*.csv          the same rows, one table per file, for people
evidence-log.json  the evidence-log records of the range; records of entities outside the scope keep
                   only their position and hashes, so the chain can be followed without them

Verify offline: devsecops verify-package <this file>
It checks every file against manifest.json and recomputes the evidence-log chain. Compare
manifest.json's evidenceLog.wholeLogHeadHash with a head hash you noted from the portal
(GET /api/devsecops/v1/evidence/verify) at or after the export.
`;

/** Builds the zip an auditor or a customer's security review receives. */
export class AuditPackageService {
  constructor(
    private readonly o: {
      entities: EntityResolver;
      rollups: RollupService;
      summaries: SummaryStore;
      queries: AuditExportQueries;
      evidenceLog: EvidenceLogStore;
      auditor: AuditorService;
      controlMap: Record<string, Record<string, string[]>>;
      /** Re-evaluates the covered entities once their export is recorded (the evidence-export criterion). */
      onEvidenceChanged?: OnEvidenceChanged;
      now?: () => Date;
    },
  ) {}

  async export(
    query: { entity?: string; repository?: string; group?: string; org?: boolean; from?: string; to?: string },
    actor: string,
    /** The caller's read scope (`devsecops.entity.read`): other entities are left out, a single other entity is a 404. */
    readable: ReadScope = READ_ALL,
  ): Promise<{ zip: Uint8Array; filename: string; manifest: AuditPackageManifest }> {
    const now = this.o.now?.() ?? new Date();
    // A range before 2000 or ending in the future is a typo, not an export (and year 0 is out of the databases' range).
    const to = query.to ? parseObservedTime('to', query.to, now, 86_400_000) : now;
    const from = query.from ? parseObservedTime('from', query.from, now, 86_400_000) : new Date(to.getTime() - 90 * 86_400_000);
    if (from >= to) throw new InputError(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      throw new InputError(`The range is longer than ${MAX_RANGE_DAYS} days; export it in parts`);
    }
    const chosen = [query.entity || query.repository, query.group, query.org].filter(Boolean).length;
    if (chosen !== 1) throw new InputError('Export one scope: entity (or repository), group, or org=true');

    let scope: AuditPackageManifest['scope'];
    if (query.entity || query.repository) {
      const { entityRef } = await this.o.entities.resolve({ entityRef: query.entity, repository: query.repository });
      scope = { kind: 'entity', ref: entityRef, entities: [entityRef] };
    } else if (query.group) {
      const rollup = await this.o.rollups.rollup({ group: query.group });
      scope = { kind: 'group', ref: rollup.scope.ref, entities: rollup.entities.map(e => e.entityRef) };
    } else {
      scope = { kind: 'org', entities: (await this.o.summaries.all()).map(s => s.entityRef).sort() };
    }
    if (!readable.all) {
      if (scope.kind === 'entity' && !mayRead(readable, scope.entities[0])) {
        throw new NotFoundError(`No catalog entity ${scope.entities[0]}`);
      }
      scope = { ...scope, entities: scope.entities.filter(ref => mayRead(readable, ref)) };
    }
    const refs = scope.kind === 'org' && readable.all ? undefined : scope.entities;

    const event = await this.o.auditor.createEvent({
      eventId: 'audit-package-export',
      severityLevel: 'medium',
      meta: { actor, scope: scope.kind, ref: scope.ref ?? 'org', from: from.toISOString(), to: to.toISOString() },
    });
    try {
      const files: Record<string, Uint8Array> = {};
      // Tables of scoped records (human attestations) also match the entities' owner groups.
      const scopeRefs = refs && (await this.withOwners(refs));
      for (const table of Object.keys(AUDIT_TABLES) as AuditTable[]) {
        const rows = await this.o.queries.rows(table, 'scopeColumn' in AUDIT_TABLES[table] ? scopeRefs : refs, from, to);
        files[`data/${table}.json`] = strToU8(JSON.stringify(rows, null, 2));
        const columns = AUDIT_TABLES[table].columns as readonly string[];
        files[`csv/${table}.csv`] = strToU8(toCsv(columns, rows.map(row => columns.map(c => row[c]))));
      }
      const segment = await this.o.evidenceLog.segment({ entityRefs: refs, from, to });
      files['evidence-log.json'] = strToU8(JSON.stringify(segment, null, 2));
      files['control-map.json'] = strToU8(JSON.stringify(this.o.controlMap, null, 2));
      files['README.txt'] = strToU8(README);
      const whole = await this.o.evidenceLog.verify();

      const manifest: AuditPackageManifest = {
        format: 'devsecops-audit-package/v1',
        generatedAt: now.toISOString(),
        generatedBy: actor,
        scope,
        range: { from: from.toISOString(), to: to.toISOString() },
        evidenceLog: {
          fromSeq: segment[0]?.seq,
          toSeq: segment.at(-1)?.seq,
          records: segment.length,
          headHash: segment.at(-1)?.hash,
          wholeLogHeadHash: whole.headHash,
          wholeLogHeadSeq: whole.headSeq,
        },
        files: Object.entries(files)
          .map(([path, data]) => ({ path, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length }))
          .sort((a, b) => a.path.localeCompare(b.path)),
      };
      files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
      const zip = zipSync(files, { level: 6, mtime: now });
      await this.recordExport(scope, actor, now, from, to, files['manifest.json']);
      await event.success({ meta: { files: manifest.files.length, records: segment.length } });
      const name = (scope.ref ?? 'org').replace(/[^a-z0-9-]+/gi, '-');
      return { zip, filename: `audit-${name}-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.zip`, manifest };
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /** The entities and the groups that own them (from their summaries). */
  private async withOwners(entityRefs: string[]): Promise<string[]> {
    const wanted = new Set(entityRefs);
    const owners = (await this.o.summaries.all()).filter(s => wanted.has(s.entityRef) && s.ownerRef).map(s => s.ownerRef!);
    return [...new Set([...entityRefs, ...owners])];
  }

  /**
   * The export is evidence: one `evidence.exported` record per covered entity (who, when, which
   * range, which manifest), in one transaction, then those entities are re-evaluated.
   */
  private async recordExport(
    scope: AuditPackageManifest['scope'],
    actor: string,
    at: Date,
    from: Date,
    to: Date,
    manifest: Uint8Array,
  ): Promise<void> {
    const manifestSha256 = createHash('sha256').update(manifest).digest('hex');
    const payload = { scope: `${scope.kind}${scope.ref ? ` ${scope.ref}` : ''}`, from: from.toISOString(), to: to.toISOString(), manifestSha256 };
    await this.o.evidenceLog.knexTransaction(async tx => {
      for (const entityRef of scope.entities) {
        await this.o.evidenceLog.append(tx, {
          kind: EVIDENCE_EXPORTED,
          entityRef,
          subjectId: `audit-package:${manifestSha256}`,
          actor,
          payload,
          at,
        });
      }
    });
    await this.o.onEvidenceChanged?.(scope.entities);
  }
}
