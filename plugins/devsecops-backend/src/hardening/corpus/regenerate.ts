/*
 * Writes the hostile-input corpus (corpus/*.json) from generate.ts, deterministically. Run from
 * plugins/devsecops-backend after changing the generator:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/hardening/corpus/regenerate.ts
 * hostileInput.test.ts fails while the committed files and the generator disagree.
 */
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusFileName, corpusFileText, generateCorpus } from './generate';

// A script run by hand from the package directory, never bundled.
// eslint-disable-next-line no-restricted-syntax
const dir = __dirname;
const files = generateCorpus();
for (const name of readdirSync(dir).filter(n => n.endsWith('.json'))) unlinkSync(join(dir, name));
for (const file of files) writeFileSync(join(dir, corpusFileName(file)), corpusFileText(file));
// eslint-disable-next-line no-console
console.log(`${files.length} endpoints, ${files.reduce((n, f) => n + f.cases.length, 0)} cases written to ${dir}`);
