import { findNulCharacter, nulCharacterMessage } from '@devsecops-scorecard/plugin-devsecops-node';
import { applyPatches, Auth, Body, CorpusCase, CorpusRequest, isMarker, renderJson, renderText } from './model';
import { Endpoint, Kind } from './endpointModel';
import { esc, Expect, Path, q } from './helpers';
import { NUL, UUID } from './hostileValues';
import { validParamValue } from './queryValues';
import { baseRequest, encoded, queryString, request } from './requests';

// NUL characters ---------------------------------------------------------------------------------------
//
// A NUL (U+0000) in any query parameter or JSON field is refused at the root, after the body
// parser and before the OpenAPI validator, with `request/<query|body>/<path> must not contain NUL
// (\u0000)`; PostgreSQL's text columns and query parameters cannot hold NUL. Every endpoint gets a
// case per query parameter and per string of its JSON body (and a property name), and every other
// case whose request carries a NUL that reaches that check expects the same answer. (A report's own
// strings are scanner output: its parser turns NUL into U+FFFD, see nulCharactersApi.test.ts.)

/** Ids stand in for the records the test creates; they never carry NUL. */
export const NO_CTX = new Proxy({}, { get: () => UUID });
/** Credentials the backend's auth policy refuses before the plugin's router runs. */
export const REFUSED_BEFORE_ROUTER: Auth[] = ['none', 'garbage-bearer', 'empty-bearer', 'basic'];

export const nulExpect = (path: string): Expect => [400, esc(nulCharacterMessage(path))];

/** The query as Express's parser (qs) reads it: repeated names become arrays, `a[]`/`a[b]` nest. */
export function parsedQuery(url: string): Record<string, unknown> | undefined {
  const start = url.indexOf('?');
  if (start < 0) return {};
  const out: Record<string, unknown> = {};
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return undefined; // malformed percent-encoding: not a case for the NUL check
    }
    const nested = /^([^[\]]+)\[([^[\]]*)\]$/.exec(key);
    if (nested) {
      if (nested[2] === '__proto__' || nested[1] === '__proto__') continue;
      const holder = (out[nested[1]] ??= nested[2] === '' ? [] : {}) as Record<string, unknown> | unknown[];
      if (Array.isArray(holder)) holder.push(value);
      else holder[nested[2]] = value;
    } else if (key === '__proto__') {
      continue;
    } else if (key in out) {
      out[key] = ([] as unknown[]).concat(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The parsed JSON body Express would hand on (`express.json`: JSON types, 1 MB, objects and arrays). */
export function parsedJsonBody(ep: Endpoint, req: CorpusRequest, base: Body | undefined): unknown {
  if (ep.raw || !req.body) return undefined;
  const type = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) return undefined;
  if (Object.keys(req.headers ?? {}).some(k => k.toLowerCase() === 'content-encoding')) return undefined;
  const body = req.body;
  let text: string;
  if ('json' in body) text = renderJson(body.json, NO_CTX);
  else if ('patch' in body && base && 'json' in base) text = renderJson(applyPatches(base.json, body.patch), NO_CTX);
  else if ('text' in body) text = renderText(body.text, NO_CTX);
  else return undefined;
  if (Buffer.byteLength(text) > 1024 * 1024) return undefined;
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed[0] !== '{' && trimmed[0] !== '[') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** What a request carrying a NUL that reaches the root check is answered, else undefined. */
export function nulOutcome(ep: Endpoint, req: CorpusRequest): Expect | undefined {
  if (REFUSED_BEFORE_ROUTER.includes(req.auth)) return undefined;
  const url = renderText(req.url, NO_CTX);
  // Past the header limit (431) nothing of the plugin runs.
  if (url.length > 16_000) return undefined;
  const query = parsedQuery(url);
  const inQuery = query && findNulCharacter(query, 'request/query');
  if (inQuery) return nulExpect(inQuery);
  const body = parsedJsonBody(ep, req, baseRequest(ep).body);
  const inBody = body === undefined ? undefined : findNulCharacter(body, 'request/body');
  return inBody ? nulExpect(inBody) : undefined;
}

/** The strings of a JSON value (markers left out), with their paths. */
export function stringLeaves(value: unknown, path: Path = []): Array<[Path, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (isMarker(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  }
  return [];
}

/** A NUL in each query parameter, each string of the JSON body and each field the endpoint takes. */
export function nulCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const add = (name: string, req: CorpusRequest, [status, message]: Expect) =>
    out.push({ name: `NUL: ${name}`, request: req, expect: { status, message } });
  for (const param of ep.params) {
    const others = ep.query.filter(([k]) => k !== param.name);
    const value = `${validParamValue(param)}${NUL}`;
    const query = [...encoded(others), [param.name, q(value)]] as Array<[string, string]>;
    add(`query ${param.name} ending in NUL`, request(ep, { rawQuery: queryString(query) }), nulExpect(`request/query/${param.name}`));
    const alone = [[param.name, q(NUL)]] as Array<[string, string]>;
    add(`query ${param.name} of only NUL`, request(ep, { rawQuery: queryString(alone) }), nulExpect(`request/query/${param.name}`));
  }
  if (ep.json) {
    const base = ep.json.base;
    const seen = new Set<string>();
    for (const [path, value] of stringLeaves(base)) {
      seen.add(path.join('/'));
      add(`${path.join('.')} ending in NUL`, request(ep, { body: { patch: [{ path, value: `${value}${NUL}` }] } }), nulExpect(`request/body/${path.join('/')}`));
    }
    for (const field of ep.json.fields) {
      if (seen.has(field.path.join('/')) || field.type.kind === 'boolean') continue;
      // A list gets one string with NUL, a free JSON value one property, every other field a string.
      const shapes: Partial<Record<Kind['kind'], [unknown, Path]>> = {
        array: [[`x${NUL}`], [0]],
        any: [{ k: `v${NUL}` }, ['k']],
      };
      const [value, inside] = shapes[field.type.kind] ?? [`x${NUL}`, []];
      const where = `request/body/${[...field.path, ...inside].join('/')}`;
      add(`${field.path.join('.')} with NUL`, request(ep, { body: { patch: [{ path: field.path, value }] } }), nulExpect(where));
    }
    add('a property name with NUL', request(ep, { body: { patch: [{ path: [`x${NUL}`], value: 1 }] } }), nulExpect(`request/body/x\\u0000`));
    const nested = Object.entries(base).find(([, v]) => v && typeof v === 'object' && !Array.isArray(v) && !isMarker(v));
    if (nested) {
      add(`a property name with NUL inside ${nested[0]}`, request(ep, { body: { patch: [{ path: [nested[0], `k${NUL}`], value: 'v' }] } }), nulExpect(`request/body/${nested[0]}/k\\u0000`));
    }
  }
  return out;
}
