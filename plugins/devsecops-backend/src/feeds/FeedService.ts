import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { PayloadTooLargeError } from '../ingest/errors';
import { decompressBody } from '../ingest/reportBody';
import { OnEvidenceChanged } from '../scorecard/onEvidenceChanged';
import { FeedId, FeedStatus, FeedStore } from '../store/FeedStore';
import { FindingStore } from '../store/FindingStore';
import { parseEpss, parseKev } from './feedParsers';

/** `devsecops.exploitability.feeds`: where the scheduled job fetches each feed, when online. */
export interface FeedSettings {
  /** URL of known_exploited_vulnerabilities.json; absent: KEV only by upload. */
  kevUrl?: string;
  /** URL of the EPSS CSV (gzip or plain); absent: EPSS only by upload. */
  epssUrl?: string;
  /** Bound on a feed's size, packed or unpacked (default 64 MiB). */
  maxBytes: number;
  /** Bound on a scheduled fetch (default 120 s). */
  fetchTimeoutMs: number;
}

export interface FeedImportResult {
  feed: FeedId;
  version: string;
  publishedOn: string;
  rows: number;
  /** false when the stored feed already had this exact body (nothing was written). */
  changed: boolean;
  /** Entities whose open findings' KEV or EPSS values changed (their scorecards were refreshed). */
  entitiesChanged: number;
}

/**
 * Imports the exploitability feeds (KEV, EPSS) from an upload or a configured URL: parse, replace
 * the feed's rows in one transaction (every finding reads them through a join from then on), then
 * refresh the scorecards of the entities with findings of a CVE whose listing or score changed.
 */
export class FeedService {
  constructor(
    private readonly o: {
      knex: Knex;
      logger: LoggerService;
      feeds: FeedStore;
      findings: FindingStore;
      settings: FeedSettings;
      onEvidenceChanged: OnEvidenceChanged;
      /** For tests: the clock. */
      now?: () => Date;
    },
  ) {}

  status(): Promise<FeedStatus[]> {
    return this.o.feeds.status();
  }

  async import(feed: FeedId, body: Buffer, importedBy: string, source = 'upload'): Promise<FeedImportResult> {
    const what = feed === 'kev' ? 'The KEV feed' : 'The EPSS feed';
    const raw = unpack(body, this.o.settings.maxBytes, what);
    const bodySha256 = createHash('sha256').update(raw).digest('hex');
    const now = this.o.now?.() ?? new Date();
    const parsed = feed === 'kev' ? parseKev(raw) : parseEpss(raw);
    const version = { version: parsed.version, publishedOn: parsed.publishedOn, bodySha256, source, importedBy };
    const { changed, entities } = await this.o.knex.transaction(async tx => {
      // Findings read the feeds through a join: the import writes the feed tables only, and the
      // entities to refresh are those with findings of a CVE whose listing or score changed.
      const before = await this.o.feeds.valuesByCve(tx, feed);
      const after =
        'entries' in parsed
          ? new Map(parsed.entries.map(e => [e.cveId, e.dateAdded]))
          : new Map(parsed.scores.map(e => [e.cveId, `${e.score}/${e.percentile ?? ''}`]));
      const replaced =
        'entries' in parsed
          ? await this.o.feeds.replaceKev(tx, parsed.entries, version, now)
          : await this.o.feeds.replaceEpss(tx, parsed.scores, version, now);
      if (!replaced) return { changed: false, entities: [] };
      const cves = [...new Set([...before.keys(), ...after.keys()])].filter(cve => before.get(cve) !== after.get(cve));
      return { changed: true, entities: await this.o.findings.entitiesWithCves(tx, cves) };
    });
    if (entities.length > 0) await this.o.onEvidenceChanged(entities);
    const rows = 'entries' in parsed ? parsed.entries.length : parsed.scores.length;
    this.o.logger.info(
      `Feed ${feed} ${parsed.version} (${parsed.publishedOn}, ${rows} rows) from ${source}: ${
        changed ? `imported, ${entities.length} entities re-evaluated` : 'unchanged'
      }`,
    );
    return { feed, version: parsed.version, publishedOn: parsed.publishedOn, rows, changed, entitiesChanged: entities.length };
  }

  /** The scheduled job: fetch each configured feed and import it (a failed fetch is logged). */
  async fetchConfigured(): Promise<FeedImportResult[]> {
    const results: FeedImportResult[] = [];
    const targets: Array<[FeedId, string | undefined]> = [
      ['kev', this.o.settings.kevUrl],
      ['epss', this.o.settings.epssUrl],
    ];
    for (const [feed, url] of targets) {
      if (!url) continue;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(this.o.settings.fetchTimeoutMs) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const declared = Number(response.headers.get('content-length') ?? 0);
        if (declared > this.o.settings.maxBytes) throw new Error(`${declared} bytes is over devsecops.exploitability.feeds.maxBytes`);
        const body = Buffer.from(await response.arrayBuffer());
        results.push(await this.import(feed, body, 'plugin:devsecops', url));
      } catch (error) {
        this.o.logger.warn(`Could not import the ${feed} feed from ${url}: ${(error as Error).message}`);
      }
    }
    return results;
  }
}

/** The body, gunzipped when packed, within the feeds' own size bound (a 413 naming its key). */
function unpack(body: Buffer, maxBytes: number, what: string): Buffer {
  try {
    return decompressBody(body, maxBytes, what);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      throw new PayloadTooLargeError(
        `${what} is larger than ${maxBytes} bytes, packed or unpacked (devsecops.exploitability.feeds.maxBytes)`,
      );
    }
    throw error;
  }
}
