import { findNulCharacter } from './nulCharacters';
import { parseReportBody } from './parse';

describe('NUL characters in reports', () => {
  it('refuses a JSON report with NUL in a value or a property name, naming where', () => {
    const sarif = { version: '2.1.0', runs: [{ tool: { driver: { name: 'scan\u0000ner' } }, results: [] }] };
    expect(() => parseReportBody(JSON.stringify(sarif))).toThrow(
      'report/runs/0/tool/driver/name must not contain NUL (\\u0000)',
    );
    expect(() => parseReportBody(JSON.stringify({ SchemaVersion: 2, ['Resu\u0000lts']: [] }))).toThrow(
      'report/Resu\\u0000lts must not contain NUL (\\u0000)',
    );
  });

  it('refuses a JSON lines report with NUL in a record, naming the record', () => {
    const lines = [JSON.stringify({ DetectorName: 'AWS', Raw: 'x' }), JSON.stringify({ DetectorName: 'AWS\u0000' })];
    expect(() => parseReportBody(lines.join('\n'))).toThrow('report/1/DetectorName must not contain NUL (\\u0000)');
  });

  it('accepts other control characters and escaped backslashes', () => {
    expect(parseReportBody(JSON.stringify({ a: 'tab\there\u0001', b: '\\u0000 as text' }))).toEqual({
      shape: 'json',
      value: { a: 'tab\there\u0001', b: '\\u0000 as text' },
    });
  });

  it('finds the first NUL at any depth without recursion', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNulCharacter(deep, 'report')).toBe(`report${'/0'.repeat(100_000)}`);
    expect(findNulCharacter({ a: [1, true, null, 'x'] }, 'report')).toBeUndefined();
  });
});
