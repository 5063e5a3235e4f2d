/*
 * The hostile-input corpus as it is kept on disk (corpus/*.json), and how a case turns into bytes
 * at run time. Large or time-dependent parts of a request are markers in the files (a 1 MB string is
 * `{"$repeat":"x","times":1048576}`, a 10,000-level document is `{"$deep":10000}`, a date 30 days
 * ahead is `{"$inDays":30}`), so the committed files stay small and deterministic.
 */
import { gzipSync } from 'node:zlib';

/** Who sends the request: a CI service token, a user, no credentials or broken ones. */
export type Auth =
  | 'ci'
  | 'user'
  | 'dana'
  | 'rita'
  | 'otto'
  | 'none'
  | 'garbage-bearer'
  | 'empty-bearer'
  | 'basic';

/** Ids of records the test creates before the cases run (the corpus cannot know them). */
export type CtxId =
  | 'requestedId'
  | 'requestedId2'
  | 'approvedId'
  | 'approvedId2'
  | 'signalId'
  | 'exerciseId'
  | 'reportId'
  | 'deploymentId'
  | 'campaignId'
  | 'findingId';

export type Marker =
  | { $repeat: string; times: number }
  | { $raw: string }
  | { $deep: number; array?: boolean }
  | { $array: unknown; times: number }
  | { $inDays: number }
  | { $nextYear: string }
  | { $ctx: CtxId };

/** Text: a string, a marker, or a list of them concatenated. */
export type Text = string | Marker | Text[];

export type Body =
  /** A JSON value written out as text; markers inside expand (`$raw` and `$deep` verbatim). */
  | { json: unknown }
  /** The endpoint's base JSON body with fields set or removed (a path of keys and indexes). */
  | { patch: Patch[] }
  | { text: Text }
  | { base64: string }
  /** `bytes` bytes of value `byte` (a gzip bomb is `{gzip: {fill…}}`). */
  | { fill: number; byte: number }
  /** A file under the repository's fixtures/ folder. */
  | { fixture: string }
  | { gzip: Body; truncate?: number };

export type Patch = { path: Array<string | number>; value?: unknown; remove?: true };

export interface CorpusRequest {
  method: 'GET' | 'POST';
  url: Text;
  auth: Auth;
  headers?: Record<string, string>;
  body?: Body;
}

export interface CorpusCase {
  name: string;
  /** What differs from the file's base request (an unchanged JSON body is `{"patch": []}`). */
  request: Partial<CorpusRequest>;
  /** The exact status, and a pattern (RegExp source, case-sensitive) the error message must match. */
  expect: { status: number; message: string };
}

export interface CorpusFile {
  endpoint: string;
  /** A request the endpoint accepts; every case is a mutation of it. */
  base: CorpusRequest;
  cases: CorpusCase[];
}

const MARKER_KEYS = ['$repeat', '$raw', '$deep', '$array', '$inDays', '$nextYear', '$ctx'];

export function isMarker(value: unknown): value is Marker {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && MARKER_KEYS.includes(keys[0]);
}

export type Ctx = Partial<Record<CtxId, string>>;

/** A case's whole request: the base with the case's differences. */
export function caseRequest(base: CorpusRequest, request: Partial<CorpusRequest>): CorpusRequest {
  const body = base.body && 'json' in base.body ? { patch: [] } : base.body;
  return { ...base, ...(body ? { body } : {}), ...request };
}

/** The differences of a request from the base (the inverse of caseRequest). */
export function caseDiff(base: CorpusRequest, request: CorpusRequest): Partial<CorpusRequest> {
  const full = caseRequest(base, {});
  const out: Partial<CorpusRequest> = {};
  for (const key of Object.keys(request) as Array<keyof CorpusRequest>) {
    if (JSON.stringify(request[key]) !== JSON.stringify(full[key])) (out as any)[key] = request[key];
  }
  for (const key of Object.keys(full) as Array<keyof CorpusRequest>) {
    if (!(key in request)) throw new Error(`A case without the base's ${key} cannot be written as a difference`);
  }
  return out;
}

const deep = (n: number, array = false) =>
  array ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** The text a marker stands for (in JSON, `$raw` and `$deep` go in verbatim, the rest as strings). */
function markerText(marker: Marker, ctx: Ctx): string {
  if ('$repeat' in marker) return marker.$repeat.repeat(marker.times);
  if ('$raw' in marker) return marker.$raw;
  if ('$array' in marker) throw new Error('$array is a JSON value, not text');
  if ('$deep' in marker) return deep(marker.$deep, marker.array);
  if ('$inDays' in marker) return new Date(Date.now() + marker.$inDays * 86_400_000).toISOString();
  if ('$nextYear' in marker) return `${new Date().getUTCFullYear() + 1}${marker.$nextYear}`;
  const id = ctx[marker.$ctx];
  if (!id) throw new Error(`The test did not create ${marker.$ctx}`);
  return id;
}

export function renderText(text: Text, ctx: Ctx): string {
  if (typeof text === 'string') return text;
  if (Array.isArray(text)) return text.map(t => renderText(t, ctx)).join('');
  return markerText(text, ctx);
}

/** JSON text of a value; an own `__proto__` key is written like any other key. */
export function renderJson(value: unknown, ctx: Ctx): string {
  if (isMarker(value) && '$array' in value) {
    return `[${new Array(value.times).fill(renderJson(value.$array, ctx)).join(',')}]`;
  }
  if (isMarker(value)) {
    const text = markerText(value, ctx);
    return '$raw' in value || '$deep' in value ? text : JSON.stringify(text);
  }
  if (Array.isArray(value)) return `[${value.map(v => renderJson(v, ctx)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).map(
      key => `${JSON.stringify(key)}:${renderJson((value as Record<string, unknown>)[key], ctx)}`,
    );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The base JSON with the patches applied; keys are set as own properties (`__proto__` included). */
export function applyPatches(base: unknown, patches: Patch[]): unknown {
  const copy = JSON.parse(JSON.stringify(base));
  for (const { path, value, remove } of patches) {
    let target = copy;
    for (const part of path.slice(0, -1)) target = target[part];
    const last = path[path.length - 1];
    if (remove) delete target[last];
    else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

export function renderBody(
  body: Body,
  ctx: Ctx,
  readFixture: (path: string) => Buffer,
  base?: Body,
): Buffer {
  if ('json' in body) return Buffer.from(renderJson(body.json, ctx));
  if ('patch' in body) {
    if (!base || !('json' in base)) throw new Error('A patch needs a base JSON body');
    return Buffer.from(renderJson(applyPatches(base.json, body.patch), ctx));
  }
  if ('text' in body) return Buffer.from(renderText(body.text, ctx));
  if ('base64' in body) return Buffer.from(body.base64, 'base64');
  if ('fill' in body) return Buffer.alloc(body.fill, body.byte);
  if ('fixture' in body) return readFixture(body.fixture);
  const zipped = gzipSync(renderBody(body.gzip, ctx, readFixture, base));
  return body.truncate === undefined ? zipped : zipped.subarray(0, body.truncate);
}
