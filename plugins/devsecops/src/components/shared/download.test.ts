import { toCsv } from './download';

describe('toCsv', () => {
  it('quotes what needs quoting and neutralises spreadsheet formulas', () => {
    expect(toCsv(['a', 'b'], [['x,y', '=SUM(A1)'], [1, undefined], ['say "hi"', '@cmd']])).toBe(
      'a,b\n"x,y",\'=SUM(A1)\n1,\n"say ""hi""",\'@cmd\n',
    );
  });
});
