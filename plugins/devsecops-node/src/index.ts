/**
 * Extension points and shared ingestion types of the DevSecOps scorecard backend.
 *
 * @packageDocumentation
 */
export * from './normalizers';
export * from './extensions';
