import { zipSync } from 'fflate';
import { readFixture } from '../__testUtils__/fixtures';
import { parseOsvAdvisories } from './osvAdvisories';
import { affectsVersion, candidateNames, inOsvRange, osvPackageOfPurl, samePackage } from './osvMatch';

// Real advisories from the GitHub Advisory Database (fixtures/osv-advisories/PROVENANCE.md).
const log4shell = readFixture('osv-advisories/GHSA-jfh8-c2jp-5v3q.json');
const jacksonFixedAt2910 = readFixture('osv-advisories/GHSA-h822-r4r5-v8jg.json');
const jacksonAffects2910 = readFixture('osv-advisories/GHSA-mx7p-6679-8g3q.json');
const withdrawn = readFixture('osv-advisories/withdrawn-GHSA-35c4-f3rq-f9g3.osv.json');
const MAX = 64 * 1024 * 1024;

const affected = (body: Buffer, version: string) => {
  const [advisory] = parseOsvAdvisories(body, MAX);
  return advisory.affected.some(a => affectsVersion(a, version));
};

describe('OSV advisories', () => {
  it('reads one advisory, an array and an osv.dev-style zip of <id>.json files', () => {
    const [one] = parseOsvAdvisories(log4shell, MAX);
    expect(one).toMatchObject({ id: 'GHSA-jfh8-c2jp-5v3q', aliases: ['CVE-2021-44228'], modified: '2022-03-25T20:56:18Z' });
    expect(one.withdrawn).toBeUndefined();
    expect(one.affected.map(a => [a.ecosystem, a.name, a.ranges[0].events])).toEqual([
      ['Maven', 'org.apache.logging.log4j:log4j-core', [{ introduced: '2.13.0' }, { fixed: '2.15.0' }]],
      ['Maven', 'org.apache.logging.log4j:log4j-core', [{ introduced: '0' }, { fixed: '2.3.1' }]],
      ['Maven', 'org.apache.logging.log4j:log4j-core', [{ introduced: '2.4' }, { fixed: '2.12.2' }]],
    ]);

    const array = Buffer.from(JSON.stringify([JSON.parse(log4shell.toString()), JSON.parse(jacksonAffects2910.toString())]));
    expect(parseOsvAdvisories(array, MAX).map(a => a.id)).toEqual(['GHSA-jfh8-c2jp-5v3q', 'GHSA-mx7p-6679-8g3q']);

    const zip = Buffer.from(
      zipSync({
        'GHSA-jfh8-c2jp-5v3q.json': new Uint8Array(log4shell),
        'GHSA-h822-r4r5-v8jg.json': new Uint8Array(jacksonFixedAt2910),
        'README.txt': new Uint8Array(Buffer.from('not an advisory')),
      }),
    );
    expect(parseOsvAdvisories(zip, MAX).map(a => a.id)).toEqual(['GHSA-h822-r4r5-v8jg', 'GHSA-jfh8-c2jp-5v3q']);
    // A zip that unpacks past the bound is refused as too large (413), not read.
    expect(() => parseOsvAdvisories(zip, 1000)).toThrow(/unpacks to more than 1000 bytes/);
  });

  it('keeps the withdrawn time of a withdrawn advisory (its findings close)', () => {
    const [advisory] = parseOsvAdvisories(withdrawn, MAX);
    expect(advisory).toMatchObject({ id: 'GHSA-35c4-f3rq-f9g3', withdrawn: '2018-10-11T17:29:49Z' });
  });

  it('refuses malformed sets with a 400 naming the place, never the value', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const cases: Array<[string, RegExp]> = [
      [`{"id": "${secret}`, /not valid JSON/],
      [JSON.stringify({ summary: secret }), /\$ has no id/],
      [JSON.stringify([{ id: 'GHSA-1', affected: {} }]), /\[0\]: affected must be an array/],
      [JSON.stringify({ id: 'GHSA-1', affected: [{ package: { name: secret } }] }), /\$\.affected\[0\]\.package needs ecosystem and name/],
      [JSON.stringify({ id: 'GHSA-1', affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ events: [] }] }] }), /\$\.affected\[0\]\.ranges\[0\] needs a type/],
    ];
    for (const [body, message] of cases) {
      let error: Error | undefined;
      try {
        parseOsvAdvisories(Buffer.from(body), MAX);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('InputError');
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(secret);
    }
  });

  it('matches versions by the ranges: introduced, fixed, introduced 0, several ranges', () => {
    // Log4Shell: [2.13.0, 2.15.0), [0, 2.3.1), [2.4, 2.12.2).
    expect(affected(log4shell, '2.14.1')).toBe(true);
    expect(affected(log4shell, '2.13.2')).toBe(true);
    expect(affected(log4shell, '2.0-beta9')).toBe(true);
    expect(affected(log4shell, '2.15.0')).toBe(false); // the fixed version
    expect(affected(log4shell, '2.17.1')).toBe(false);
    expect(affected(log4shell, '2.12.2')).toBe(false); // a backport fix
    expect(affected(log4shell, '2.12.1')).toBe(true);
    expect(affected(log4shell, '2.3.1')).toBe(false);
    // jackson-databind 2.9.10: the fixed version of one advisory, still inside the other's range.
    expect(affected(jacksonFixedAt2910, '2.9.10')).toBe(false);
    expect(affected(jacksonAffects2910, '2.9.10')).toBe(true);
    expect(affected(jacksonAffects2910, '2.9.10.1')).toBe(false);
  });

  it('reads events in any order, last_affected, a versions list; ignores GIT ranges', () => {
    // Unsorted events as the GHSA → OSV converter writes them (osv-schema tools/ghsa/testdata).
    const xwiki = { type: 'ECOSYSTEM', events: [{ introduced: '12.10.0' }, { fixed: '12.10.2' }, { introduced: '12.0' }, { fixed: '12.6.7' }] };
    expect(inOsvRange('12.10.1', xwiki)).toBe(true);
    expect(inOsvRange('12.8', xwiki)).toBe(false);
    expect(inOsvRange('12.6.6', xwiki)).toBe(true);
    const lastAffected = { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.2' }] };
    expect(inOsvRange('1.4.2', lastAffected)).toBe(true);
    expect(inOsvRange('1.4.3', lastAffected)).toBe(false);
    expect(inOsvRange('0.9.0', lastAffected)).toBe(false);
    expect(inOsvRange('1.0.0', { type: 'GIT', events: [{ introduced: '0' }] })).toBe(false);
    expect(affectsVersion({ ranges: [], versions: ['1.2.3', '1.2.5'] }, '1.2.5')).toBe(true);
    expect(affectsVersion({ ranges: [], versions: ['1.2.3'] }, '1.2.4')).toBe(false);
    expect(affectsVersion({ ranges: [], versions: ['1.2.3'] }, undefined)).toBe(false);
  });

  it('maps purls to OSV packages per ecosystem', () => {
    const log4j = osvPackageOfPurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2?type=jar');
    expect(log4j).toEqual({ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' });
    expect(samePackage({ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' }, log4j!)).toBe(true);
    expect(samePackage({ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-api' }, log4j!)).toBe(false);
    expect(samePackage({ ecosystem: 'npm', name: 'org.apache.logging.log4j:log4j-core' }, log4j!)).toBe(false);
    expect(osvPackageOfPurl('pkg:npm/%40babel/traverse@7.22.0')).toEqual({ ecosystem: 'npm', name: '@babel/traverse' });
    expect(osvPackageOfPurl('pkg:golang/github.com/gin-gonic/gin@v1.9.0')).toEqual({ ecosystem: 'Go', name: 'github.com/gin-gonic/gin' });
    const pypi = osvPackageOfPurl('pkg:pypi/Django_Rest@3.0')!;
    expect(samePackage({ ecosystem: 'PyPI', name: 'django-rest' }, pypi)).toBe(true);
    expect(samePackage({ ecosystem: 'Debian:11', name: 'openssl' }, osvPackageOfPurl('pkg:deb/debian/openssl@1.1.1n-0+deb11u3')!)).toBe(true);
    expect(osvPackageOfPurl('pkg:oci/testcontainer?repository_url=testregistry.test')).toBeUndefined();
    expect(osvPackageOfPurl('pkg:maven/log4j-core@2.13.2')).toBeUndefined(); // no group: not a Maven coordinate
    expect(candidateNames({ name: 'org.apache.logging.log4j:log4j-core' })).toEqual(
      expect.arrayContaining(['org.apache.logging.log4j:log4j-core', 'log4j-core']),
    );
  });
});
