const NUL = '\u0000';

/** A name as it appears in a message: a NUL inside it written as the escape, never the byte. */
const shown = (name: string) => name.split(NUL).join('\\u0000');

/**
 * Where the first NUL character (U+0000) in a parsed JSON value is, as a path from `root` in the
 * style of the request validator (`request/body/scope/ruleId`, `report/runs/0/tool/driver/name`),
 * property names included; undefined when there is none. PostgreSQL's text columns and query
 * parameters cannot hold NUL, so a value with one would fail inside the database: the API refuses
 * it with a 400 naming this path instead. Iterative, so any nesting depth is safe.
 * @public
 */
export function findNulCharacter(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}/${i}`]);
    } else if (current && typeof current === 'object' && !ArrayBuffer.isView(current)) {
      const keys = Object.keys(current);
      const named = keys.find(key => key.includes(NUL));
      if (named !== undefined) return `${path}/${shown(named)}`;
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push([(current as Record<string, unknown>)[keys[i]], `${path}/${shown(keys[i])}`]);
      }
    }
  }
  return undefined;
}

/** The message of a value refused for a NUL character at `path`. @public */
export const nulCharacterMessage = (path: string) => `${path} must not contain NUL (\\u0000)`;

/**
 * Replaces every NUL character in the strings and property names of a parsed JSON value with
 * U+FFFD, in place, and returns the value. Scanners do emit NUL (Grype reports an OpenJDK version
 * `17.0.10+7\u0000-J-ms8m`), so a report is kept rather than refused, but PostgreSQL's text columns
 * cannot hold NUL. Iterative, so any nesting depth is safe.
 * @public
 */
export function replaceNulCharacters<T>(value: T): T {
  const fix = (text: string) => (text.includes(NUL) ? text.split(NUL).join('\ufffd') : text);
  if (typeof value === 'string') return fix(value) as T;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        if (typeof current[i] === 'string') current[i] = fix(current[i]);
        else if (current[i] && typeof current[i] === 'object') stack.push(current[i]);
      }
    } else if (current && typeof current === 'object') {
      const record = current as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        let item = record[key];
        if (typeof item === 'string') item = fix(item);
        else if (item && typeof item === 'object') stack.push(item);
        const name = fix(key);
        if (name !== key) delete record[key];
        Object.defineProperty(record, name, { value: item, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return value;
}
