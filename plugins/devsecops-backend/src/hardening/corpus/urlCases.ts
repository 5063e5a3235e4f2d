/*
 * Cases of the URL: malformed, hostile and unknown path ids, and every refused value and shape
 * (repeated, array, object) of each query parameter.
 */
import { spec } from '../../schema/openapi';
import { CorpusCase, Text } from './model';
import { Endpoint, QueryParam } from './endpointModel';
import { esc, Expect, q } from './helpers';
import { ANSI, CTRL, DROP, EMOJI, HOSTILE_TEXT, IMG, RTL, SCRIPT, SQL, UUID } from './hostileValues';
import { paramValues, validParamValue } from './queryValues';
import { encoded, pathParts, queryString, request } from './requests';

export function pathIdCases(ep: Endpoint): CorpusCase[] {
  const { placeholder, notFound, param } = ep.pathId!;
  const isDigest = param === 'digest';
  const out: CorpusCase[] = [];
  const withId = (value: string): Text[] => pathParts(ep.path.replace(placeholder, '\u0000')).flatMap(p =>
    typeof p === 'string' && p.includes('\u0000') ? p.split('\u0000').flatMap((s, i) => (i === 0 ? [s] : [value, s])).filter(x => x !== '') : [p],
  );
  const numeric = !!ep.pathId!.numeric;
  let malformed: Expect = [400, `request/params/${param} must match pattern "\\^\\[0-9a-fA-F\\]\\{8\\}-`];
  if (numeric) malformed = [400, `request/params/${param} must match pattern "\\^\\[0-9\\]\\{1,18\\}\\$"`];
  if (isDigest) malformed = [400, 'Malformed artifact digest'];
  const bad: Array<[string, string]> = [
    ['not a uuid', 'not-a-uuid'],
    ['1', '1'],
    ['0', '0'],
    ['-1', '-1'],
    ['null', 'null'],
    ['undefined', 'undefined'],
    ['NaN', 'NaN'],
    ['1e400', '1e400'],
    ['SQL', q(SQL)],
    ['a DROP TABLE', q(DROP)],
    ['an encoded path', '..%2F..%2Fetc%2Fpasswd'],
    ['encoded NUL', '%00'],
    ['NUL after a uuid', `${UUID}%00`],
    ['a uuid with a suffix', `${UUID}x`],
    ['a uuid one short', UUID.slice(0, -1)],
    ['a uuid with g', UUID.replace('0000-4000', '000g-4000')],
    ['a uuid in braces', q(`{${UUID}}`)],
    ['a urn', `urn:uuid:${UUID}`],
    ['a uuid without dashes', UUID.replace(/-/g, '')],
    ['a uuid with an extra group', `${UUID}-0000`],
    ['two uuids', `${UUID},${UUID}`],
    ['1,000 characters', 'f'.repeat(1000)],
    ['a script', q(SCRIPT)],
    ['an img', q(IMG)],
    ['control characters', q(CTRL)],
    ['ANSI escapes', q(ANSI)],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['emoji', q(EMOJI)],
    ['a right-to-left override', q(RTL)],
    ['a space', '%20'],
    ['a uuid in spaces', `%20${UUID}%20`],
    ['a tab', '%09'],
    ['*', '*'],
    ['$ne', '$ne'],
    ['[object Object]', q('[object Object]')],
    ['an encoded slash', '%2F'],
    ['a uuid and a path', `${UUID}%2Fextra`],
    ['a uuid and SQL', q(`${UUID}' OR '1'='1`)],
    ['a uuid and a semicolon', q(`${UUID};`)],
    ['a dot', '.'],
    ['dot dot, encoded', '%2E%2E'],
    ['a uuid in capitals with G', UUID.toUpperCase().replace('0000-4000', '000G-4000')],
    ['a uuid with NUL inside', `${UUID.slice(0, 8)}%00${UUID.slice(9)}`],
    ['a JSON object', q(`{"$gt":""}`)],
    ['a negative zero', '-0'],
    ['a very large number', '9'.repeat(40)],
    ['with CR LF', q(`${UUID}\r\nX-Injected: 1`)],
  ];
  if (isDigest) {
    bad.push(
      ['"latest"', 'latest'],
      ['63 hex characters', `sha256:${'a'.repeat(31)}`],
      ['md5', `md5:${'a'.repeat(32)}`],
      ['non-hex', `sha256:${'g'.repeat(64)}`],
    );
  }
  if (numeric) {
    bad.push(['a uuid', UUID], ['19 digits', '1'.repeat(19)], ['a leading plus', '%2B1'], ['hex', '0x1F'], ['a decimal', '1.5']);
  }
  // A numeric id of digits only is well-formed (below: unknown ones are a 404).
  for (const [name, value] of bad.filter(([, v]) => !numeric || !/^[0-9]{1,18}$/.test(v))) {
    const expect: Expect = isDigest && value.length > 200 ? [400, 'request/params/digest must NOT have more than 200 characters'] : malformed;
    out.push({ name: `${param} ${name}`, request: request(ep, { path: withId(value) }), expect: { status: expect[0], message: expect[1] } });
  }
  // Malformed percent-encoding fails in the router before any handler.
  for (const [name, value] of [['a lone %', '%'], ['%zz', '%zz'], ['broken UTF-8', '%E0%A4%A']] as Array<[string, string]>) {
    out.push({ name: `${param} ${name}`, request: request(ep, { path: withId(value) }), expect: { status: 400, message: 'malformed uri' } });
  }
  // Large ids: the test's own findings have small ones.
  const numericIds: Array<[string, string]> = [
    ['the largest 18-digit id', '999999999999999999'],
    ['an unknown id', '900000000000000001'],
    ['an unknown id with leading zeros', '000000900000000002'],
    ['beyond 2^53', '9007199254740993'],
  ];
  const otherIds: Array<[string, string]> = isDigest
    ? [
        ['an unknown sha256', `sha256:${'b'.repeat(64)}`],
        ['an unknown sha512', `sha512:${'c'.repeat(128)}`],
        ['an unknown sha1', `sha1:${'d'.repeat(40)}`],
      ]
    : [
        ['the nil uuid', '00000000-0000-0000-0000-000000000000'],
        ['the max uuid', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
        ['an unknown v4 uuid', UUID],
        ['an unknown v1 uuid', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
        ['an unknown v7 uuid', '018f3c4e-8d5a-7b1c-9e2f-3a4b5c6d7e8f'],
        ['an unknown v3 uuid', 'a3bb189e-8bf9-3888-9912-ace4e6543002'],
        ['an unknown v5 uuid', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
        ['an unknown uuid in capitals', 'C232AB00-9414-11EC-B3C8-9F6BDECED846'],
        ['an almost-max uuid', 'ffffffff-ffff-ffff-ffff-fffffffffffe'],
      ];
  const wellFormed = numeric ? numericIds : otherIds;
  for (const [name, value] of wellFormed) {
    out.push({ name: `${param} ${name}`, request: request(ep, { path: withId(value) }), expect: { status: 404, message: notFound(value) } });
  }
  return out;
}

export function queryCases(ep: Endpoint, param: QueryParam): CorpusCase[] {
  const out: CorpusCase[] = [];
  const others = ep.query.filter(([k]) => k !== param.name && !(param.type === 'repository' && k === 'entity'));
  // Parameters that name one scope replace the base one (entity → repository, group → system…).
  const exclusive = ['entity', 'repository', 'group', 'system', 'domain', 'org', 'scope'];
  const kept = exclusive.includes(param.name) ? others.filter(([k]) => !exclusive.includes(k)) : others;
  for (const [name, value, given] of paramValues(param)) {
    const raw = name === 'after to' ? value : q(value);
    const expect = name === 'after to' ? given : queryExpect(ep, param.name, value, raw, given);
    const query = [...encoded(kept), [param.name, raw]] as Array<[string, string]>;
    const rawQuery = queryString(query);
    out.push({ name: `${param.name} ${name}`, request: request(ep, { rawQuery }), expect: { status: expect[0], message: expect[1] } });
  }
  // Shapes the query parser turns into arrays and objects.
  const valid = validParamValue(param);
  const shape = (n: string, raw: string) =>
    out.push({
      name: `${param.name} ${n}`,
      request: request(ep, { rawQuery: queryString([...encoded(kept), [raw, '']].map(([k, v]) => [k, v]) as Array<[string, string]>).replace(/=$/, '') }),
      expect: { status: 400, message: `request/query/${esc(param.name)} must be string` },
    });
  shape('twice', `${param.name}=${q(valid)}&${param.name}=${q(valid)}`);
  shape('as an array', `${param.name}[]=${q(valid)}`);
  shape('as an object', `${param.name}[a]=${q(valid)}`);
  shape('as an object with __proto__', `${param.name}[__proto__][polluted]=1`);
  // Hostile text in a free-text parameter is data; with an unknown entity it must come back as that 404.
  if (param.type === 'text' && ep.refuse.query) {
    for (const [n, v] of HOSTILE_TEXT) {
      const query = [...encoded(kept.filter(([k]) => !ep.refuse.query!.some(([r]) => r === k))), ...encoded(ep.refuse.query), [param.name, q(v)]] as Array<[string, string]>;
      const expect = queryExpect(ep, param.name, v, q(v), ep.refuse.expect);
      out.push({ name: `${param.name} with ${n}, for an unknown entity`, request: request(ep, { rawQuery: queryString(query) }), expect: { status: expect[0], message: expect[1] } });
    }
  }
  // A URL longer than the server's header limit.
  if (param === ep.params[0]) {
    out.push({
      name: `${param.name} of 20 kB (URL over the header limit)`,
      request: request(ep, { rawQuery: ['?', ...encoded(kept).map(([k, v]) => `${k}=${v}&`), `${param.name}=`, { $repeat: 'x', times: 20_000 }] }),
      expect: { status: 431, message: '^$' },
    });
  }
  return out;
}

/**
 * Characters the validator refuses unencoded in a parameter without allowReserved (it reads the
 * query through url.parse, which escapes the quote; encodeURIComponent leaves !()* as they are).
 */
export const RESERVED = /[:/?#[\]@!$&()*+,;=]/;

/** Whether the contract lets the parameter carry reserved characters (refs, repositories, digests). */
export function allowsReserved(ep: Endpoint, name: string): boolean {
  const [method, path] = ep.endpoint.split(' ');
  const operation = (spec.paths as any)[path]?.[method.toLowerCase()];
  return !!operation?.parameters?.find((p: { name: string }) => p.name === name)?.allowReserved;
}

/** An empty value, and reserved characters where the contract does not allow them, are refused before anything else. */
export function queryExpect(ep: Endpoint, name: string, value: string, raw: string, given: Expect): Expect {
  if (value === '') return [400, `Empty value found for query parameter '${esc(name)}'`];
  if (!allowsReserved(ep, name) && RESERVED.test(raw)) return [400, `Parameter '${esc(name)}' must be url encoded`];
  return given;
}
