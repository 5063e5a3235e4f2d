import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes what needs quoting and neutralises spreadsheet formulas', () => {
    expect(toCsv(['a', 'b'], [['x,y', '=SUM(A1)'], [1, undefined], ['say "hi"', '@cmd']])).toBe(
      'a,b\n"x,y",\'=SUM(A1)\n1,\n"say ""hi""",\'@cmd\n',
    );
  });

  it('neutralises every formula trigger, including tab and carriage return, and writes objects as JSON', () => {
    expect(toCsv(['v'], [['+1'], ['-1'], ['\t=1'], ['\r=1'], [{ a: 1 }], [null]])).toBe(
      'v\n\'+1\n\'-1\n\'\t=1\n"\'\r=1"\n"{""a"":1}"\n\n',
    );
  });
});
