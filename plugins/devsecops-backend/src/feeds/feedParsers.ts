import { InputError } from '@backstage/errors';
import { parse } from 'csv-parse/sync';
import { EpssScore, KevEntry } from '../store/FeedStore';

/*
 * The two exploitability feeds in their published formats:
 * - CISA KEV: known_exploited_vulnerabilities.json (`catalogVersion`, `dateReleased`,
 *   `vulnerabilities[]` with `cveID`, `dateAdded`, `dueDate`, `knownRansomwareCampaignUse`, …).
 * - FIRST EPSS: epss_scores-YYYY-MM-DD.csv(.gz): a `#model_version:…,score_date:…` line, the
 *   header `cve,epss,percentile`, one row per CVE.
 * Refusals name the line or path and what was expected, never the value found.
 */

const CVE = /^CVE-\d{4}-\d{4,19}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** More rows than either feed has ever had by an order of magnitude: a bound, not a guess. */
export const MAX_FEED_ROWS = 2_000_000;

export interface ParsedKev {
  version: string;
  publishedOn: string;
  entries: KevEntry[];
}

export interface ParsedEpss {
  version: string;
  publishedOn: string;
  scores: EpssScore[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;
}

/** A version string: present, and short (a feed's version is a date or a tag, never a page of text). */
function version(value: unknown, what: string): string {
  const given = typeof value === 'string' ? value.trim() : '';
  if (!given) throw new InputError(`${what} (a string such as 2026.12.04)`);
  if (given.length > 64) throw new InputError(`${what.replace(/ has no .*/, '')} has a version longer than 64 characters`);
  return given;
}

export function parseKev(body: Buffer): ParsedKev {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new InputError('The KEV feed is not valid JSON (expected known_exploited_vulnerabilities.json)');
  }
  if (!isObject(doc)) throw new InputError('The KEV feed must be a JSON object with catalogVersion and vulnerabilities');
  const catalogVersion = version(doc.catalogVersion, 'The KEV feed has no catalogVersion');
  const released = text(doc.dateReleased, 64);
  const publishedOn = released?.slice(0, 10);
  if (!publishedOn || !DAY.test(publishedOn)) {
    throw new InputError('The KEV feed has no dateReleased (an ISO 8601 time such as 2026-12-04T17:00:00.000Z)');
  }
  if (!Array.isArray(doc.vulnerabilities)) throw new InputError('The KEV feed has no vulnerabilities array');
  if (doc.vulnerabilities.length > MAX_FEED_ROWS) {
    throw new InputError(`The KEV feed lists more than ${MAX_FEED_ROWS} vulnerabilities`);
  }
  const byCve = new Map<string, KevEntry>();
  doc.vulnerabilities.forEach((v, i) => {
    const path = `vulnerabilities[${i}]`;
    if (!isObject(v)) throw new InputError(`The KEV feed's ${path} is not an object`);
    const cveId = typeof v.cveID === 'string' ? v.cveID.trim().toUpperCase() : '';
    if (!CVE.test(cveId)) throw new InputError(`The KEV feed's ${path}.cveID is not a CVE id (CVE-YYYY-NNNN)`);
    const dateAdded = typeof v.dateAdded === 'string' ? v.dateAdded.trim() : '';
    if (!DAY.test(dateAdded)) throw new InputError(`The KEV feed's ${path}.dateAdded is not a day (YYYY-MM-DD)`);
    const dueDate = text(v.dueDate, 10);
    byCve.set(cveId, {
      cveId,
      vendorProject: text(v.vendorProject, 255),
      product: text(v.product, 255),
      vulnerabilityName: text(v.vulnerabilityName, 512),
      dateAdded,
      dueDate: dueDate && DAY.test(dueDate) ? dueDate : undefined,
      ransomwareUse: text(v.knownRansomwareCampaignUse, 16),
    });
  });
  return { version: catalogVersion, publishedOn, entries: [...byCve.values()] };
}

/** The EPSS CSV (already gunzipped). */
export function parseEpss(body: Buffer): ParsedEpss {
  const content = body.toString('utf8').replace(/^\uFEFF/, '');
  const newline = content.indexOf('\n');
  const first = (newline < 0 ? content : content.slice(0, newline)).trim();
  if (!first.startsWith('#')) {
    throw new InputError('The EPSS feed must start with its #model_version:…,score_date:… line (the published CSV)');
  }
  const meta = new Map(
    first
      .slice(1)
      .split(',')
      .map(part => {
        const colon = part.indexOf(':');
        return [part.slice(0, colon).trim(), part.slice(colon + 1).trim()] as const;
      }),
  );
  const modelVersion = version(meta.get('model_version'), 'The EPSS feed line 1 has no model_version');
  const publishedOn = meta.get('score_date')?.slice(0, 10);
  if (!publishedOn || !DAY.test(publishedOn)) throw new InputError('The EPSS feed line 1 has no score_date (YYYY-MM-DD…)');

  let records: string[][];
  try {
    records = parse(content.slice(newline + 1), {
      skip_empty_lines: true,
      // No trim: the published file has none, and trimming every field doubles the parse time.
      relax_column_count: false,
      to: MAX_FEED_ROWS + 1,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new InputError(`The EPSS feed is not valid CSV${line ? ` at line ${line + 1}` : ''}`);
  }
  const [header, ...rows] = records;
  if (!header || header.join(',') !== 'cve,epss,percentile') {
    throw new InputError('The EPSS feed line 2 must be the header cve,epss,percentile');
  }
  if (rows.length > MAX_FEED_ROWS) throw new InputError(`The EPSS feed has more than ${MAX_FEED_ROWS} rows`);
  const scores = new Map<string, EpssScore>();
  rows.forEach((row, i) => {
    const line = i + 3;
    const cveId = row[0].toUpperCase();
    if (!CVE.test(cveId)) throw new InputError(`The EPSS feed line ${line}: the cve column is not a CVE id`);
    const score = unit(row[1]);
    const percentile = unit(row[2]);
    if (score === undefined) throw new InputError(`The EPSS feed line ${line}: epss is not a number between 0 and 1`);
    if (percentile === undefined) {
      throw new InputError(`The EPSS feed line ${line}: percentile is not a number between 0 and 1`);
    }
    scores.set(cveId, { cveId, score, percentile });
  });
  return { version: modelVersion, publishedOn, scores: [...scores.values()] };
}

function unit(value: string): number | undefined {
  if (!/^\d*\.?\d+(e-?\d+)?$/i.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}
