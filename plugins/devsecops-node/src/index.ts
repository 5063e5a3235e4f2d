/**
 * Extension points, the normaliser contract and the built-in report normalisers of the DevSecOps
 * scorecard; shared by the backend plugin, its modules and the upload CLI.
 *
 * @packageDocumentation
 */
export * from './normalize/types';
export * from './normalize/errors';
export * from './normalize/helpers';
export * from './normalize/parse';
export { describeJsonSyntaxError } from './normalize/jsonSyntax';
export * from './normalize/registry';
export * from './normalize/redact';
export * from './normalize/formats';
export * from './extensions';
export * from './permissions';
export * from './evidence/chain';
export * from './evidence/auditPackage';
