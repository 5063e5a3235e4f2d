/*
 * Generates the hostile-input corpus (corpus/*.json) deterministically from one declarative table
 * per endpoint: a request the endpoint accepts, and a description of each body field, query and
 * path parameter. Every field gets the mutations of its kind (missing, null, wrong types, 1 MB,
 * control characters, HTML and script, impossible dates, malformed or unknown entity refs,
 * prototype-pollution keys, deep nesting…), every body the whole-body mutations (truncated and
 * invalid JSON, empty, wrong content types, gzip bombs), each with the exact status and a pattern
 * the message must match.
 *
 * Free text (a deployer, a risk statement) may carry HTML and control characters: they are stored
 * as data and rendered inertly. Such a value is only hostile together with a reason to refuse the
 * request, so each is sent with an unknown entity (or id) and must come back as that 404, unharmed.
 *
 * The generator's parts: helpers.ts (escaping, expectations), hostileValues.ts, endpointModel.ts
 * (how an endpoint is described), writeEndpoints.ts and readEndpoints.ts (the tables),
 * ticketEndpoints.ts (tickets and the digest preview), requests.ts (request builders),
 * fieldMutations.ts, ticketFields.ts (ticket links), queryValues.ts, urlCases.ts (path ids and
 * query parameters), jsonBodyCases.ts, uploadCases.ts (reports, attestations, bodies on reads)
 * and nulCases.ts.
 *
 * Regenerate after changing any of them:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/hardening/corpus/regenerate.ts
 */
import { caseDiff, CorpusCase, CorpusFile, CorpusRequest } from './model';
import { Endpoint } from './endpointModel';
import { Expect } from './helpers';
import { UNKNOWN_QUERY } from './hostileValues';
import { jsonFieldCases, wholeJsonCases } from './jsonBodyCases';
import { nulCases, nulOutcome } from './nulCases';
import { readEndpoints } from './readEndpoints';
import { baseRequest, encoded, queryString, request } from './requests';
import { feedBodyCases } from './feedCases';
import { osvBodyCases } from './osvCases';
import { bodyOnGetCases, rawBodyCases } from './uploadCases';
import { pathIdCases, queryCases } from './urlCases';
import { writeEndpoints } from './writeEndpoints';
import { ticketEndpoints } from './ticketEndpoints';

export const MIN_CASES_PER_ENDPOINT = 100;

const endpoints: Endpoint[] = [...writeEndpoints, ...readEndpoints, ...ticketEndpoints];

const cases = (ep: Endpoint): CorpusCase[] => {
  const out: CorpusCase[] = [];
  const add = (name: string, req: CorpusRequest, [status, message]: Expect) =>
    out.push({ name, request: req, expect: { status, message } });

  // Credentials.
  add('no credentials', request(ep, { auth: 'none' }), [401, '.+']);
  add('a malformed bearer token', request(ep, { auth: 'garbage-bearer' }), [401, '.+']);
  add('an empty bearer token', request(ep, { auth: 'empty-bearer' }), [401, '.+']);
  add('basic auth', request(ep, { auth: 'basic' }), [401, '.+']);
  for (const who of ep.forbidden ?? []) add(`a ${who === 'ci' ? 'service' : 'user'} token (${who})`, request(ep, { auth: who }), [403, '.+']);

  // Unknown query parameters.
  for (const [key, value, label] of UNKNOWN_QUERY) {
    const query = queryString(encoded(ep.query));
    add(`unknown query parameter ${label.replace(/\\/g, '')}`, request(ep, { rawQuery: `${query || '?'}${query ? '&' : ''}${key}=${value}` }), [400, `Unknown query parameter '${label}'|${label}`]);
  }

  // Parameters of other endpoints are unknown here.
  const known = new Set([...ep.params.map(p => p.name), ...ep.query.map(([k]) => k)]);
  for (const name of [...new Set(endpoints.flatMap(e => e.params.map(p => p.name)))].filter(n => !known.has(n)).sort()) {
    const query = queryString(encoded(ep.query));
    add(`a parameter of another endpoint: ${name}`, request(ep, { rawQuery: `${query || '?'}${query ? '&' : ''}${name}=1` }), [400, `Unknown query parameter '${name}'|${name}`]);
  }
  // Path ids.
  if (ep.pathId) out.push(...pathIdCases(ep));
  // Query parameters.
  for (const param of ep.params) out.push(...queryCases(ep, param));
  // Bodies.
  if (ep.json) {
    for (const field of ep.json.fields) out.push(...jsonFieldCases(ep, field));
    out.push(...wholeJsonCases(ep));
  } else if (ep.raw === 'kev' || ep.raw === 'epss') {
    out.push(...feedBodyCases(ep));
  } else if (ep.raw === 'osv') {
    out.push(...osvBodyCases(ep));
  } else if (ep.raw) {
    out.push(...rawBodyCases(ep));
  } else {
    out.push(...bodyOnGetCases(ep));
  }
  return out;
};

export function generateCorpus(): CorpusFile[] {
  return endpoints.map(ep => {
    const all = [...cases(ep), ...nulCases(ep)];
    // Any other case whose NUL reaches the root check is answered by it, whatever else it tests.
    for (const c of all) {
      const outcome = nulOutcome(ep, c.request as CorpusRequest);
      if (outcome) c.expect = { status: outcome[0], message: outcome[1] };
    }
    // Names are unique within an endpoint (they name the test).
    const seen = new Map<string, number>();
    for (const c of all) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      if (n > 1) c.name = `${c.name} (${n})`;
    }
    const base = baseRequest(ep);
    for (const c of all) c.request = caseDiff(base, c.request as CorpusRequest);
    return { endpoint: ep.endpoint, file: ep.file, base, cases: all } as CorpusFile & { file: string };
  });
}

/** The JSON text of a corpus file as committed: one case a line, so a diff shows which changed. */
export function corpusFileText(file: CorpusFile): string {
  const lines = file.cases.map(c => `  ${JSON.stringify(c)}`);
  return `{\n "endpoint": ${JSON.stringify(file.endpoint)},\n "base": ${JSON.stringify(file.base)},\n "cases": [\n${lines.join(',\n')}\n ]\n}\n`;
}

export const corpusFileName = (file: CorpusFile) => `${(file as CorpusFile & { file: string }).file}.json`;
