import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizedReport, ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { osvScannerNormalizer } from './osv';

const normalize = (report: ParsedReport) =>
  osvScannerNormalizer.normalize(report, testNormalizeContext);
const normalizeFixture = (file: string) =>
  normalize(parseReportBody(readFixture(file)));

/** Package entries of either shape (the bare legacy array is a list of package entries). */
function packageEntries(doc: any): any[] {
  if (doc === undefined || doc === null) return [];
  if (Array.isArray(doc)) return doc;
  return (doc.results ?? []).flatMap((r: any) => r.packages ?? []);
}

/** One finding per package per group; a package without groups: one per record (no alias overlap in the fixtures). */
function expectedFindings(doc: any): number {
  return packageEntries(doc).reduce(
    (n: number, p: any) =>
      n + (p.groups ? p.groups.length : p.vulnerabilities.length),
    0,
  );
}

function countBy(report: NormalizedReport, key: 'severity' | 'kind') {
  const out: Record<string, number> = {};
  for (const f of report.findings) out[f[key]] = (out[f[key]] ?? 0) + 1;
  return out;
}

/*
 * Literal numbers checked by hand with a python3 one-off listing, per package, its groups, the
 * group's database_specific.severity values and its `called` analysis.
 */
const TABLE: Record<
  string,
  {
    findings: number;
    detected: boolean;
    severities: Record<string, number>;
    suppressed: number;
  }
> = {
  // zero bytes: undetectable, zero findings when the format is named
  'osv/edge-empty-file.json': {
    findings: 0,
    detected: false,
    severities: {},
    suppressed: 0,
  },
  // the legacy bare array of package entries is read (as one result without a source path); two
  // of its three groups are `called: false` → suppressed
  'osv/edge-osv-legacy-bare-array-with-call-analysis.json': {
    findings: 3,
    detected: true,
    severities: { high: 1, medium: 1, low: 1 },
    suppressed: 2,
  },
  // no groups, no rating anywhere → info
  'osv/osv-multi-cwe-fabricated.json': {
    findings: 1,
    detected: true,
    severities: { info: 1 },
    suppressed: 0,
  },
  // chromium CVE: no rating, max_severity "" → info; GHSA HIGH; two GHSA MODERATE → medium
  'osv/osv-scanner-debian-filtered.json': {
    findings: 4,
    detected: true,
    severities: { info: 1, high: 1, medium: 2 },
    suppressed: 0,
  },
  // GO-2021-0053 alone carries no rating → info; regex group GHSA HIGH
  'osv/osv-scanner-go.json': {
    findings: 2,
    detected: true,
    severities: { info: 1, high: 1 },
    suppressed: 0,
  },
  'osv/osv-scanner-some-malware.json': {
    findings: 1,
    detected: true,
    severities: { critical: 1 },
    suppressed: 0,
  },
};

describe('osvScannerNormalizer', () => {
  const files = listFixtures('osv');

  it('has an expectation for every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(TABLE).sort());
  });

  it.each(files)('normalises %s', file => {
    const raw = readFixture(file).toString('utf8');
    const doc = raw.trim() === '' ? undefined : JSON.parse(raw);
    const expected = TABLE[file];
    const parsed = parseReportBody(readFixture(file));
    const result = normalize(parsed);

    expect(osvScannerNormalizer.detect(parsed)).toBe(expected.detected);
    expect(result.format).toBe('osv-scanner');
    expect(result.tool).toBe('osv-scanner');
    expect(result.controls).toEqual(['dependency-scan']);
    expect(result.findings).toHaveLength(expected.findings);
    expect(result.findings).toHaveLength(expectedFindings(doc));
    expect(countBy(result, 'severity')).toEqual(expected.severities);
    expect(result.findings.filter(f => f.suppressed)).toHaveLength(
      expected.suppressed,
    );
    expect(
      result.findings.every(
        f => f.kind === 'sca' && f.control === 'dependency-scan',
      ),
    ).toBe(true);
    expect(new Set(result.findings.map(f => f.fingerprint)).size).toBe(
      result.findings.length,
    );
  });

  it('groups aliases into one finding and reads fixes from ranges', () => {
    const debian = normalizeFixture('osv/osv-scanner-debian-filtered.json');
    const byName = Object.fromEntries(
      debian.findings.map(f => [f.component!.name, f]),
    );
    expect(byName['golang.org/x/net']).toMatchObject({
      ruleId: 'GHSA-vvpx-j8f3-3w6h',
      vulnerabilityId: 'CVE-2022-41723',
      severity: 'high',
      originalSeverity: 'HIGH',
      location: { path: 'testdata/filter/some/configs/b/' },
      component: { name: 'golang.org/x/net', version: '0.1.0', ecosystem: 'Go' },
      fixAvailable: true,
      fixedVersions: ['0.7.0'], // the stdlib entry of GO-2023-1571 is another package
    });
    expect(byName.ascii).toMatchObject({
      severity: 'medium',
      originalSeverity: 'MODERATE',
      fixedVersions: ['0.9.3'],
    });
    // RUSTSEC says 0.2.0, the GHSA record of the same group says 0.2.23
    expect(byName.time.fixedVersions).toEqual(['0.2.0', '0.2.23']);
    expect(byName.chromium).toMatchObject({
      ruleId: 'CVE-2024-3847',
      severity: 'info',
      fixAvailable: false, // only `introduced: 0`
    });
    expect(byName.chromium.originalSeverity).toBeUndefined();

    const malware = normalizeFixture('osv/osv-scanner-some-malware.json');
    expect(malware.findings[0]).toMatchObject({
      ruleId: 'MAL-2023-1035',
      severity: 'critical',
      fixAvailable: false,
    });

    const fabricated = normalizeFixture('osv/osv-multi-cwe-fabricated.json');
    expect(fabricated.findings[0].fixAvailable).toBeUndefined(); // no ranges at all
  });

  describe('severity when no label is given', () => {
    const withRecord = (record: any, group?: any) => ({
      results: [
        {
          source: { path: 'package-lock.json', type: 'lockfile' },
          packages: [
            {
              package: { name: 'p', version: '1.0.0', ecosystem: 'npm' },
              vulnerabilities: [{ id: 'GHSA-xxxx', ...record }],
              ...(group ? { groups: [{ ids: ['GHSA-xxxx'], ...group }] } : {}),
            },
          ],
        },
      ],
    });
    const severityOf = (record: any, group?: any) =>
      normalize({ shape: 'json', value: withRecord(record, group) })
        .findings[0];

    it.each([
      // base scores from the FIRST calculator
      ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'critical'], // 9.8
      ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 'high'], // 7.5
      ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 'medium'], // 6.1
      ['CVSS_V3', 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L', 'low'], // 3.7
      ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 'info'], // 0.0
      ['CVSS_V2', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 'high'], // 7.5
      ['CVSS_V2', 'AV:N/AC:L/Au:N/C:N/I:N/A:P', 'medium'], // 5.0
      ['CVSS_V2', 'AV:L/AC:H/Au:N/C:N/I:P/A:N', 'low'], // 1.2
      // v4 vectors are not scored: medium on purpose
      ['CVSS_V4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'medium'],
      ['CVSS_V3', 'CVSS:3.1/garbage', 'medium'],
      ['Ubuntu', 'low', 'low'],
    ])('%s %s → %s', (type, score, severity) => {
      const finding = severityOf({ severity: [{ type, score }] });
      expect(finding.severity).toBe(severity);
      expect(finding.originalSeverity).toBe(score);
    });

    it('prefers max_severity, then database_specific.severity', () => {
      const record = {
        severity: [
          { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        ],
        database_specific: { severity: 'LOW' },
      };
      expect(severityOf(record, { max_severity: '7.5' })).toMatchObject({
        severity: 'high',
        originalSeverity: '7.5',
      });
      expect(severityOf(record, { max_severity: '' })).toMatchObject({
        severity: 'low',
        originalSeverity: 'LOW',
      });
    });

    it('suppresses a group whose vulnerabilities are not called', () => {
      expect(
        severityOf({}, { experimental_analysis: { 'GHSA-xxxx': { called: false } } })
          .suppressed,
      ).toBe(true);
      expect(
        severityOf({}, { experimental_analysis: { 'GHSA-xxxx': { called: true } } })
          .suppressed,
      ).toBeUndefined();
    });
  });

  it('is deterministic', () => {
    for (const file of files) {
      expect(normalizeFixture(file)).toEqual(normalizeFixture(file));
    }
  });

  it('keeps fingerprints when keys are reordered, the version bumps or the lockfile path changes', () => {
    const reverseKeys = (value: any): any => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.keys(value)
            .reverse()
            .map(k => [k, reverseKeys(value[k])]),
        );
      }
      return value;
    };
    const doc = JSON.parse(
      readFixture('osv/osv-scanner-debian-filtered.json').toString('utf8'),
    );
    const fps = normalize({ shape: 'json', value: doc }).findings.map(
      f => f.fingerprint,
    );
    expect(
      normalize({ shape: 'json', value: reverseKeys(doc) }).findings.map(
        f => f.fingerprint,
      ),
    ).toEqual(fps);
    for (const r of doc.results) {
      r.source.path = `/home/runner/work/x/${r.source.path}`;
      for (const p of r.packages) p.package.version = '0.0.1';
    }
    doc.results[0].packages[0].package.ecosystem = 'Debian:11';
    expect(
      normalize({ shape: 'json', value: doc }).findings.map(f => f.fingerprint),
    ).toEqual(fps);
  });

  describe('detect', () => {
    it('refuses ambiguous bodies, which are zero findings when the format is named', () => {
      for (const body of ['', 'null', '[]', '{}', '{"results":[]}']) {
        const parsed = parseReportBody(body);
        expect(osvScannerNormalizer.detect(parsed)).toBe(false);
        expect(normalize(parsed).findings).toEqual([]);
      }
      expect(
        osvScannerNormalizer.detect(
          parseReportBody('{"results":[],"experimental_config":{}}'),
        ),
      ).toBe(true);
    });

    it('refuses every fixture of other formats', () => {
      const others = [
        'trivy',
        'grype',
        'sarif',
        'cyclonedx',
        'spdx',
        'gitleaks',
        'trufflehog',
        'iac',
        'semgrep',
        'attestations',
        'github-api',
      ].flatMap(folder => listFixtures(folder));
      let checked = 0;
      for (const file of others) {
        if (file.endsWith('.gz')) continue;
        let parsed: ParsedReport;
        try {
          parsed = parseReportBody(readFixture(file));
        } catch {
          continue;
        }
        checked += 1;
        expect([file, osvScannerNormalizer.detect(parsed)]).toEqual([
          file,
          false,
        ]);
      }
      expect(checked).toBeGreaterThan(50);
    });
  });

  describe('malformed documents', () => {
    const cases: Array<[string, unknown, string]> = [
      [
        'results is a number',
        { results: 1 },
        'osv-scanner JSON: $.results must be an array (got number)',
      ],
      [
        'packages is missing',
        { results: [{ source: {} }] },
        'osv-scanner JSON: $.results[0].packages must be an array (got undefined)',
      ],
      [
        'package is a string',
        { results: [{ source: {}, packages: [{ package: 'x', vulnerabilities: [] }] }] },
        'osv-scanner JSON: $.results[0].packages[0].package must be an object (got string)',
      ],
      [
        'vulnerabilities is an object',
        {
          results: [
            { source: {}, packages: [{ package: { name: 'p' }, vulnerabilities: {} }] },
          ],
        },
        'osv-scanner JSON: $.results[0].packages[0].vulnerabilities must be an array (got object)',
      ],
      [
        'a record without id',
        [{ package: { name: 'p' }, vulnerabilities: [{ summary: 's' }] }],
        'osv-scanner JSON: $[0].vulnerabilities[0].id must be a non-empty string (got undefined)',
      ],
      [
        'group ids is a string',
        [
          {
            package: { name: 'p' },
            vulnerabilities: [{ id: 'GHSA-1' }],
            groups: [{ ids: 'GHSA-1' }],
          },
        ],
        'osv-scanner JSON: $[0].groups[0].ids must be an array (got string)',
      ],
      [
        'a package without name',
        [{ package: { version: '1' }, vulnerabilities: [] }],
        'osv-scanner JSON: $[0].package.name must be a non-empty string (got undefined)',
      ],
      ['a string', 'x', 'osv-scanner JSON: $ must be an object (got string)'],
    ];
    it.each(cases)('rejects %s', (_name, value, message) => {
      const run = () => normalize({ shape: 'json', value });
      expect(run).toThrow(ReportFormatError);
      expect(run).toThrow(message);
    });
  });
});
