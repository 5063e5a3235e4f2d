/**
 * CI/CD command-line client of the DevSecOps scorecard: `devsecops upload|deploy|gate|facts`.
 *
 * @packageDocumentation
 */
export { main } from './main';
export { run } from './run';
export type { CliIo, CliStream, CliDeps } from './io';
export { EXIT_OK, EXIT_DENY, EXIT_ERROR } from './io';
