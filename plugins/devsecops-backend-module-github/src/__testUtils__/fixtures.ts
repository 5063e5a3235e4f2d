import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// eslint-disable-next-line no-restricted-syntax
const FIXTURES = resolve(__dirname, '../../../../fixtures/github-api');

/** A recorded GitHub REST API response from fixtures/github-api. */
export const fixture = (name: string) =>
  JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));
