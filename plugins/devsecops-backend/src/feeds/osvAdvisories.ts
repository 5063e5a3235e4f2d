import { InputError } from '@backstage/errors';
import { unzipSync } from 'fflate';
import { PayloadTooLargeError } from '../ingest/errors';

/*
 * OSV advisory sets as osv.dev and the GitHub Advisory Database publish them
 * (https://ossf.github.io/osv-schema/): one advisory (`{"id": …, "affected": […]}`), a JSON array
 * of advisories, or a zip of `<id>.json` files (osv.dev's per-ecosystem `all.zip`). Refusals name
 * the path (or the entry's place in the zip) and what was expected, never a value found.
 */

/** More advisories than osv.dev holds for its largest ecosystem, by an order of magnitude. */
export const MAX_ADVISORIES = 500_000;

export interface OsvRange {
  type: string;
  events: Array<{ introduced?: string; fixed?: string; last_affected?: string; limit?: string }>;
}

export interface OsvAffected {
  ecosystem: string;
  name: string;
  purl?: string;
  ranges: OsvRange[];
  versions: string[];
}

export interface OsvAdvisory {
  id: string;
  aliases: string[];
  modified?: string;
  /** When the advisory was withdrawn (its findings close). */
  withdrawn?: string;
  affected: OsvAffected[];
  /** The record as published: the osv-scanner normaliser reads severity, summary and fixes from it. */
  record: Record<string, unknown>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isZip = (body: Buffer) => body.length > 3 && body[0] === 0x50 && body[1] === 0x4b && body[2] === 0x03 && body[3] === 0x04;

/** The advisories of an upload (already gunzipped): one JSON advisory, an array, or a zip of them. */
export function parseOsvAdvisories(body: Buffer, maxBytes: number): OsvAdvisory[] {
  if (isZip(body)) return parseZip(body, maxBytes);
  const doc = parseJson(body, 'The OSV advisory set');
  if (Array.isArray(doc)) {
    if (doc.length > MAX_ADVISORIES) throw new InputError(`The OSV advisory set has more than ${MAX_ADVISORIES} advisories`);
    return doc.map((record, i) => parseAdvisory(record, `[${i}]`));
  }
  return [parseAdvisory(doc, '$')];
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new InputError(`${what} is not valid JSON (expected an OSV advisory, an array of them or a zip of <id>.json files)`);
  }
}

function parseZip(body: Buffer, maxBytes: number): OsvAdvisory[] {
  let unpacked = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(body), {
      filter: file => {
        if (!file.name.toLowerCase().endsWith('.json')) return false;
        unpacked += file.originalSize;
        if (unpacked > maxBytes) {
          throw new PayloadTooLargeError(
            `The OSV zip unpacks to more than ${maxBytes} bytes (devsecops.exploitability.feeds.maxBytes)`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error;
    throw new InputError('The OSV advisory set is not a readable zip');
  }
  const names = Object.keys(entries).sort();
  if (names.length === 0) throw new InputError('The OSV zip has no .json advisories');
  if (names.length > MAX_ADVISORIES) throw new InputError(`The OSV zip has more than ${MAX_ADVISORIES} advisories`);
  // Entries are named by their place in the zip, never by their (uploaded) names.
  return names.map((name, i) => parseAdvisory(parseJson(Buffer.from(entries[name]), `The OSV zip's .json entry ${i + 1}`), `zip entry ${i + 1}`));
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;
}

function strings(value: unknown, max: number): string[] {
  return Array.isArray(value) ? value.map(v => text(v, max)).filter((v): v is string => v !== undefined) : [];
}

function parseAdvisory(record: unknown, path: string): OsvAdvisory {
  if (!isObject(record)) throw new InputError(`OSV advisory ${path} is not an object`);
  const id = typeof record.id === 'string' ? record.id.trim() : '';
  if (!ID.test(id)) throw new InputError(`OSV advisory ${path} has no id (such as GHSA-jfh8-c2jp-5v3q)`);
  if (record.affected !== undefined && !Array.isArray(record.affected)) {
    throw new InputError(`OSV advisory ${path}: affected must be an array`);
  }
  const affected = (record.affected ?? []) as unknown[];
  return {
    id,
    aliases: strings(record.aliases, 128).filter(a => ID.test(a)),
    modified: text(record.modified, 64),
    withdrawn: text(record.withdrawn, 64),
    affected: affected.flatMap((a, i) => parseAffected(a, `${path}.affected[${i}]`)),
    record,
  };
}

function parseAffected(value: unknown, path: string): OsvAffected[] {
  if (!isObject(value)) throw new InputError(`OSV advisory ${path} is not an object`);
  // An entry without a package names a git repository only (ranges of type GIT): nothing to match in an SBOM.
  if (value.package === undefined) return [];
  if (!isObject(value.package)) throw new InputError(`OSV advisory ${path}.package is not an object`);
  const ecosystem = text(value.package.ecosystem, 64);
  const name = text(value.package.name, 512);
  if (!ecosystem || !name) throw new InputError(`OSV advisory ${path}.package needs ecosystem and name`);
  if (value.ranges !== undefined && !Array.isArray(value.ranges)) throw new InputError(`OSV advisory ${path}.ranges must be an array`);
  const ranges = ((value.ranges ?? []) as unknown[]).map((r, i) => {
    if (!isObject(r) || typeof r.type !== 'string' || !Array.isArray(r.events)) {
      throw new InputError(`OSV advisory ${path}.ranges[${i}] needs a type and an events array`);
    }
    const events = r.events.map((e, j) => {
      if (!isObject(e)) throw new InputError(`OSV advisory ${path}.ranges[${i}].events[${j}] is not an object`);
      const event: OsvRange['events'][number] = {};
      for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
        const v = text(e[key], 128);
        if (v !== undefined) event[key] = v;
      }
      return event;
    });
    return { type: r.type, events };
  });
  return [{ ecosystem, name, purl: text(value.package.purl, 1024), ranges, versions: strings(value.versions, 128) }];
}
