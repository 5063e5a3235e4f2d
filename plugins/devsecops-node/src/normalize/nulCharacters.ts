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
