import { ReportFormatError, UnsupportedFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizerRegistry } from '../registry';
import { NormalizedReport, ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { cyclonedxNormalizer } from './cyclonedx';
import { spdxNormalizer } from './spdx';

const GITHUB_EXPORT = 'github-api/dependency-graph-export-sbom-response.json';
const SCHEMA = 'spdx/schema-spdx-2.3.json';
const FILES = [
  ...listFixtures('spdx').filter(f => f !== SCHEMA),
  GITHUB_EXPORT,
];

/** Not SPDX 2 JSON: never detected; the registry names what they are. */
const REFUSED: Record<string, { registry: RegExp; named: RegExp }> = {
  'spdx/edge-spdx-3.0-jsonld.json': {
    registry: /SPDX 3 JSON-LD/,
    named: /^SPDX 2\.3 JSON: \$\["@context"\] is SPDX 3 JSON-LD/,
  },
  'spdx/edge-tag-value-format.spdx': {
    registry: /SPDX tag-value/,
    named: /^SPDX 2\.3 JSON: \$ must be JSON \(got SPDX tag-value/,
  },
};

const normalize = (report: ParsedReport): NormalizedReport =>
  spdxNormalizer.normalize(report, testNormalizeContext);
const normalizeFile = (file: string) =>
  normalize(parseReportBody(readFixture(file)));

/** Independent expectations from the parsed JSON (jq-like). */
function expected(json: any) {
  const doc = json.sbom ?? json;
  const packages: any[] = doc.packages ?? [];
  const purls = packages.flatMap(p =>
    (p.externalRefs ?? [])
      .filter(
        (r: any) =>
          r.referenceType === 'purl' &&
          ['PACKAGE-MANAGER', 'PACKAGE_MANAGER'].includes(r.referenceCategory),
      )
      .slice(0, 1)
      .map((r: any) => r.referenceLocator),
  );
  return { components: packages.length, purls };
}

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

describe('spdxNormalizer', () => {
  const registry = new NormalizerRegistry();
  registry.add(cyclonedxNormalizer, spdxNormalizer);

  it('covers the fixture folder', () => {
    expect(FILES.length).toBe(11);
  });

  describe.each(FILES)('%s', file => {
    const report = parseReportBody(readFixture(file));
    const refused = REFUSED[file];

    if (refused) {
      it('is not detected; the registry and the named format refuse it', () => {
        expect(spdxNormalizer.detect(report)).toBe(false);
        expect(() => registry.resolve(report)).toThrow(UnsupportedFormatError);
        expect(() => registry.resolve(report)).toThrow(refused.registry);
        expect(() => normalize(report)).toThrow(ReportFormatError);
        expect(() => normalize(report)).toThrow(refused.named);
      });
      return;
    }

    it('is detected and normalised into an inventory without findings', () => {
      expect(spdxNormalizer.detect(report)).toBe(true);
      expect(registry.resolve(report).id).toBe('spdx');
      const want = expected(readFixtureJson(file));
      const result = normalize(report);
      expect(result.format).toBe('spdx');
      expect(result.findings).toEqual([]);
      expect(result.controls).toEqual(['sbom']);
      expect(result.components).toHaveLength(want.components);
      expect(result.components?.flatMap(c => (c.purl ? [c.purl] : []))).toEqual(
        want.purls,
      );
      for (const c of result.components ?? []) {
        expect(c.licenses).not.toContain('NOASSERTION');
        expect(c.licenses).not.toContain('NONE');
        expect(c.version).not.toBe('NOASSERTION');
      }
    });

    it('is deterministic and independent of key order', () => {
      const once = normalize(report);
      expect(normalize(report)).toEqual(once);
      expect(
        normalize({ shape: 'json', value: reverseKeys(readFixtureJson(file)) }),
      ).toEqual(once);
    });
  });

  // Literal values read off the fixtures by hand (python3 -c over packages[], documentDescribes and
  // DESCRIBES relationships).
  it.each([
    [
      'spdx/dd-syft-spdx-2.3-advisory-refs.json',
      4,
      'syft',
      '1.50.0',
      undefined,
    ],
    ['spdx/dd-syft-spdx-2.3-no-vulns.json', 3, 'syft', '1.50.0', undefined],
    [
      'spdx/edge-empty-packages.json',
      1,
      'trivy',
      'dev',
      { name: 'maven-test-project' },
    ],
    [
      'spdx/edge-files-in-relationships.json',
      3,
      'trivy',
      'dev',
      { name: 'app' },
    ],
    [
      'spdx/edge-invalid-purl.json',
      3,
      'trivy',
      'dev',
      { name: 'meven-test-project' },
    ],
    [
      'spdx/edge-no-relationships.json',
      3,
      'unknown',
      undefined,
      { name: 'Elasticsearch' },
    ],
    [
      'spdx/spdx-spec-example-v2.3.spdx.json',
      4,
      'LicenseFind',
      '1.0',
      {
        name: 'glibc',
        digest:
          'sha256:11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd',
      },
    ],
    [
      'spdx/trivy-testdata-spdx-bom.json',
      12,
      'trivy',
      'dev',
      { name: 'meven-test-project' },
    ],
    [
      GITHUB_EXPORT,
      2,
      'GitHub.com-Dependency-Graph',
      undefined,
      { name: 'github/example' },
    ],
  ])(
    '%s: %d components, tool %s %s, artifact %j',
    (file, count, tool, version, artifact) => {
      const result = normalizeFile(file);
      expect(result.components).toHaveLength(count);
      expect(result.tool).toBe(tool);
      expect(result.toolVersion).toBe(version);
      expect(result.artifact).toEqual(artifact);
    },
  );

  it('reads purls, versions and licenses', () => {
    const trivy = normalizeFile('spdx/trivy-testdata-spdx-bom.json');
    expect(trivy.components?.find(c => c.name === 'musl')).toEqual({
      name: 'musl',
      version: '1.2.3-r0',
      purl: 'pkg:apk/alpine/musl@1.2.3-r0?distro=3.16.0',
      licenses: ['MIT'],
    });
    expect(trivy.components?.find(c => c.name === 'pear/log')).toEqual({
      name: 'pear/log',
      version: '1.13.1',
      purl: 'pkg:composer/pear/log@1.13.1',
      licenses: [],
    });
    const syft = normalizeFile('spdx/dd-syft-spdx-2.3-no-vulns.json');
    expect(syft.components?.[0]).toEqual({
      name: 'alpine-baselayout',
      version: '3.1.2-r0',
      purl: 'pkg:apk/alpine/alpine-baselayout@3.1.2-r0?arch=x86_64&distro=alpine-3.10.9',
      licenses: ['GPL-2.0-only'],
    });
    const example = normalizeFile('spdx/spdx-spec-example-v2.3.spdx.json');
    expect(example.components?.[0].licenses).toEqual([
      '(LGPL-2.0-only OR LicenseRef-3)',
      '(LGPL-2.0-only AND LicenseRef-3)',
    ]);
    // Invalid purls are kept as written.
    const invalid = normalizeFile('spdx/edge-invalid-purl.json');
    expect(invalid.components?.[2].purl).toBe('pkg:invalid');
    // Older tools write PACKAGE_MANAGER.
    const legacy = normalize({
      shape: 'json',
      value: {
        spdxVersion: 'SPDX-2.2',
        packages: [
          {
            SPDXID: 'SPDXRef-1',
            name: 'lodash',
            versionInfo: 'NOASSERTION',
            licenseConcluded: 'NONE',
            externalRefs: [
              {
                referenceCategory: 'PACKAGE_MANAGER',
                referenceType: 'purl',
                referenceLocator: 'pkg:npm/lodash@4.17.21',
              },
            ],
          },
        ],
      },
    });
    expect(legacy.components).toEqual([
      { name: 'lodash', purl: 'pkg:npm/lodash@4.17.21', licenses: [] },
    ]);
  });

  it('takes the artifact digest of an image from its pkg:oci purl', () => {
    const result = normalize({
      shape: 'json',
      value: {
        spdxVersion: 'SPDX-2.3',
        SPDXID: 'SPDXRef-DOCUMENT',
        packages: [
          {
            SPDXID: 'SPDXRef-Image',
            name: 'alpine:3.19',
            externalRefs: [
              {
                referenceCategory: 'PACKAGE-MANAGER',
                referenceType: 'purl',
                referenceLocator:
                  'pkg:oci/alpine@sha256%3A6457D53FB065D6F250E1504B9BC42D5B6C65941D57532C072D929DD0628977D0?arch=amd64',
              },
            ],
          },
        ],
        relationships: [
          {
            spdxElementId: 'SPDXRef-Image',
            relationshipType: 'DESCRIBED_BY',
            relatedSpdxElement: 'SPDXRef-DOCUMENT',
          },
        ],
      },
    });
    expect(result.artifact).toEqual({
      name: 'alpine:3.19',
      digest:
        'sha256:6457d53fb065d6f250e1504b9bc42d5b6c65941d57532c072d929dd0628977d0',
    });
  });

  it('detects only SPDX 2 JSON documents', () => {
    expect(spdxNormalizer.detect({ shape: 'empty' })).toBe(false);
    expect(spdxNormalizer.detect(parseReportBody('null'))).toBe(false);
    expect(spdxNormalizer.detect(parseReportBody('[]'))).toBe(false);
    expect(spdxNormalizer.detect(parseReportBody('{}'))).toBe(false);
    expect(spdxNormalizer.detect(parseReportBody('{"sbom":{}}'))).toBe(false);
    expect(spdxNormalizer.detect(parseReportBody(readFixture(SCHEMA)))).toBe(
      false,
    );
    // No fixture of another format (CycloneDX, Trivy, Grype, SARIF, GitHub shapes, …) is taken for
    // SPDX; the GitHub dependency-graph export is the only SPDX document outside spdx/.
    const others = listFixtures('.').filter(
      f =>
        !f.startsWith('spdx/') &&
        f !== GITHUB_EXPORT &&
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
      expect([file, spdxNormalizer.detect(parsed)]).toEqual([file, false]);
    }
  });

  it('accepts empty bodies only when named, as an empty SBOM', () => {
    for (const body of ['', 'null', '[]', '{}']) {
      expect(normalize(parseReportBody(body))).toEqual({
        format: 'spdx',
        tool: 'unknown',
        controls: ['sbom'],
        findings: [],
        components: [],
      });
    }
  });

  it('refuses malformed documents with the JSON path', () => {
    const doc = (extra: Record<string, unknown>) => ({
      shape: 'json' as const,
      value: { spdxVersion: 'SPDX-2.3', ...extra },
    });
    const cases: Array<[ParsedReport, string]> = [
      [doc({ packages: 3 }), '$.packages must be an array (got number)'],
      [
        doc({ packages: ['x'] }),
        '$.packages[0] must be an object (got string)',
      ],
      [
        doc({ packages: [{ SPDXID: 'a' }] }),
        '$.packages[0].name must be a non-empty string (got undefined)',
      ],
      [
        {
          shape: 'json',
          value: { sbom: { spdxVersion: 'SPDX-2.3', packages: {} } },
        },
        '$.sbom.packages must be an array (got object)',
      ],
      [
        doc({ spdxVersion: 'SPDX-1.2' }),
        '$.spdxVersion must be "SPDX-2.x" (got "SPDX-1.2")',
      ],
      [
        parseReportBody('{"name":"x"}'),
        '$.spdxVersion must be "SPDX-2.x" (got undefined)',
      ],
      [
        parseReportBody('[{"spdxVersion":"SPDX-2.3"}]'),
        '$ must be an object (got array)',
      ],
    ];
    for (const [report, message] of cases) {
      expect(() => normalize(report)).toThrow(ReportFormatError);
      expect(() => normalize(report)).toThrow(`SPDX 2.3 JSON: ${message}`);
    }
  });
});
