/*
 * Where a text stops being JSON and what was expected there, without quoting any of it: V8's
 * JSON.parse messages quote the text around the error (`Unexpected token 'g', "ghp_RELSNI"...`),
 * which for a report is often a secret. Iterative (no recursion), so any input is safe; it runs
 * only after JSON.parse has failed.
 */

type State =
  | 'value'
  | 'value-or-close'
  | 'key-or-close'
  | 'key'
  | 'colon'
  | 'comma-or-close'
  | 'end';

const EXPECTED: Record<State, string> = {
  value: 'a value (object, array, string, number, true, false or null)',
  'value-or-close': "a value or ']'",
  'key-or-close': "a quoted key or '}'",
  key: 'a quoted key',
  colon: "':'",
  'comma-or-close': "',' or the end of the object or array",
  end: 'nothing after the JSON value',
};

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

interface SyntaxProblem {
  offset: number;
  expected: string;
  atEnd: boolean;
}

/** The first syntax error of a text that is not JSON; undefined when it is valid JSON. */
function findProblem(text: string): SyntaxProblem | undefined {
  const stack: string[] = [];
  let state = 'value' as State;
  let i = 0;
  const problem = (offset: number, expected: string): SyntaxProblem => ({
    offset,
    expected,
    atEnd: offset >= text.length,
  });
  /** End of the string starting at `start` (a quote), or the problem in it. */
  const scanString = (start: number): number | SyntaxProblem => {
    let j = start + 1;
    for (;;) {
      if (j >= text.length) return problem(j, 'a closing quote');
      const code = text.charCodeAt(j);
      if (code === 0x22) return j + 1;
      if (code === 0x5c) {
        ESCAPE.lastIndex = j;
        if (!ESCAPE.test(text)) return problem(j, 'a valid escape sequence');
        j = ESCAPE.lastIndex;
        continue;
      }
      if (code < 0x20) {
        return problem(j, 'no control character inside a string (escape it)');
      }
      j++;
    }
  };
  const afterValue = (): State => (stack.length > 0 ? 'comma-or-close' : 'end');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    if (i >= text.length) {
      return state === 'end' ? undefined : problem(i, EXPECTED[state]);
    }
    const c = text[i];
    switch (state) {
      case 'value':
      case 'value-or-close': {
        if (state === 'value-or-close' && c === ']') {
          stack.pop();
          i++;
          state = afterValue();
          break;
        }
        if (c === '{' || c === '[') {
          stack.push(c);
          state = c === '{' ? 'key-or-close' : 'value-or-close';
          i++;
          break;
        }
        if (c === '"') {
          const end = scanString(i);
          if (typeof end !== 'number') return end;
          i = end;
          state = afterValue();
          break;
        }
        const pattern = c === '-' || (c >= '0' && c <= '9') ? NUMBER : LITERAL;
        pattern.lastIndex = i;
        if (!pattern.test(text)) return problem(i, EXPECTED[state]);
        i = pattern.lastIndex;
        state = afterValue();
        break;
      }
      case 'key-or-close':
      case 'key': {
        if (state === 'key-or-close' && c === '}') {
          stack.pop();
          i++;
          state = afterValue();
          break;
        }
        if (c !== '"') return problem(i, EXPECTED[state]);
        const end = scanString(i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return problem(i, EXPECTED.colon);
        i++;
        state = 'value';
        break;
      case 'comma-or-close': {
        const open = stack[stack.length - 1];
        const close = open === '{' ? '}' : ']';
        if (c === ',') {
          state = open === '{' ? 'key' : 'value';
          i++;
        } else if (c === close) {
          stack.pop();
          i++;
          state = afterValue();
        } else {
          return problem(i, `',' or '${close}'`);
        }
        break;
      }
      default:
        return problem(i, EXPECTED.end);
    }
  }
}

/**
 * Says where a text stops being JSON and what was expected there — line, column and the kind of
 * token, never the text itself — e.g. `expected a value (…) at line 1, column 11`.
 * @public
 */
export function describeJsonSyntaxError(text: string): string {
  const found = findProblem(text);
  if (!found) return 'it could not be parsed';
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < found.offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  const where = `line ${line}, column ${found.offset - lineStart + 1}`;
  return found.atEnd
    ? `expected ${found.expected}, but the body ends at ${where}`
    : `expected ${found.expected} at ${where}`;
}
