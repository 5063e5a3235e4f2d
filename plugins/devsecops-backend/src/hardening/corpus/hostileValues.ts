/*
 * Hostile values of the corpus: strings that break parsers, logs and pages, names no endpoint
 * knows, and the refused values of entity refs, repositories and digests (in a body or a query).
 */
import { Marker } from './model';
import { Expect, ghost, lit } from './helpers';

export const NUL = '\u0000';
export const CTRL = '\u0001\u0007\u0008\u007f';
export const ANSI = '\u001b[31mred\u001b[0m\u001b]0;title\u0007';
export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '<img src=x onerror=alert(1)>';
export const SVG = '<svg/onload=alert(1)>';
export const RTL = 'invoice\u202egnp.exe';
export const ZERO_WIDTH = 'pay\u200bments\ufeff';
export const SQL = "' OR '1'='1' --";
export const DROP = '1; DROP TABLE devsecops_findings; --';
export const CRLF = 'x\r\nX-Injected: 1';
export const TEMPLATE = '{{7*7}}${7*7}<%= 7*7 %>';
export const JNDI = '${jndi:ldap://127.0.0.1/a}';
export const LONE_SURROGATE = 'a\ud800b';
export const EMOJI = '\u{1F4A5}\u{1F525}';
export const TRAVERSAL = '../../../../etc/passwd';
export const MB: Marker = { $repeat: 'x', times: 1024 * 1024 };
export const DEEP: Marker = { $deep: 10_000 };
export const HUGE: Marker = { $raw: '1e400' };
export const UUID = '00000000-0000-4000-8000-000000000001';
export const DIGEST = `sha256:${'a'.repeat(64)}`;

/** Hostile content for free-text fields, each a different way to break a parser, a log or a page. */
export const HOSTILE_TEXT: Array<[string, string]> = [
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
export const UNKNOWN_NAMES = [
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
export const UNKNOWN_QUERY: Array<[string, string, string]> = [
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

export function entityValueMutations(kind = 'component'): Array<[string, string, Expect]> {
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

export function repositoryValueMutations(): Array<[string, string, Expect]> {
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

export function digestValues(): Array<[string, string]> {
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
