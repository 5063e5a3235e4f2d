/**
 * DevSecOps scorecard backend plugin.
 *
 * @packageDocumentation
 */
export { devsecopsPlugin as default } from './plugin';
