/*
 * The ticket link's fields (POST /v1/findings/{id}/tickets, POST /v1/runtime-signals/{id}/tickets):
 * URLs that are not http(s), carry credentials, are not absolute or too long, each refused with a
 * message that never repeats the URL (it may be the secret); hostile but valid URLs, stored as
 * data, sent to an unknown subject and answered with that 404; strings the service checks.
 */
import { CorpusCase, Patch } from './model';
import { Endpoint, Field } from './endpointModel';
import { Expect, mustBe, TOO_LARGE } from './helpers';
import { ANSI, CTRL, EMOJI, IMG, MB, NUL, RTL, SCRIPT, SQL } from './hostileValues';
import type { Mutation } from './fieldMutations';
import { request, swapPath } from './requests';

const HOST = 'https://jira.example.com/browse/SEC-142';
const JS = ['javascript', ''].join(':');
/** The whole message, so nothing of the URL can be in it. */
const only = (message: string): Expect => [400, `^${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`];
const NOT_HTTP = only('url must be http or https');
const USERINFO = only('url must not carry credentials (user or password before the host)');
const IN_QUERY = only('url must not carry credentials (a token, secret, password, key or signature in its query or fragment)');
const NOT_ABSOLUTE = only('url is not an absolute URL');

export function ticketUrlMutations(field: Field, typeMutations: Mutation[]): Mutation[] {
  const out: Mutation[] = [...typeMutations];
  const s = (value: unknown, name: string, expect: Expect) => out.push({ name, value, expect });
  s('', 'empty', mustBe('body', field.path, 'NOT have fewer than 1 characters'));
  s(`${HOST}?q=${'a'.repeat(2049 - HOST.length - 3)}`, '2049 characters', mustBe('body', field.path, 'NOT have more than 2048 characters'));
  s({ $repeat: 'a', times: 100_000 }, '100,000 characters', mustBe('body', field.path, 'NOT have more than 2048 characters'));
  s(MB, '1 MB', TOO_LARGE);
  for (const [name, value] of [
    // Script URLs assembled, so that the linter does not take the generator for one.
    [JS, `${JS}alert(document.cookie)`],
    [`${['JavaScript', ''].join(':')} in capitals with an https tail`, `${['JavaScript', ''].join(':')}alert(1)//https://jira.example.com/`],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['data: with a script', `data:text/html,${SCRIPT}`],
    ['data: base64', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://files.example.com/SEC-142'],
    ['mailto:', 'mailto:security@example.com'],
    ['ssh:', 'ssh://git@example.com/acme/payments-api'],
    ['blob:', 'blob:https://jira.example.com/1'],
    ['a pasted access key as its scheme', 'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY'],
  ] as Array<[string, string]>) {
    s(value, `not http(s): ${name}`, NOT_HTTP);
  }
  for (const [name, value] of [
    ['user and password', 'https://bob:hunter2@jira.example.com/browse/SEC-142'],
    ['a user only (a token as user)', 'https://ghp_0123456789abcdefghijklmnopqrstuvwxyzAB@jira.example.com/browse/SEC-142'],
    ['a password only', 'https://:hunter2@jira.example.com/browse/SEC-142'],
    ['user and password over http', 'http://bob:hunter2@jira.example.com/'],
  ] as Array<[string, string]>) {
    s(value, `credentials: ${name}`, USERINFO);
  }
  for (const key of ['token', 'access_token', 'Token', 'api_key', 'apikey', 'api-key', 'secret', 'client_secret', 'password', 'passwd', 'X-Amz-Signature', 'sig', 'auth', 'authorization']) {
    s(`${HOST}?${key}=s3cr3t-value`, `credentials: query parameter ${key}`, IN_QUERY);
  }
  s(`${HOST}?%61ccess_token=s3cr3t-value`, 'credentials: a percent-encoded query parameter name', IN_QUERY);
  s(`${HOST}?view=1&private_token=s3cr3t-value`, 'credentials: a second query parameter', IN_QUERY);
  s(`${HOST}#access_token=s3cr3t-value&token_type=bearer`, 'credentials: an OAuth token in the fragment', IN_QUERY);
  for (const [name, value] of [
    ['a word', 'SEC-142'],
    ['a relative path', '/browse/SEC-142'],
    ['protocol-relative', '//jira.example.com/browse/SEC-142'],
    ['a scheme without a host', 'https://'],
    ['a space', ' '],
    ['a space in the host', 'https://jira example.com/'],
    ['an unclosed IPv6 host', 'http://[::1'],
    ['an IPv4 host out of range', 'http://999.999.999.999/'],
    ['a port out of range', 'https://jira.example.com:99999/'],
    ['a script', SCRIPT],
    ['an img', IMG],
    ['SQL', SQL],
    ['control characters', `x${CTRL}`],
    ['with NUL', `https://jira.example.com/${NUL}`],
  ] as Array<[string, string]>) {
    s(value, `not absolute: ${name}`, NOT_ABSOLUTE);
  }
  return out;
}

/** Valid http(s) URLs with hostile parts: data, so each goes to an unknown subject and comes back as that 404. */
export function ticketUrlDataCases(ep: Endpoint, field: Field, set: (value: unknown) => Patch): CorpusCase[] {
  return ([
    ['a script in the path', `https://jira.example.com/browse/${SCRIPT}`],
    ['an img in the query', `https://jira.example.com/browse/SEC-142?q=${IMG}`],
    ['SQL in the query', `https://jira.example.com/?id=${SQL}`],
    ['CR LF (dropped by the URL parser)', 'https://jira.example.com/browse/SEC-142\r\nX-Injected: 1'],
    ['ANSI escapes in the path', `https://jira.example.com/${ANSI}`],
    ['a right-to-left override', `https://jira.example.com/${RTL}`],
    ['emoji', `https://jira.example.com/${EMOJI}`],
    ['a punycode host', 'https://xn--jra-lna.example.com/SEC-142'],
    ['the scheme without slashes', 'https:jira.example.com/SEC-142'],
    ['surrounding spaces', ` ${HOST} `],
    ['a percent-encoded NUL', 'https://jira.example.com/%00'],
    ['a harmless query', `${HOST}?focusedCommentId=1&page=2`],
  ] as Array<[string, string]>).map(([name, value]) => ({
    name: `${field.path.join('.')} with ${name}, refused for another reason`,
    request: request(ep, { body: { patch: [set(value)] }, path: swapPath(ep, ep.refuse.path!) }),
    expect: { status: ep.refuse.expect[0], message: ep.refuse.expect[1] },
  }));
}

/** A string the schema bounds (1..max) and the service checks by a pattern of its own. */
export function checkedMutations(field: Field, max: number, message: string, typeMutations: Mutation[]): Mutation[] {
  const out: Mutation[] = [...typeMutations];
  const s = (value: unknown, name: string, expect: Expect) => out.push({ name, value, expect });
  s('', 'empty', mustBe('body', field.path, 'NOT have fewer than 1 characters'));
  s({ $repeat: 'y', times: max + 1 }, `${max + 1} characters`, mustBe('body', field.path, `NOT have more than ${max} characters`));
  s(MB, '1 MB', TOO_LARGE);
  const refused = only(message);
  for (const [name, value] of [
    ['with a space', 'SEC 142'],
    ['with a trailing newline', 'SEC-142\n'],
    ['with NUL', `SEC${NUL}`],
    ['with control characters', `SEC${CTRL}`],
    ['with ANSI escapes', ANSI],
    ['a script', SCRIPT],
    ['an img', IMG],
    ['SQL', SQL],
    ['a right-to-left override', RTL],
    ['emoji', EMOJI],
    ['a Cyrillic letter', 'S\u0415C-142'],
    ['a URL with a query', 'https://jira.example.com/?token=1'],
  ] as Array<[string, string]>) {
    s(value, name, refused);
  }
  return out;
}
