/*
 * Generates the hostile-input corpus (corpus/*.json) deterministically from one declarative table
 * per endpoint: a request the endpoint accepts, and a description of each body field, query and
 * path parameter. Every field gets the mutations of its kind (missing, null, wrong types, 1 MB,
 * control characters, HTML and script, impossible dates, malformed or unknown entity refs,
 * prototype-pollution keys, deep nesting…), every body the whole-body mutations (truncated and
 * invalid JSON, empty, wrong content types, gzip bombs), each with the exact status and a pattern
 * the message must match.
 *
 * Free text (a deployer, a risk statement) may carry HTML and control characters: they are stored
 * as data and rendered inertly. Such a value is only hostile together with a reason to refuse the
 * request, so each is sent with an unknown entity (or id) and must come back as that 404, unharmed.
 *
 * Regenerate after changing this file:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/hardening/corpus/regenerate.ts
 */
import { findNulCharacter, nulCharacterMessage } from '@devsecops-scorecard/plugin-devsecops-node';
import { spec } from '../../schema/openapi';
import {
  applyPatches,
  Auth,
  Body,
  caseDiff,
  CorpusCase,
  CorpusFile,
  CorpusRequest,
  isMarker,
  Marker,
  Patch,
  renderJson,
  renderText,
  Text,
} from './model';

export const MIN_CASES_PER_ENDPOINT = 100;

// Hostile values --------------------------------------------------------------------------------

const NUL = '\u0000';
const CTRL = '\u0001\u0007\u0008\u007f';
const ANSI = '\u001b[31mred\u001b[0m\u001b]0;title\u0007';
const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '<svg/onload=alert(1)>';
const RTL = 'invoice\u202egnp.exe';
const ZERO_WIDTH = 'pay\u200bments\ufeff';
const SQL = "' OR '1'='1' --";
const DROP = '1; DROP TABLE devsecops_findings; --';
const CRLF = 'x\r\nX-Injected: 1';
const TEMPLATE = '{{7*7}}${7*7}<%= 7*7 %>';
const JNDI = '${jndi:ldap://127.0.0.1/a}';
const LONE_SURROGATE = 'a\ud800b';
const EMOJI = '\u{1F4A5}\u{1F525}';
const TRAVERSAL = '../../../../etc/passwd';
const MB: Marker = { $repeat: 'x', times: 1024 * 1024 };
const DEEP: Marker = { $deep: 10_000 };
const HUGE: Marker = { $raw: '1e400' };
const UUID = '00000000-0000-4000-8000-000000000001';
const DIGEST = `sha256:${'a'.repeat(64)}`;

/** Hostile content for free-text fields, each a different way to break a parser, a log or a page. */
const HOSTILE_TEXT: Array<[string, string]> = [
  ['NUL', `a${NUL}b`],
  ['control characters', `a${CTRL}b`],
  ['ANSI escapes', ANSI],
  ['a script', SCRIPT],
  ['an img with onerror', IMG],
  ['an svg with onload', SVG],
  ['a right-to-left override', RTL],
  ['zero-width characters', ZERO_WIDTH],
  ['SQL', SQL],
  ['a DROP TABLE', DROP],
  ['CR LF', CRLF],
  ['template syntax', TEMPLATE],
  ['a JNDI lookup', JNDI],
  ['a lone surrogate', LONE_SURROGATE],
  ['emoji', EMOJI],
];

/** Names no endpoint knows, many of them Object.prototype's. */
const UNKNOWN_NAMES = [
  'admin',
  'isAdmin',
  'id',
  'debug',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '$where',
  '$ne',
  'callback',
  'role',
];

/** Unknown query parameters; `__proto__` is left out (the query parser drops it: not an error). */
const UNKNOWN_QUERY: Array<[string, string, string]> = [
  ['colour', 'red', 'colour'],
  ['constructor', '1', 'constructor'],
  ['hasOwnProperty', '1', 'hasOwnProperty'],
  ['toString', '1', 'toString'],
  ['valueOf', '1', 'valueOf'],
  ['prototype', '1', 'prototype'],
  ['isPrototypeOf', '1', 'isPrototypeOf'],
  ['%24where', '1', '\\$where'],
  ['admin', 'true', 'admin'],
  ['debug', '1', 'debug'],
  ['callback', 'alert', 'callback'],
  ['jsonp', 'x', 'jsonp'],
  ['fields', '*', 'fields'],
  ['sort', '-id', 'sort'],
  ['include', 'all', 'include'],
  ['Entity', 'payments-api', 'Entity'],
  ['ENTITY', 'payments-api', 'ENTITY'],
  ['entity%20', 'payments-api', 'entity '],
  ['%3Cscript%3E', '1', '<script>'],
  ['a%00b', '1', 'a\\u0000b'],
];

// Small helpers ------------------------------------------------------------------------------------

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A pattern matching the text literally, with control characters as \u escapes. */
const lit = (text: string) =>
  // eslint-disable-next-line no-control-regex
  esc(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b\u202e\ufeff\ud800-\udfff]/g, c =>
    `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
/** Percent-encoding; a lone surrogate (which has no UTF-8) goes as the CESU-8 bytes a broken client sends. */
const q = (text: string) =>
  text
    .split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part, i) => (i % 2 ? `%ED%${(0xa0 + ((part.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 + (part.charCodeAt(0) & 0x3f)).toString(16).toUpperCase()}` : encodeURIComponent(part)))
    .join('');
/** An object with one own key (works for `__proto__`, which a literal would turn into the prototype). */
const own = (key: string, value: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
};
const withKey = (object: Record<string, unknown>, key: string, value: unknown) => ({ ...own(key, value), ...object });

type Path = Array<string | number>;

const REMOVE = Symbol('remove');

// Expectations ---------------------------------------------------------------------------------------

type Expect = [status: number, message: string];

/** Validator messages name the JSON path: request/body/facts/0/fact. */
const at = (location: 'body' | 'query' | 'params', path: Path) =>
  esc(`request/${location}${path.length ? '/' : ''}${path.join('/')}`);
const mustBe = (location: 'body' | 'query' | 'params', path: Path, what: string): Expect => [
  400,
  `${at(location, path)} must ${what}`,
];
const required = (location: 'body' | 'query', path: Path): Expect => [
  400,
  `${at(location, path.slice(0, -1))} must have required property '${esc(String(path[path.length - 1]))}'`,
];
const TOO_LARGE: Expect = [400, 'request entity too large'];
const ghost = (kind = 'component'): Expect => [404, `No catalog entity ${kind}:default\\/ghost\\b`];

// Field kinds ----------------------------------------------------------------------------------------

type Kind =
  | { kind: 'text'; min: number; max: number }
  | { kind: 'pattern'; max: number }
  | { kind: 'enum'; values: string[] }
  | { kind: 'observed'; name: string }
  | { kind: 'expiry' }
  | { kind: 'day'; name: string; future: boolean }
  | { kind: 'entity' }
  | { kind: 'repository' }
  | { kind: 'digest'; name: string }
  | { kind: 'commit' }
  | { kind: 'owner'; name: string; malformed: string }
  | { kind: 'riskOwner' }
  | { kind: 'control' }
  | { kind: 'fingerprint' }
  | { kind: 'boolean' }
  | { kind: 'any'; name: string }
  | { kind: 'array'; min: number; max: number; item: unknown };

interface Field {
  path: Path;
  required?: boolean;
  type: Kind;
  /** How a hostile but well-formed value is made a refused request (else: the endpoint's default). */
  refuse?: { patch: Patch[]; expect: Expect };
}

interface Mutation {
  name: string;
  value: unknown;
  expect: Expect;
}

const typeMutations = (path: Path, type: 'string' | 'boolean' | 'array'): Mutation[] => {
  const must = mustBe('body', path, `be ${type}`);
  const all: Mutation[] = [
    { name: 'null', value: null, expect: must },
    { name: 'a number', value: 42, expect: must },
    { name: 'a negative number', value: -1, expect: must },
    { name: '1e400 (Infinity)', value: HUGE, expect: must },
    { name: 'true', value: true, expect: must },
    { name: 'a string', value: 'true', expect: must },
    { name: 'an array', value: ['x'], expect: must },
    { name: 'an object', value: { a: 1 }, expect: must },
    { name: 'an object with __proto__', value: own('__proto__', { polluted: true }), expect: must },
    { name: 'nested 10,000 deep', value: DEEP, expect: must },
  ];
  // The one of them that is the right type is left out.
  const right = { string: 'a string', boolean: 'true', array: 'an array' }[type];
  return all.filter(m => m.name !== right);
};

function fieldMutations(field: Field): Mutation[] {
  const { path, type } = field;
  const out: Mutation[] = [];
  if (field.required) out.push({ name: 'missing', value: REMOVE, expect: required('body', path) });
  const s = (v: unknown, n: string, e: Expect) => out.push({ name: n, value: v, expect: e });
  const pattern = mustBe('body', path, 'match pattern');
  switch (type.kind) {
    case 'text': {
      out.push(...typeMutations(path, 'string'));
      if (type.min > 0) s('', 'empty', mustBe('body', path, `NOT have fewer than ${type.min} characters`));
      if (type.min > 1) s('ab', `${Math.min(2, type.min - 1)} characters`, mustBe('body', path, `NOT have fewer than ${type.min} characters`));
      s({ $repeat: 'y', times: type.max + 1 }, `${type.max + 1} characters`, mustBe('body', path, `NOT have more than ${type.max} characters`));
      s(MB, '1 MB', TOO_LARGE);
      break;
    }
    case 'pattern':
    case 'control':
    case 'fingerprint': {
      out.push(...typeMutations(path, 'string'));
      const max = type.kind === 'pattern' ? type.max : 64;
      for (const [n, v] of [
        ['empty', ''],
        ['in capitals', type.kind === 'fingerprint' ? 'A'.repeat(64) : 'PRODUCTION'],
        ['with a space', 'prod uction'],
        ['with a leading dash', '-prod'],
        ['with NUL', `prod${NUL}`],
        ['with control characters', `prod${CTRL}`],
        ['with ANSI escapes', ANSI],
        ['with a script', SCRIPT],
        ['with an img', IMG],
        ['with SQL', SQL],
        ['with a path', TRAVERSAL],
        ['with a Cyrillic o', 'pr\u043eduction'],
        ['with a trailing newline', 'production\n'],
        [`of ${max + 1} characters`, 'a'.repeat(max + 1)],
      ] as Array<[string, string]>) {
        s(v, n, pattern);
      }
      if (type.kind === 'control') {
        for (const v of ['magic', 'constructor', 'hasownproperty', 'tostring']) {
          s(v, v === 'magic' ? 'unknown' : v, [400, `${path.join('\\.')} '${v}' is not a control; controls: `]);
        }
        s('__proto__', '__proto__', pattern);
      }
      if (type.kind === 'fingerprint') {
        s('a'.repeat(63), '63 hex characters', pattern);
        s('g'.repeat(64), 'non-hex', pattern);
      }
      break;
    }
    case 'enum': {
      out.push(...typeMutations(path, 'string'));
      const first = type.values[0];
      const e = mustBe('body', path, 'be equal to one of the allowed values');
      for (const [n, v] of [
        ['empty', ''],
        ['in capitals', first.toUpperCase()],
        ['with a trailing space', `${first} `],
        ['with NUL', `${first}${NUL}`],
        ['with control characters', `${first}${CTRL}`],
        ['unknown', 'catastrophic'],
        ['a script', SCRIPT],
        ['__proto__', '__proto__'],
        ['constructor', 'constructor'],
        ['a list', type.values.slice(0, 2).join(',')],
        ['an index', '0'],
      ] as Array<[string, string]>) {
        s(v, n, e);
      }
      break;
    }
    case 'observed':
    case 'expiry': {
      out.push(...typeMutations(path, 'string'));
      const format = mustBe('body', path, 'match format "date-time"');
      const label = type.kind === 'observed' ? esc(type.name) : 'expiresAt';
      for (const [n, v] of [
        ['empty', ''],
        ['a word', 'yesterday'],
        ['a date without time', '2026-01-01'],
        ['epoch seconds', '1700000000'],
        ['with NUL', `2026-01-01T00:00:00Z${NUL}`],
        ['with a script', SCRIPT],
        ['six-digit year', '+275760-09-13T00:00:00Z'],
      ] as Array<[string, string]>) {
        s(v, n, format);
      }
      // The schema's date-time format checks the shape; the times parser refuses what does not exist.
      for (const [n, v] of [
        ['month 13', '2026-13-01T00:00:00Z'],
        ['month 0', '2026-00-10T00:00:00Z'],
        ['hour 25', '2026-01-01T25:00:00Z'],
        ['offset +99:00', '2026-01-01T00:00:00+99:00'],
      ] as Array<[string, string]>) {
        s(v, n, [400, `${label} '${lit(v)}' is not an ISO-8601 date-time`]);
      }
      const notDate = (v: string): Expect => [400, `${label} '${lit(v)}' is not a calendar date|${format[1]}`];
      for (const v of ['2026-02-30T00:00:00Z', '2026-04-31T12:00:00Z', '2025-02-29T00:00:00Z']) {
        s(v, `day that does not exist (${v.slice(0, 10)})`, notDate(v));
      }
      if (type.kind === 'observed') {
        s('1900-01-01T00:00:00Z', 'in 1900', [400, `${label} '1900-01-01T00:00:00Z' is before the year 2000`]);
        s('1970-01-01T00:00:00Z', 'the Unix epoch', [400, `${label} '1970-01-01T00:00:00Z' is before the year 2000`]);
        s('0001-01-01T00:00:00Z', 'in the year 1', [400, `${label} '0001-01-01T00:00:00Z' is before the year 2000`]);
        s('9999-12-31T23:59:59Z', 'in 9999', [400, `${label} '9999-12-31T23:59:59Z' is in the future`]);
        s({ $inDays: 3 }, 'three days ahead', [400, `${label} '[^']+' is in the future`]);
      } else {
        s('2000-01-01T00:00:00Z', 'in 2000', [400, 'expiresAt 2000-01-01T00:00:00Z is in the past']);
        s('0001-01-01T00:00:00Z', 'in the year 1', [400, 'expiresAt 0001-01-01T00:00:00Z is in the past']);
        s({ $inDays: -1 }, 'yesterday', [400, 'expiresAt \\S+ is in the past']);
        s('9999-12-31T23:59:59Z', 'in 9999', [400, 'expiresAt 9999-12-31T23:59:59Z is more than \\d+ days away']);
        s({ $inDays: 3650 }, 'in ten years', [400, 'expiresAt \\S+ is more than \\d+ days away']);
        s({ $nextYear: '-02-30T00:00:00Z' }, 'next year on 30 February', [400, `expiresAt '\\d{4}-02-30T00:00:00Z' is not a calendar date|${format[1]}`]);
      }
      break;
    }
    case 'day': {
      out.push(...typeMutations(path, 'string'));
      const label = esc(type.name);
      for (const [n, v] of [
        ['empty', ''],
        ['a word', 'yesterday'],
        ['two-digit year', '26-01-01'],
        ['no leading zeros', '2026-1-1'],
        ['a date-time', '2026-01-01T00:00:00Z'],
        ['with NUL', `2026-01-01${NUL}`],
        ['with a script', SCRIPT],
        ['five-digit year', '20260-01-01'],
      ] as Array<[string, string]>) {
        s(v, n, pattern);
      }
      for (const v of ['2026-02-30', '2026-04-31', '2025-02-29']) {
        s(v, `day that does not exist (${v})`, [400, `${label} '${v}' is not a calendar date`]);
      }
      for (const v of ['2026-13-01', '2026-00-10', '2026-01-00']) {
        s(v, `day that does not exist (${v})`, [400, `${label} '${v}' is not an ISO-8601 date-time`]);
      }
      s('1900-01-01', 'in 1900', [400, `${label} '1900-01-01' is before the year 2000`]);
      s('0000-01-01', 'in the year 0', [400, `${label} '0000-01-01' is before the year 2000`]);
      if (!type.future) {
        s('9999-12-31', 'in 9999', [400, `${label} '9999-12-31' is in the future`]);
      } else {
        s('9999-12-31', 'in 9999', [400, `${label} '9999-12-31' is more than 5 years away`]);
      }
      break;
    }
    case 'entity': {
      out.push(...typeMutations(path, 'string'));
      const e = (v: string, n: string, x: Expect) => s(v, n, x);
      e('', 'empty', mustBe('body', path, 'NOT have fewer than 1 characters'));
      e('e'.repeat(256), '256 characters', mustBe('body', path, 'NOT have more than 255 characters'));
      e(MB as any, '1 MB', TOO_LARGE);
      out.push(...entityValueMutations().map(([n, v, x]) => ({ name: n, value: v, expect: x })));
      break;
    }
    case 'repository': {
      out.push(...typeMutations(path, 'string'));
      s('', 'empty', mustBe('body', path, 'NOT have fewer than 1 characters'));
      s('r'.repeat(513), '513 characters', mustBe('body', path, 'NOT have more than 512 characters'));
      out.push(...repositoryValueMutations().map(([n, v, x]) => ({ name: n, value: v, expect: x })));
      break;
    }
    case 'digest': {
      out.push(...typeMutations(path, 'string'));
      s('', 'empty', mustBe('body', path, 'NOT have fewer than 1 characters'));
      s('d'.repeat(161), '161 characters', mustBe('body', path, 'NOT have more than 160 characters'));
      for (const [n, v] of digestValues()) {
        s(v, n, [400, `Malformed ${esc(type.name)} '${lit(v)}'`]);
      }
      break;
    }
    case 'commit': {
      out.push(...typeMutations(path, 'string'));
      s('', 'empty', mustBe('body', path, 'NOT have fewer than 1 characters'));
      s('a'.repeat(65), '65 characters', mustBe('body', path, 'NOT have more than 64 characters'));
      for (const [n, v] of [
        ['not hex', 'xyz1234'],
        ['6 characters', 'abcdef'],
        ['with NUL', `abcdef1${NUL}`],
        ['a script', SCRIPT],
        ['a branch name', 'main'],
        ['a ref', 'refs/heads/main'],
        ['with a space', 'abcdef1 abcdef1'],
      ] as Array<[string, string]>) {
        s(v, n, [400, `Malformed sourceCommit '${lit(v)}'`]);
      }
      break;
    }
    case 'owner': {
      out.push(...typeMutations(path, 'string'));
      s('', 'empty', mustBe('body', path, 'NOT have fewer than 1 characters'));
      s('o'.repeat(256), '256 characters', mustBe('body', path, 'NOT have more than 255 characters'));
      for (const [n, v] of [
        ['a bare colon', ':'],
        ['kind only', 'group:'],
        ['namespace only', 'group:default/'],
        ['three parts', 'a:b:c'],
      ] as Array<[string, string]>) {
        s(v, `malformed, ${n}`, [400, `Malformed ${esc(type.name)} '${lit(v)}'`]);
      }
      break;
    }
    case 'riskOwner': {
      out.push(...typeMutations(path, 'string'));
      s('', 'empty', mustBe('body', path, 'NOT have fewer than 1 characters'));
      s('o'.repeat(256), '256 characters', mustBe('body', path, 'NOT have more than 255 characters'));
      const notPrincipal = (v: string) => `riskOwner ${lit(v)} is not a user or group in the catalog`;
      s('group:default/ghosts', 'an unknown group', [400, notPrincipal('group:default/ghosts')]);
      s('user:default/nobody', 'an unknown user', [400, notPrincipal('user:default/nobody')]);
      s('component:default/payments-api', 'a component', [400, 'riskOwner .*(user or group|must be a user or a group)']);
      s('user:default/dana', 'the requester', [400, 'riskOwner cannot be the requester']);
      for (const [n, v] of [
        ['a bare colon', ':'],
        ['kind only', 'group:'],
        ['three parts', 'a:b:c'],
      ] as Array<[string, string]>) {
        s(v, `malformed, ${n}`, [400, `riskOwner`]);
      }
      s(SCRIPT, 'a script', [400, 'riskOwner']);
      s(`group:default/sec${NUL}`, 'with NUL', [400, 'riskOwner']);
      break;
    }
    case 'boolean': {
      out.push(...typeMutations(path, 'boolean'));
      s('yes', '"yes"', mustBe('body', path, 'be boolean'));
      s(1, '1', mustBe('body', path, 'be boolean'));
      break;
    }
    case 'any': {
      s({ $deep: 10_000 }, 'nested 10,000 deep', [400, `${esc(type.name)} is nested more than 16 levels deep`]);
      s({ $deep: 20 }, 'nested 20 deep', [400, `${esc(type.name)} is nested more than 16 levels deep`]);
      s({ $deep: 10_000, array: true }, 'arrays nested 10,000 deep', [400, `${esc(type.name)} is nested more than 16 levels deep`]);
      s(MB, '1 MB', TOO_LARGE);
      break;
    }
    case 'array': {
      out.push(...typeMutations(path, 'array'));
      if (type.min > 0) s([], 'empty', mustBe('body', path, `NOT have fewer than ${type.min} items`));
      s({ $array: type.item, times: type.max + 1 }, `${type.max + 1} items`, mustBe('body', path, `NOT have more than ${type.max} items`));
      s([null], 'of null', mustBe('body', [...path, 0], typeof type.item === 'string' ? 'be string' : 'be object'));
      s([42], 'of numbers', mustBe('body', [...path, 0], typeof type.item === 'string' ? 'be string' : 'be object'));
      s([[type.item]], 'of arrays', mustBe('body', [...path, 0], typeof type.item === 'string' ? 'be string' : 'be object'));
      break;
    }
    default:
      throw new Error(`No mutations for ${JSON.stringify(type)}`);
  }
  return out;
}

function entityValueMutations(kind = 'component'): Array<[string, string, Expect]> {
  // The catalog answers with the ref in lower case.
  const nf = (ref: string): Expect => [404, `No catalog entity ${lit(ref.toLowerCase())}`];
  return [
    ['unknown', 'ghost', ghost(kind)],
    ['unknown, full ref', 'component:default/ghost', ghost()],
    ['unknown resource', 'resource:default/ghost', ghost('resource')],
    ['unknown namespace', 'component:elsewhere/payments-api', nf('component:elsewhere/payments-api')],
    ['a Group', 'group:default/team-payments', [400, 'group:default/team-payments is a Group; evidence belongs to component']],
    ['a User', 'user:default/dana', [400, 'user:default/dana is a User; evidence belongs to component']],
    ['an unknown group', 'group:default/ghosts', nf('group:default/ghosts')],
    ['an unknown API', 'api:default/ghost', ghost('api')],
    ['an unknown system', 'system:default/ghost', ghost('system')],
    ['an unknown domain', 'domain:default/ghost', ghost('domain')],
    ['unknown, 255 characters', 'g'.repeat(255), nf(`${kind}:default/${'g'.repeat(255)}`)],
    ['malformed, kind only', 'component:', [400, "Malformed entity ref 'component:'"]],
    ['malformed, bare colon', ':', [400, "Malformed entity ref ':'"]],
    ['malformed, namespace only', 'component:default/', [400, "Malformed entity ref 'component:default/'"]],
    ['malformed, slash only', '/', [400, "Malformed entity ref '/'"]],
    ['with NUL', `payments-api${NUL}`, nf(`${kind}:default/payments-api${NUL}`)],
    ['with control characters', `pay${CTRL}`, nf(`${kind}:default/pay${CTRL}`)],
    ['with ANSI escapes', `pay${ANSI}`, [404, `No catalog entity ${kind}:`]],
    ['a script', SCRIPT, nf(`${kind}:<script>alert(1)<`)],
    ['an img', IMG, nf(`${kind}:default/${IMG}`)],
    ['SQL', SQL, nf(`${kind}:default/${SQL}`)],
    ['a path', TRAVERSAL, [404, `No catalog entity ${kind}:\\.\\.`]],
    ['__proto__', '__proto__', nf(`${kind}:default/__proto__`)],
    ['constructor', 'constructor', nf(`${kind}:default/constructor`)],
    ['toString', 'toString', nf(`${kind}:default/toString`)],
    ['a right-to-left override', RTL, nf(`${kind}:default/${RTL}`)],
    ['zero-width characters', ZERO_WIDTH, nf(`${kind}:default/${ZERO_WIDTH}`)],
    ['emoji', EMOJI, nf(`${kind}:default/${EMOJI}`)],
  ];
}

function repositoryValueMutations(): Array<[string, string, Expect]> {
  return [
    ['unknown', 'acme/nope', [404, 'No catalog entity has the annotation github.com/project-slug: acme/nope']],
    ['shared by two entities', 'acme/monorepo', [409, 'Repository acme/monorepo matches several catalog entities']],
    ['a path', TRAVERSAL, [400, `Malformed repository '${lit(TRAVERSAL)}'`]],
    ['no slash', 'acme', [400, "Malformed repository 'acme'"]],
    ['an unsupported host', 'https://git.example.com/acme/payments-api', [400, "Repository host 'git.example.com' is not supported"]],
    ['an unknown GitLab project', 'https://gitlab.com/acme/payments-api', [404, 'gitlab.com/project-slug: acme/payments-api']],
    ['an ssh URL of another host', 'git@evil.example:acme/payments-api.git', [400, "Repository host 'evil.example' is not supported"]],
    ['a file URL', 'file:///etc/passwd', [400, "Repository host '' is not supported"]],
    ['a metadata-service URL', 'http://169.254.169.254/latest/meta-data', [400, "Repository host '169.254.169.254' is not supported"]],
    // eslint-disable-next-line no-script-url
    ['javascript:', 'javascript:alert(1)', [400, "Malformed repository 'javascript:alert\\(1\\)': the URL does not name org/repo"]],
    ['a URL without a repository', 'https://github.com/acme', [400, "Malformed repository 'https://github.com/acme': the URL does not name org/repo"]],
    ['with NUL', `acme/payments-api${NUL}`, [400, `Malformed repository 'acme/payments-api${lit(NUL)}'`]],
    ['a script', SCRIPT, [400, `Malformed repository '${lit(SCRIPT)}'`]],
    ['SQL', SQL, [400, `Malformed repository '${lit(SQL)}'`]],
  ];
}

function digestValues(): Array<[string, string]> {
  return [
    ['"latest"', 'latest'],
    ['a tag', 'registry.example.com/payments-api:1.2.3'],
    ['63 hex characters', `sha256:${'a'.repeat(31)}`],
    ['non-hex', `sha256:${'g'.repeat(64)}`],
    ['md5', `md5:${'a'.repeat(32)}`],
    ['no algorithm', 'a'.repeat(64)],
    ['with NUL', `sha256:${'a'.repeat(63)}${NUL}`],
    ['a script', SCRIPT],
    ['SQL', SQL],
    ['with control characters', `sha256:${CTRL}`],
  ];
}

// Endpoints ---------------------------------------------------------------------------------------------

interface QueryParam {
  name: string;
  type:
    | 'entity'
    | 'repository'
    | 'limit'
    | 'offset'
    | 'control'
    | 'controls'
    | 'artifact'
    | 'environment'
    | 'severity'
    | 'status'
    | 'exceptionStatus'
    | 'orderBy'
    | 'order'
    | 'text'
    | 'owner'
    | 'riskOwner'
    | 'days'
    | 'withinDays'
    | 'open'
    | 'scope'
    | 'scenario'
    | 'uuid'
    | 'group'
    | 'system'
    | 'domain'
    | 'org'
    | 'instant'
    | 'seq'
    | 'format'
    | 'commit'
    | 'scannedAt'
    | 'lifecycle'
    | 'riskRating'
    | 'evlimit';
  max?: number;
}

interface Endpoint {
  file: string;
  endpoint: string;
  method: 'GET' | 'POST';
  /** Path with `{ctxId}` placeholders for ids the test creates. */
  path: string;
  auth: Auth;
  /** The base query: valid values of some parameters. */
  query: Array<[string, string]>;
  params: QueryParam[];
  /** The path id: a mutation of it; `notFound` names the message of a well-formed unknown id. */
  pathId?: { placeholder: string; notFound: (id: string) => string; param: string };
  json?: { base: Record<string, unknown>; fields: Field[] };
  raw?: 'report' | 'attestation';
  /** Who may not call it (403). */
  forbidden?: Auth[];
  /** How a hostile but well-formed value becomes a refused request. */
  refuse: { patch?: Patch[]; query?: Array<[string, string]>; path?: string; expect: Expect };
}

const trivyImage = {
  SchemaVersion: 2,
  ArtifactName: 'registry.example.com/payments-api:1.2.3',
  ArtifactType: 'container_image',
  Metadata: { RepoDigests: [`registry.example.com/payments-api@${DIGEST}`] },
  Results: [
    {
      Target: 'payments-api (alpine 3.19)',
      Class: 'os-pkgs',
      Type: 'alpine',
      Vulnerabilities: [
        {
          VulnerabilityID: 'CVE-2026-7777',
          PkgName: 'openssl',
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: 'CRITICAL',
          Title: 'openssl',
        },
      ],
    },
  ],
};
const BUNDLE = 'attestations/sigstore-js-bundleV03-dsse.sigstore.json';

const entityParams: QueryParam[] = [
  { name: 'entity', type: 'entity' },
  { name: 'repository', type: 'repository' },
];
const pagingParams: QueryParam[] = [
  { name: 'limit', type: 'limit' },
  { name: 'offset', type: 'offset' },
];
const GHOST_QUERY: Array<[string, string]> = [['entity', 'ghost']];
const GHOST_PATCH: Patch[] = [{ path: ['entityRef'], value: 'ghost' }];

const exceptionBody = {
  entityRef: 'payments-api',
  scope: { control: 'container-scan', vulnerabilityId: 'CVE-2026-7777' },
  riskStatement: 'Not reachable: openssl is only used by the health probe',
  riskRating: 'medium',
  compensatingControls: 'Network policy denies egress',
  riskOwner: 'group:default/security-compliance',
  expiresAt: { $inDays: 30 },
};

const endpoints: Endpoint[] = [
  {
    file: 'post-reports',
    endpoint: 'POST /v1/reports',
    method: 'POST',
    path: '/v1/reports',
    auth: 'ci',
    query: [['entity', 'payments-api']],
    params: [
      ...entityParams,
      { name: 'format', type: 'format' },
      { name: 'control', type: 'control' },
      { name: 'commit', type: 'commit' },
      { name: 'branch', type: 'text', max: 255 },
      { name: 'artifact', type: 'artifact' },
      { name: 'scannedAt', type: 'scannedAt' },
    ],
    raw: 'report',
    forbidden: ['user', 'dana'],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'post-attestations',
    endpoint: 'POST /v1/attestations',
    method: 'POST',
    path: '/v1/attestations',
    auth: 'ci',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'artifact', type: 'artifact' }],
    raw: 'attestation',
    forbidden: ['user', 'dana'],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'post-deployments',
    endpoint: 'POST /v1/deployments',
    method: 'POST',
    path: '/v1/deployments',
    auth: 'ci',
    query: [],
    params: [],
    json: {
      base: {
        entityRef: 'payments-api',
        environment: 'qa',
        artifactDigest: DIGEST,
        sourceCommit: 'abcdef1234567',
        deployer: 'ci-bot',
        approver: 'rita',
        changeRef: 'CHG-1234',
        result: 'succeeded',
        deployedAt: { $inDays: -1 },
        claimedOwner: 'group:default/team-payments',
      },
      fields: [
        { path: ['entityRef'], type: { kind: 'entity' } },
        { path: ['repository'], type: { kind: 'repository' } },
        { path: ['environment'], required: true, type: { kind: 'pattern', max: 64 } },
        { path: ['artifactDigest'], required: true, type: { kind: 'digest', name: 'artifactDigest' } },
        { path: ['sourceCommit'], type: { kind: 'commit' } },
        { path: ['deployer'], required: true, type: { kind: 'text', min: 1, max: 255 } },
        { path: ['approver'], type: { kind: 'text', min: 1, max: 255 } },
        { path: ['changeRef'], type: { kind: 'text', min: 1, max: 512 } },
        { path: ['result'], type: { kind: 'enum', values: ['succeeded', 'failed', 'rolled_back'] } },
        { path: ['deployedAt'], type: { kind: 'observed', name: 'deployedAt' } },
        { path: ['claimedOwner'], type: { kind: 'owner', name: 'claimedOwner', malformed: ':' } },
      ],
    },
    forbidden: ['user', 'dana'],
    refuse: { patch: GHOST_PATCH, expect: ghost() },
  },
  {
    file: 'post-facts',
    endpoint: 'POST /v1/facts',
    method: 'POST',
    path: '/v1/facts',
    auth: 'ci',
    query: [],
    params: [],
    json: {
      base: {
        entityRef: 'payments-api',
        facts: [
          { fact: 'branch_protection.enabled', value: true, source: 'github', observedAt: { $inDays: -1 } },
        ],
      },
      fields: [
        { path: ['entityRef'], type: { kind: 'entity' } },
        { path: ['repository'], type: { kind: 'repository' } },
        { path: ['facts'], required: true, type: { kind: 'array', min: 1, max: 200, item: { fact: 'a', value: 1, source: 's' } } },
        { path: ['facts', 0, 'fact'], required: true, type: { kind: 'pattern', max: 128 } },
        { path: ['facts', 0, 'value'], required: true, type: { kind: 'any', name: 'facts[0].value' } },
        { path: ['facts', 0, 'source'], required: true, type: { kind: 'text', min: 1, max: 255 } },
        { path: ['facts', 0, 'observedAt'], type: { kind: 'observed', name: 'facts[0].observedAt' } },
      ],
    },
    forbidden: ['user', 'dana'],
    refuse: { patch: GHOST_PATCH, expect: ghost() },
  },
  {
    file: 'post-gate-decisions',
    endpoint: 'POST /v1/gate/decisions',
    method: 'POST',
    path: '/v1/gate/decisions',
    auth: 'ci',
    query: [],
    params: [],
    json: {
      base: {
        entityRef: 'payments-api',
        artifactDigest: DIGEST,
        environment: 'production',
        claimedOwner: 'group:default/team-payments',
      },
      fields: [
        { path: ['entityRef'], type: { kind: 'entity' } },
        { path: ['repository'], type: { kind: 'repository' } },
        { path: ['artifactDigest'], required: true, type: { kind: 'digest', name: 'artifactDigest' } },
        { path: ['environment'], required: true, type: { kind: 'pattern', max: 64 } },
        { path: ['claimedOwner'], type: { kind: 'owner', name: 'claimedOwner', malformed: ':' } },
      ],
    },
    forbidden: ['user', 'dana'],
    refuse: { patch: GHOST_PATCH, expect: ghost() },
  },
  {
    file: 'post-exceptions',
    endpoint: 'POST /v1/exceptions',
    method: 'POST',
    path: '/v1/exceptions',
    auth: 'dana',
    query: [],
    params: [],
    json: {
      base: exceptionBody,
      fields: [
        { path: ['entityRef'], type: { kind: 'entity' } },
        { path: ['repository'], type: { kind: 'repository' } },
        { path: ['scope'], required: true, type: { kind: 'text', min: 1, max: 1 } },
        { path: ['scope', 'control'], required: true, type: { kind: 'control' } },
        { path: ['scope', 'ruleId'], type: { kind: 'text', min: 1, max: 255 } },
        { path: ['scope', 'vulnerabilityId'], type: { kind: 'text', min: 1, max: 128 } },
        { path: ['scope', 'fingerprint'], type: { kind: 'fingerprint' } },
        { path: ['scope', 'artifactDigest'], type: { kind: 'digest', name: 'scope.artifactDigest' } },
        { path: ['riskStatement'], required: true, type: { kind: 'text', min: 10, max: 4000 } },
        { path: ['riskRating'], required: true, type: { kind: 'enum', values: ['critical', 'high', 'medium', 'low'] } },
        { path: ['compensatingControls'], type: { kind: 'text', min: 0, max: 4000 } },
        { path: ['riskOwner'], required: true, type: { kind: 'riskOwner' } },
        { path: ['expiresAt'], required: true, type: { kind: 'expiry' } },
      ],
    },
    forbidden: ['ci'],
    refuse: { patch: GHOST_PATCH, expect: ghost() },
  },
  ...(
    [
      ['approve', 'requestedId'],
      ['reject', 'requestedId2'],
      ['revoke', 'approvedId'],
    ] as const
  ).map(
    ([verb, target]): Endpoint => ({
      file: `post-exceptions-${verb}`,
      endpoint: `POST /v1/exceptions/{id}/${verb}`,
      method: 'POST',
      path: `/v1/exceptions/{${target}}/${verb}`,
      auth: 'rita',
      query: [],
      params: [],
      pathId: {
        placeholder: `{${target}}`,
        notFound: id => `No exception ${lit(id)}`,
        param: 'id',
      },
      json: {
        base: { reason: 'Accepted for this quarter' },
        fields: [{ path: ['reason'], required: true, type: { kind: 'text', min: 3, max: 4000 } }],
      },
      forbidden: ['ci'],
      refuse: { path: UUID, expect: [404, `No exception ${UUID}`] },
    }),
  ),
  {
    file: 'post-exceptions-renew',
    endpoint: 'POST /v1/exceptions/{id}/renew',
    method: 'POST',
    path: '/v1/exceptions/{approvedId2}/renew',
    auth: 'dana',
    query: [],
    params: [],
    pathId: { placeholder: '{approvedId2}', notFound: id => `No exception ${lit(id)}`, param: 'id' },
    json: {
      base: {
        expiresAt: { $inDays: 60 },
        riskStatement: 'Still not reachable: openssl is only used by the health probe',
        riskRating: 'low',
        compensatingControls: 'Network policy denies egress',
        riskOwner: 'group:default/security-compliance',
      },
      fields: [
        { path: ['expiresAt'], required: true, type: { kind: 'expiry' } },
        { path: ['riskStatement'], type: { kind: 'text', min: 10, max: 4000 } },
        { path: ['riskRating'], type: { kind: 'enum', values: ['critical', 'high', 'medium', 'low'] } },
        { path: ['compensatingControls'], type: { kind: 'text', min: 0, max: 4000 } },
        { path: ['riskOwner'], type: { kind: 'riskOwner' } },
      ],
    },
    forbidden: ['ci'],
    refuse: { path: UUID, expect: [404, `No exception ${UUID}`] },
  },
  {
    file: 'post-runtime-signals',
    endpoint: 'POST /v1/runtime-signals',
    method: 'POST',
    path: '/v1/runtime-signals',
    auth: 'ci',
    query: [],
    params: [],
    json: {
      base: {
        entityRef: 'payments-api',
        kind: 'incident',
        severity: 'high',
        summary: 'Token used from an unknown network',
        detectedAt: { $inDays: -2 },
        containedAt: { $inDays: -1.5 },
        remediatedAt: { $inDays: -1 },
        source: 'siem',
      },
      fields: [
        { path: ['entityRef'], type: { kind: 'entity' } },
        { path: ['repository'], type: { kind: 'repository' } },
        { path: ['kind'], required: true, type: { kind: 'enum', values: ['incident', 'audit-log-alert'] } },
        { path: ['severity'], required: true, type: { kind: 'enum', values: ['high', 'critical'] } },
        { path: ['summary'], required: true, type: { kind: 'text', min: 1, max: 4000 } },
        { path: ['detectedAt'], required: true, type: { kind: 'observed', name: 'detectedAt' } },
        { path: ['containedAt'], type: { kind: 'observed', name: 'containedAt' } },
        { path: ['remediatedAt'], type: { kind: 'observed', name: 'remediatedAt' } },
        { path: ['source'], required: true, type: { kind: 'text', min: 1, max: 255 } },
      ],
    },
    forbidden: ['user', 'dana'],
    refuse: { patch: GHOST_PATCH, expect: ghost() },
  },
  {
    file: 'post-runtime-signals-timeline',
    endpoint: 'POST /v1/runtime-signals/{id}/timeline',
    method: 'POST',
    path: '/v1/runtime-signals/{signalId}/timeline',
    auth: 'ci',
    query: [],
    params: [],
    pathId: { placeholder: '{signalId}', notFound: id => `No runtime signal ${lit(id)}`, param: 'id' },
    json: {
      base: { containedAt: { $inDays: -0.5 } },
      fields: [
        { path: ['containedAt'], type: { kind: 'observed', name: 'containedAt' } },
        { path: ['remediatedAt'], type: { kind: 'observed', name: 'remediatedAt' } },
      ],
    },
    refuse: { path: UUID, expect: [404, `No runtime signal ${UUID}`] },
  },
  {
    file: 'post-exercises',
    endpoint: 'POST /v1/exercises',
    method: 'POST',
    path: '/v1/exercises',
    auth: 'dana',
    query: [],
    params: [],
    json: {
      base: {
        scenario: 'leaked-secrets',
        heldOn: '2026-01-15',
        scopeRef: 'group:default/team-payments',
        participants: ['user:default/dana', 'user:default/rita'],
        findings: [{ title: 'Rotation runbook is out of date', recurring: true }],
        followUps: [{ action: 'Update the runbook', owner: 'group:default/team-payments', due: '2026-03-01', done: false }],
      },
      fields: [
        { path: ['scenario'], required: true, type: { kind: 'enum', values: ['leaked-secrets', 'compromised-ci-token'] } },
        { path: ['heldOn'], required: true, type: { kind: 'day', name: 'heldOn', future: false } },
        { path: ['scopeRef'], required: true, type: { kind: 'text', min: 1, max: 255 }, refuse: { patch: [{ path: ['scopeRef'], value: 'group:default/ghosts' }], expect: [404, 'No catalog entity group:default\\/ghosts'] } },
        { path: ['participants'], required: true, type: { kind: 'array', min: 1, max: 200, item: 'user:default/dana' } },
        { path: ['participants', 0], type: { kind: 'text', min: 1, max: 255 } },
        { path: ['findings'], type: { kind: 'array', min: 0, max: 200, item: { title: 't' } } },
        { path: ['findings', 0, 'title'], required: true, type: { kind: 'text', min: 1, max: 1000 } },
        { path: ['findings', 0, 'recurring'], type: { kind: 'boolean' } },
        { path: ['followUps'], type: { kind: 'array', min: 0, max: 200, item: { action: 'a', owner: 'o', due: '2026-01-01' } } },
        { path: ['followUps', 0, 'action'], required: true, type: { kind: 'text', min: 1, max: 2000 } },
        { path: ['followUps', 0, 'owner'], required: true, type: { kind: 'text', min: 1, max: 255 } },
        { path: ['followUps', 0, 'due'], required: true, type: { kind: 'day', name: 'followUps[0].due', future: true } },
        { path: ['followUps', 0, 'done'], type: { kind: 'boolean' } },
      ],
    },
    forbidden: ['ci'],
    refuse: { patch: [{ path: ['scopeRef'], value: 'group:default/ghosts' }], expect: [404, 'No catalog entity group:default\\/ghosts'] },
  },
  // Reads.
  {
    file: 'get-reports',
    endpoint: 'GET /v1/reports',
    method: 'GET',
    path: '/v1/reports',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'control', type: 'control' }, { name: 'artifact', type: 'artifact' }, ...pagingParams],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-report',
    endpoint: 'GET /v1/reports/{id}',
    method: 'GET',
    path: '/v1/reports/{reportId}',
    auth: 'user',
    query: [],
    params: [],
    pathId: { placeholder: '{reportId}', notFound: id => `No report ${lit(id)}`, param: 'id' },
    refuse: { path: UUID, expect: [404, `No report ${UUID}`] },
  },
  {
    file: 'get-report-body',
    endpoint: 'GET /v1/reports/{id}/body',
    method: 'GET',
    path: '/v1/reports/{reportId}/body',
    auth: 'user',
    query: [],
    params: [],
    pathId: { placeholder: '{reportId}', notFound: id => `No kept body for report ${lit(id)}`, param: 'id' },
    refuse: { path: UUID, expect: [404, `No kept body for report ${UUID}`] },
  },
  {
    file: 'get-findings',
    endpoint: 'GET /v1/findings',
    method: 'GET',
    path: '/v1/findings',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [
      ...entityParams,
      { name: 'owner', type: 'owner' },
      { name: 'control', type: 'controls' },
      { name: 'severity', type: 'severity' },
      { name: 'status', type: 'status' },
      { name: 'tool', type: 'text', max: 255 },
      { name: 'orderBy', type: 'orderBy' },
      { name: 'order', type: 'order' },
      ...pagingParams,
    ],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-deployments',
    endpoint: 'GET /v1/deployments',
    method: 'GET',
    path: '/v1/deployments',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'environment', type: 'environment' }, ...pagingParams],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-facts',
    endpoint: 'GET /v1/facts',
    method: 'GET',
    path: '/v1/facts',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: entityParams,
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-scorecards',
    endpoint: 'GET /v1/scorecards',
    method: 'GET',
    path: '/v1/scorecards',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: entityParams,
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-scorecards-history',
    endpoint: 'GET /v1/scorecards/history',
    method: 'GET',
    path: '/v1/scorecards/history',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'days', type: 'days' }],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-rollups',
    endpoint: 'GET /v1/rollups',
    method: 'GET',
    path: '/v1/rollups',
    auth: 'user',
    query: [['group', 'team-payments']],
    params: [
      { name: 'group', type: 'group' },
      { name: 'system', type: 'system' },
      { name: 'domain', type: 'domain' },
      { name: 'lifecycle', type: 'lifecycle' },
    ],
    refuse: { query: [['group', 'ghosts']], expect: [404, 'No catalog group group:default\\/ghosts'] },
  },
  {
    file: 'get-rollups-history',
    endpoint: 'GET /v1/rollups/history',
    method: 'GET',
    path: '/v1/rollups/history',
    auth: 'user',
    query: [['group', 'team-payments']],
    params: [
      { name: 'group', type: 'group' },
      { name: 'system', type: 'system' },
      { name: 'domain', type: 'domain' },
      { name: 'lifecycle', type: 'lifecycle' },
      { name: 'days', type: 'days' },
    ],
    refuse: { query: [['group', 'ghosts']], expect: [404, 'No catalog group group:default\\/ghosts'] },
  },
  {
    file: 'post-scorecards-snapshots',
    endpoint: 'POST /v1/scorecards/snapshots',
    method: 'POST',
    path: '/v1/scorecards/snapshots',
    auth: 'ci',
    query: [],
    params: [],
    json: {
      base: { entityRef: 'payments-api', at: { $inDays: 0 } },
      fields: [
        { path: ['entityRef'], type: { kind: 'entity' } },
        { path: ['repository'], type: { kind: 'repository' } },
        { path: ['at'], required: true, type: { kind: 'observed', name: 'at' } },
      ],
    },
    forbidden: ['user', 'dana'],
    refuse: { patch: GHOST_PATCH, expect: ghost() },
  },
  {
    file: 'get-gate-decisions',
    endpoint: 'GET /v1/gate/decisions',
    method: 'GET',
    path: '/v1/gate/decisions',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'environment', type: 'environment' }, ...pagingParams],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-exceptions',
    endpoint: 'GET /v1/exceptions',
    method: 'GET',
    path: '/v1/exceptions',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [
      ...entityParams,
      { name: 'riskOwner', type: 'riskOwner' },
      { name: 'status', type: 'exceptionStatus' },
      { name: 'expiringWithinDays', type: 'withinDays' },
      ...pagingParams,
    ],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-exceptions-risk-owners',
    endpoint: 'GET /v1/exceptions/risk-owners',
    method: 'GET',
    path: '/v1/exceptions/risk-owners',
    auth: 'user',
    query: [
      ['entity', 'payments-api'],
      ['riskRating', 'low'],
    ],
    params: [...entityParams, { name: 'riskRating', type: 'riskRating' }, { name: 'control', type: 'control' }],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-exception',
    endpoint: 'GET /v1/exceptions/{id}',
    method: 'GET',
    path: '/v1/exceptions/{requestedId}',
    auth: 'user',
    query: [],
    params: [],
    pathId: { placeholder: '{requestedId}', notFound: id => `No exception ${lit(id)}`, param: 'id' },
    refuse: { path: UUID, expect: [404, `No exception ${UUID}`] },
  },
  {
    file: 'get-runtime-signals',
    endpoint: 'GET /v1/runtime-signals',
    method: 'GET',
    path: '/v1/runtime-signals',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [...entityParams, { name: 'open', type: 'open' }, ...pagingParams],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-exercises',
    endpoint: 'GET /v1/exercises',
    method: 'GET',
    path: '/v1/exercises',
    auth: 'user',
    query: [['scope', 'team-payments']],
    params: [{ name: 'scope', type: 'scope' }, { name: 'scenario', type: 'scenario' }, ...pagingParams],
    refuse: { query: [['scope', 'ghosts']], expect: [404, 'No catalog entity group:default\\/ghosts'] },
  },
  {
    file: 'get-evidence-chain',
    endpoint: 'GET /v1/evidence/chain',
    method: 'GET',
    path: '/v1/evidence/chain',
    auth: 'user',
    query: [
      ['entity', 'payments-api'],
      ['artifact', DIGEST],
    ],
    params: [
      ...entityParams,
      { name: 'deployment', type: 'uuid' },
      { name: 'artifact', type: 'artifact' },
      { name: 'environment', type: 'environment' },
    ],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-audit-packages',
    endpoint: 'GET /v1/audit-packages',
    method: 'GET',
    path: '/v1/audit-packages',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [
      ...entityParams,
      { name: 'group', type: 'group' },
      { name: 'org', type: 'org' },
      { name: 'from', type: 'instant' },
      { name: 'to', type: 'instant' },
    ],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-evidence-log',
    endpoint: 'GET /v1/evidence/log',
    method: 'GET',
    path: '/v1/evidence/log',
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: [
      ...entityParams,
      { name: 'subject', type: 'text', max: 255 },
      { name: 'fromSeq', type: 'seq' },
      { name: 'limit', type: 'evlimit' },
    ],
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
  {
    file: 'get-artifact',
    endpoint: 'GET /v1/artifacts/{digest}',
    method: 'GET',
    path: `/v1/artifacts/${DIGEST}`,
    auth: 'user',
    query: [['entity', 'payments-api']],
    params: entityParams,
    pathId: { placeholder: DIGEST, notFound: d => `No artifact ${lit(d)}`, param: 'digest' },
    refuse: { query: GHOST_QUERY, expect: ghost() },
  },
];

// Case builders ------------------------------------------------------------------------------------------

const queryString = (query: Array<[string, string]>) =>
  query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
const encoded = (query: Array<[string, string]>): Array<[string, string]> => query.map(([k, v]) => [k, q(v)]);

function baseRequest(ep: Endpoint): CorpusRequest {
  return {
    method: ep.method,
    url: [...pathParts(ep.path), queryString(encoded(ep.query))].filter(p => p !== '') as Text,
    auth: ep.auth,
    ...bodyOf(ep, ep.json?.base),
  };
}

/** `/v1/exceptions/{requestedId}/approve` → ['/v1/exceptions/', {$ctx:'requestedId'}, '/approve']. */
function pathParts(path: string): Text[] {
  return path.split(/(\{[a-zA-Z0-9]+\})/).filter(Boolean).map(part =>
    part.startsWith('{') ? ({ $ctx: part.slice(1, -1) } as Marker) : part,
  );
}

function bodyOf(ep: Endpoint, json: unknown): Pick<CorpusRequest, 'body' | 'headers'> {
  if (ep.raw === 'report') {
    return { headers: { 'Content-Type': 'application/json' }, body: { json: trivyImage } };
  }
  if (ep.raw === 'attestation') {
    return { headers: { 'Content-Type': 'application/json' }, body: { fixture: BUNDLE } };
  }
  if (json === undefined) return {};
  return { headers: { 'Content-Type': 'application/json' }, body: { json } };
}

/** A request of the endpoint with the given query, path and body. */
function request(
  ep: Endpoint,
  over: { query?: Array<[string, string]>; rawQuery?: Text; path?: Text[]; body?: Body; headers?: Record<string, string>; auth?: Auth } = {},
): CorpusRequest {
  const base = baseRequest(ep);
  const query = over.rawQuery ?? queryString(encoded(over.query ?? ep.query));
  const url = [...(over.path ?? pathParts(ep.path)), query].filter(p => p !== '') as Text;
  const out: CorpusRequest = { method: ep.method, url, auth: over.auth ?? ep.auth };
  const headers = over.headers ?? base.headers;
  if (headers) out.headers = headers;
  // Unchanged JSON is written as the base with no patches (the base is in the file once).
  const body = over.body ?? (base.body && 'json' in base.body ? { patch: [] } : base.body);
  if (body) out.body = body;
  return out;
}

const cases = (ep: Endpoint): CorpusCase[] => {
  const out: CorpusCase[] = [];
  const add = (name: string, req: CorpusRequest, [status, message]: Expect) =>
    out.push({ name, request: req, expect: { status, message } });

  // Credentials.
  add('no credentials', request(ep, { auth: 'none' }), [401, '.+']);
  add('a malformed bearer token', request(ep, { auth: 'garbage-bearer' }), [401, '.+']);
  add('an empty bearer token', request(ep, { auth: 'empty-bearer' }), [401, '.+']);
  add('basic auth', request(ep, { auth: 'basic' }), [401, '.+']);
  for (const who of ep.forbidden ?? []) add(`a ${who === 'ci' ? 'service' : 'user'} token (${who})`, request(ep, { auth: who }), [403, '.+']);

  // Unknown query parameters.
  for (const [key, value, label] of UNKNOWN_QUERY) {
    const query = queryString(encoded(ep.query));
    add(`unknown query parameter ${label.replace(/\\/g, '')}`, request(ep, { rawQuery: `${query || '?'}${query ? '&' : ''}${key}=${value}` }), [400, `Unknown query parameter '${label}'|${label}`]);
  }

  // Parameters of other endpoints are unknown here.
  const known = new Set([...ep.params.map(p => p.name), ...ep.query.map(([k]) => k)]);
  for (const name of [...new Set(endpoints.flatMap(e => e.params.map(p => p.name)))].filter(n => !known.has(n)).sort()) {
    const query = queryString(encoded(ep.query));
    add(`a parameter of another endpoint: ${name}`, request(ep, { rawQuery: `${query || '?'}${query ? '&' : ''}${name}=1` }), [400, `Unknown query parameter '${name}'|${name}`]);
  }
  // Path ids.
  if (ep.pathId) out.push(...pathIdCases(ep));
  // Query parameters.
  for (const param of ep.params) out.push(...queryCases(ep, param));
  // Bodies.
  if (ep.json) {
    for (const field of ep.json.fields) out.push(...jsonFieldCases(ep, field));
    out.push(...wholeJsonCases(ep));
  } else if (ep.raw) {
    out.push(...rawBodyCases(ep));
  } else {
    out.push(...bodyOnGetCases(ep));
  }
  return out;
};

function pathIdCases(ep: Endpoint): CorpusCase[] {
  const { placeholder, notFound, param } = ep.pathId!;
  const isDigest = param === 'digest';
  const out: CorpusCase[] = [];
  const withId = (value: string): Text[] => pathParts(ep.path.replace(placeholder, '\u0000')).flatMap(p =>
    typeof p === 'string' && p.includes('\u0000') ? p.split('\u0000').flatMap((s, i) => (i === 0 ? [s] : [value, s])).filter(x => x !== '') : [p],
  );
  const malformed: Expect = isDigest ? [400, 'Malformed artifact digest'] : [400, `request/params/${param} must match pattern "\\^\\[0-9a-fA-F\\]\\{8\\}-`];
  const bad: Array<[string, string]> = [
    ['not a uuid', 'not-a-uuid'],
    ['1', '1'],
    ['0', '0'],
    ['-1', '-1'],
    ['null', 'null'],
    ['undefined', 'undefined'],
    ['NaN', 'NaN'],
    ['1e400', '1e400'],
    ['SQL', q(SQL)],
    ['a DROP TABLE', q(DROP)],
    ['an encoded path', '..%2F..%2Fetc%2Fpasswd'],
    ['encoded NUL', '%00'],
    ['NUL after a uuid', `${UUID}%00`],
    ['a uuid with a suffix', `${UUID}x`],
    ['a uuid one short', UUID.slice(0, -1)],
    ['a uuid with g', UUID.replace('0000-4000', '000g-4000')],
    ['a uuid in braces', q(`{${UUID}}`)],
    ['a urn', `urn:uuid:${UUID}`],
    ['a uuid without dashes', UUID.replace(/-/g, '')],
    ['a uuid with an extra group', `${UUID}-0000`],
    ['two uuids', `${UUID},${UUID}`],
    ['1,000 characters', 'f'.repeat(1000)],
    ['a script', q(SCRIPT)],
    ['an img', q(IMG)],
    ['control characters', q(CTRL)],
    ['ANSI escapes', q(ANSI)],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['emoji', q(EMOJI)],
    ['a right-to-left override', q(RTL)],
    ['a space', '%20'],
    ['a uuid in spaces', `%20${UUID}%20`],
    ['a tab', '%09'],
    ['*', '*'],
    ['$ne', '$ne'],
    ['[object Object]', q('[object Object]')],
    ['an encoded slash', '%2F'],
    ['a uuid and a path', `${UUID}%2Fextra`],
    ['a uuid and SQL', q(`${UUID}' OR '1'='1`)],
    ['a uuid and a semicolon', q(`${UUID};`)],
    ['a dot', '.'],
    ['dot dot, encoded', '%2E%2E'],
    ['a uuid in capitals with G', UUID.toUpperCase().replace('0000-4000', '000G-4000')],
    ['a uuid with NUL inside', `${UUID.slice(0, 8)}%00${UUID.slice(9)}`],
    ['a JSON object', q(`{"$gt":""}`)],
    ['a negative zero', '-0'],
    ['a very large number', '9'.repeat(40)],
    ['with CR LF', q(`${UUID}\r\nX-Injected: 1`)],
  ];
  if (isDigest) {
    bad.push(
      ['"latest"', 'latest'],
      ['63 hex characters', `sha256:${'a'.repeat(31)}`],
      ['md5', `md5:${'a'.repeat(32)}`],
      ['non-hex', `sha256:${'g'.repeat(64)}`],
    );
  }
  for (const [name, value] of bad) {
    const expect: Expect = isDigest && value.length > 200 ? [400, 'request/params/digest must NOT have more than 200 characters'] : malformed;
    out.push({ name: `${param} ${name}`, request: request(ep, { path: withId(value) }), expect: { status: expect[0], message: expect[1] } });
  }
  // Malformed percent-encoding fails in the router before any handler.
  for (const [name, value] of [['a lone %', '%'], ['%zz', '%zz'], ['broken UTF-8', '%E0%A4%A']] as Array<[string, string]>) {
    out.push({ name: `${param} ${name}`, request: request(ep, { path: withId(value) }), expect: { status: 400, message: 'malformed uri' } });
  }
  const wellFormed: Array<[string, string]> = isDigest
    ? [
        ['an unknown sha256', `sha256:${'b'.repeat(64)}`],
        ['an unknown sha512', `sha512:${'c'.repeat(128)}`],
        ['an unknown sha1', `sha1:${'d'.repeat(40)}`],
      ]
    : [
        ['the nil uuid', '00000000-0000-0000-0000-000000000000'],
        ['the max uuid', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
        ['an unknown v4 uuid', UUID],
        ['an unknown v1 uuid', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
        ['an unknown v7 uuid', '018f3c4e-8d5a-7b1c-9e2f-3a4b5c6d7e8f'],
        ['an unknown v3 uuid', 'a3bb189e-8bf9-3888-9912-ace4e6543002'],
        ['an unknown v5 uuid', '886313e1-3b8a-5372-9b90-0c9aee199e5d'],
        ['an unknown uuid in capitals', 'C232AB00-9414-11EC-B3C8-9F6BDECED846'],
        ['an almost-max uuid', 'ffffffff-ffff-ffff-ffff-fffffffffffe'],
      ];
  for (const [name, value] of wellFormed) {
    out.push({ name: `${param} ${name}`, request: request(ep, { path: withId(value) }), expect: { status: 404, message: notFound(value) } });
  }
  return out;
}

/** Values of a query parameter that are refused, with the expectation; `q` encodes them. */
function paramValues(param: QueryParam): Array<[string, string, Expect]> {
  const name = param.name;
  const pat: Expect = [400, `request/query/${esc(name)} must match pattern`];
  const enm: Expect = [400, `request/query/${esc(name)} must be equal to one of the allowed values`];
  const fmt = (f: string): Expect => [400, `request/query/${esc(name)} must match format "${f}"`];
  const longer = (max: number): Expect => [400, `request/query/${esc(name)} must NOT have more than ${max} characters`];
  const empty: Expect = [400, `request/query/${esc(name)} must NOT have fewer than 1 characters`];
  const hostile = (e: Expect): Array<[string, string, Expect]> => [
    ['with NUL', `x${NUL}`, e],
    ['with control characters', `x${CTRL}`, e],
    ['a script', SCRIPT, e],
    ['an img', IMG, e],
    ['SQL', SQL, e],
  ];
  switch (param.type) {
    case 'entity':
      return [
        ['empty', '', empty],
        ['256 characters', 'e'.repeat(256), longer(255)],
        ...entityValueMutations().map(([n, v, x]) => [n, v, x] as [string, string, Expect]),
      ];
    case 'repository':
      return [['empty', '', empty], ['513 characters', 'r'.repeat(513), longer(512)], ...repositoryValueMutations()];
    case 'limit':
    case 'evlimit': {
      const range: Expect = [400, param.type === 'limit' ? 'limit must be between 1 and 500' : 'limit must be between 1 and 1000'];
      return [
        ['0', '0', range],
        [param.type === 'limit' ? '501' : '1001', param.type === 'limit' ? '501' : '1001', range],
        ['9999', '9999', range],
        ['-1', '-1', pat],
        ['abc', 'abc', pat],
        ['1e3', '1e3', pat],
        ['0x10', '0x10', pat],
        ['10.5', '10.5', pat],
        ['99999', '99999', pat],
        ['empty', '', pat],
        ['with a space', ' 10', pat],
        ['Infinity', 'Infinity', pat],
      ];
    }
    case 'offset':
    case 'seq':
      return [
        ['-1', '-1', pat],
        ['abc', 'abc', pat],
        ['1e10', '1e10', pat],
        ['1.5', '1.5', pat],
        [param.type === 'seq' ? '16 digits' : '10 digits', '9'.repeat(param.type === 'seq' ? 16 : 10), pat],
        ['empty', '', pat],
        ['NaN', 'NaN', pat],
      ];
    case 'control':
    case 'controls':
      return [
        ['empty', '', pat],
        ['__proto__', '__proto__', pat],
        ['in capitals', 'SECRET-SCAN', pat],
        ['unknown', 'magic', [400, "Unknown control 'magic'"]],
        ['constructor', 'constructor', [400, "Unknown control 'constructor'"]],
        ...(param.type === 'controls'
          ? ([
              ['a list with an unknown control', 'container-scan,magic', [400, "Unknown control 'magic'"]],
              ['a list with an empty item', 'container-scan,', pat],
            ] as Array<[string, string, Expect]>)
          : ([['a list', 'container-scan,sast', pat]] as Array<[string, string, Expect]>)),
        ...hostile(pat),
      ];
    case 'artifact':
      return [
        ['empty', '', empty],
        ['201 characters', 'a'.repeat(201), longer(200)],
        ...digestValues().map(([n, v]) => [n, v, [400, `Malformed artifact digest '${lit(v)}'`]] as [string, string, Expect]),
      ];
    case 'environment':
      return [['empty', '', pat], ['in capitals', 'PROD', pat], ['65 characters', 'e'.repeat(65), pat], ['with a dot', 'prod.eu', pat], ...hostile(pat)];
    case 'severity':
      return [['unknown', 'urgent', pat], ['in capitals', 'HIGH', pat], ['a list with a gap', 'high,,low', pat], ['empty', '', pat], ...hostile(pat)];
    case 'status':
      return [['unknown', 'pending', pat], ['__proto__', '__proto__', pat], ['in capitals', 'OPEN', pat], ['empty', '', pat], ...hostile(pat)];
    case 'exceptionStatus':
      return [['unknown', 'pending', pat], ['in capitals', 'APPROVED', pat], ['a trailing comma', 'approved,', pat], ['empty', '', pat], ...hostile(pat)];
    case 'orderBy':
      return [['constructor', 'constructor', enm], ['SQL', 'severity desc; --', enm], ['a column', 'rule_id', enm], ['empty', '', enm], ...hostile(enm)];
    case 'order':
      return [['sideways', 'sideways', enm], ['in capitals', 'DESC', enm], ['empty', '', enm], ...hostile(enm)];
    case 'text':
      return [['empty', '', empty], [`${(param.max ?? 255) + 1} characters`, 't'.repeat((param.max ?? 255) + 1), longer(param.max ?? 255)]];
    case 'owner':
      return [
        ['empty', '', empty],
        ['256 characters', 'o'.repeat(256), longer(255)],
        ...([SCRIPT, IMG, `team${NUL}`, `team${CTRL}`, SQL, 'a:b:c', 'group:', ':', 'group:default/', 'component:default/payments-api', TRAVERSAL] as string[]).map(
          v => [`malformed ${JSON.stringify(v).slice(1, -1).slice(0, 30)}`, v, [400, `Malformed owner '${lit(v)}'`]] as [string, string, Expect],
        ),
      ];
    case 'riskOwner':
      return [
        ['empty', '', empty],
        ['256 characters', 'o'.repeat(256), longer(255)],
        ...([SCRIPT, IMG, `rita${NUL}`, `rita${CTRL}`, SQL, 'a:b:c', 'group:', ':', 'group:default/', TRAVERSAL] as string[]).map(
          v => [`malformed ${JSON.stringify(v).slice(1, -1).slice(0, 30)}`, v, [400, 'Malformed owner']] as [string, string, Expect],
        ),
      ];
    case 'days':
      return [
        ['0', '0', [400, 'days must be between 1 and 730']],
        ['731', '731', [400, 'days must be between 1 and 730']],
        ['9999', '9999', [400, 'days must be between 1 and 730']],
        ['-1', '-1', pat],
        ['abc', 'abc', pat],
        ['1e3', '1e3', pat],
        ['empty', '', pat],
        ['99999', '99999', pat],
      ];
    case 'withinDays':
      return [['1000', '1000', pat], ['-1', '-1', pat], ['abc', 'abc', pat], ['1.5', '1.5', pat], ['empty', '', pat]];
    case 'open':
      return [['yes', 'yes', enm], ['TRUE', 'TRUE', enm], ['1', '1', enm], ['empty', '', enm], ...hostile(enm)];
    case 'riskRating':
      return [['unknown', 'severe', enm], ['in capitals', 'HIGH', enm], ['empty', '', enm], ...hostile(enm)];
    case 'scenario':
      return [['unknown', 'alien-invasion', enm], ['in capitals', 'LEAKED-SECRETS', enm], ['empty', '', enm], ...hostile(enm)];
    case 'scope':
    case 'group':
    case 'system':
    case 'domain': {
      const kind = param.type === 'scope' ? 'group' : param.type;
      const noEntity = (ref: string): Expect =>
        param.type === 'group' ? [404, `No catalog group ${lit(ref.toLowerCase())}`] : [404, `No catalog entity ${lit(ref.toLowerCase())}`];
      const malformed = (v: string): Expect => [400, `Malformed ${param.type === 'scope' ? 'scope' : kind}( ref)? '${lit(v)}'`];
      return [
        ['empty', '', empty],
        ['256 characters', 'g'.repeat(256), longer(255)],
        ['unknown', 'ghosts', noEntity(`${kind}:default/ghosts`)],
        ['unknown, full ref', `${kind}:default/ghosts`, noEntity(`${kind}:default/ghosts`)],
        ['with NUL', `team${NUL}`, noEntity(`${kind}:default/team${NUL}`)],
        ['with control characters', `team${CTRL}`, noEntity(`${kind}:default/team${CTRL}`)],
        ['a script', SCRIPT, noEntity(`${kind}:<script>alert(1)<`)],
        ['an img', IMG, noEntity(`${kind}:default/${IMG}`)],
        ['SQL', SQL, noEntity(`${kind}:default/${SQL}`)],
        ['__proto__', '__proto__', noEntity(`${kind}:default/__proto__`)],
        ['constructor', 'constructor', noEntity(`${kind}:default/constructor`)],
        ['malformed, kind only', `${kind}:`, malformed(`${kind}:`)],
        ['malformed, bare colon', ':', malformed(':')],
        ['malformed, namespace only', `${kind}:default/`, malformed(`${kind}:default/`)],
      ];
    }
    case 'org':
      return [['false', 'false', enm], ['TRUE', 'TRUE', enm], ['1', '1', enm], ['yes', 'yes', enm], ['empty', '', enm], ...hostile(enm)];
    case 'instant': {
      const nd = (v: string): Expect => [400, `${name} '${lit(v)}' is (not an ISO-8601 date-time|not a calendar date)`];
      return [
        ['empty', '', empty],
        ['41 characters', '2'.repeat(41), longer(40)],
        ['a word', 'yesterday', nd('yesterday')],
        ['a day that does not exist', '2026-02-30', nd('2026-02-30')],
        ['month 13', '2026-13-01T00:00:00Z', nd('2026-13-01T00:00:00Z')],
        ['hour 25', '2026-01-01T25:00:00Z', nd('2026-01-01T25:00:00Z')],
        ['with NUL', `2026-01-01${NUL}`, nd(`2026-01-01${NUL}`)],
        ['a script', SCRIPT, nd(SCRIPT)],
        ['SQL', SQL, nd(SQL)],
        ...(name === 'from'
          ? ([
              ['after to', `${q('2026-06-01T00:00:00Z')}&to=${q('2026-01-01T00:00:00Z')}`, [400, 'from \\(2026-06-01T00:00:00.000Z\\) must be before to']],
            ] as Array<[string, string, Expect]>)
          : ([] as Array<[string, string, Expect]>)),
        ['in the year 1', '0001-01-01T00:00:00Z', [400, `${name} '0001-01-01T00:00:00Z' is before the year 2000`]],
        ['in 1999', '1999-12-31T23:59:59Z', [400, `${name} '1999-12-31T23:59:59Z' is before the year 2000`]],
        ['in 9999', '9999-12-31T23:59:59Z', [400, `${name} '9999-12-31T23:59:59Z' is in the future`]],
        ['in 2999', '2999-01-01T00:00:00Z', [400, `${name} '2999-01-01T00:00:00Z' is in the future`]],
      ];
    }
    case 'uuid': {
      const shape: Expect = [400, `request/query/${esc(name)} must match pattern "\\^\\[0-9a-fA-F\\]\\{8\\}-`];
      return [
        ['not a uuid', 'not-a-uuid', shape],
        ['SQL', SQL, shape],
        ['with NUL', `${UUID}${NUL}`, shape],
        ['a script', SCRIPT, shape],
        ['a urn', `urn:uuid:${UUID}`, shape],
        ['unknown', UUID, [404, `No deployment ${UUID}`]],
        ['the nil uuid', '00000000-0000-0000-0000-000000000000', [404, 'No deployment 00000000-0000-0000-0000-000000000000']],
      ];
    }
    case 'format':
      return [
        ['unknown', 'nessus', [415, "Unknown report format 'nessus'"]],
        ['constructor', 'constructor', [415, "Unknown report format 'constructor'"]],
        ['hasownproperty', 'hasownproperty', [415, "Unknown report format 'hasownproperty'"]],
        ['__proto__', '__proto__', pat],
        ['in capitals', 'SARIF', pat],
        ['empty', '', pat],
        ...hostile(pat),
      ];
    case 'scannedAt': {
      const f = fmt('date-time');
      const app = (v: string, what: string): Expect => [400, `scannedAt '${lit(v)}' ${what}`];
      return [
        ['empty', '', empty],
        ['a word', 'yesterday', f],
        ['a date without time', '2026-01-01', f],
        ['with NUL', `2026-01-01T00:00:00Z${NUL}`, f],
        ['a script', SCRIPT, f],
        ['epoch seconds', '1700000000', f],
        ['a day that does not exist', '2026-02-30T00:00:00Z', app('2026-02-30T00:00:00Z', 'is not a calendar date')],
        ['month 13', '2026-13-01T00:00:00Z', app('2026-13-01T00:00:00Z', 'is not an ISO-8601 date-time')],
        ['in 1900', '1900-01-01T00:00:00Z', app('1900-01-01T00:00:00Z', 'is before the year 2000')],
        ['in 2001', '2001-01-01T00:00:00Z', app('2001-01-01T00:00:00Z', 'is more than \\d+ days ago')],
        ['in 9999', '9999-12-31T23:59:59Z', app('9999-12-31T23:59:59Z', 'is in the future')],
      ];
    }
    case 'lifecycle':
      return [['in capitals', 'PRODUCTION', pat], ['65 characters', 'l'.repeat(65), pat], ['with a dot', 'prod.eu', pat], ['empty', '', pat], ...hostile(pat)];
    case 'commit':
      return [
        ['empty', '', empty],
        ['65 characters', 'a'.repeat(65), longer(64)],
        ['not hex', 'xyz1234', [400, "Malformed commit 'xyz1234'"]],
        ['with NUL', `abc${NUL}`, [400, `Malformed commit 'abc${lit(NUL)}'`]],
        ['a script', SCRIPT, [400, `Malformed commit '${lit(SCRIPT)}'`]],
        ['SQL', SQL, [400, `Malformed commit '${lit(SQL)}'`]],
      ];
    default:
      throw new Error(`No values for ${param.type}`);
  }
}

function queryCases(ep: Endpoint, param: QueryParam): CorpusCase[] {
  const out: CorpusCase[] = [];
  const others = ep.query.filter(([k]) => k !== param.name && !(param.type === 'repository' && k === 'entity'));
  // Parameters that name one scope replace the base one (entity → repository, group → system…).
  const exclusive = ['entity', 'repository', 'group', 'system', 'domain', 'org', 'scope'];
  const kept = exclusive.includes(param.name) ? others.filter(([k]) => !exclusive.includes(k)) : others;
  for (const [name, value, given] of paramValues(param)) {
    const raw = name === 'after to' ? value : q(value);
    const expect = name === 'after to' ? given : queryExpect(ep, param.name, value, raw, given);
    const query = [...encoded(kept), [param.name, raw]] as Array<[string, string]>;
    const rawQuery = queryString(query);
    out.push({ name: `${param.name} ${name}`, request: request(ep, { rawQuery }), expect: { status: expect[0], message: expect[1] } });
  }
  // Shapes the query parser turns into arrays and objects.
  const valid = validParamValue(param);
  const shape = (n: string, raw: string) =>
    out.push({
      name: `${param.name} ${n}`,
      request: request(ep, { rawQuery: queryString([...encoded(kept), [raw, '']].map(([k, v]) => [k, v]) as Array<[string, string]>).replace(/=$/, '') }),
      expect: { status: 400, message: `request/query/${esc(param.name)} must be string` },
    });
  shape('twice', `${param.name}=${q(valid)}&${param.name}=${q(valid)}`);
  shape('as an array', `${param.name}[]=${q(valid)}`);
  shape('as an object', `${param.name}[a]=${q(valid)}`);
  shape('as an object with __proto__', `${param.name}[__proto__][polluted]=1`);
  // Hostile text in a free-text parameter is data; with an unknown entity it must come back as that 404.
  if (param.type === 'text' && ep.refuse.query) {
    for (const [n, v] of HOSTILE_TEXT) {
      const query = [...encoded(kept.filter(([k]) => !ep.refuse.query!.some(([r]) => r === k))), ...encoded(ep.refuse.query), [param.name, q(v)]] as Array<[string, string]>;
      const expect = queryExpect(ep, param.name, v, q(v), ep.refuse.expect);
      out.push({ name: `${param.name} with ${n}, for an unknown entity`, request: request(ep, { rawQuery: queryString(query) }), expect: { status: expect[0], message: expect[1] } });
    }
  }
  // A URL longer than the server's header limit.
  if (param === ep.params[0]) {
    out.push({
      name: `${param.name} of 20 kB (URL over the header limit)`,
      request: request(ep, { rawQuery: ['?', ...encoded(kept).map(([k, v]) => `${k}=${v}&`), `${param.name}=`, { $repeat: 'x', times: 20_000 }] }),
      expect: { status: 431, message: '^$' },
    });
  }
  return out;
}

/**
 * Characters the validator refuses unencoded in a parameter without allowReserved (it reads the
 * query through url.parse, which escapes the quote; encodeURIComponent leaves !()* as they are).
 */
const RESERVED = /[:/?#[\]@!$&()*+,;=]/;

/** Whether the contract lets the parameter carry reserved characters (refs, repositories, digests). */
function allowsReserved(ep: Endpoint, name: string): boolean {
  const [method, path] = ep.endpoint.split(' ');
  const operation = (spec.paths as any)[path]?.[method.toLowerCase()];
  return !!operation?.parameters?.find((p: { name: string }) => p.name === name)?.allowReserved;
}

/** An empty value, and reserved characters where the contract does not allow them, are refused before anything else. */
function queryExpect(ep: Endpoint, name: string, value: string, raw: string, given: Expect): Expect {
  if (value === '') return [400, `Empty value found for query parameter '${esc(name)}'`];
  if (!allowsReserved(ep, name) && RESERVED.test(raw)) return [400, `Parameter '${esc(name)}' must be url encoded`];
  return given;
}

function validParamValue(param: QueryParam): string {
  const values: Partial<Record<QueryParam['type'], string>> = {
    entity: 'payments-api',
    repository: 'acme/payments-api',
    limit: '10',
    evlimit: '10',
    offset: '0',
    seq: '0',
    control: 'container-scan',
    controls: 'container-scan',
    artifact: DIGEST,
    environment: 'production',
    severity: 'high',
    status: 'open',
    exceptionStatus: 'approved',
    orderBy: 'severity',
    order: 'asc',
    text: 'trivy',
    owner: 'team-payments',
    riskOwner: 'me',
    days: '30',
    withinDays: '30',
    open: 'true',
    scope: 'team-payments',
    scenario: 'leaked-secrets',
    uuid: UUID,
    group: 'team-payments',
    system: 'payments',
    domain: 'commerce',
    org: 'true',
    instant: '2026-01-01T00:00:00Z',
    format: 'trivy',
    commit: 'abcdef1',
  };
  return values[param.type] ?? 'x';
}

function jsonFieldCases(ep: Endpoint, field: Field): CorpusCase[] {
  const base = ep.json!.base;
  const label = field.path.join('.');
  const out: CorpusCase[] = [];
  // Without its exclusive partner: a repository replaces the entity ref.
  const start: Patch[] = field.path[0] === 'repository' ? [{ path: ['entityRef'], remove: true }] : [];
  const set = (value: unknown): Patch =>
    value === REMOVE ? { path: field.path, remove: true } : { path: field.path, value };
  const isObjectField = field.path.length === 1 && field.path[0] === 'scope';
  const mutations: Mutation[] = isObjectField ? scopeMutations() : fieldMutations(field);
  for (const m of mutations) {
    out.push({ name: `${label} ${m.name}`, request: request(ep, { body: { patch: [...start, set(m.value)] } }), expect: { status: m.expect[0], message: m.expect[1] } });
  }
  // Hostile but well-formed text: refused for another reason, and that reason is what comes back.
  if (field.type.kind === 'text' && !isObjectField) {
    const min = field.type.min;
    const refuse = field.refuse ?? { patch: ep.refuse.patch ?? [], expect: ep.refuse.expect };
    for (const [n, v] of HOSTILE_TEXT) {
      if ([...v].length < min) continue;
      const body: Body = { patch: [...start, set(v), ...refuse.patch] };
      const req = ep.refuse.path ? request(ep, { body, path: swapPath(ep, ep.refuse.path) }) : request(ep, { body });
      out.push({ name: `${label} with ${n}, refused for another reason`, request: req, expect: { status: refuse.expect[0], message: refuse.expect[1] } });
    }
  }
  // A nested object gets prototype keys and unknown keys of its own.
  if (field.path.length === 3 && field.path[2] === Object.keys(getPath(base, field.path.slice(0, 2)) as object)[0]) {
    const parent = field.path.slice(0, 2);
    const at0 = `request/body/${parent.join('/')}`;
    for (const key of ['__proto__', 'constructor', 'extra']) {
      const value = key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true };
      out.push({ name: `${parent.join('.')} with a ${key} key`, request: request(ep, { body: { patch: [{ path: [...parent, key], value }] } }), expect: { status: 400, message: `${esc(at0)} must NOT have additional properties` } });
    }
  }
  return out;
}

function scopeMutations(): Mutation[] {
  const must = mustBe('body', ['scope'], 'be object');
  return [
    { name: 'missing', value: REMOVE, expect: required('body', ['scope']) },
    { name: 'null', value: null, expect: must },
    { name: 'a string', value: 'container-scan', expect: must },
    { name: 'an array', value: [{ control: 'container-scan' }], expect: must },
    { name: 'a number', value: 1, expect: must },
    { name: 'empty', value: {}, expect: required('body', ['scope', 'control']) },
    { name: 'with an unknown key', value: { control: 'container-scan', everything: true }, expect: [400, 'request/body/scope must NOT have additional properties'] },
    { name: 'with a __proto__ key', value: withKey({ control: 'container-scan' }, '__proto__', { polluted: true }), expect: [400, 'request/body/scope must NOT have additional properties'] },
    { name: 'with a constructor key', value: { control: 'container-scan', constructor: { prototype: { polluted: true } } }, expect: [400, 'request/body/scope must NOT have additional properties'] },
    { name: 'nested 10,000 deep', value: DEEP, expect: required('body', ['scope', 'control']) },
    { name: 'matching no finding', value: { control: 'container-scan', vulnerabilityId: 'CVE-1999-0001' }, expect: [400, 'The scope matches no finding of component:default/payments-api in control container-scan'] },
    { name: 'of a rule no finding has', value: { control: 'sast', ruleId: 'no-such-rule' }, expect: [400, 'The scope matches no finding of component:default/payments-api in control sast'] },
  ];
}

function getPath(root: unknown, path: Path): unknown {
  return path.reduce((value: any, part) => value?.[part], root);
}

function swapPath(ep: Endpoint, value: string): Text[] {
  const placeholder = ep.pathId!.placeholder;
  return pathParts(ep.path.replace(placeholder, value));
}

function wholeJsonCases(ep: Endpoint): CorpusCase[] {
  const base = ep.json!.base;
  const out: CorpusCase[] = [];
  const add = (name: string, body: Body | undefined, expect: Expect, headers: Record<string, string> | undefined = { 'Content-Type': 'application/json' }) => {
    const req = request(ep, { body, headers });
    if (!body) delete req.body;
    if (!headers) delete req.headers;
    out.push({ name, request: req, expect: { status: expect[0], message: expect[1] } });
  };
  const invalid = 'is not valid JSON|Unexpected|Unterminated|Expected|JSON';
  // The base, as deterministic text, cut at several points.
  const text = JSON.stringify(base, (_k, v) => (v && typeof v === 'object' && '$inDays' in v ? '2026-01-01T00:00:00.000Z' : v));
  for (const cut of [1, 2, Math.floor(text.length / 4), Math.floor(text.length / 2), Math.floor((3 * text.length) / 4), text.length - 1]) {
    add(`truncated at ${cut} of ${text.length}`, { text: text.slice(0, cut) }, [400, invalid]);
  }
  for (const [name, body] of [
    ['single quotes', text.replace(/"/g, "'")],
    ['a trailing comma', `${text.slice(0, -1)},}`],
    ['unquoted keys', text.replace(/"([a-zA-Z]+)":/g, '$1:')],
    ['NaN', text.replace(/^\{/, '{"n":NaN,')],
    ['Infinity', text.replace(/^\{/, '{"n":Infinity,')],
    ['a comment', `/* hi */${text}`],
    ['undefined', 'undefined'],
    ['a hex number', text.replace(/^\{/, '{"n":0x10,')],
    ['a raw newline in a string', text.replace(/^\{/, '{"n":"a\nb",')],
    ['an invalid escape', text.replace(/^\{/, '{"n":"\\x41",')],
    ['two documents', `${text}${text}`],
    ['a lone brace', '{'],
    ['10,000 unclosed arrays', { $repeat: '[', times: 10_000 }],
    ['a byte-order mark and garbage', '\ufeff\u0000\u0001'],
  ] as Array<[string, Text]>) {
    add(`invalid JSON: ${name}`, { text: body }, [400, invalid]);
  }
  const top = 'request/body must be object';
  add('a top-level array', { text: `[${text}]` }, [400, top]);
  // JSON that is not an object or array is refused by the body parser (strict mode).
  // The refusal names the type, never the text (it could be a secret).
  for (const [name, body, type] of [
    ['a string', '"production"', 'string'],
    ['a number', '42', 'number'],
    ['true', 'true', 'boolean'],
  ] as Array<[string, string, string]>) {
    add(`a top-level ${name}`, { text: body }, [400, `The request body must be a JSON object, not ${type}`]);
  }
  add('null', { text: 'null' }, [400, 'The request body must be a JSON object, not null']);
  add('10,000 nested objects', { json: { $deep: 10_000 } }, [400, 'request/body must NOT have additional properties|must have required property']);
  add('10,000 nested arrays', { json: { $deep: 10_000, array: true } }, [400, top]);
  add('an empty object', { json: {} }, ep.file === 'post-runtime-signals-timeline' ? [400, 'Pass containedAt, remediatedAt or both'] : [400, 'request/body must have required property']);
  add('an empty body', { text: '' }, [400, ep.file === 'post-runtime-signals-timeline' ? 'Pass containedAt, remediatedAt or both|request/body' : 'request/body']);
  add('a body over 1 MB', { patch: [{ path: ['padding'], value: MB }] }, TOO_LARGE);
  // Content types and encodings.
  for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png', 'application/javascript']) {
    add(`content type ${type}`, { patch: [] }, [400, 'unsupported media type|media type'], { 'Content-Type': type });
  }
  add('no content type', { patch: [] }, [400, 'request/body|media type|content'], {});
  // UTF-8 bytes read as UTF-16 are not JSON.
  add('content type json in UTF-16', { patch: [] }, [400, 'is not valid JSON'], { 'Content-Type': 'application/json; charset=utf-16' });
  add('a gzip bomb (Content-Encoding)', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, TOO_LARGE, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  add('broken gzip (Content-Encoding)', { gzip: { patch: [] }, truncate: 20 }, [400, 'The request body is not valid gzip \\(Content-Encoding\\): Z_BUF_ERROR'], { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  add('not gzip at all (Content-Encoding)', { patch: [] }, [400, 'The request body is not valid gzip \\(Content-Encoding\\): Z_DATA_ERROR'], { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
  add('not deflate at all (Content-Encoding)', { patch: [] }, [400, 'The request body is not valid deflate \\(Content-Encoding\\): Z_DATA_ERROR'], { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' });
  add('an unknown Content-Encoding', { patch: [] }, [400, 'unsupported content encoding "zstd"'], { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' });
  // Unknown and prototype keys at the top level.
  for (const key of UNKNOWN_NAMES) {
    add(`unknown field ${key}`, { patch: [{ path: [key], value: key === 'constructor' ? { prototype: { polluted: true } } : true }] }, [400, 'request/body must NOT have additional properties']);
  }
  for (const [name, key] of [['a __proto__ key', '__proto__'], ['an empty key', ''], ['a key with NUL', `a${NUL}`], ['a script as key', SCRIPT]]) {
    add(name, { patch: [{ path: [key], value: { polluted: true } }] }, [400, 'request/body must NOT have additional properties']);
  }
  // A duplicate key: the last one wins, and it is invalid.
  const firstKey = ep.json!.fields.find(f => f.path.length === 1 && f.type.kind !== 'text' && f.path[0] !== 'entityRef' && f.path[0] !== 'repository' && f.type.kind !== 'any');
  if (firstKey) {
    const key = String(firstKey.path[0]);
    add(`duplicate key ${key}, the last one invalid`, { text: text.replace(/^\{/, `{"${key}":"x",`).replace(/\}$/, `,"${key}":42}`) }, [400, `request/body/${esc(key)} must be `]);
  }
  return out;
}

function rawBodyCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const report = ep.raw === 'report';
  const add = (name: string, body: Body, expect: Expect, type = 'application/json', extra: Record<string, string> = {}) =>
    out.push({ name, request: request(ep, { body, headers: { 'Content-Type': type, ...extra } }), expect: { status: expect[0], message: expect[1] } });
  const text = JSON.stringify(trivyImage);
  const invalid: Expect = report ? [400, 'not valid JSON'] : [400, 'JSON|bundle|envelope|attestation'];
  for (const cut of [1, 2, 10, Math.floor(text.length / 2), text.length - 1]) {
    add(`truncated at ${cut} of ${text.length}`, { text: text.slice(0, cut) }, invalid);
  }
  for (const [name, body] of [
    ['single quotes', "{'SchemaVersion':2}"],
    ['a trailing comma', '{"SchemaVersion":2,}'],
    ['NaN', '{"SchemaVersion":NaN}'],
    ['unquoted keys', '{SchemaVersion:2}'],
    ['10,000 unclosed arrays', { $repeat: '[', times: 10_000 }],
  ] as Array<[string, Text]>) {
    add(`invalid JSON: ${name}`, { text: body }, invalid);
  }
  const unknown: Expect = report ? [415, 'no known format'] : [400, 'bundle: not a Sigstore bundle \\(mediaType'];
  // Reports: refused before any walk over them, naming the nesting limit (issue 13 item 13).
  const tooDeep: Expect = [400, 'nests objects and arrays more than 512 levels deep'];
  add('10,000 nested objects', { json: { $deep: 10_000 } }, report ? tooDeep : unknown);
  add('10,000 nested arrays', { json: { $deep: 10_000, array: true } }, report ? tooDeep : [400, 'bundle\\[0\\]\\[0\\]\\[0\\]: attestations nested too deeply']);
  add('unknown JSON', { json: { hello: 'world' } }, unknown);
  add('unknown JSON with __proto__', { json: own('__proto__', { polluted: true }) }, unknown);
  add('1 MB string in an unknown document', { json: own(SCRIPT, MB) }, unknown);
  add('an empty body', { text: '' }, report ? [415, 'report is empty'] : [400, 'empty|bundle|attestation'], 'application/octet-stream');
  add('whitespace only', { text: ' \n\t ' }, report ? [415, 'report is empty'] : [400, 'empty|bundle|attestation|JSON'], 'application/octet-stream');
  add('random binary', { base64: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 0xff]).toString('base64') }, report ? [415, 'text that is not JSON'] : [400, 'JSON|bundle|envelope|attestation'], 'application/octet-stream');
  add('a gzip bomb as a gzip file', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes'], 'application/gzip');
  add('a gzip bomb as Content-Encoding', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, [413, 'decompresses to more than \\d+ bytes'], 'application/json', { 'Content-Encoding': 'gzip' });
  add('gzip magic then garbage', { base64: Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('definitely not deflate data')]).toString('base64') }, [400, 'not valid gzip'], 'application/gzip');
  add('truncated gzip', { gzip: report ? { json: trivyImage } : { fixture: BUNDLE }, truncate: 40 }, [400, 'not valid gzip'], 'application/gzip');
  for (const type of ['image/png', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
    add(`content type ${type}`, report ? { json: trivyImage } : { fixture: BUNDLE }, [415, `Unsupported media type ${esc(type.split(';')[0])}`], type);
  }
  if (report) {
    add('a SARIF whose results is a number', { fixture: 'sarif/edge-invalid-results-is-number.sarif' }, [400, '\\$\\.runs\\[0\\]\\.results']);
    add('a SARIF whose runs is a string', { text: '{"version":"2.1.0","runs":"x"}' }, [415, 'object with keys version, runs\\) of no known format']);
    add('JSON lines of no known format', { text: '{"a":1}\n{"b":2}\n' }, [415, 'JSON lines of no known format'], 'application/x-ndjson');
    add('SPDX tag-value', { text: 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n' }, [415, 'SPDX tag-value'], 'text/plain');
    add('UTF-16 JSON', { base64: Buffer.from(`\ufeff${text}`, 'utf16le').toString('base64') }, [415, 'text that is not JSON'], 'application/octet-stream');
    add('a CycloneDX of an unknown spec version', { text: '{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}' }, [415, 'no known format|specVersion']);
  } else {
    add('an unsigned in-toto statement', { fixture: 'attestations/sigstore-js-statement.json' }, [400, 'without DSSE envelope or Sigstore bundle: there is no signature to verify']);
    add('a bundle naming another artifact', { fixture: BUNDLE }, [400, `No signed subject names sha256:${'b'.repeat(64)}`]);
  }
  // The last one needs the artifact parameter.
  if (!report) {
    const last = out[out.length - 1];
    last.request.url = [...(last.request.url as Text[]).slice(0, -1), `?entity=payments-api&artifact=sha256:${'b'.repeat(64)}`];
  }
  return out;
}

function bodyOnGetCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const add = (name: string, body: Body, headers: Record<string, string>, expect: Expect) =>
    out.push({ name, request: request(ep, { body, headers }), expect: { status: expect[0], message: expect[1] } });
  const invalid: Expect = [400, 'is not valid JSON|Unexpected|Unterminated|Expected|JSON'];
  const json = { 'Content-Type': 'application/json' };
  for (const [name, text] of [
    ['truncated JSON', '{"entity":'],
    ['single quotes', "{'entity':'x'}"],
    ['a trailing comma', '{"a":1,}'],
    ['NaN', '{"a":NaN}'],
    ['a lone brace', '{'],
    ['10,000 unclosed arrays', { $repeat: '[', times: 10_000 }],
    ['null', 'null'],
    ['garbage', '\u0000\u0001'],
  ] as Array<[string, Text]>) {
    add(`a JSON body of ${name}`, { text }, json, name === 'null' ? [400, 'must be a JSON object, not null'] : invalid);
  }
  add('a JSON body over 1 MB', { json: { a: MB } }, json, TOO_LARGE);
  add('a gzip bomb as a JSON body', { gzip: { fill: 64 * 1024 * 1024, byte: 0x20 } }, { ...json, 'Content-Encoding': 'gzip' }, TOO_LARGE);
  add('a broken gzip JSON body', { gzip: { json: { a: 1 } }, truncate: 12 }, { ...json, 'Content-Encoding': 'gzip' }, [400, 'The request body is not valid gzip \\(Content-Encoding\\): Z_BUF_ERROR']);
  add('a JSON body in UTF-16', { json: { a: 1 } }, { 'Content-Type': 'application/json; charset=utf-16' }, [400, 'is not valid JSON']);
  add('a JSON body with an unknown encoding', { json: { a: 1 } }, { ...json, 'Content-Encoding': 'zstd' }, [400, 'unsupported content encoding "zstd"']);
  return out;
}

// The corpus ----------------------------------------------------------------------------------------------

// NUL characters ---------------------------------------------------------------------------------------
//
// A NUL (U+0000) in any query parameter or JSON field is refused at the root, after the body
// parser and before the OpenAPI validator, with `request/<query|body>/<path> must not contain NUL
// (\u0000)`; PostgreSQL's text columns and query parameters cannot hold NUL. Every endpoint gets a
// case per query parameter and per string of its JSON body (and a property name), and every other
// case whose request carries a NUL that reaches that check expects the same answer. (A report's own
// strings are scanner output: its parser turns NUL into U+FFFD, see nulCharactersApi.test.ts.)

/** Ids stand in for the records the test creates; they never carry NUL. */
const NO_CTX = new Proxy({}, { get: () => UUID });
/** Credentials the backend's auth policy refuses before the plugin's router runs. */
const REFUSED_BEFORE_ROUTER: Auth[] = ['none', 'garbage-bearer', 'empty-bearer', 'basic'];

const nulExpect = (path: string): Expect => [400, esc(nulCharacterMessage(path))];

/** The query as Express's parser (qs) reads it: repeated names become arrays, `a[]`/`a[b]` nest. */
function parsedQuery(url: string): Record<string, unknown> | undefined {
  const start = url.indexOf('?');
  if (start < 0) return {};
  const out: Record<string, unknown> = {};
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return undefined; // malformed percent-encoding: not a case for the NUL check
    }
    const nested = /^([^[\]]+)\[([^[\]]*)\]$/.exec(key);
    if (nested) {
      if (nested[2] === '__proto__' || nested[1] === '__proto__') continue;
      const holder = (out[nested[1]] ??= nested[2] === '' ? [] : {}) as Record<string, unknown> | unknown[];
      if (Array.isArray(holder)) holder.push(value);
      else holder[nested[2]] = value;
    } else if (key === '__proto__') {
      continue;
    } else if (key in out) {
      out[key] = ([] as unknown[]).concat(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The parsed JSON body Express would hand on (`express.json`: JSON types, 1 MB, objects and arrays). */
function parsedJsonBody(ep: Endpoint, req: CorpusRequest, base: Body | undefined): unknown {
  if (ep.raw || !req.body) return undefined;
  const type = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) return undefined;
  if (Object.keys(req.headers ?? {}).some(k => k.toLowerCase() === 'content-encoding')) return undefined;
  const body = req.body;
  let text: string;
  if ('json' in body) text = renderJson(body.json, NO_CTX);
  else if ('patch' in body && base && 'json' in base) text = renderJson(applyPatches(base.json, body.patch), NO_CTX);
  else if ('text' in body) text = renderText(body.text, NO_CTX);
  else return undefined;
  if (Buffer.byteLength(text) > 1024 * 1024) return undefined;
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed[0] !== '{' && trimmed[0] !== '[') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** What a request carrying a NUL that reaches the root check is answered, else undefined. */
function nulOutcome(ep: Endpoint, req: CorpusRequest): Expect | undefined {
  if (REFUSED_BEFORE_ROUTER.includes(req.auth)) return undefined;
  const url = renderText(req.url, NO_CTX);
  // Past the header limit (431) nothing of the plugin runs.
  if (url.length > 16_000) return undefined;
  const query = parsedQuery(url);
  const inQuery = query && findNulCharacter(query, 'request/query');
  if (inQuery) return nulExpect(inQuery);
  const body = parsedJsonBody(ep, req, baseRequest(ep).body);
  const inBody = body === undefined ? undefined : findNulCharacter(body, 'request/body');
  return inBody ? nulExpect(inBody) : undefined;
}

/** The strings of a JSON value (markers left out), with their paths. */
function stringLeaves(value: unknown, path: Path = []): Array<[Path, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (isMarker(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  }
  return [];
}

/** A NUL in each query parameter, each string of the JSON body and each field the endpoint takes. */
function nulCases(ep: Endpoint): CorpusCase[] {
  const out: CorpusCase[] = [];
  const add = (name: string, req: CorpusRequest, [status, message]: Expect) =>
    out.push({ name: `NUL: ${name}`, request: req, expect: { status, message } });
  for (const param of ep.params) {
    const others = ep.query.filter(([k]) => k !== param.name);
    const value = `${validParamValue(param)}${NUL}`;
    const query = [...encoded(others), [param.name, q(value)]] as Array<[string, string]>;
    add(`query ${param.name} ending in NUL`, request(ep, { rawQuery: queryString(query) }), nulExpect(`request/query/${param.name}`));
    const alone = [[param.name, q(NUL)]] as Array<[string, string]>;
    add(`query ${param.name} of only NUL`, request(ep, { rawQuery: queryString(alone) }), nulExpect(`request/query/${param.name}`));
  }
  if (ep.json) {
    const base = ep.json.base;
    const seen = new Set<string>();
    for (const [path, value] of stringLeaves(base)) {
      seen.add(path.join('/'));
      add(`${path.join('.')} ending in NUL`, request(ep, { body: { patch: [{ path, value: `${value}${NUL}` }] } }), nulExpect(`request/body/${path.join('/')}`));
    }
    for (const field of ep.json.fields) {
      if (seen.has(field.path.join('/')) || field.type.kind === 'boolean') continue;
      // A list gets one string with NUL, a free JSON value one property, every other field a string.
      const shapes: Partial<Record<Kind['kind'], [unknown, Path]>> = {
        array: [[`x${NUL}`], [0]],
        any: [{ k: `v${NUL}` }, ['k']],
      };
      const [value, inside] = shapes[field.type.kind] ?? [`x${NUL}`, []];
      const where = `request/body/${[...field.path, ...inside].join('/')}`;
      add(`${field.path.join('.')} with NUL`, request(ep, { body: { patch: [{ path: field.path, value }] } }), nulExpect(where));
    }
    add('a property name with NUL', request(ep, { body: { patch: [{ path: [`x${NUL}`], value: 1 }] } }), nulExpect(`request/body/x\\u0000`));
    const nested = Object.entries(base).find(([, v]) => v && typeof v === 'object' && !Array.isArray(v) && !isMarker(v));
    if (nested) {
      add(`a property name with NUL inside ${nested[0]}`, request(ep, { body: { patch: [{ path: [nested[0], `k${NUL}`], value: 'v' }] } }), nulExpect(`request/body/${nested[0]}/k\\u0000`));
    }
  }
  return out;
}

export function generateCorpus(): CorpusFile[] {
  return endpoints.map(ep => {
    const all = [...cases(ep), ...nulCases(ep)];
    // Any other case whose NUL reaches the root check is answered by it, whatever else it tests.
    for (const c of all) {
      const outcome = nulOutcome(ep, c.request as CorpusRequest);
      if (outcome) c.expect = { status: outcome[0], message: outcome[1] };
    }
    // Names are unique within an endpoint (they name the test).
    const seen = new Map<string, number>();
    for (const c of all) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      if (n > 1) c.name = `${c.name} (${n})`;
    }
    const base = baseRequest(ep);
    for (const c of all) c.request = caseDiff(base, c.request as CorpusRequest);
    return { endpoint: ep.endpoint, file: ep.file, base, cases: all } as CorpusFile & { file: string };
  });
}

/** The JSON text of a corpus file as committed: one case a line, so a diff shows which changed. */
export function corpusFileText(file: CorpusFile): string {
  const lines = file.cases.map(c => `  ${JSON.stringify(c)}`);
  return `{\n "endpoint": ${JSON.stringify(file.endpoint)},\n "base": ${JSON.stringify(file.base)},\n "cases": [\n${lines.join(',\n')}\n ]\n}\n`;
}

export const corpusFileName = (file: CorpusFile) => `${(file as CorpusFile & { file: string }).file}.json`;
