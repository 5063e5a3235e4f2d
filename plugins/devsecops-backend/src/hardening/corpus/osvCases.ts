/*
 * Cases of the OSV advisory upload (POST /v1/feeds/osv): broken and hostile OSV JSON (one advisory,
 * an array), zips, gzip bombs, media types. Every refusal names the path (or the entry's place in
 * the zip) and what was expected, never a value sent.
 */
import { zipSync } from 'fflate';
import { Body, CorpusCase } from './model';
import { Endpoint } from './endpointModel';
import { esc, Expect, own } from './helpers';
import { HOSTILE_TEXT, MB, SCRIPT } from './hostileValues';
import { request } from './requests';
import { OSV_FIXTURE } from './feedCases';

const pkg = { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' };
const range = { type: 'ECOSYSTEM', events: [{ introduced: '2.13.0' }, { fixed: '2.15.0' }] };
const advisory = (over: Record<string, unknown> = {}) => ({ id: 'GHSA-jfh8-c2jp-5v3q', aliases: ['CVE-2021-44228'], affected: [{ package: pkg, ranges: [range] }], ...over });
const withAffected = (affected: unknown) => advisory({ affected: [affected] });
/** A zip as osv.dev exports it, with a fixed time so the corpus is the same on every run. */
const zip = (files: Record<string, string>): Body => ({
  base64: Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([n, t]) => [n, new Uint8Array(Buffer.from(t))])), { mtime: new Date('2026-12-06T00:00:00Z') }),
  ).toString('base64'),
});

export function osvBodyCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const add = (name: string, body: Body, expect: Expect, type = 'application/json', extra: Record<string, string> = {}) =>
    out.push({ name, request: request(ep, { body, headers: { 'Content-Type': type, ...extra } }), expect: { status: expect[0], message: expect[1] } });
  const notJson: Expect = [400, 'The OSV advisory set is not valid JSON'];

  add('an empty body', { text: '' }, [400, 'The OSV advisory set \\(an advisory, an array of them or a zip\\) must be sent as the request body'], 'application/octet-stream');
  add('a gzip bomb as a gzip file', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes|larger than \\d+ bytes'], 'application/gzip');
  add('a gzip bomb as Content-Encoding', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes|larger than \\d+ bytes'], 'application/octet-stream', { 'Content-Encoding': 'gzip' });
  add('gzip magic then garbage', { base64: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('definitely not deflate data')]).toString('base64') }, [400, 'not valid gzip'], 'application/gzip');
  add('truncated gzip', { gzip: { fixture: OSV_FIXTURE }, truncate: 40 }, [400, 'not valid gzip'], 'application/gzip');
  for (const type of ['image/png', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/sarif+json']) {
    add(`content type ${type}`, { fixture: OSV_FIXTURE }, [415, `Unsupported media type ${esc(type.split(';')[0])}`], type);
  }

  const text = JSON.stringify(advisory());
  for (const cut of [1, 2, 10, Math.floor(text.length / 2), text.length - 1]) add(`truncated at ${cut} of ${text.length}`, { text: text.slice(0, cut) }, notJson);
  for (const [name, body] of [
    ['single quotes', "{'id':'GHSA-1'}"],
    ['a trailing comma', '{"id":"GHSA-1",}'],
    ['NaN', '{"id":NaN}'],
    ['whitespace only', ' \n\t '],
    ['random binary', '\u00de\u00ad\u0000\u0001'],
    ['a CSV', 'cve,epss,percentile\nCVE-2021-44228,0.9,0.9'],
  ] as Array<[string, string]>) {
    add(`invalid JSON: ${name}`, { text: body }, notJson);
  }
  for (const [name, value] of [['a string', 'GHSA-jfh8-c2jp-5v3q'], ['a number', 2021], ['null', null], ['true', true]] as Array<[string, unknown]>) {
    add(`a top-level ${name}`, { json: value }, [400, 'OSV advisory \\$ is not an object']);
    add(`an array holding ${name}`, { json: [advisory(), value] }, [400, 'OSV advisory \\[1\\] is not an object']);
  }
  add('an array of arrays', { json: [[advisory()]] }, [400, 'OSV advisory \\[0\\] is not an object']);
  add('10,000 nested arrays', { text: [{ $repeat: '[', times: 10_000 }, { $repeat: ']', times: 10_000 }] }, [400, 'OSV advisory \\[0\\] is not an object|not valid JSON']);

  const noId: Expect = [400, 'OSV advisory \\$ has no id'];
  add('no id', { json: advisory({ id: undefined }) }, noId);
  add('a numeric id', { json: advisory({ id: 44228 }) }, noId);
  add('an empty id', { json: advisory({ id: ' ' }) }, noId);
  add('an id of 129 characters', { json: advisory({ id: `GHSA-${'x'.repeat(124)}` }) }, noId);
  add('an id of 1 MB', { json: advisory({ id: MB }) }, noId);
  add('an id with a slash', { json: advisory({ id: 'GHSA/../../etc/passwd' }) }, noId);
  add('an id with spaces', { json: advisory({ id: 'GHSA jfh8' }) }, noId);
  add('an array id', { json: advisory({ id: ['GHSA-jfh8-c2jp-5v3q'] }) }, noId);
  add('a __proto__ advisory', { json: own('__proto__', { id: 'GHSA-jfh8-c2jp-5v3q' }) }, noId);
  for (const [name, value] of HOSTILE_TEXT) {
    add(`an id of ${name}`, { json: advisory({ id: `GHSA-jfh8${value}` }) }, noId);
    add(`the second advisory's id of ${name}`, { json: [advisory(), advisory({ id: `GHSA-x${value}` })] }, [400, 'OSV advisory \\[1\\] has no id']);
  }

  for (const [name, value] of [['an object', { 0: { package: pkg } }], ['a string', 'Maven'], ['a number', 1], ['true', true]] as Array<[string, unknown]>) {
    add(`affected ${name}`, { json: advisory({ affected: value }) }, [400, 'OSV advisory \\$: affected must be an array']);
  }
  add('an affected entry that is a string', { json: advisory({ affected: ['log4j-core'] }) }, [400, 'OSV advisory \\$\\.affected\\[0\\] is not an object']);
  add('an affected entry that is null', { json: advisory({ affected: [{ package: pkg }, null] }) }, [400, 'OSV advisory \\$\\.affected\\[1\\] is not an object']);
  const needsPackage: Expect = [400, 'OSV advisory \\$\\.affected\\[0\\]\\.package needs ecosystem and name'];
  add('a package that is a string', { json: withAffected({ package: 'log4j-core' }) }, [400, 'OSV advisory \\$\\.affected\\[0\\]\\.package is not an object']);
  add('a package that is an array', { json: withAffected({ package: [pkg] }) }, [400, 'OSV advisory \\$\\.affected\\[0\\]\\.package is not an object']);
  add('a package without ecosystem', { json: withAffected({ package: { name: pkg.name } }) }, needsPackage);
  add('a package without name', { json: withAffected({ package: { ecosystem: 'Maven' } }) }, needsPackage);
  add('a package with a numeric name', { json: withAffected({ package: { ecosystem: 'Maven', name: 44228 } }) }, needsPackage);
  add('a package with an empty ecosystem', { json: withAffected({ package: { ecosystem: ' ', name: pkg.name } }) }, needsPackage);
  add(`a package named ${SCRIPT} without ecosystem`, { json: withAffected({ package: { name: SCRIPT } }) }, needsPackage);
  for (const [name, value] of [['an object', { type: 'ECOSYSTEM' }], ['a string', '2.13.0'], ['a number', 2]] as Array<[string, unknown]>) {
    add(`ranges ${name}`, { json: withAffected({ package: pkg, ranges: value }) }, [400, 'OSV advisory \\$\\.affected\\[0\\]\\.ranges must be an array']);
  }
  const needsType: Expect = [400, 'OSV advisory \\$\\.affected\\[0\\]\\.ranges\\[0\\] needs a type and an events array'];
  add('a range without type', { json: withAffected({ package: pkg, ranges: [{ events: range.events }] }) }, needsType);
  add('a range with a numeric type', { json: withAffected({ package: pkg, ranges: [{ type: 1, events: range.events }] }) }, needsType);
  add('a range without events', { json: withAffected({ package: pkg, ranges: [{ type: 'SEMVER' }] }) }, needsType);
  add('a range with events an object', { json: withAffected({ package: pkg, ranges: [{ type: 'SEMVER', events: { introduced: '0' } }] }) }, needsType);
  add('a range that is a string', { json: withAffected({ package: pkg, ranges: ['>=2.13.0'] }) }, needsType);
  add('an event that is a string', { json: withAffected({ package: pkg, ranges: [{ type: 'SEMVER', events: ['2.13.0'] }] }) }, [400, 'OSV advisory \\$\\.affected\\[0\\]\\.ranges\\[0\\]\\.events\\[0\\] is not an object']);
  add('an event that is null', { json: withAffected({ package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, null] }] }) }, [400, 'OSV advisory \\$\\.affected\\[0\\]\\.ranges\\[0\\]\\.events\\[1\\] is not an object']);

  // Zips as osv.dev exports them (<id>.json entries).
  add('a zip magic then garbage', { base64: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not a zip at all')]).toString('base64') }, [400, 'not a readable zip'], 'application/zip');
  add('a zip without .json entries', zip({ 'README.md': '# advisories' }), [400, 'The OSV zip has no \\.json advisories'], 'application/zip');
  add('a zip with an empty .json entry', zip({ 'GHSA-1.json': '' }), [400, "The OSV zip's \\.json entry 1 is not valid JSON"], 'application/zip');
  add('a zip with a CSV as .json', zip({ 'GHSA-1.json': 'cve,epss\n' }), [400, "The OSV zip's \\.json entry 1 is not valid JSON"], 'application/zip');
  add('a zip whose second entry has no id', zip({ 'A.json': JSON.stringify(advisory()), 'B.json': JSON.stringify(advisory({ id: undefined })) }), [400, 'OSV advisory zip entry 2 has no id'], 'application/zip');
  add(`a zip entry named ${SCRIPT} without id`, zip({ [`${SCRIPT}.json`]: JSON.stringify({ summary: 'x' }) }), [400, 'OSV advisory zip entry 1 has no id'], 'application/zip');
  add('a zip entry whose affected is a string', zip({ 'GHSA-1.json': JSON.stringify(advisory({ affected: 'x' })) }), [400, 'OSV advisory zip entry 1: affected must be an array'], 'application/zip');
  add('a zip entry that is an array', zip({ 'GHSA-1.json': JSON.stringify([advisory()]) }), [400, 'OSV advisory zip entry 1 is not an object'], 'application/zip');
  return out;
}
