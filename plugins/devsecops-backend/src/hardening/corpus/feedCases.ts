/*
 * Cases of the exploitability feed uploads (POST /v1/feeds/kev, POST /v1/feeds/epss): broken and
 * hostile KEV catalogs and EPSS CSVs, gzip bombs, media types. Every refusal names the path or line
 * and what was expected, never the value sent.
 */
import { Body, CorpusCase } from './model';
import { Endpoint } from './endpointModel';
import { esc, Expect, own } from './helpers';
import { HOSTILE_TEXT, MB, SCRIPT } from './hostileValues';
import { request } from './requests';

export const KEV_FIXTURE = 'exploitability/kev-sample.json';
export const EPSS_FIXTURE = 'exploitability/epss-sample.csv.gz';
export const OSV_FIXTURE = 'osv-advisories/GHSA-jfh8-c2jp-5v3q.json';

const kevDoc = (vulnerabilities: unknown[], over: Record<string, unknown> = {}) => ({
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2026.12.04',
  dateReleased: '2026-12-04T15:01:22.4173Z',
  count: vulnerabilities.length,
  vulnerabilities,
  ...over,
});
const log4shell = { cveID: 'CVE-2021-44228', vendorProject: 'Apache', product: 'Log4j2', dateAdded: '2021-12-10', dueDate: '2021-12-24' };
const EPSS_HEAD = '#model_version:v2025.03.14,score_date:2026-12-05T12:55:00Z\ncve,epss,percentile\n';

export function feedBodyCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const kev = ep.raw === 'kev';
  const add = (name: string, body: Body, expect: Expect, type = kev ? 'application/json' : 'text/csv', extra: Record<string, string> = {}) =>
    out.push({ name, request: request(ep, { body, headers: { 'Content-Type': type, ...extra } }), expect: { status: expect[0], message: expect[1] } });
  const noBody: Expect = [400, `The ${kev ? 'KEV catalog' : 'EPSS scores'} must be sent as the request body`];

  // Shared: empty, binary, gzip, media types.
  add('an empty body', { text: '' }, noBody, 'application/octet-stream');
  add('a gzip bomb as a gzip file', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes|larger than \\d+ bytes'], 'application/gzip');
  add('a gzip bomb as Content-Encoding', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes|larger than \\d+ bytes'], 'application/octet-stream', { 'Content-Encoding': 'gzip' });
  add('gzip magic then garbage', { base64: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('definitely not deflate data')]).toString('base64') }, [400, 'not valid gzip'], 'application/gzip');
  add('truncated gzip', { gzip: { fixture: kev ? KEV_FIXTURE : 'exploitability/kev-sample.json' }, truncate: 40 }, [400, 'not valid gzip'], 'application/gzip');
  for (const type of ['image/png', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/sarif+json']) {
    add(`content type ${type}`, { fixture: kev ? KEV_FIXTURE : EPSS_FIXTURE }, [415, `Unsupported media type ${esc(type.split(';')[0])}`], type);
  }

  if (kev) {
    const text = JSON.stringify(kevDoc([log4shell]));
    for (const cut of [1, 2, 10, Math.floor(text.length / 2), text.length - 1]) {
      add(`truncated at ${cut} of ${text.length}`, { text: text.slice(0, cut) }, [400, 'The KEV feed is not valid JSON']);
    }
    for (const [name, body] of [
      ['single quotes', "{'catalogVersion':'1'}"],
      ['a trailing comma', '{"catalogVersion":"1",}'],
      ['NaN', '{"count":NaN}'],
      ['whitespace only', ' \n\t '],
      ['random binary', '\u00de\u00ad\u0000\u0001'],
    ] as Array<[string, string]>) {
      add(`invalid JSON: ${name}`, { text: body }, [400, 'The KEV feed is not valid JSON']);
    }
    for (const [name, value] of [['an array', [kevDoc([log4shell])]], ['a string', 'CVE-2021-44228'], ['a number', 2026], ['null', null]] as Array<[string, unknown]>) {
      add(`a top-level ${name}`, { json: value }, [400, 'The KEV feed must be a JSON object with catalogVersion and vulnerabilities']);
    }
    add('no catalogVersion', { json: kevDoc([log4shell], { catalogVersion: undefined }) }, [400, 'no catalogVersion']);
    add('a numeric catalogVersion', { json: kevDoc([log4shell], { catalogVersion: 2026.12 }) }, [400, 'no catalogVersion']);
    add('an empty catalogVersion', { json: kevDoc([log4shell], { catalogVersion: ' ' }) }, [400, 'no catalogVersion']);
    add('a catalogVersion of 1 MB', { json: kevDoc([log4shell], { catalogVersion: MB }) }, [400, 'The KEV feed has a version longer than 64 characters']);
    add('no dateReleased', { json: kevDoc([log4shell], { dateReleased: undefined }) }, [400, 'no dateReleased']);
    add(`dateReleased ${SCRIPT}`, { json: kevDoc([log4shell], { dateReleased: SCRIPT }) }, [400, 'no dateReleased']);
    add('dateReleased of 1 MB', { json: kevDoc([log4shell], { dateReleased: MB }) }, [400, 'no dateReleased']);
    add('no vulnerabilities', { json: kevDoc([log4shell], { vulnerabilities: undefined }) }, [400, 'no vulnerabilities array']);
    add('vulnerabilities an object', { json: kevDoc([log4shell], { vulnerabilities: { 0: log4shell } }) }, [400, 'no vulnerabilities array']);
    add('a vulnerability that is a string', { json: kevDoc(['CVE-2021-44228']) }, [400, 'vulnerabilities\\[0\\] is not an object']);
    add('a vulnerability that is null', { json: kevDoc([log4shell, null]) }, [400, 'vulnerabilities\\[1\\] is not an object']);
    add('a vulnerability without cveID', { json: kevDoc([{ ...log4shell, cveID: undefined }]) }, [400, 'vulnerabilities\\[0\\]\\.cveID is not a CVE id']);
    add('a GHSA id as cveID', { json: kevDoc([{ ...log4shell, cveID: 'GHSA-jfh8-c2jp-5v3q' }]) }, [400, 'vulnerabilities\\[0\\]\\.cveID is not a CVE id']);
    add('a numeric cveID', { json: kevDoc([{ ...log4shell, cveID: 44228 }]) }, [400, 'vulnerabilities\\[0\\]\\.cveID is not a CVE id']);
    add('a cveID of 1 MB', { json: kevDoc([{ ...log4shell, cveID: MB }]) }, [400, 'vulnerabilities\\[0\\]\\.cveID is not a CVE id']);
    add('a cveID with 30 digits', { json: kevDoc([{ ...log4shell, cveID: `CVE-2021-${'4'.repeat(30)}` }]) }, [400, 'vulnerabilities\\[0\\]\\.cveID is not a CVE id']);
    for (const [name, value] of HOSTILE_TEXT) {
      add(`a cveID of ${name}`, { json: kevDoc([log4shell, { ...log4shell, cveID: `CVE-2021-44228${value}` }]) }, [400, 'vulnerabilities\\[1\\]\\.cveID is not a CVE id']);
    }
    add('no dateAdded', { json: kevDoc([{ ...log4shell, dateAdded: undefined }]) }, [400, 'vulnerabilities\\[0\\]\\.dateAdded is not a day']);
    add('a dateAdded in another format', { json: kevDoc([{ ...log4shell, dateAdded: '12/10/2021' }]) }, [400, 'vulnerabilities\\[0\\]\\.dateAdded is not a day']);
    add(`a dateAdded of ${SCRIPT}`, { json: kevDoc([{ ...log4shell, dateAdded: SCRIPT }]) }, [400, 'vulnerabilities\\[0\\]\\.dateAdded is not a day']);
    add('a __proto__ vulnerability', { json: kevDoc([own('__proto__', { cveID: 'CVE-2021-44228', dateAdded: '2021-12-10' })]) }, [400, 'vulnerabilities\\[0\\]\\.cveID is not a CVE id']);
    add('10,000 nested arrays', { text: [{ $repeat: '[', times: 10_000 }, { $repeat: ']', times: 10_000 }] }, [400, 'The KEV feed must be a JSON object']);
  } else {
    const row = 'CVE-2021-44228,0.94358,0.99961\n';
    add('no #model_version line', { text: `cve,epss,percentile\n${row}` }, [400, 'must start with its #model_version']);
    add('a JSON document', { text: '{"cve":"CVE-2021-44228","epss":0.9}' }, [400, 'must start with its #model_version'], 'application/json');
    add('whitespace only', { text: ' \n\t ' }, [400, 'must start with its #model_version']);
    add('random binary', { base64: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 0xff]).toString('base64') }, [400, 'must start with its #model_version'], 'application/octet-stream');
    add('a UTF-16 CSV', { base64: Buffer.from(`\ufeff${EPSS_HEAD}${row}`, 'utf16le').toString('base64') }, [400, 'must start with its #model_version'], 'application/octet-stream');
    add('no model_version', { text: `#score_date:2026-12-05T12:55:00Z\ncve,epss,percentile\n${row}` }, [400, 'line 1 has no model_version']);
    add('no score_date', { text: `#model_version:v2025.03.14\ncve,epss,percentile\n${row}` }, [400, 'line 1 has no score_date']);
    add(`a score_date of ${SCRIPT}`, { text: `#model_version:v2025.03.14,score_date:${SCRIPT}\ncve,epss,percentile\n${row}` }, [400, 'line 1 has no score_date']);
    add('a model_version of 1 MB', { text: ['#model_version:', MB, ',score_date:2026-12-05\ncve,epss,percentile\n', row] }, [400, 'The EPSS feed line 1 has a version longer than 64 characters']);
    add('no header', { text: `#model_version:v2025.03.14,score_date:2026-12-05T12:55:00Z\n${row}` }, [400, 'line 2 must be the header cve,epss,percentile']);
    add('another header', { text: `#model_version:v2025.03.14,score_date:2026-12-05T12:55:00Z\ncve,score,rank\n${row}` }, [400, 'line 2 must be the header cve,epss,percentile']);
    add('the header only of two columns', { text: `#model_version:v2025.03.14,score_date:2026-12-05T12:55:00Z\ncve,epss\nCVE-2021-44228,0.9\n` }, [400, 'line 2 must be the header cve,epss,percentile']);
    add('a row of two columns', { text: `${EPSS_HEAD}CVE-2021-44228,0.9\n` }, [400, 'not valid CSV at line \\d+']);
    add('a row of four columns', { text: `${EPSS_HEAD}CVE-2021-44228,0.9,0.9,1\n` }, [400, 'not valid CSV at line \\d+']);
    add('an unclosed quote', { text: `${EPSS_HEAD}"CVE-2021-44228,0.9,0.9\n` }, [400, 'not valid CSV']);
    for (const [name, value] of [['above 1', '1.5'], ['negative', '-0.1'], ['NaN', 'NaN'], ['Infinity', 'Infinity'], ['empty', ''], ['a word', 'high'], ['hex', '0x1'], ['1e400', '1e400'], [SCRIPT, SCRIPT]] as Array<[string, string]>) {
      add(`an epss ${name}`, { text: `${EPSS_HEAD}${row}CVE-2021-45046,${value},0.5\n` }, [400, 'line 4: epss is not a number between 0 and 1|not valid CSV']);
      add(`a percentile ${name}`, { text: `${EPSS_HEAD}${row}CVE-2021-45046,0.5,${value}\n` }, [400, 'line 4: percentile is not a number between 0 and 1|not valid CSV']);
    }
    add('a GHSA id in the cve column', { text: `${EPSS_HEAD}GHSA-jfh8-c2jp-5v3q,0.9,0.9\n` }, [400, 'line 3: the cve column is not a CVE id']);
    add('a cve of 1 MB', { text: [EPSS_HEAD, MB, ',0.9,0.9\n'] }, [400, 'line 3: the cve column is not a CVE id']);
    for (const [name, value] of HOSTILE_TEXT) {
      add(`a cve of ${name}`, { text: `${EPSS_HEAD}${row}CVE-2021-45046${value},0.5,0.5\n` }, [400, 'line \\d+: the cve column is not a CVE id|not valid CSV|line \\d+: (epss|percentile) is not']);
    }
  }
  return out;
}
