import { Knex } from 'knex';
import { DbTime } from './rowTypes';
import { fromDbTime, toDbTime } from './time';

export const FEEDS_TABLE = 'devsecops_feeds';
export const KEV_TABLE = 'devsecops_kev_entries';
export const EPSS_TABLE = 'devsecops_epss_scores';

export type FeedId = 'kev' | 'epss';
/** Every imported feed: KEV and EPSS replace their rows; an OSV advisory set is matched and not kept. */
export type FeedStatusId = FeedId | 'osv';

export interface KevEntry {
  cveId: string;
  vendorProject?: string;
  product?: string;
  vulnerabilityName?: string;
  dateAdded: string;
  dueDate?: string;
  ransomwareUse?: string;
}

export interface EpssScore {
  cveId: string;
  score: number;
  percentile?: number;
}

/** What an import says about itself (kept with the feed). */
export interface FeedVersion {
  /** KEV `catalogVersion`, EPSS `model_version`. */
  version: string;
  /** KEV `dateReleased` day, EPSS `score_date` day. */
  publishedOn: string;
  bodySha256: string;
  /** `upload`, or the URL the scheduled job fetched. */
  source: string;
  importedBy: string;
}

export interface FeedStatus extends FeedVersion {
  feed: FeedStatusId;
  rowCount: number;
  importedAt: string;
}

interface FeedRow {
  feed: FeedStatusId;
  version: string;
  published_on: string;
  row_count: number;
  body_sha256: string;
  source: string;
  imported_by: string;
  imported_at: DbTime;
}

// PostgreSQL: well under its 65535 bound parameters at 7 columns a row. SQLite: knex writes a
// multi-row insert as a compound SELECT, which SQLite caps at 500 terms (the published KEV
// catalog, 1,404 rows, failed with a 500 at 4,000 a batch).
const BATCH_ROWS = 4000;
const SQLITE_BATCH_ROWS = 500;

/**
 * Owns the exploitability feeds: the KEV catalog and EPSS scores as last imported (an import
 * replaces the feed's rows whole, in the caller's transaction) and each feed's version and date.
 */
export class FeedStore {
  constructor(private readonly knex: Knex) {}

  async status(): Promise<FeedStatus[]> {
    const rows: FeedRow[] = await this.knex<FeedRow>(FEEDS_TABLE).select('*').orderBy('feed');
    return rows.map(r => ({
      feed: r.feed,
      version: r.version,
      publishedOn: r.published_on,
      rowCount: Number(r.row_count),
      bodySha256: r.body_sha256,
      source: r.source,
      importedBy: r.imported_by,
      importedAt: fromDbTime(r.imported_at),
    }));
  }

  /**
   * Replaces the KEV catalog. Returns false (and writes nothing) when the stored catalog has the
   * same body: a scheduled fetch of an unchanged feed is a no-op.
   */
  replaceKev(tx: Knex.Transaction, entries: KevEntry[], version: FeedVersion, now: Date): Promise<boolean> {
    return this.replace(
      tx,
      'kev',
      KEV_TABLE,
      entries.map(e => ({
        cve_id: e.cveId,
        vendor_project: e.vendorProject ?? null,
        product: e.product ?? null,
        vulnerability_name: e.vulnerabilityName ?? null,
        date_added: e.dateAdded,
        due_date: e.dueDate ?? null,
        ransomware_use: e.ransomwareUse ?? null,
      })),
      version,
      now,
    );
  }

  /** Replaces the EPSS scores (false when the stored feed has the same body). */
  replaceEpss(tx: Knex.Transaction, scores: EpssScore[], version: FeedVersion, now: Date): Promise<boolean> {
    return this.replace(
      tx,
      'epss',
      EPSS_TABLE,
      scores.map(s => ({ cve_id: s.cveId, score: s.score, percentile: s.percentile ?? null })),
      version,
      now,
    );
  }

  /**
   * What the stored feed says per CVE, as one comparable value (KEV: dateAdded; EPSS: score and
   * percentile), read in the import's transaction before it replaces the feed.
   */
  async valuesByCve(tx: Knex.Transaction, feed: FeedId): Promise<Map<string, string>> {
    const rows: Array<{ cve_id: string; value: string }> =
      feed === 'kev'
        ? await tx(KEV_TABLE).select('cve_id', 'date_added as value')
        : (await tx(EPSS_TABLE).select('cve_id', 'score', 'percentile')).map((r: { cve_id: string; score: number; percentile: number | null }) => ({
            cve_id: r.cve_id,
            value: `${Number(r.score)}/${r.percentile === null ? '' : Number(r.percentile)}`,
          }));
    return new Map(rows.map(r => [r.cve_id, r.value]));
  }

  /** Records the newest import of a feed whose rows are not kept (OSV: its matches are findings). */
  async recordImport(tx: Knex.Transaction, feed: 'osv', version: FeedVersion, rowCount: number, now: Date): Promise<void> {
    await tx(FEEDS_TABLE)
      .insert({
        feed,
        version: version.version.slice(0, 64),
        published_on: version.publishedOn,
        row_count: rowCount,
        body_sha256: version.bodySha256,
        source: version.source.slice(0, 512),
        imported_by: version.importedBy.slice(0, 255),
        imported_at: toDbTime(now),
      })
      .onConflict('feed')
      .merge();
  }

  async kevEntry(cveId: string): Promise<KevEntry | undefined> {
    const row = await this.knex(KEV_TABLE).where('cve_id', cveId).first();
    if (!row) return undefined;
    return {
      cveId: row.cve_id,
      vendorProject: row.vendor_project ?? undefined,
      product: row.product ?? undefined,
      vulnerabilityName: row.vulnerability_name ?? undefined,
      dateAdded: row.date_added,
      dueDate: row.due_date ?? undefined,
      ransomwareUse: row.ransomware_use ?? undefined,
    };
  }

  private async replace(
    tx: Knex.Transaction,
    feed: FeedId,
    table: string,
    rows: Record<string, unknown>[],
    version: FeedVersion,
    now: Date,
  ): Promise<boolean> {
    // One import at a time per feed on every instance: the feed's row is the lock.
    await tx(FEEDS_TABLE)
      .insert({
        feed,
        version: '',
        published_on: '',
        row_count: 0,
        body_sha256: '',
        source: '',
        imported_by: '',
        imported_at: toDbTime(now),
      })
      .onConflict('feed')
      .ignore();
    const current = await tx<FeedRow>(FEEDS_TABLE)
      .where({ feed })
      .modify(q => {
        if (tx.client.config.client === 'pg') q.forUpdate();
      })
      .first();
    if (current?.body_sha256 === version.bodySha256) return false;
    await tx(table).delete();
    const batch = tx.client.config.client === 'pg' ? BATCH_ROWS : SQLITE_BATCH_ROWS;
    for (let i = 0; i < rows.length; i += batch) {
      await tx(table).insert(rows.slice(i, i + batch));
    }
    await tx<FeedRow>(FEEDS_TABLE)
      .where({ feed })
      .update({
        version: version.version.slice(0, 64),
        published_on: version.publishedOn,
        row_count: rows.length,
        body_sha256: version.bodySha256,
        source: version.source.slice(0, 512),
        imported_by: version.importedBy.slice(0, 255),
        imported_at: toDbTime(now),
      });
    return true;
  }
}
