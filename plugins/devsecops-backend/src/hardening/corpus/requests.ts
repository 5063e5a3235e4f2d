/*
 * Request builders: the base request of an endpoint, and a request of it with another query, path,
 * body, headers or credentials.
 */
import { Auth, Body, CorpusRequest, Marker, Text } from './model';
import { BUNDLE, Endpoint, trivyImage } from './endpointModel';
import { EPSS_FIXTURE, KEV_FIXTURE, OSV_FIXTURE } from './feedCases';
import { q } from './helpers';

export const queryString = (query: Array<[string, string]>) =>
  query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
export const encoded = (query: Array<[string, string]>): Array<[string, string]> => query.map(([k, v]) => [k, q(v)]);

export function baseRequest(ep: Endpoint): CorpusRequest {
  return {
    method: ep.method,
    url: [...pathParts(ep.path), queryString(encoded(ep.query))].filter(p => p !== '') as Text,
    auth: ep.auth,
    ...bodyOf(ep, ep.json?.base),
  };
}

/** `/v1/exceptions/{requestedId}/approve` → ['/v1/exceptions/', {$ctx:'requestedId'}, '/approve']. */
export function pathParts(path: string): Text[] {
  return path.split(/(\{[a-zA-Z0-9]+\})/).filter(Boolean).map(part =>
    part.startsWith('{') ? ({ $ctx: part.slice(1, -1) } as Marker) : part,
  );
}

export function bodyOf(ep: Endpoint, json: unknown): Pick<CorpusRequest, 'body' | 'headers'> {
  if (ep.raw === 'report') {
    return { headers: { 'Content-Type': 'application/json' }, body: { json: trivyImage } };
  }
  if (ep.raw === 'kev') {
    return { headers: { 'Content-Type': 'application/json' }, body: { fixture: KEV_FIXTURE } };
  }
  if (ep.raw === 'osv') {
    return { headers: { 'Content-Type': 'application/json' }, body: { fixture: OSV_FIXTURE } };
  }
  if (ep.raw === 'epss') {
    return { headers: { 'Content-Type': 'application/gzip' }, body: { fixture: EPSS_FIXTURE } };
  }
  if (ep.raw === 'attestation') {
    return { headers: { 'Content-Type': 'application/json' }, body: { fixture: BUNDLE } };
  }
  if (json === undefined) return {};
  return { headers: { 'Content-Type': 'application/json' }, body: { json } };
}

/** A request of the endpoint with the given query, path and body. */
export function request(
  ep: Endpoint,
  over: { query?: Array<[string, string]>; rawQuery?: Text; path?: Text[]; body?: Body; headers?: Record<string, string>; auth?: Auth } = {},
): CorpusRequest {
  const base = baseRequest(ep);
  const query = over.rawQuery ?? queryString(encoded(over.query ?? ep.query));
  const url = [...(over.path ?? pathParts(ep.path)), query].filter(p => p !== '') as Text;
  const out: CorpusRequest = { method: ep.method, url, auth: over.auth ?? ep.auth };
  const headers = over.headers ?? base.headers;
  if (headers) out.headers = headers;
  // Unchanged JSON is written as the base with no patches (the base is in the file once).
  const body = over.body ?? (base.body && 'json' in base.body ? { patch: [] } : base.body);
  if (body) out.body = body;
  return out;
}

export function swapPath(ep: Endpoint, value: string): Text[] {
  const placeholder = ep.pathId!.placeholder;
  return pathParts(ep.path.replace(placeholder, value));
}
