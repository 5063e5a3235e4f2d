import { builtInNormalizers } from './formats';
import { describeJsonSyntaxError } from './jsonSyntax';
import { parseReportBody } from './parse';
import { NormalizerRegistry } from './registry';

const SECRET = 'ghp_RELSNIq8wXk2VtY7zPq3Lm9Jd4Hs6Fa1Bc0D';
const context = { secretFingerprint: (s: string) => `hmac:${s.length}` };

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('parse errors never echo the body', () => {
  const cases: Array<[string, string, string]> = [
    [
      'an unquoted secret as a value',
      `{"token": ${SECRET}}`,
      'The report is not valid JSON: expected a value (object, array, string, number, true, false or null) at line 1, column 11',
    ],
    [
      'a secret right after an opening bracket',
      `[${SECRET}]`,
      "The report is not valid JSON: expected a value or ']' at line 1, column 2",
    ],
    [
      'an unquoted secret as a key',
      `{\n  "a": 1,\n  ${SECRET}: 2\n}`,
      'The report is not valid JSON: expected a quoted key at line 3, column 3',
    ],
    [
      'a control character inside a secret string',
      `{"Secret": "${SECRET.slice(0, 10)}\u0001${SECRET.slice(10)}"}`,
      'The report is not valid JSON: expected no control character inside a string (escape it) at line 1, column 23',
    ],
    [
      'a truncated report',
      `{"Secret": "${SECRET}`,
      'The report is not valid JSON: expected a closing quote, but the body ends at line 1, column 53',
    ],
    [
      'a secret after the document',
      `{"a":1} ${SECRET}`,
      'The report is not valid JSON: expected nothing after the JSON value at line 1, column 9',
    ],
    [
      'a broken JSON line after good ones',
      `{"DetectorName":"AWS"}\n{"Raw": ${SECRET}}`,
      'The report is not valid JSON: line 2 (JSON lines): expected a value (object, array, string, number, true, false or null) at column 9',
    ],
  ];

  it.each(cases)('%s', (_name, body, expected) => {
    const message = messageOf(() => parseReportBody(body));
    expect(message).toBe(expected);
    expect(message).not.toContain(SECRET.slice(0, 6));
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const text of ['{}', '[1,-2.5e3,"\\u00e9\\n",true,null,{"a":[]}]', ' {"a" : { } } ']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(describeJsonSyntaxError(text)).toBe('it could not be parsed');
    }
  });

  it('format errors name values only when they are short version-like words', () => {
    const sarif = builtInNormalizers.find(n => n.id === 'sarif')!;
    const message = messageOf(() =>
      sarif.normalize(
        { shape: 'json', value: { version: SECRET, runs: [] } },
        context,
      ),
    );
    expect(message).toBe(
      `SARIF 2.1.0: $.version must be "2.1.0" (got a string of ${SECRET.length} characters)`,
    );
  });

  it('format detection names only key names that are not token-like', () => {
    const registry = new NormalizerRegistry();
    registry.add(...builtInNormalizers);
    const message = messageOf(() =>
      registry.resolve({ shape: 'json', value: { [SECRET]: 1, AKIAIOSFODNN7EXAMPLE: 2 } }),
    );
    expect(message).toMatch(/^Detected JSON \(an object with 2 keys\) of no known format/);
  });
});
