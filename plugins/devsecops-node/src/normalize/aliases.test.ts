import { cyclonedxNormalizer, grypeNormalizer, osvScannerNormalizer } from './formats';
import { parseReportBody } from './parse';
import { readFixture } from '../testUtils/fixtures';

const context = { secretFingerprint: (s: string) => `hmac:${s.length}` };

describe('vulnerability aliases are kept and the CVE names the finding', () => {
  it('CycloneDX: a vendor id with the CVE in references[] carries the CVE (spec example, Snyk)', () => {
    const report = cyclonedxNormalizer.normalize(
      parseReportBody(readFixture('cyclonedx/spec-valid-vulnerability-1.5.json')),
      context,
    );
    expect(
      report.findings.map(f => [f.ruleId, f.vulnerabilityId, f.aliases]),
    ).toEqual([
      [
        'SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111',
        'CVE-2018-7489',
        ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111'],
      ],
    ]);
  });

  it('CycloneDX: a CVE id keeps its references as aliases (VEX with a Snyk reference)', () => {
    const report = cyclonedxNormalizer.normalize(
      parseReportBody(readFixture('cyclonedx/vex-1.4-with-ratings.json')),
      context,
    );
    const finding = report.findings.find(f => f.ruleId === 'CVE-2020-25649')!;
    expect(finding.vulnerabilityId).toBe('CVE-2020-25649');
    expect(finding.aliases).toEqual(['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302']);
  });

  it('CycloneDX: an OSS Index / jake vulnerability names its CVE in the source URL', () => {
    // The shape jake and the OSS Index CycloneDX writer give: an OSS Index id, the CVE in source.
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      components: [
        { 'bom-ref': 'pkg:pypi/urllib3@1.25.8', name: 'urllib3', version: '1.25.8', purl: 'pkg:pypi/urllib3@1.25.8' },
      ],
      vulnerabilities: [
        {
          'bom-ref': '4c6d6a1c-1c1c-4f0e-9b0a-1d1f2e3a4b5c',
          id: 'sonatype-2021-1234',
          source: { name: 'OSS Index', url: 'https://ossindex.sonatype.org/vulnerability/CVE-2021-33503' },
          ratings: [{ score: 7.5, severity: 'high', method: 'CVSSv31' }],
          affects: [{ ref: 'pkg:pypi/urllib3@1.25.8' }],
        },
      ],
    };
    const [finding] = cyclonedxNormalizer.normalize(
      { shape: 'json', value: bom },
      context,
    ).findings;
    expect(finding.ruleId).toBe('sonatype-2021-1234');
    expect(finding.vulnerabilityId).toBe('CVE-2021-33503');
    expect(finding.aliases).toEqual(['sonatype-2021-1234']);
  });

  it('Grype: a GHSA match is named by the CVE of relatedVulnerabilities, the GHSA an alias', () => {
    const report = grypeNormalizer.normalize(
      parseReportBody(readFixture('grype/dd-grype-0.28-all-fields.json')),
      context,
    );
    const ghsa = report.findings.filter(f => /^GHSA-/.test(f.ruleId));
    const withCve = ghsa.filter(f => f.vulnerabilityId?.startsWith('CVE-'));
    expect(withCve.length).toBeGreaterThan(0);
    for (const finding of withCve) {
      expect(finding.aliases).toContain(finding.ruleId);
    }
  });

  it('osv-scanner: GHSA ↔ CVE aliases are kept beside the CVE', () => {
    const report = osvScannerNormalizer.normalize(
      parseReportBody(readFixture('osv/osv-scanner-go.json')),
      context,
    );
    const aliased = report.findings.filter(f => f.aliases && f.aliases.length > 0);
    expect(aliased.length).toBeGreaterThan(0);
    for (const finding of aliased) {
      expect(finding.aliases).not.toContain(finding.vulnerabilityId);
      expect([finding.vulnerabilityId, ...finding.aliases!]).toContain(finding.ruleId);
    }
    expect(
      report.findings.some(
        f => f.vulnerabilityId?.startsWith('CVE-') && f.aliases?.some(a => a.startsWith('GHSA-')),
      ),
    ).toBe(true);
  });
});
