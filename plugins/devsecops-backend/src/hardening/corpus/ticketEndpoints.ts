/*
 * Tickets as evidence (issue 19 item 5) and the weekly digest's preview (issue 19 item 3): a request
 * each accepts, and its body fields and query parameters.
 */
import { Endpoint, entityParams, Field, GHOST_QUERY } from './endpointModel';
import { ghost, lit } from './helpers';
import { UUID } from './hostileValues';

/** An id no finding has (the test's findings have small ones). */
const NO_FINDING = '999999999999999999';

const ticketBody = {
  base: { url: 'https://jira.example.com/browse/SEC-142', ticketId: 'SEC-142', system: 'jira', status: 'open' },
  fields: [
    { path: ['url'], required: true, type: { kind: 'ticketUrl' } },
    { path: ['ticketId'], type: { kind: 'checked', max: 200, message: 'ticketId must be 1-200 letters, digits or . _ # : / -' } },
    { path: ['system'], type: { kind: 'checked', max: 100, message: 'system must be 1-100 letters, digits or . _ - (e.g. jira, github)' } },
    { path: ['status'], required: true, type: { kind: 'enum', values: ['open', 'closed'] } },
    { path: ['updatedAt'], type: { kind: 'observed', name: 'updatedAt' } },
  ] as Field[],
};

export const ticketEndpoints: Endpoint[] = [
  {
    file: 'post-findings-tickets',
    endpoint: 'POST /v1/findings/{id}/tickets',
    method: 'POST',
    path: '/v1/findings/{findingId}/tickets',
    // The owning team (the corpus runs with allow-all; refusals of other teams: authorizationMatrix.test.ts).
    auth: 'dana',
    query: [],
    params: [],
    pathId: { placeholder: '{findingId}', notFound: id => `No finding ${lit(id)}`, param: 'id', numeric: true },
    json: ticketBody,
    refuse: { path: NO_FINDING, expect: [404, `No finding ${NO_FINDING}`] },
  },
  {
    file: 'post-runtime-signals-tickets',
    endpoint: 'POST /v1/runtime-signals/{id}/tickets',
    method: 'POST',
    path: '/v1/runtime-signals/{signalId}/tickets',
    auth: 'ci',
    query: [],
    params: [],
    pathId: { placeholder: '{signalId}', notFound: id => `No runtime signal ${lit(id)}`, param: 'id' },
    json: ticketBody,
    refuse: { path: UUID, expect: [404, `No runtime signal ${UUID}`] },
  },
  {
    file: 'get-tickets',
    endpoint: 'GET /v1/tickets',
    method: 'GET',
    path: '/v1/tickets',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'subjectKind', type: 'subjectKind' }, { name: 'subjectId', type: 'text', max: 64 }],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-digests-preview',
    endpoint: 'GET /v1/digests/preview',
    method: 'GET',
    path: '/v1/digests/preview',
    auth: 'user',
    query: [['group', 'team-payments']],
    params: [{ name: 'group', type: 'digestGroup' }],
    refuse: { query: [['group', 'ghosts']], expect: [400, '^group: no catalog group group:default\\/ghosts$'] },
  },
];
