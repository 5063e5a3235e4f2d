/*
 * Cases of the raw bodies: report and attestation uploads (invalid and unknown documents, gzip
 * bombs, media types), and a body sent to an endpoint that reads.
 */
import { Body, CorpusCase, Text } from './model';
import { BUNDLE, Endpoint, trivyImage } from './endpointModel';
import { esc, Expect, own, TOO_LARGE } from './helpers';
import { MB, SCRIPT } from './hostileValues';
import { request } from './requests';

export function rawBodyCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const report = ep.raw === 'report';
  const add = (name: string, body: Body, expect: Expect, type = 'application/json', extra: Record<string, string> = {}) =>
    out.push({ name, request: request(ep, { body, headers: { 'Content-Type': type, ...extra } }), expect: { status: expect[0], message: expect[1] } });
  const text = JSON.stringify(trivyImage);
  const invalid: Expect = report ? [400, 'not valid JSON'] : [400, 'JSON|bundle|envelope|attestation'];
  for (const cut of [1, 2, 10, Math.floor(text.length / 2), text.length - 1]) {
    add(`truncated at ${cut} of ${text.length}`, { text: text.slice(0, cut) }, invalid);
  }
  for (const [name, body] of [
    ['single quotes', "{'SchemaVersion':2}"],
    ['a trailing comma', '{"SchemaVersion":2,}'],
    ['NaN', '{"SchemaVersion":NaN}'],
    ['unquoted keys', '{SchemaVersion:2}'],
    ['10,000 unclosed arrays', { $repeat: '[', times: 10_000 }],
  ] as Array<[string, Text]>) {
    add(`invalid JSON: ${name}`, { text: body }, invalid);
  }
  const unknown: Expect = report ? [415, 'no known format'] : [400, 'bundle: not a Sigstore bundle \\(mediaType'];
  // Reports: refused before any walk over them, naming the nesting limit (issue 13 item 13).
  const tooDeep: Expect = [400, 'nests objects and arrays more than 512 levels deep'];
  add('10,000 nested objects', { json: { $deep: 10_000 } }, report ? tooDeep : unknown);
  add('10,000 nested arrays', { json: { $deep: 10_000, array: true } }, report ? tooDeep : [400, 'bundle\\[0\\]\\[0\\]\\[0\\]: attestations nested too deeply']);
  add('unknown JSON', { json: { hello: 'world' } }, unknown);
  add('unknown JSON with __proto__', { json: own('__proto__', { polluted: true }) }, unknown);
  add('1 MB string in an unknown document', { json: own(SCRIPT, MB) }, unknown);
  add('an empty body', { text: '' }, report ? [415, 'report is empty'] : [400, 'empty|bundle|attestation'], 'application/octet-stream');
  add('whitespace only', { text: ' \n\t ' }, report ? [415, 'report is empty'] : [400, 'empty|bundle|attestation|JSON'], 'application/octet-stream');
  add('random binary', { base64: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 0xff]).toString('base64') }, report ? [415, 'text that is not JSON'] : [400, 'JSON|bundle|envelope|attestation'], 'application/octet-stream');
  add('a gzip bomb as a gzip file', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes'], 'application/gzip');
  add('a gzip bomb as Content-Encoding', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes'], 'application/json', { 'Content-Encoding': 'gzip' });
  add('gzip magic then garbage', { base64: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('definitely not deflate data')]).toString('base64') }, [400, 'not valid gzip'], 'application/gzip');
  add('truncated gzip', { gzip: report ? { json: trivyImage } : { fixture: BUNDLE }, truncate: 40 }, [400, 'not valid gzip'], 'application/gzip');
  for (const type of ['image/png', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    add(`content type ${type}`, report ? { json: trivyImage } : { fixture: BUNDLE }, [415, `Unsupported media type ${esc(type.split(';')[0])}`], type);
  }
  if (report) {
    add('a SARIF whose results is a number', { fixture: 'sarif/edge-invalid-results-is-number.sarif' }, [400, '\\$\\.runs\\[0\\]\\.results']);
    add('a SARIF whose runs is a string', { text: '{"version":"2.1.0","runs":"x"}' }, [415, 'object with keys version, runs\\) of no known format']);
    add('JSON lines of no known format', { text: '{"a":1}\n{"b":2}\n' }, [415, 'JSON lines of no known format'], 'application/x-ndjson');
    add('SPDX tag-value', { text: 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n' }, [415, 'SPDX tag-value'], 'text/plain');
    add('UTF-16 JSON', { base64: Buffer.from(`\ufeff${text}`, 'utf16le').toString('base64') }, [415, 'text that is not JSON'], 'application/octet-stream');
    add('a CycloneDX of an unknown spec version', { text: '{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}' }, [415, 'no known format|specVersion']);
  } else {
    add('an unsigned in-toto statement', { fixture: 'attestations/sigstore-js-statement.json' }, [400, 'without DSSE envelope or Sigstore bundle: there is no signature to verify']);
    add('a bundle naming another artifact', { fixture: BUNDLE }, [400, `No signed subject names sha256:${'b'.repeat(64)}`]);
  }
  // The last one needs the artifact parameter.
  if (!report) {
    const last = out[out.length - 1];
    last.request.url = [...(last.request.url as Text[]).slice(0, -1), `?entity=payments-api&artifact=sha256:${'b'.repeat(64)}`];
  }
  return out;
}

export function bodyOnGetCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const add = (name: string, body: Body, headers: Record<string, string>, expect: Expect) =>
    out.push({ name, request: request(ep, { body, headers }), expect: { status: expect[0], message: expect[1] } });
  const invalid: Expect = [400, 'is not valid JSON|Unexpected|Unterminated|Expected|JSON'];
  const json = { 'Content-Type': 'application/json' };
  for (const [name, text] of [
    ['truncated JSON', '{"entity":'],
    ['single quotes', "{'entity':'x'}"],
    ['a trailing comma', '{"a":1,}'],
    ['NaN', '{"a":NaN}'],
    ['a lone brace', '{'],
    ['10,000 unclosed arrays', { $repeat: '[', times: 10_000 }],
    ['null', 'null'],
    ['garbage', '\u0000\u0001'],
  ] as Array<[string, Text]>) {
    add(`a JSON body of ${name}`, { text }, json, name === 'null' ? [400, 'must be a JSON object, not null'] : invalid);
  }
  add('a JSON body over 1 MB', { json: { a: MB } }, json, TOO_LARGE);
  add('a gzip bomb as a JSON body', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, { ...json, 'Content-Encoding': 'gzip' }, TOO_LARGE);
  add('a broken gzip JSON body', { gzip: { json: { a: 1 } }, truncate: 12 }, { ...json, 'Content-Encoding': 'gzip' }, [400, 'The request body is not valid gzip \\(Content-Encoding\\): Z_BUF_ERROR']);
  add('a JSON body in UTF-16', { json: { a: 1 } }, { 'Content-Type': 'application/json; charset=utf-16' }, [400, 'is not valid JSON']);
  add('a JSON body with an unknown encoding', { json: { a: 1 } }, { ...json, 'Content-Encoding': 'zstd' }, [400, 'unsupported content encoding "zstd"']);
  return out;
}
