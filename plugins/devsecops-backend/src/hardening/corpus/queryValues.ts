/*
 * The refused values of each kind of query parameter, with the expected refusal, and a valid one.
 */
import { QueryParam } from './endpointModel';
import { esc, Expect, lit, q } from './helpers';
import {
  CTRL,
  DIGEST,
  digestValues,
  entityValueMutations,
  IMG,
  NUL,
  repositoryValueMutations,
  SCRIPT,
  SQL,
  TRAVERSAL,
  UUID,
} from './hostileValues';

/** Values of a query parameter that are refused, with the expectation; `q` encodes them. */
export function paramValues(param: QueryParam): Array<[string, string, Expect]> {
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
    case 'sboms':
      return [['another word', 'some', enm], ['in capitals', 'ALL', enm], ['empty', '', enm], ['both', 'deployed,all', enm], ...hostile(enm)];
    case 'order':
      return [['sideways', 'sideways', enm], ['in capitals', 'DESC', enm], ['empty', '', enm], ...hostile(enm)];
    case 'vulnerabilityId':
      return [
        ['empty', '', empty],
        ['129 characters', `CVE-${'1'.repeat(125)}`, longer(128)],
        ['a lone letter', 'C', pat],
        ['starting with a digit', '2021-44228', pat],
        ['a LIKE wildcard', 'CVE-%', pat],
        ['an underscore', 'CVE_2021', pat],
        ['a JSON quote', 'CVE-1"', pat],
        ...hostile(pat),
      ];
    case 'package':
      return [
        ['empty', '', empty],
        ['513 characters', 'p'.repeat(513), longer(512)],
        ['a purl without a name', 'pkg:maven', [400, 'package: a purl must look like pkg:<type>/<namespace>/<name>']],
        ['a tilde range', 'log4j-core@~>2', [400, 'package: the version part must be a version or comparators']],
        ['an empty comparator', 'log4j-core@<2.0,', [400, 'package: the version part must be a version or comparators']],
        ['a script as version', `log4j-core@${SCRIPT}`, [400, 'package: the version part must be a version or comparators']],
        ...([SCRIPT, IMG, SQL, TRAVERSAL, `x${CTRL}`] as string[]).map(
          v => [`a name of ${JSON.stringify(v).slice(1, -1).slice(0, 30)}`, v, [400, 'package: name a package']] as [string, string, Expect],
        ),
      ];
    case 'subjectKind':
      return [['unknown', 'exception', enm], ['in capitals', 'FINDING', enm], ['plural', 'findings', enm], ['empty', '', enm], ...hostile(enm)];
    case 'digestGroup': {
      // The digest's own refusals: 400 for an unknown group too (GET /v1/digests/preview).
      const unknown = (ref: string): Expect => [400, `^group: no catalog group ${lit(ref.toLowerCase())}$`];
      const notGroup = (v: string): Expect => [400, `^group: '${lit(v)}' is not a group ref$`];
      return [
        ['empty', '', empty],
        ['256 characters', 'g'.repeat(256), longer(255)],
        ['unknown', 'ghosts', unknown('group:default/ghosts')],
        ['unknown, full ref', 'group:default/ghosts', unknown('group:default/ghosts')],
        ['unknown, in capitals', 'Group:Default/GHOSTS', unknown('group:default/ghosts')],
        ['a user', 'user:default/dana', notGroup('user:default/dana')],
        ['a component', 'component:default/payments-api', notGroup('component:default/payments-api')],
        ['with NUL', `team${NUL}`, unknown(`group:default/team${NUL}`)],
        ['with control characters', `team${CTRL}`, unknown(`group:default/team${CTRL}`)],
        ['an img', IMG, unknown(`group:default/${IMG}`)],
        ['SQL', SQL, unknown(`group:default/${SQL}`)],
        ['__proto__', '__proto__', unknown('group:default/__proto__')],
        ['constructor', 'constructor', unknown('group:default/constructor')],
        ['malformed, bare colon', ':', [400, "^group: malformed group ref ':'"]],
        ['malformed, kind only', 'group:', [400, "^group: malformed group ref 'group:'"]],
        ['malformed, namespace only', 'group:default/', [400, "^group: malformed group ref 'group:default\\/'"]],
      ];
    }
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
    case 'entitiesLimit':
      return [
        ['501', '501', [400, 'entitiesLimit must be between 0 and 500']],
        ['999', '999', [400, 'entitiesLimit must be between 0 and 500']],
        ['-1', '-1', pat],
        ['abc', 'abc', pat],
        ['1e2', '1e2', pat],
        ['4 digits', '1000', pat],
        ['empty', '', pat],
        ...hostile(pat),
      ];
    case 'entitiesCursor': {
      // Shaped like a cursor but not one the API gave out (base64url of text without its prefix).
      const forged = Buffer.from('group:default/team-payments', 'utf8').toString('base64url');
      // A cursor needs entitiesLimit (the API test sends forged ones with it).
      return [
        ['without entitiesLimit', forged, [400, 'entitiesCursor needs entitiesLimit']],
        ['701 characters', 'a'.repeat(701), pat],
        ['with padding', `${forged}=`, pat],
        ['empty', '', pat],
        ...hostile(pat),
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
    case 'minServices': {
      const range: Expect = [400, 'minServices must be an integer from 2 to 1000'];
      return [
        ['0', '0', range],
        ['1', '1', range],
        ['1001', '1001', range],
        ['-1', '-1', pat],
        ['abc', 'abc', pat],
        ['1e3', '1e3', pat],
        ['2.5', '2.5', pat],
        ['99999', '99999', pat],
        ['empty', '', pat],
        ...hostile(pat),
      ];
    }
    default:
      throw new Error(`No values for ${param.type}`);
  }
}


export function validParamValue(param: QueryParam): string {
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
    riskRating: 'high',
    days: '30',
    withinDays: '30',
    open: 'true',
    scope: 'team-payments',
    scenario: 'leaked-secrets',
    uuid: UUID,
    entitiesLimit: '5',
    entitiesCursor: 'YWZ0ZXI6eA',
    group: 'team-payments',
    system: 'payments',
    domain: 'commerce',
    org: 'true',
    instant: '2026-01-01T00:00:00Z',
    format: 'trivy',
    commit: 'abcdef1',
    minServices: '3',
    vulnerabilityId: 'CVE-2021-44228',
    package: 'log4j-core@<2.17.0',
    subjectKind: 'finding',
    digestGroup: 'team-payments',
  };
  return values[param.type] ?? 'x';
}
