import { capabilityOf } from '@devsecops-scorecard/plugin-devsecops-common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONTROLS, DEFAULT_STAGES } from './defaults';

/**
 * Issue 15: the README documents each control's and criterion's evidence sources in one table
 * (control → sources → how to turn it on). This keeps that table true: one row per built-in
 * control and shipped criterion, with the capability the defaults name.
 */
const README = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

function tableRows(): Map<string, string[]> {
  const start = README.indexOf('| control / criterion | capability |');
  expect(start).toBeGreaterThan(-1);
  const lines = README.slice(start).split('\n');
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ').map(c => c.replace(/^\| /, '').trim());
    rows.set(cells[0].replace(/ \((stage )?\d\)$/, ''), cells.slice(1));
  }
  return rows;
}

describe('the README evidence-sources table', () => {
  it('has one row per built-in control and shipped criterion, naming its capability, sources and how to turn it on', () => {
    const rows = tableRows();
    const expected = [
      ...DEFAULT_CONTROLS.map(c => [c.id, c.capability!] as const),
      ...DEFAULT_STAGES.flatMap(s => s.criteria.map(c => [`criterion ${c.id}`, c.capability!] as const)),
    ];
    const missing = expected.filter(([key]) => !rows.has(key)).map(([key]) => key);
    expect(missing).toEqual([]);
    for (const [key, capability] of expected) {
      const [documented, reads, collectedBy, howTo] = rows.get(key)!;
      expect({ key, capability: documented }).toEqual({ key, capability: capabilityOf(capability).title });
      expect({ key, filled: [reads, collectedBy, howTo].every(cell => !!cell) }).toEqual({ key, filled: true });
    }
  });
});
