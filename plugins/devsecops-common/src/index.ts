/**
 * Isomorphic domain model, permissions and API client of the DevSecOps scorecard.
 *
 * @packageDocumentation
 */
export * from './model/controlStack';
export * from './model/health';
export * from './model/evidence';
export * from './model/scorecard';
export * from './model/exceptions';
export * from './model/exceptionActions';
export * from './model/runtime';
export * from './model/humanAttestations';
export * from './model/labels';
export * from './model/reviews';
export * from './model/factSources';
export * from './model/responsibility';
export * from './model/checklist';
export * from './model/campaigns';
export * from './model/events';
export * from './model/tickets';
export * from './permissions';
export * from './csv';
export * from './api/DevsecopsClient';
