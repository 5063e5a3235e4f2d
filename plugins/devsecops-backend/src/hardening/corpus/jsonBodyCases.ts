/*
 * Cases of a JSON body: the mutations of each field, hostile text refused for another reason,
 * and whole-body mutations (invalid JSON, wrong top-level types, content types and encodings,
 * unknown and prototype keys).
 */
import { Body, CorpusCase, Patch, Text } from './model';
import { Endpoint, Field } from './endpointModel';
import { fieldMutations, Mutation, scopeMutations } from './fieldMutations';
import { esc, Expect, Path, REMOVE, TOO_LARGE } from './helpers';
import { HOSTILE_TEXT, MB, NUL, SCRIPT, UNKNOWN_NAMES } from './hostileValues';
import { request, swapPath } from './requests';
import { ticketUrlDataCases } from './ticketFields';

export function jsonFieldCases(ep: Endpoint, field: Field): CorpusCase[] {
  const base = ep.json!.base;
  const label = field.path.join('.');
  const out: CorpusCase[] = [];
  // Without its exclusive partner: a repository replaces the entity ref.
  const start: Patch[] = field.path[0] === 'repository' ? [{ path: ['entityRef'], remove: true }] : [];
  const set = (value: unknown): Patch =>
    value === REMOVE ? { path: field.path, remove: true } : { path: field.path, value };
  const isObjectField = field.path.length === 1 && field.path[0] === 'scope';
  const mutations: Mutation[] = isObjectField ? scopeMutations() : fieldMutations(field);
  for (const m of mutations) {
    out.push({ name: `${label} ${m.name}`, request: request(ep, { body: { patch: [...start, set(m.value)] } }), expect: { status: m.expect[0], message: m.expect[1] } });
  }
  // Hostile but well-formed text: refused for another reason, and that reason is what comes back.
  if (field.type.kind === 'text' && !isObjectField) {
    const min = field.type.min;
    const refuse = field.refuse ?? { patch: ep.refuse.patch ?? [], expect: ep.refuse.expect };
    for (const [n, v] of HOSTILE_TEXT) {
      if ([...v].length < min) continue;
      const body: Body = { patch: [...start, set(v), ...refuse.patch] };
      const req = ep.refuse.path ? request(ep, { body, path: swapPath(ep, ep.refuse.path) }) : request(ep, { body });
      out.push({ name: `${label} with ${n}, refused for another reason`, request: req, expect: { status: refuse.expect[0], message: refuse.expect[1] } });
    }
  }
  if (field.type.kind === 'ticketUrl') out.push(...ticketUrlDataCases(ep, field, set));
  // A nested object gets prototype keys and unknown keys of its own.
  if (field.path.length === 3 && field.path[2] === Object.keys(getPath(base, field.path.slice(0, 2)) as object)[0]) {
    const parent = field.path.slice(0, 2);
    const at0 = `request/body/${parent.join('/')}`;
    for (const key of ['__proto__', 'constructor', 'extra']) {
      const value = key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true };
      out.push({ name: `${parent.join('.')} with a ${key} key`, request: request(ep, { body: { patch: [{ path: [...parent, key], value }] } }), expect: { status: 400, message: `${esc(at0)} must NOT have additional properties` } });
    }
  }
  return out;
}

export function getPath(root: unknown, path: Path): unknown {
  return path.reduce((value: any, part) => value?.[part], root);
}

export function wholeJsonCases(ep: Endpoint): CorpusCase[] {
  const base = ep.json!.base;
  const out: CorpusCase[] = [];
  const add = (name: string, body: Body | undefined, expect: Expect, headers: Record<string, string> | undefined = { 'Content-Type': 'application/json' }) => {
    const req = request(ep, { body, headers });
    if (!body) delete req.body;
    if (!headers) delete req.headers;
    out.push({ name, request: req, expect: { status: expect[0], message: expect[1] } });
  };
  const invalid = 'is not valid JSON|Unexpected|Unterminated|Expected|JSON';
  // The base, as deterministic text, cut at several points.
  const text = JSON.stringify(base, (_k, v) => (v && typeof v === 'object' && '$inDays' in v ? '2026-01-01T00:00:00.000Z' : v));
  for (const cut of [1, 2, Math.floor(text.length / 4), Math.floor(text.length / 2), Math.floor((3 * text.length) / 4), text.length - 1]) {
    add(`truncated at ${cut} of ${text.length}`, { text: text.slice(0, cut) }, [400, invalid]);
  }
  for (const [name, body] of [
    ['single quotes', text.replace(/"/g, "'")],
    ['a trailing comma', `${text.slice(0, -1)},}`],
    ['unquoted keys', text.replace(/"([a-zA-Z]+)":/g, '$1:')],
    ['NaN', text.replace(/^\{/, '{"n":NaN,')],
    ['Infinity', text.replace(/^\{/, '{"n":Infinity,')],
    ['a comment', `/* hi */${text}`],
    ['undefined', 'undefined'],
    ['a hex number', text.replace(/^\{/, '{"n":0x10,')],
    ['a raw newline in a string', text.replace(/^\{/, '{"n":"a\nb",')],
    ['an invalid escape', text.replace(/^\{/, '{"n":"\\x41",')],
    ['two documents', `${text}${text}`],
    ['a lone brace', '{'],
    ['10,000 unclosed arrays', { $repeat: '[', times: 10_000 }],
    ['a byte-order mark and garbage', '\ufeff\u0000\u0001'],
  ] as Array<[string, Text]>) {
    add(`invalid JSON: ${name}`, { text: body }, [400, invalid]);
  }
  const top = 'request/body must be object';
  add('a top-level array', { text: `[${text}]` }, [400, top]);
  // JSON that is not an object or array is refused by the body parser (strict mode).
  // The refusal names the type, never the text (it could be a secret).
  for (const [name, body, type] of [
    ['a string', '"production"', 'string'],
    ['a number', '42', 'number'],
    ['true', 'true', 'boolean'],
  ] as Array<[string, string, string]>) {
    add(`a top-level ${name}`, { text: body }, [400, `The request body must be a JSON object, not ${type}`]);
  }
  add('null', { text: 'null' }, [400, 'The request body must be a JSON object, not null']);
  add('10,000 nested objects', { json: { $deep: 10_000 } }, [400, 'request/body must NOT have additional properties|must have required property']);
  add('10,000 nested arrays', { json: { $deep: 10_000, array: true } }, [400, top]);
  add('an empty object', { json: {} }, ep.file === 'post-runtime-signals-timeline' ? [400, 'Pass containedAt, remediatedAt or both'] : [400, 'request/body must have required property']);
  add('an empty body', { text: '' }, [400, ep.file === 'post-runtime-signals-timeline' ? 'Pass containedAt, remediatedAt or both|request/body' : 'request/body']);
  add('a body over 1 MB', { patch: [{ path: ['padding'], value: MB }] }, TOO_LARGE);
  // Content types and encodings.
  for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'application/javascript']) {
    add(`content type ${type}`, { patch: [] }, [400, 'unsupported media type|media type'], { 'Content-Type': type });
  }
  add('no content type', { patch: [] }, [400, 'request/body|media type|content'], {});
  // UTF-8 bytes read as UTF-16 are not JSON.
  add('content type json in UTF-16', { patch: [] }, [400, 'is not valid JSON'], { 'Content-Type': 'application/json; charset=utf-16' });
  add('a gzip bomb (Content-Encoding)', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, TOO_LARGE, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  add('broken gzip (Content-Encoding)', { gzip: { patch: [] }, truncate: 20 }, [400, 'The request body is not valid gzip \\(Content-Encoding\\): Z_BUF_ERROR'], { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  add('not gzip at all (Content-Encoding)', { patch: [] }, [400, 'The request body is not valid gzip \\(Content-Encoding\\): Z_DATA_ERROR'], { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  add('not deflate at all (Content-Encoding)', { patch: [] }, [400, 'The request body is not valid deflate \\(Content-Encoding\\): Z_DATA_ERROR'], { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' });
  add('an unknown Content-Encoding', { patch: [] }, [400, 'unsupported content encoding "zstd"'], { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' });
  // Unknown and prototype keys at the top level.
  for (const key of UNKNOWN_NAMES) {
    add(`unknown field ${key}`, { patch: [{ path: [key], value: key === 'constructor' ? { prototype: { polluted: true } } : true }] }, [400, 'request/body must NOT have additional properties']);
  }
  for (const [name, key] of [['a __proto__ key', '__proto__'], ['an empty key', ''], ['a key with NUL', `a${NUL}`], ['a script as key', SCRIPT]]) {
    add(name, { patch: [{ path: [key], value: { polluted: true } }] }, [400, 'request/body must NOT have additional properties']);
  }
  // A duplicate key: the last one wins, and it is invalid.
  const firstKey = ep.json!.fields.find(f => f.path.length === 1 && f.type.kind !== 'text' && f.path[0] !== 'entityRef' && f.path[0] !== 'repository' && f.type.kind !== 'any');
  if (firstKey) {
    const key = String(firstKey.path[0]);
    add(`duplicate key ${key}, the last one invalid`, { text: text.replace(/^\{/, `{"${key}":"x",`).replace(/\}$/, `,"${key}":42}`) }, [400, `request/body/${esc(key)} must be `]);
  }
  return out;
}
