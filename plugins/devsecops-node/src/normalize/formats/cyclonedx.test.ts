import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizedReport, ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { cyclonedxNormalizer } from './cyclonedx';

const FILES = listFixtures('cyclonedx').filter(
  f => !f.startsWith('cyclonedx/schema/'),
);

/**
 * The spec's own "invalid-bomformat" test document: `bomFormat: "AnotherFormat"`. It is not
 * CycloneDX, so detection rejects it, and naming the format explicitly gives a 400 on $.bomFormat.
 */
const REJECTED: Record<string, RegExp> = {
  'cyclonedx/edge-INVALID-bomformat-1.6.json':
    /^CycloneDX JSON \(SBOM and VEX\): \$\.bomFormat must be "CycloneDX" \(got "AnotherFormat"\)$/,
};

const SUPPRESSED_STATES = [
  'not_affected',
  'false_positive',
  'resolved',
  'resolved_with_pedigree',
];

const normalize = (report: ParsedReport): NormalizedReport =>
  cyclonedxNormalizer.normalize(report, testNormalizeContext);
const normalizeFile = (file: string) =>
  normalize(parseReportBody(readFixture(file)));

/** Independent expectations: a direct traversal of the parsed JSON (like a jq expression). */
function expected(doc: any) {
  const walk = (list: any[] | undefined): any[] =>
    (list ?? []).flatMap(c => [c, ...walk(c.components)]);
  const components = walk(doc.components);
  let findings = 0;
  let suppressed = 0;
  for (const v of doc.vulnerabilities ?? []) {
    const refs = new Set((v.affects ?? []).map((a: any) => a.ref));
    const n = Math.max(1, refs.size);
    findings += n;
    if (SUPPRESSED_STATES.includes(v.analysis?.state)) suppressed += n;
  }
  const controls: string[] = [];
  if (Array.isArray(doc.components) || !Array.isArray(doc.vulnerabilities)) {
    controls.push('sbom');
  }
  if (Array.isArray(doc.vulnerabilities)) controls.push('dependency-scan');
  return { components: components.length, findings, suppressed, controls };
}

function severities(report: NormalizedReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of report.findings) out[f.severity] = (out[f.severity] ?? 0) + 1;
  return out;
}

/** Same document with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}

describe('cyclonedxNormalizer', () => {
  it('covers the fixture folder', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(29);
  });

  describe.each(FILES)('%s', file => {
    const report = parseReportBody(readFixture(file));
    const rejected = REJECTED[file];

    if (rejected) {
      it('is not detected, and is refused with the path when named', () => {
        expect(cyclonedxNormalizer.detect(report)).toBe(false);
        expect(() => normalize(report)).toThrow(ReportFormatError);
        expect(() => normalize(report)).toThrow(rejected);
      });
      return;
    }

    it('is detected and normalised with the expected counts', () => {
      expect(cyclonedxNormalizer.detect(report)).toBe(true);
      const doc = readFixtureJson(file);
      const want = expected(doc);
      const result = normalize(report);
      expect(result.format).toBe('cyclonedx');
      expect(result.components).toHaveLength(want.components);
      expect(result.findings).toHaveLength(want.findings);
      expect(result.findings.filter(f => f.suppressed)).toHaveLength(
        want.suppressed,
      );
      expect(result.controls).toEqual(want.controls);
      for (const finding of result.findings) {
        expect(finding.kind).toBe('sca');
        expect(finding.control).toBe('dependency-scan');
        expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        // The CVE when the report names one for it (issue 13 item 5), the rule id among the names.
        expect([finding.vulnerabilityId, ...(finding.aliases ?? [])]).toContain(finding.ruleId);
      }
      for (const component of result.components ?? []) {
        expect(component.name).not.toBe('');
        expect(Array.isArray(component.licenses)).toBe(true);
      }
    });

    it('is deterministic and independent of key order', () => {
      const once = normalize(report);
      expect(normalize(report)).toEqual(once);
      const reordered = normalize({
        shape: 'json',
        value: reverseKeys(readFixtureJson(file)),
      });
      expect(reordered).toEqual(once);
    });
  });

  // Literal numbers verified by hand with a python3 one-off over the fixtures: recursive component
  // count, and per vulnerability the max over ratings (explicit severity, else CVSS score).
  it.each([
    ['cyclonedx/large/sbom-1.4-juice-shop-nested-1115.json', 1115, {}],
    ['cyclonedx/large/sbom-1.2-protonmail-883.json', 883, {}],
    ['cyclonedx/sbom-1.2-dropwizard-maven.json', 167, {}],
    ['cyclonedx/sbom-1.4-laravel-composer.json', 62, {}],
    ['cyclonedx/kbom-1.5-kubernetes.json', 17, {}],
    [
      'cyclonedx/dd-cdx-1.5-102comps-10vulns-info-severity.json',
      102,
      { high: 5, medium: 7, low: 2 },
    ],
    [
      'cyclonedx/dd-vex-nested-component-log4j.json',
      2,
      { critical: 4, high: 1, medium: 3 },
    ],
    [
      'cyclonedx/trivy-cdx-1.7-pom-with-vulns.json',
      3,
      { critical: 1, high: 1 },
    ],
    ['cyclonedx/grype-cdx-image-with-vulns.json', 2, { critical: 1, low: 1 }],
    ['cyclonedx/edge-dd-vuln-no-severity.json', 0, { critical: 1 }],
    ['cyclonedx/vex-1.4-with-ratings.json', 0, { high: 1 }],
    ['cyclonedx/vex-bomlink-multi-product.json', 0, { info: 57 }],
    ['cyclonedx/vex-cisa-case2.json', 0, { info: 19 }],
  ])('%s has %d components and severities %j', (file, count, dist) => {
    const result = normalizeFile(file);
    expect(result.components).toHaveLength(count);
    expect(severities(result)).toEqual(dist);
  });

  it('reads Trivy vulnerabilities: highest rating, resolved component, fixed version', () => {
    const result = normalizeFile('cyclonedx/trivy-cdx-1.7-pom-with-vulns.json');
    expect(result.tool).toBe('trivy');
    expect(result.toolVersion).toBe('dev');
    expect(result.artifact).toEqual({ name: 'testdata/fixtures/repo/pom' });
    const [first, second] = result.findings;
    expect(first).toMatchObject({
      ruleId: 'CVE-2020-9548',
      vulnerabilityId: 'CVE-2020-9548',
      severity: 'critical',
      originalSeverity: 'critical',
      component: {
        name: 'com.fasterxml.jackson.core/jackson-databind',
        version: '2.9.1',
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1',
        ecosystem: 'maven',
      },
      fixAvailable: true,
      fixedVersions: ['2.9.10.4'],
    });
    expect(first.suppressed).toBeUndefined();
    expect(second).toMatchObject({
      ruleId: 'CVE-2021-20190',
      severity: 'high',
      fixedVersions: ['2.9.10.7'],
    });
  });

  it('derives severity from a CVSS score only, never from EPSS/KEV scores', () => {
    const noSeverity = normalizeFile('cyclonedx/edge-dd-vuln-no-severity.json');
    expect(noSeverity.findings[0]).toMatchObject({
      severity: 'critical',
      originalSeverity: '10 (CVSSv3)',
      component: { name: 'gerbwetbqt' },
    });
    // grype: CVSS rating says "low" (score 8.2), EPSS 0.03 (method other) must not count.
    const grype = normalizeFile('cyclonedx/grype-cdx-image-with-vulns.json');
    expect(grype.findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['CVE-1999-0001', 'low'],
      ['CVE-1999-0002', 'critical'],
    ]);
    expect(grype.findings[0].component).toEqual({
      name: 'package-1',
      version: '1.1.1',
    });
    expect(grype.findings[1].component?.purl).toBe('pkg:deb/package-2@2.2.2');
    // syft writes the image manifest digest as the container component's version.
    expect(grype.artifact).toEqual({
      name: 'user-input',
      digest:
        'sha256:ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5',
    });
    expect(grype.tool).toBe('grype');
    const rated = (ratings: unknown[]) =>
      normalize({
        shape: 'json',
        value: {
          bomFormat: 'CycloneDX',
          specVersion: '1.6',
          vulnerabilities: [{ id: 'CVE-3', ratings }],
        },
      }).findings[0];
    expect(
      rated([
        { severity: 'low', score: 3.1, method: 'CVSSv31' },
        { score: 9.5, method: 'other' },
        { score: 9.9, method: 'OWASP' },
      ]),
    ).toMatchObject({ severity: 'low', originalSeverity: 'low' });
    expect(
      rated([{ severity: 'unknown', score: 7.5, method: 'CVSSv4' }]),
    ).toMatchObject({
      severity: 'high',
      originalSeverity: '7.5 (CVSSv4)',
    });
    expect(rated([{ severity: 'UNKNOWN' }])).toMatchObject({
      severity: 'info',
      originalSeverity: 'UNKNOWN',
    });
    expect(
      rated([{ severity: 'none', score: 0 }, { severity: 'Medium' }]),
    ).toMatchObject({
      severity: 'medium',
      originalSeverity: 'Medium',
    });
  });

  it('maps "none" ratings to info and keeps unrated VEX statements as info', () => {
    const cisa = normalizeFile('cyclonedx/vex-cisa-case2.json');
    expect(new Set(cisa.findings.map(f => f.originalSeverity))).toEqual(
      new Set(['none']),
    );
    expect(cisa.findings.every(f => f.suppressed)).toBe(true);
    const affected = normalizeFile('cyclonedx/vex-state-affected.json');
    expect(affected.findings[0]).toMatchObject({
      severity: 'info',
      component: { name: 'DEF', version: '1.0' },
    });
    expect(affected.findings[0].originalSeverity).toBeUndefined();
    expect(affected.controls).toEqual(['dependency-scan']);
    expect(affected.artifact).toEqual({ name: 'DEF' });
  });

  it('applies VEX analysis states', () => {
    const states: Array<[string, boolean]> = [
      ['vex-state-affected.json', false],
      ['vex-state-under_investigation.json', false],
      ['vex-state-not_affected.json', true],
      ['vex-state-fixed.json', true],
    ];
    for (const [file, suppressed] of states) {
      const [finding] = normalizeFile(`cyclonedx/${file}`).findings;
      expect(Boolean(finding.suppressed)).toBe(suppressed);
    }
  });

  it('resolves refs to nested components, BOM-Links and unknown refs', () => {
    const nested = normalizeFile(
      'cyclonedx/dd-vex-nested-component-log4j.json',
    );
    expect(nested.findings[0].component).toEqual({
      name: 'log4j-core',
      version: '2.13.2',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2',
      ecosystem: 'maven',
    });
    const bomLink = normalizeFile('cyclonedx/vex-1.4-with-ratings.json');
    expect(bomLink.findings[0]).toMatchObject({
      severity: 'high',
      suppressed: true,
      fixAvailable: true,
      fixedVersions: ['2.6.7.4', '2.9.10.7', '2.10.5.1'],
      component: {
        name: 'com.fasterxml.jackson.core/jackson-databind',
        version: '2.10.0',
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar',
        ecosystem: 'maven',
      },
    });
    const products = normalizeFile('cyclonedx/vex-bomlink-multi-product.json');
    expect(
      [...new Set(products.findings.map(f => f.component?.name))].sort(),
    ).toEqual(['acme-product-1', 'acme-product-2', 'acme-product-3']);
    expect(new Set(products.findings.map(f => f.fingerprint)).size).toBe(57);
    // A purl ref with no component in the document still names the package.
    const dd = normalizeFile(
      'cyclonedx/dd-cdx-1.5-102comps-10vulns-info-severity.json',
    );
    const tar = dd.findings.find(f => f.ruleId === 'TEMP-0290435-0B57B5');
    expect(tar?.component).toMatchObject({
      name: 'debian/tar',
      version: '1.30+dfsg-6',
      ecosystem: 'deb',
    });
  });

  it('takes the artifact digest from the Trivy RepoDigest, not the image ID', () => {
    const dd = normalizeFile(
      'cyclonedx/dd-cdx-1.5-102comps-10vulns-info-severity.json',
    );
    expect(dd.artifact).toEqual({
      name: 'ubuntu:latest',
      digest:
        'sha256:6042500cf4b44023ea1894effe7890666b0c5c7871ed83a97c36c76ae560bb9b',
    });
    expect(dd.tool).toBe('trivy');
    expect(dd.toolVersion).toBe('0.48.1');
    const withHash = normalize({
      shape: 'json',
      value: {
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        metadata: {
          component: {
            type: 'file',
            name: 'app.tar',
            hashes: [
              {
                alg: 'SHA-1',
                content: '25ed8e31b995bb927966616df2a42b979a2717f0',
              },
              {
                alg: 'SHA-256',
                content:
                  'A74F733635A19AEFB1F73E5947CEF59CD7440C6952EF0F03D09D974274CBD6DF',
              },
            ],
          },
        },
      },
    });
    expect(withHash.artifact).toEqual({
      name: 'app.tar',
      digest:
        'sha256:a74f733635a19aefb1f73e5947cef59cd7440c6952ef0f03d09d974274cbd6df',
    });
  });

  it('reads licenses, keeps invalid purls without using them for identity', () => {
    const invalid = normalizeFile('cyclonedx/edge-1.5-invalid-purl.json');
    expect(invalid.components).toEqual([
      {
        name: 'pear/core',
        version: '1.13.1',
        purl: 'pkg:composer/pear/core@1.13.1',
        type: 'library',
        licenses: [],
      },
      {
        name: 'pear/log',
        version: '1.13.1',
        purl: 'invalid-purl-format',
        type: 'library',
        licenses: [],
      },
    ]);
    expect(invalid.controls).toEqual(['sbom', 'dependency-scan']);
    const withVuln = normalize({
      shape: 'json',
      value: {
        ...readFixtureJson<Record<string, unknown>>(
          'cyclonedx/edge-1.5-invalid-purl.json',
        ),
        vulnerabilities: [
          { id: 'CVE-1', affects: [{ ref: 'pkg:composer/pear/log@1.13.1' }] },
        ],
      },
    });
    expect(withVuln.findings[0].component).toEqual({
      name: 'pear/log',
      version: '1.13.1',
      purl: 'invalid-purl-format',
    });
    const grype = normalizeFile('cyclonedx/grype-cdx-image-with-vulns.json');
    expect(grype.components?.[1].licenses).toEqual(['Apache-2.0', 'MIT']);
    const missingRefs = normalizeFile('cyclonedx/edge-1.5-missing-refs.json');
    expect(missingRefs.components?.[0].licenses).toEqual(['MIT']);
    const juice = normalizeFile(
      'cyclonedx/large/sbom-1.4-juice-shop-nested-1115.json',
    );
    const doc = readFixtureJson(
      'cyclonedx/large/sbom-1.4-juice-shop-nested-1115.json',
    );
    // jq: [.. | objects | select(has("licenses")) | .licenses[] | .expression // .license.id // .license.name] | unique
    const walk = (list: any[] | undefined): any[] =>
      (list ?? []).flatMap(c => [c, ...walk(c.components)]);
    const want = new Set(
      walk(doc.components).flatMap(c =>
        (c.licenses ?? []).map(
          (l: any) => l.expression ?? l.license?.id ?? l.license?.name,
        ),
      ),
    );
    expect(new Set(juice.components?.flatMap(c => c.licenses))).toEqual(want);
  });

  it('keeps fingerprints across rescans: order, qualifiers and ratings do not matter', () => {
    const file = 'cyclonedx/dd-cdx-1.5-102comps-10vulns-info-severity.json';
    const base = normalizeFile(file).findings.map(f => f.fingerprint);
    const doc = readFixtureJson(file);
    doc.components.reverse();
    doc.vulnerabilities.reverse();
    for (const v of doc.vulnerabilities) {
      v.ratings = [{ severity: 'low' }];
      v.description = 'changed';
    }
    const moved = normalize({ shape: 'json', value: doc }).findings.map(
      f => f.fingerprint,
    );
    expect(new Set(moved)).toEqual(new Set(base));

    const one = (purl: string) =>
      normalize({
        shape: 'json',
        value: {
          bomFormat: 'CycloneDX',
          specVersion: '1.6',
          components: [{ 'bom-ref': 'x', name: 'libc6', purl }],
          vulnerabilities: [{ id: 'CVE-2', affects: [{ ref: 'x' }] }],
        },
      }).findings[0].fingerprint;
    expect(one('pkg:deb/ubuntu/libc6@2.35?arch=amd64')).toBe(
      one('pkg:deb/ubuntu/libc6@2.35?arch=arm64&distro=ubuntu-22.04'),
    );
    expect(one('pkg:deb/ubuntu/libc6@2.35')).not.toBe(
      one('pkg:deb/debian/libc6@2.35'),
    );
  });

  it('detects only CycloneDX documents', () => {
    expect(cyclonedxNormalizer.detect({ shape: 'empty' })).toBe(false);
    expect(cyclonedxNormalizer.detect(parseReportBody('null'))).toBe(false);
    expect(cyclonedxNormalizer.detect(parseReportBody('[]'))).toBe(false);
    expect(cyclonedxNormalizer.detect(parseReportBody('{}'))).toBe(false);
    expect(
      cyclonedxNormalizer.detect({ shape: 'text', text: 'bomFormat' }),
    ).toBe(false);
    expect(
      cyclonedxNormalizer.detect(
        parseReportBody('{"bomFormat":"CycloneDX","specVersion":"2.0"}'),
      ),
    ).toBe(false);
    expect(
      cyclonedxNormalizer.detect(
        parseReportBody('{"bomFormat":"CycloneDX","specVersion":1.4}'),
      ),
    ).toBe(false);
    // No fixture of another format (Trivy, Grype, SARIF, SPDX, attestations, …) is taken for CycloneDX.
    const others = listFixtures('.').filter(
      f =>
        // fixtures/openvex/cyclonedx-vex-*.json is a standalone CycloneDX VEX (it belongs here).
        !f.startsWith('cyclonedx/') &&
        !f.includes('/cyclonedx-') &&
        !f.endsWith('.gz') &&
        !f.endsWith('.md'),
    );
    expect(others.length).toBeGreaterThan(50);
    for (const file of others) {
      let parsed: ParsedReport;
      try {
        parsed = parseReportBody(readFixture(file));
      } catch {
        continue;
      }
      expect([file, cyclonedxNormalizer.detect(parsed)]).toEqual([file, false]);
    }
  });

  it('accepts empty bodies only when named, as an empty SBOM', () => {
    for (const body of ['', 'null', '[]', '{}']) {
      expect(normalize(parseReportBody(body))).toEqual({
        format: 'cyclonedx',
        tool: 'unknown',
        controls: ['sbom'],
        findings: [],
        components: [],
      });
    }
    const empty = normalizeFile(
      'cyclonedx/edge-spec-empty-components-1.6.json',
    );
    expect(empty.findings).toEqual([]);
    expect(empty.components).toEqual([]);
    expect(empty.controls).toEqual(['sbom']);
  });

  it('refuses malformed documents with the JSON path', () => {
    const bom = (extra: Record<string, unknown>) => ({
      shape: 'json' as const,
      value: { bomFormat: 'CycloneDX', specVersion: '1.6', ...extra },
    });
    const cases: Array<[ParsedReport, string]> = [
      [
        bom({ vulnerabilities: 5 }),
        '$.vulnerabilities must be an array (got number)',
      ],
      [bom({ components: {} }), '$.components must be an array (got object)'],
      [
        bom({ components: [{ name: 'a', components: 'x' }] }),
        '$.components[0].components must be an array (got string)',
      ],
      [
        bom({ components: [{ name: 'a', components: [{ type: 'library' }] }] }),
        '$.components[0].components[0].name must be a non-empty string (got undefined)',
      ],
      [
        bom({ vulnerabilities: [{ id: 'CVE-1', ratings: {} }] }),
        '$.vulnerabilities[0].ratings must be an array (got object)',
      ],
      [
        bom({ vulnerabilities: [{ ratings: [] }] }),
        '$.vulnerabilities[0].id must be a non-empty string (got undefined)',
      ],
      [
        bom({ vulnerabilities: [{ id: 'CVE-1', affects: [{ ref: 3 }] }] }),
        '$.vulnerabilities[0].affects[0].ref must be a non-empty string (got number)',
      ],
      [bom({ metadata: [] }), '$.metadata must be an object (got array)'],
      [
        bom({ specVersion: '1.1' }),
        '$.specVersion must be a CycloneDX JSON version 1.2–1.7 (got "1.1")',
      ],
      [
        parseReportBody('[{"bomFormat":"CycloneDX"}]'),
        '$ must be an object (got array)',
      ],
      [
        parseReportBody('{"components":[]}'),
        '$.bomFormat must be "CycloneDX" (got undefined)',
      ],
    ];
    for (const [report, message] of cases) {
      expect(() => normalize(report)).toThrow(ReportFormatError);
      expect(() => normalize(report)).toThrow(
        `CycloneDX JSON (SBOM and VEX): ${message}`,
      );
    }
  });
});
