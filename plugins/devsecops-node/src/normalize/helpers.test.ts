import {
  normalizeDigest,
  packageIdentity,
  purlIdentity,
  severityFromLabel,
  severityFromScore,
  stableFingerprint,
} from './helpers';

describe('normaliser helpers', () => {
  it('identifies a package across versions and qualifiers', () => {
    expect(packageIdentity('pkg:npm/%40angular/core@16.2.0?arch=x64#sub')).toBe(
      'pkg:npm/%40angular/core',
    );
    expect(packageIdentity('pkg:maven/org.apache/log4j-core@2.14.1')).toBe(
      'pkg:maven/org.apache/log4j-core',
    );
    expect(packageIdentity('pkg:golang/github.com/x/y')).toBe('pkg:golang/github.com/x/y');
    expect(purlIdentity('pkg:deb/debian/openssl@1.1?distro=bullseye')).toBe(
      'pkg:deb/debian/openssl@1.1',
    );
  });

  it('maps severity labels and scores on purpose, and leaves unknown labels undefined', () => {
    expect(['CRITICAL', 'Moderate', 'warning', 'Negligible', 'UNKNOWN'].map(severityFromLabel)).toEqual([
      'critical',
      'medium',
      'medium',
      'info',
      'info',
    ]);
    expect(severityFromLabel('bogus')).toBeUndefined();
    expect(['9.0', 7, '4.0', 0.1, 0, '11', 'x'].map(severityFromScore)).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
      undefined,
      undefined,
    ]);
  });

  it('normalises digests to lowercase algo:hex and refuses anything else', () => {
    expect(normalizeDigest(`repo/x@sha256:${'AB'.repeat(32)}`)).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(normalizeDigest('latest')).toBeUndefined();
  });

  it('fingerprints by parts, order-sensitive, undefined as empty', () => {
    expect(stableFingerprint('a', undefined)).toBe(stableFingerprint('a', ''));
    expect(stableFingerprint('a', 'b')).not.toBe(stableFingerprint('b', 'a'));
    expect(stableFingerprint('a', 'b')).toMatch(/^[0-9a-f]{64}$/);
  });
});
