/*
 * Small helpers of the hostile-input corpus generator: escaping text into the patterns the
 * expectations hold, percent-encoding, objects with own prototype keys, and the expectations
 * (status and message pattern) most cases share.
 */

export const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A pattern matching the text literally, with control characters as \u escapes. */
export const lit = (text: string) =>
  // eslint-disable-next-line no-control-regex
  esc(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b\u202e\ufeff\ud800-\udfff]/g, c =>
    `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
/** Percent-encoding; a lone surrogate (which has no UTF-8) goes as the CESU-8 bytes a broken client sends. */
export const q = (text: string) =>
  text
    .split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part, i) => (i % 2 ? `%ED%${(0xa0 + ((part.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (part.charCodeAt(0) & 0x3f)).toString(16).toUpperCase()}` : encodeURIComponent(part)))
    .join('');
/** An object with one own key (works for `__proto__`, which a literal would turn into the prototype). */
export const own = (key: string, value: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
};
export const withKey = (object: Record<string, unknown>, key: string, value: unknown) => ({ ...own(key, value), ...object });

export type Path = Array<string | number>;

export const REMOVE = Symbol('remove');

// Expectations ---------------------------------------------------------------------------------------

export type Expect = [status: number, message: string];

/** Validator messages name the JSON path: request/body/facts/0/fact. */
export const at = (location: 'body' | 'query' | 'params', path: Path) =>
  esc(`request/${location}${path.length ? '/' : ''}${path.join('/')}`);
export const mustBe = (location: 'body' | 'query' | 'params', path: Path, what: string): Expect => [
  400,
  `${at(location, path)} must ${what}`,
];
export const required = (location: 'body' | 'query', path: Path): Expect => [
  400,
  `${at(location, path.slice(0, -1))} must have required property '${esc(String(path[path.length - 1]))}'`,
];
export const TOO_LARGE: Expect = [400, 'request entity too large'];
export const ghost = (kind = 'component'): Expect => [404, `No catalog entity ${kind}:default\\/ghost\\b`];
