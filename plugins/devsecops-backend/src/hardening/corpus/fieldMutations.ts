/*
 * The mutations of a JSON body field by its kind (missing, null, wrong types, lengths, patterns,
 * impossible dates, malformed or unknown refs…), each with the expected refusal.
 */
import { Field } from './endpointModel';
import { esc, Expect, lit, mustBe, own, Path, REMOVE, required, TOO_LARGE, withKey } from './helpers';
import {
  ANSI,
  CTRL,
  DEEP,
  digestValues,
  entityValueMutations,
  HUGE,
  IMG,
  MB,
  NUL,
  repositoryValueMutations,
  SCRIPT,
  SQL,
  TRAVERSAL,
} from './hostileValues';
import { checkedMutations, ticketUrlMutations } from './ticketFields';

export interface Mutation {
  name: string;
  value: unknown;
  expect: Expect;
}

export const typeMutations = (path: Path, type: 'string' | 'boolean' | 'array'): Mutation[] => {
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

export function fieldMutations(field: Field): Mutation[] {
  const { path, type } = field;
  const out: Mutation[] = [];
  if (field.required) out.push({ name: 'missing', value: REMOVE, expect: required('body', path) });
  const s = (v: unknown, n: string, e: Expect) => out.push({ name: n, value: v, expect: e });
  const pattern = mustBe('body', path, 'match pattern');
  switch (type.kind) {
    case 'ticketUrl':
      return [...out, ...ticketUrlMutations(field, typeMutations(path, 'string'))];
    case 'checked':
      return [...out, ...checkedMutations(field, type.max, type.message, typeMutations(path, 'string'))];
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

/** The exception scope, an object field of its own. */
export function scopeMutations(): Mutation[] {
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
