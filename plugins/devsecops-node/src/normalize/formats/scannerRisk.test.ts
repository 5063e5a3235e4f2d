import { parseReportBody } from '../parse';
import { readFixture, testNormalizeContext } from '../../testUtils/fixtures';
import { grypeNormalizer } from './grype';
import { grypeCvss, grypeExploitability, trivyCvss } from './scannerRisk';
import { trivyNormalizer } from './trivy';

const normalize = (normalizer: typeof grypeNormalizer, file: string) =>
  normalizer.normalize(parseReportBody(readFixture(file)), testNormalizeContext);

describe('what scanners say about risk is kept', () => {
  it("keeps Grype's EPSS, KEV listing and NVD CVSS (golden image report)", () => {
    const report = normalize(grypeNormalizer, 'grype/grype-golden-image.json');
    const byId = new Map(report.findings.map(f => [f.vulnerabilityId, f]));
    // CVE-1999-0002 is in grype's knownExploited list; CVE-1999-0001 has no such field.
    expect(byId.get('CVE-1999-0002')).toMatchObject({
      exploitability: { epss: { score: 0.08, percentile: 0.53 }, knownExploited: true },
      cvss: { score: 8.5, vector: 'CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H', source: 'nvd' },
    });
    const low = byId.get('CVE-1999-0001')!;
    expect(low.exploitability).toEqual({ epss: { score: 0.03, percentile: 0.42 } });
    // Go's zero date is grype's "no date", not a scoring day.
    expect(low.exploitability?.epss?.date).toBeUndefined();
    expect(low.cvss?.score).toBe(8.2);
  });

  it("keeps Trivy's CVSS of the severity source, newest version first (CVSS v4 report)", () => {
    const report = normalize(trivyNormalizer, 'trivy/dd-cvssv4.json');
    const finding = report.findings.find(f => f.vulnerabilityId === 'CVE-2025-66614')!;
    expect(finding.cvss).toEqual({
      score: 6.3,
      vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N',
      source: 'ghsa',
    });
    expect(finding.exploitability).toBeUndefined();
  });

  it('prefers the NVD entry when the severity source has no score', () => {
    expect(
      trivyCvss({
        SeveritySource: 'ubuntu',
        CVSS: { redhat: { V3Score: 4.8 }, nvd: { V2Score: 5, V3Score: 5.3, V3Vector: 'CVSS:3.1/AV:N' } },
      }),
    ).toEqual({ cvss: { score: 5.3, vector: 'CVSS:3.1/AV:N', source: 'nvd' } });
  });

  it('ignores values out of range or of the wrong type', () => {
    expect(grypeExploitability({ epss: [{ cve: 'CVE-1', epss: 7 }, { epss: '0.5' }, 'x'] }, 'CVE-1')).toEqual({});
    expect(grypeExploitability({ knownExploited: [] }, 'CVE-1')).toEqual({
      exploitability: { knownExploited: false },
    });
    expect(grypeCvss({ cvss: [{ metrics: { baseScore: 11 } }, { metrics: { baseScore: -1 } }] })).toEqual({});
    expect(trivyCvss({ CVSS: { nvd: { V3Score: 'high', V3Vector: 'x'.repeat(300) } } })).toEqual({});
    expect(trivyCvss({ CVSS: [] })).toEqual({});
  });

  it("picks the key CVE's EPSS entry, else the highest score", () => {
    const vuln = {
      epss: [
        { cve: 'CVE-2024-1', epss: 0.9, percentile: 0.99, date: '2026-11-30' },
        { cve: 'CVE-2024-2', epss: 0.2, percentile: 0.8, date: '2026-11-30' },
      ],
    };
    expect(grypeExploitability(vuln, 'CVE-2024-2').exploitability?.epss).toEqual({
      score: 0.2,
      percentile: 0.8,
      date: '2026-11-30',
    });
    expect(grypeExploitability(vuln, 'GHSA-x').exploitability?.epss?.score).toBe(0.9);
  });
});
