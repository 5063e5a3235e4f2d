import { indexVex, StoredVexStatement, vexFor, VexFindingFacts } from './matchVex';

const IMAGE = 'sha256:91bc0f1478c6d26e04da5c2a59ac20262ec2661942418e2a3e7c77245d872658';
const OTHER_IMAGE = 'sha256:13d22ec63300e16014d4a42aed735207a8b33c223cff19627dd3042e5a10a3a0';
const NOW = new Date('2026-12-06T12:00:00Z');

let nextId = 1;
const statement = (over: Partial<StoredVexStatement> = {}): StoredVexStatement => ({
  id: String(nextId++),
  scopeDigest: IMAGE,
  vulnerabilityId: 'CVE-2021-3326',
  aliases: [],
  product: { name: 'libc6', purl: 'pkg:deb/debian/libc6@2.28-10?arch=amd64', version: '2.28-10' },
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  statedAt: '2026-12-01T09:00:00.000Z',
  recordedAt: '2026-12-02T09:00:00.000Z',
  expiresAt: '2027-03-01T09:00:00.000Z',
  reportId: 'vex-1',
  ...over,
});

// How Grype (purl) and Trivy's legacy list (name and version only) report the same package.
const grype: VexFindingFacts = {
  ruleId: 'CVE-2021-3326',
  vulnerabilityId: 'CVE-2021-3326',
  artifactDigest: IMAGE,
  package: { name: 'libc6', version: '2.28-10', purl: 'pkg:deb/debian/libc6@2.28-10?arch=amd64' },
};
const trivy: VexFindingFacts = {
  ruleId: 'CVE-2021-3326',
  vulnerabilityId: 'CVE-2021-3326',
  artifactDigest: IMAGE,
  package: { name: 'libc6', version: '2.28-10' },
};

describe('vexFor', () => {
  it('suppresses a justified not_affected for the same CVE and package, by purl or by name', () => {
    expect(vexFor(grype, [statement()], NOW)).toMatchObject({ status: 'not_affected', suppresses: true, reportId: 'vex-1' });
    expect(vexFor(trivy, [statement()], NOW)?.suppresses).toBe(true);
    // A Maven name as Trivy writes it (group:artifact) matches the purl's name.
    const log4j = statement({ vulnerabilityId: 'CVE-2021-44228', product: { name: 'log4j-core', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', version: '2.14.1' } });
    expect(
      vexFor({ ruleId: 'CVE-2021-44228', vulnerabilityId: 'CVE-2021-44228', artifactDigest: IMAGE, package: { name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' } }, [log4j], NOW)
        ?.suppresses,
    ).toBe(true);
  });

  it('matches the vulnerability by any alias on either side, in any case', () => {
    const ghsaFinding = { ...grype, vulnerabilityId: 'GHSA-jf85-cpcp-j695', ruleId: 'GHSA-jf85-cpcp-j695', aliases: ['cve-2021-3326'] };
    expect(vexFor(ghsaFinding, [statement()], NOW)?.suppresses).toBe(true);
    const byAlias = statement({ vulnerabilityId: 'DSA-4910-1', aliases: ['CVE-2021-3326'] });
    expect(vexFor(grype, [byAlias], NOW)?.suppresses).toBe(true);
    expect(vexFor(grype, [statement({ vulnerabilityId: 'CVE-2021-35942' })], NOW)).toBeUndefined();
  });

  it('does not apply to another version, another package, another image or a finding without a package', () => {
    expect(vexFor({ ...grype, package: { ...grype.package!, version: '2.28-11', purl: 'pkg:deb/debian/libc6@2.28-11' } }, [statement()], NOW)).toBeUndefined();
    expect(vexFor({ ...trivy, package: { name: 'libc-bin', version: '2.28-10' } }, [statement()], NOW)).toBeUndefined();
    expect(vexFor({ ...grype, artifactDigest: OTHER_IMAGE }, [statement()], NOW)).toBeUndefined();
    expect(vexFor({ ...grype, artifactDigest: undefined }, [statement()], NOW)).toBeUndefined();
    expect(vexFor({ ruleId: 'CVE-2021-3326', vulnerabilityId: 'CVE-2021-3326', artifactDigest: IMAGE }, [statement()], NOW)).toBeUndefined();
    // A statement without a version covers every version of the package; one for the entity every artifact.
    const anyVersion = statement({ scopeDigest: '', product: { name: 'libc6', purl: 'pkg:deb/debian/libc6' } });
    expect(vexFor({ ...grype, artifactDigest: OTHER_IMAGE, package: { name: 'libc6', version: '2.31-13' } }, [anyVersion], NOW)?.suppresses).toBe(true);
  });

  it('applies a statement about a whole image (an OCI product) to every package in it', () => {
    const image = statement({ product: { name: 'defectdojo-django', purl: `pkg:oci/defectdojo-django@${IMAGE.replace(':', '%3A')}` } });
    expect(vexFor(trivy, [image], NOW)?.suppresses).toBe(true);
    expect(vexFor({ ...trivy, artifactDigest: OTHER_IMAGE }, [image], NOW)).toBeUndefined();
  });

  it('lets the newest statement win: affected, under_investigation and fixed do not suppress', () => {
    for (const status of ['affected', 'under_investigation', 'fixed'] as const) {
      const later = statement({ status, justification: undefined, statedAt: '2026-12-03T09:00:00.000Z' });
      expect(vexFor(grype, [statement(), later], NOW)).toMatchObject({ status, suppresses: false });
      // …and an older one of those is replaced by a newer not_affected.
      const earlier = statement({ status, justification: undefined, statedAt: '2026-11-01T09:00:00.000Z' });
      expect(vexFor(grype, [earlier, statement()], NOW)).toMatchObject({ status: 'not_affected', suppresses: true });
    }
    // The same statement time: the one recorded later wins.
    const restated = statement({ status: 'affected', justification: undefined, recordedAt: '2026-12-04T09:00:00.000Z' });
    expect(vexFor(grype, [statement(), restated], NOW)?.status).toBe('affected');
  });

  it('stops suppressing when the statement has expired, and never without a justification or impact statement', () => {
    const expired = statement({ expiresAt: '2026-12-06T11:59:59.000Z' });
    expect(vexFor(grype, [expired], NOW)).toMatchObject({ status: 'not_affected', suppresses: false, expiresAt: '2026-12-06T11:59:59.000Z' });
    expect(vexFor(grype, [statement({ justification: undefined })], NOW)?.suppresses).toBe(false);
    expect(vexFor(grype, [statement({ justification: undefined, impactStatement: 'not reachable' })], NOW)?.suppresses).toBe(true);
  });

  it('answers the same through the index by id and alias', () => {
    const statements = [
      statement(),
      statement({ vulnerabilityId: 'DSA-4910-1', aliases: ['CVE-2021-3326'], status: 'affected', justification: undefined, statedAt: '2026-12-04T09:00:00.000Z' }),
      statement({ vulnerabilityId: 'CVE-2021-35942' }),
    ];
    const index = indexVex(statements);
    for (const finding of [grype, trivy, { ...grype, vulnerabilityId: 'GHSA-x', ruleId: 'GHSA-x', aliases: ['CVE-2021-3326'] }, { ...grype, vulnerabilityId: 'CVE-2000-1', ruleId: 'CVE-2000-1' }]) {
      expect(vexFor(finding, index, NOW)).toEqual(vexFor(finding, statements, NOW));
    }
    expect(vexFor(grype, index, NOW)?.status).toBe('affected');
  });
});
