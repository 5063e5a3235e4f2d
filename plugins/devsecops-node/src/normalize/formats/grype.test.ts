import { gunzipSync } from 'node:zlib';
import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizedReport, ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { grypeNormalizer } from './grype';

const normalize = (report: ParsedReport) =>
  grypeNormalizer.normalize(report, testNormalizeContext);

/** Fixture bytes, gunzipped for `.json.gz`. */
const fixtureBody = (file: string) =>
  file.endsWith('.gz') ? gunzipSync(readFixture(file)) : readFixture(file);
const fixtureJson = (file: string) =>
  JSON.parse(fixtureBody(file).toString('utf8'));
const normalizeFixture = (file: string) =>
  normalize(parseReportBody(fixtureBody(file)));

/**
 * Independent count of distinct problems (what a jq group_by would give): matches and ignored
 * matches grouped by (CVE id — the match id or the first sorted related CVE — , purl without
 * version and qualifiers, or type:name).
 */
function expectedGroups(doc: any): Map<string, any[]> {
  const groups = new Map<string, any[]>();
  const all = [
    ...(doc.matches ?? []).map((m: any) => ({ m, ignored: false })),
    ...(doc.ignoredMatches ?? []).map((m: any) => ({ m, ignored: true })),
  ];
  for (const { m, ignored } of all) {
    const id: string = m.vulnerability.id;
    const related = (m.relatedVulnerabilities ?? [])
      .map((r: any) => r.id)
      .filter((r: string) => r.startsWith('CVE-'))
      .sort();
    const key = id.startsWith('CVE-') ? id : related[0] ?? id;
    const purl: string | undefined = m.artifact.purl;
    const pkg = purl
      ? purl.split('?')[0].replace(/@[^@/]*$/, '')
      : `${m.artifact.type}:${m.artifact.name}`;
    const k = `${key}|${pkg}`;
    groups.set(k, [...(groups.get(k) ?? []), { ...m, ignored }]);
  }
  return groups;
}

function countBy(report: NormalizedReport, key: 'severity' | 'kind') {
  const out: Record<string, number> = {};
  for (const f of report.findings) out[f[key]] = (out[f[key]] ?? 0) + 1;
  return out;
}

/*
 * Literal numbers checked by hand with a python3 one-off doing the grouping of expectedGroups()
 * and taking the worst severity of each group.
 */
const TABLE: Record<
  string,
  {
    matches: number;
    findings: number;
    control: string;
    severities?: Record<string, number>;
  }
> = {
  // the Django GHSA match appears twice for one package: one finding
  'grype/dd-grype-0.28-all-fields.json': {
    matches: 6,
    findings: 5,
    control: 'container-scan',
    severities: { info: 1, high: 2, critical: 2 },
  },
  'grype/dd-grype-0.7-no-vulns.json': {
    matches: 0,
    findings: 0,
    control: 'container-scan',
  },
  // avro 1.9.2 and 1.11.1 share CVE-2023-39410: one problem of one package; one match has no
  // severity field at all → info
  'grype/dd-grype-0.96-35-matches-missing-severity.json': {
    matches: 35,
    findings: 34,
    control: 'container-scan',
    severities: { medium: 13, low: 2, high: 17, info: 1, critical: 1 },
  },
  'grype/dd-grype-directory-source.json': {
    matches: 9,
    findings: 9,
    control: 'dependency-scan',
    severities: { medium: 5, high: 2, critical: 2 },
  },
  'grype/dd-grype-fix-unknown.json': {
    matches: 1,
    findings: 1,
    control: 'container-scan',
  },
  'grype/edge-grype-empty.json': {
    matches: 0,
    findings: 0,
    control: 'dependency-scan',
  },
  'grype/grype-golden-dir.json': {
    matches: 2,
    findings: 2,
    control: 'dependency-scan',
  },
  'grype/grype-golden-image.json': {
    matches: 2,
    findings: 2,
    control: 'container-scan',
    severities: { low: 1, critical: 1 },
  },
  // Negligible and Unknown → info
  'grype/large/dd-grype-0.7-legacy-1509-matches.json.gz': {
    matches: 1509,
    findings: 1509,
    control: 'container-scan',
    severities: { medium: 613, info: 681 + 76, high: 32, low: 107 },
  },
  'grype/large/dd-grype-0.7-legacy-327-matches.json': {
    matches: 327,
    findings: 327,
    control: 'container-scan',
    severities: { info: 106 + 10, low: 27, high: 24, medium: 155, critical: 5 },
  },
};

describe('grypeNormalizer', () => {
  const files = listFixtures('grype');

  it('has an expectation for every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(TABLE).sort());
  });

  it.each(files)('normalises %s', file => {
    const doc = fixtureJson(file);
    const expected = TABLE[file];
    const result = normalizeFixture(file);

    expect(doc.matches).toHaveLength(expected.matches);
    expect(result.format).toBe('grype');
    expect(result.tool).toBe('Grype');
    expect(result.findings).toHaveLength(expected.findings);
    expect(result.findings).toHaveLength(expectedGroups(doc).size);
    expect(result.controls).toEqual([expected.control]);
    expect(result.findings.every(f => f.kind === 'sca')).toBe(true);
    expect(result.findings.every(f => f.control === expected.control)).toBe(
      true,
    );
    expect(new Set(result.findings.map(f => f.fingerprint)).size).toBe(
      result.findings.length,
    );
    expect(countBy(result, 'severity')).toEqual(
      expected.severities ?? countBy(result, 'severity'),
    );
  });

  it('maps severities and keeps the original value (none when the field is missing)', () => {
    const legacy = normalizeFixture(
      'grype/large/dd-grype-0.7-legacy-327-matches.json',
    );
    const originals: Record<string, Set<string>> = {};
    for (const f of legacy.findings) {
      (originals[f.severity] ??= new Set()).add(f.originalSeverity ?? '-');
    }
    expect(originals).toEqual({
      critical: new Set(['Critical']),
      high: new Set(['High']),
      medium: new Set(['Medium']),
      low: new Set(['Low']),
      info: new Set(['Negligible', 'Unknown']),
    });
    const missing = normalizeFixture(
      'grype/dd-grype-0.96-35-matches-missing-severity.json',
    ).findings.find(f => f.ruleId === 'CVE-2024-26308')!;
    expect(missing.severity).toBe('info');
    expect(missing.originalSeverity).toBeUndefined();
  });

  it('reads fix states: fixed / not-fixed / wont-fix / unknown / "" / legacy fixedInVersion', () => {
    const all = normalizeFixture('grype/dd-grype-0.28-all-fields.json');
    const byId = (id: string) => all.findings.filter(f => f.ruleId === id);
    expect(byId('GHSA-v6rh-hp5x-86rv')[0]).toMatchObject({
      fixAvailable: true,
      fixedVersions: ['3.2.10'],
      component: { name: 'Django', version: '3.2.9', ecosystem: 'python' },
    });
    expect(byId('CVE-2004-0971')[0].fixAvailable).toBe(false); // not-fixed
    expect(byId('CVE-2021-32626')[0].fixAvailable).toBe(false); // wont-fix with versions
    expect(byId('CVE-2021-32626')[0].fixedVersions).toBeUndefined();

    const unknown = normalizeFixture('grype/dd-grype-fix-unknown.json');
    expect(unknown.findings[0].fixAvailable).toBeUndefined();

    const golden = normalizeFixture('grype/grype-golden-image.json');
    expect(golden.findings.map(f => f.fixAvailable)).toEqual([true, undefined]);

    const legacy = normalizeFixture(
      'grype/large/dd-grype-0.7-legacy-327-matches.json',
    );
    const doc = fixtureJson('grype/large/dd-grype-0.7-legacy-327-matches.json');
    const withFix = doc.matches.filter(
      (m: any) => m.vulnerability.fixedInVersion,
    ).length;
    expect(legacy.findings.filter(f => f.fixAvailable === true)).toHaveLength(
      withFix,
    );
    expect(
      legacy.findings.filter(f => f.fixAvailable === undefined),
    ).toHaveLength(327 - withFix);
  });

  it('collapses a GHSA and its CVE for one package, and marks ignored matches suppressed', () => {
    const doc = fixtureJson('grype/dd-grype-0.28-all-fields.json');
    const ghsa = doc.matches.find(
      (m: any) => m.vulnerability.id === 'GHSA-v6rh-hp5x-86rv',
    );
    const cve = JSON.parse(JSON.stringify(ghsa));
    cve.vulnerability.id = 'CVE-2021-44420';
    cve.vulnerability.severity = 'Critical';
    cve.relatedVulnerabilities = [];
    doc.matches.push(cve);
    const result = normalize({ shape: 'json', value: doc });
    const django = result.findings.filter(f => f.component?.name === 'Django');
    expect(django).toHaveLength(1);
    expect(django[0]).toMatchObject({
      ruleId: 'CVE-2021-44420',
      severity: 'critical',
      originalSeverity: 'Critical',
    });
    expect(django[0].suppressed).toBeUndefined();

    const ignored = fixtureJson('grype/grype-golden-image.json');
    ignored.ignoredMatches = [
      { ...ignored.matches[0], appliedIgnoreRules: [{ vulnerability: 'x' }] },
    ];
    ignored.ignoredMatches[0].artifact = {
      ...ignored.matches[0].artifact,
      name: 'other-package',
      purl: 'pkg:deb/other-package@1.0',
    };
    const withIgnored = normalize({ shape: 'json', value: ignored });
    expect(withIgnored.findings).toHaveLength(3);
    expect(withIgnored.findings.filter(f => f.suppressed)).toHaveLength(1);
    expect(expectedGroups(ignored).size).toBe(3);
  });

  it('reads the artifact: manifest digest first, then repo digests; name; revision label', () => {
    expect(
      normalizeFixture('grype/dd-grype-0.96-35-matches-missing-severity.json')
        .artifact,
    ).toEqual({
      digest:
        'sha256:11557074a2e35fcbb2f367ffe1c6bb90968a56c3a08a48bf9370f8445ae2cc36',
      name: 'quay.io/cloudservices/xjoin-kafka-connect-strimzi:latest',
    });
    expect(normalizeFixture('grype/grype-golden-dir.json').artifact).toEqual({
      name: '/some/path',
    });
    expect(normalizeFixture('grype/edge-grype-empty.json').artifact).toBe(
      undefined,
    );
    const doc = fixtureJson('grype/grype-golden-image.json');
    delete doc.source.target.manifestDigest;
    doc.source.target.repoDigests = [
      'REDACTED',
      'repo@sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789',
    ];
    doc.source.target.config = Buffer.from(
      JSON.stringify({
        config: {
          Labels: {
            'org.opencontainers.image.revision':
              '0123456789abcdef0123456789abcdef01234567',
          },
        },
      }),
    ).toString('base64');
    expect(normalize({ shape: 'json', value: doc }).artifact).toEqual({
      digest:
        'sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
      name: 'user-input',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('is deterministic', () => {
    for (const file of files) {
      expect(normalizeFixture(file)).toEqual(normalizeFixture(file));
    }
  });

  it('keeps fingerprints when keys are reordered or a package version bumps', () => {
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
    const doc = fixtureJson('grype/dd-grype-0.28-all-fields.json');
    const fps = normalize({ shape: 'json', value: doc }).findings.map(
      f => f.fingerprint,
    );
    expect(
      normalize({ shape: 'json', value: reverseKeys(doc) }).findings.map(
        f => f.fingerprint,
      ),
    ).toEqual(fps);
    for (const m of doc.matches) {
      m.artifact.version = '99.0';
      m.artifact.purl = m.artifact.purl.replace(/@[^?]+/, '@99.0');
      m.artifact.locations = [{ path: '/moved/elsewhere' }];
    }
    expect(
      normalize({ shape: 'json', value: doc }).findings.map(f => f.fingerprint),
    ).toEqual(fps);
  });

  describe('detect', () => {
    it.each(files)('accepts %s', file => {
      expect(grypeNormalizer.detect(parseReportBody(fixtureBody(file)))).toBe(
        true,
      );
    });

    it('refuses ambiguous bodies; empty, null and {} are zero findings when named', () => {
      for (const body of ['', 'null', '[]', '{}', '{"matches":[]}']) {
        expect(grypeNormalizer.detect(parseReportBody(body))).toBe(false);
      }
      for (const body of ['', 'null', '{}']) {
        const result = normalize(parseReportBody(body));
        expect(result.findings).toEqual([]);
        expect(result.controls).toEqual(['dependency-scan']);
      }
      // grype never writes a top-level array
      expect(() => normalize(parseReportBody('[]'))).toThrow(
        'Grype JSON: $ must be an object (got array)',
      );
    });

    it('refuses every fixture of other formats', () => {
      const others = [
        'trivy',
        'osv',
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
        expect([file, grypeNormalizer.detect(parsed)]).toEqual([file, false]);
      }
      expect(checked).toBeGreaterThan(50);
    });
  });

  describe('malformed documents', () => {
    const base = { source: { type: 'image', target: {} }, descriptor: { name: 'grype' } };
    const cases: Array<[string, unknown, string]> = [
      [
        'matches is a number',
        { ...base, matches: 1 },
        'Grype JSON: $.matches must be an array (got number)',
      ],
      [
        'matches is missing in a non-empty object',
        base,
        'Grype JSON: $.matches must be an array (got undefined)',
      ],
      [
        'a match without vulnerability',
        { ...base, matches: [{ artifact: { name: 'a' } }] },
        'Grype JSON: $.matches[0].vulnerability must be an object (got undefined)',
      ],
      [
        'a vulnerability without id',
        { ...base, matches: [{ vulnerability: {}, artifact: { name: 'a' } }] },
        'Grype JSON: $.matches[0].vulnerability.id must be a non-empty string (got undefined)',
      ],
      [
        'an artifact without name',
        { ...base, matches: [{ vulnerability: { id: 'CVE-1' }, artifact: {} }] },
        'Grype JSON: $.matches[0].artifact.name must be a non-empty string (got undefined)',
      ],
      [
        'ignoredMatches is an object',
        { ...base, matches: [], ignoredMatches: {} },
        'Grype JSON: $.ignoredMatches must be an array (got object)',
      ],
      [
        'source is a string',
        { matches: [], source: 'x' },
        'Grype JSON: $.source must be an object (got string)',
      ],
    ];
    it.each(cases)('rejects %s', (_name, value, message) => {
      const run = () => normalize({ shape: 'json', value });
      expect(run).toThrow(ReportFormatError);
      expect(run).toThrow(message);
    });
  });
});
