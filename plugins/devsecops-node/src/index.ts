/**
 * Extension points, the normaliser contract and the built-in report normalisers of the DevSecOps
 * scorecard, and its permission rules and example policy; shared by the backend plugin, its
 * modules, permission policies and the upload CLI.
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
export * from './responsibilityPolicy';
export * from './evidence/chain';
export * from './evidence/auditPackage';
