import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNulCharacter, replaceNulCharacters } from './nulCharacters';
import { parseReportBody } from './parse';

describe('NUL characters in reports', () => {
  it('are replaced by U+FFFD in strings and property names, the report kept', () => {
    const sarif = { version: '2.1.0', runs: [{ tool: { driver: { name: 'scan\u0000ner' } }, results: [] }] };
    expect(parseReportBody(JSON.stringify(sarif))).toEqual({
      shape: 'json',
      value: { version: '2.1.0', runs: [{ tool: { driver: { name: 'scan\ufffdner' } }, results: [] }] },
    });
    expect(parseReportBody(JSON.stringify({ ['Resu\u0000lts']: ['a\u0000', 1] }))).toEqual({
      shape: 'json',
      value: { ['Resu\ufffdlts']: ['a\ufffd', 1] },
    });
  });

  it('are replaced in every record of a JSON lines report', () => {
    const lines = [JSON.stringify({ DetectorName: 'AWS', Raw: 'x' }), JSON.stringify({ DetectorName: 'AWS\u0000' })];
    expect(parseReportBody(lines.join('\n'))).toEqual({
      shape: 'ndjson',
      values: [{ DetectorName: 'AWS', Raw: 'x' }, { DetectorName: 'AWS\ufffd' }],
    });
  });

  it('leave a real Grype report with a NUL in an OpenJDK version readable', () => {
    const text = readFileSync(join(__dirname, '../../../../fixtures/grype/dd-grype-fix-unknown.json'), 'utf8');
    expect(text).toContain('17.0.10+7\\u0000-J-ms8m');
    const parsed = parseReportBody(text);
    expect(findNulCharacter(parsed.shape === 'json' ? parsed.value : undefined, 'report')).toBeUndefined();
    expect(JSON.stringify(parsed)).toContain('17.0.10+7\ufffd-J-ms8m');
  });

  it('keep other control characters and escaped backslashes', () => {
    expect(parseReportBody(JSON.stringify({ a: 'tab\there\u0001', b: '\\u0000 as text' }))).toEqual({
      shape: 'json',
      value: { a: 'tab\there\u0001', b: '\\u0000 as text' },
    });
  });

  it('are found and replaced at any depth without recursion', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNulCharacter(deep, 'report')).toBe(`report${'/0'.repeat(100_000)}`);
    expect(findNulCharacter(replaceNulCharacters(deep), 'report')).toBeUndefined();
    expect(findNulCharacter({ ['k\u0000']: 1 }, 'request/body')).toBe('request/body/k\\u0000');
    expect(findNulCharacter({ a: [1, true, null, 'x'] }, 'report')).toBeUndefined();
  });
});
