import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizedReport, ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { trivyNormalizer } from './trivy';

const normalize = (report: ParsedReport) =>
  trivyNormalizer.normalize(report, testNormalizeContext);
const normalizeFixture = (file: string) =>
  normalize(parseReportBody(readFixture(file)));

/**
 * Independent traversal of a Trivy document (what `jq` would do): every result of every shape,
 * then what each holds. Misconfigurations with Status PASS are not findings.
 */
function trivyResults(doc: any): any[] {
  if (doc === null || doc === undefined) return [];
  if (Array.isArray(doc)) return doc;
  const out: any[] = [...(doc.Results ?? [])];
  for (const res of doc.Resources ?? []) out.push(...(res.Results ?? []));
  if (doc.ClusterName) {
    for (const res of doc.Vulnerabilities ?? []) out.push(...(res.Results ?? []));
    for (const res of doc.Misconfigurations ?? []) out.push(...(res.Results ?? []));
  }
  return out;
}

function expectedCounts(doc: any) {
  const counts = { sca: 0, iac: 0, secret: 0, suppressed: 0 };
  for (const r of trivyResults(doc)) {
    counts.sca += (r.Vulnerabilities ?? []).length;
    counts.iac += (r.Misconfigurations ?? []).filter(
      (m: any) => m.Status !== 'PASS',
    ).length;
    counts.secret += (r.Secrets ?? []).length;
    for (const m of r.ExperimentalModifiedFindings ?? []) {
      counts.suppressed += 1;
      if (m.Type === 'vulnerability') counts.sca += 1;
    }
  }
  return counts;
}

function countBy(
  report: NormalizedReport,
  key: 'kind' | 'severity' = 'kind',
) {
  const out: Record<string, number> = {};
  for (const f of report.findings) out[f[key]] = (out[f[key]] ?? 0) + 1;
  return out;
}

/*
 * Every file of fixtures/trivy. `total` and the controls were checked by hand with a python3
 * one-off over the same traversal as trivyResults()
 * (sum of len(Vulnerabilities) + non-PASS Misconfigurations + Secrets + ExperimentalModifiedFindings).
 */
const TABLE: Record<
  string,
  { total: number; controls: string[]; severities?: Record<string, number> }
> = {
  'trivy/dd-cvssv4.json': {
    total: 3,
    controls: ['dependency-scan'],
    severities: { medium: 1, low: 2 },
  },
  'trivy/dd-k8s-cluster-resources.json': {
    total: 37,
    controls: ['iac-lint'],
    severities: { low: 31, medium: 5, high: 1 },
  },
  'trivy/dd-k8s-legacy-summary.json': {
    total: 20,
    controls: ['container-scan', 'iac-lint'],
    severities: { medium: 6, low: 14 },
  },
  'trivy/dd-legacy-list-format-93vulns.json': {
    total: 93,
    controls: ['dependency-scan'],
    // UNKNOWN → info on purpose
    severities: { low: 65, high: 18, medium: 9, info: 1 },
  },
  'trivy/dd-legacy-null.json': { total: 0, controls: ['dependency-scan'] },
  // licence-only scan: no vulnerability class ran, the vulnerability control is the fallback
  'trivy/dd-licenses-repodigests.json': {
    total: 0,
    controls: ['container-scan'],
  },
  'trivy/dd-schema2-many-vulns.json': {
    total: 5,
    controls: ['container-scan'],
    severities: { medium: 3, high: 1, critical: 1 },
  },
  'trivy/dd-schema2-no-vulns.json': { total: 0, controls: ['container-scan'] },
  'trivy/edge-minimal-repodigests.json': {
    total: 1,
    controls: ['dependency-scan'],
  },
  'trivy/edge-no-results.json': { total: 0, controls: ['container-scan'] },
  'trivy/fs-gomod-vex.json': {
    total: 4,
    controls: ['dependency-scan'],
    severities: { info: 4 },
  },
  'trivy/fs-multiple-lockfiles.json': {
    total: 3,
    controls: ['dependency-scan'],
  },
  'trivy/fs-npm-with-suppressed-vex.json': {
    total: 2,
    controls: ['dependency-scan'],
    severities: { high: 1, low: 1 },
  },
  'trivy/image-alpine-310.json': { total: 4, controls: ['container-scan'] },
  'trivy/image-distroless-affected.json': {
    total: 4,
    controls: ['container-scan'],
  },
  'trivy/image-ubi7-will_not_fix.json': {
    total: 2,
    controls: ['container-scan'],
  },
  'trivy/misconfig-helm.json': {
    total: 18,
    controls: ['iac-lint'],
    severities: { medium: 4, low: 11, high: 3 },
  },
  'trivy/misconfig-terraform.json': { total: 3, controls: ['iac-lint'] },
  'trivy/secrets-repo.json': {
    total: 2,
    controls: ['secret-scanning'],
    severities: { critical: 1, high: 1 },
  },
};

describe('trivyNormalizer', () => {
  const files = listFixtures('trivy');

  it('has an expectation for every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(TABLE).sort());
  });

  it.each(files)('normalises %s', file => {
    const raw = readFixture(file).toString('utf8');
    const doc = raw.trim() === '' ? undefined : JSON.parse(raw);
    const expected = TABLE[file];
    const counts = expectedCounts(doc);
    const result = normalizeFixture(file);

    expect(result.format).toBe('trivy');
    expect(result.tool).toBe('Trivy');
    expect(result.findings).toHaveLength(expected.total);
    expect(result.findings).toHaveLength(
      counts.sca + counts.iac + counts.secret,
    );
    const kinds = countBy(result);
    expect(kinds.sca ?? 0).toBe(counts.sca);
    expect(kinds.iac ?? 0).toBe(counts.iac);
    expect(kinds.secret ?? 0).toBe(counts.secret);
    expect(result.findings.filter(f => f.suppressed)).toHaveLength(
      counts.suppressed,
    );
    expect(result.controls).toEqual(expected.controls);
    expect(countBy(result, 'severity')).toEqual(
      expected.severities ?? countBy(result, 'severity'),
    );
    for (const f of result.findings) {
      expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(result.controls).toContain(f.control);
    }
  });

  it('reads vulnerabilities: ids, component, fix, originalSeverity', () => {
    const npm = normalizeFixture('trivy/fs-npm-with-suppressed-vex.json');
    const active = npm.findings.find(f => !f.suppressed)!;
    expect(active).toMatchObject({
      kind: 'sca',
      control: 'dependency-scan',
      ruleId: 'CVE-2017-20165',
      vulnerabilityId: 'CVE-2017-20165',
      severity: 'high',
      originalSeverity: 'HIGH',
      component: {
        name: 'debug',
        version: '3.0.1',
        purl: 'pkg:npm/debug@3.0.1',
        ecosystem: 'npm',
      },
      fixAvailable: true,
      fixedVersions: ['3.1.0', '2.6.9'],
    });
    const suppressed = npm.findings.find(f => f.suppressed)!;
    expect(suppressed).toMatchObject({
      ruleId: 'CVE-2017-16137',
      suppressed: true,
      fixedVersions: ['2.6.9', '3.1.0', '3.2.7', '4.3.1'],
    });

    const ubi = normalizeFixture('trivy/image-ubi7-will_not_fix.json');
    const byStatus = ubi.findings.map(f => [f.control, f.fixAvailable]);
    expect(byStatus).toEqual(
      expect.arrayContaining([
        ['container-scan', false],
        ['container-scan', true],
      ]),
    );

    const gomod = normalizeFixture('trivy/fs-gomod-vex.json');
    expect(gomod.findings.every(f => f.originalSeverity === 'UNKNOWN')).toBe(
      true,
    );
    // the same package in two go.mod files stays two findings
    expect(new Set(gomod.findings.map(f => f.fingerprint)).size).toBe(4);
  });

  it('reads the artifact: repo digest (not image id), name, commit label', () => {
    expect(
      normalizeFixture('trivy/dd-licenses-repodigests.json').artifact,
    ).toEqual({
      digest:
        'sha256:bcae378eacedab83da66079d9366c8f5df542d7ed9ab23bf487e3e1a8481375d',
      name: 'alpine:3.11',
    });
    expect(
      normalizeFixture('trivy/edge-minimal-repodigests.json').artifact,
    ).toEqual({
      digest:
        'sha256:0bd0e9e03a022c3b0226667621da84fc9bf562a9056130424b5bfbd8bcb0397f',
      name: 'test:latest',
    });
    // ImageID is a config digest, not a deploy identity
    expect(
      normalizeFixture('trivy/image-alpine-310.json').artifact,
    ).toEqual({ name: 'testdata/fixtures/images/alpine-310.tar.gz' });

    const doc = JSON.parse(
      readFixture('trivy/image-alpine-310.json').toString('utf8'),
    );
    doc.Metadata.RepoDigests = ['', 'repo@sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789'];
    doc.Metadata.ImageConfig.config.Labels = {
      'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
    };
    expect(normalize({ shape: 'json', value: doc }).artifact).toEqual({
      digest:
        'sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
      name: 'testdata/fixtures/images/alpine-310.tar.gz',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('keeps k8s findings of different resources apart', () => {
    const k8s = normalizeFixture('trivy/dd-k8s-cluster-resources.json');
    const ksv116 = k8s.findings.filter(f => f.ruleId === 'KSV116');
    // 11 single-result resources + Deployment/httpbin + StatefulSet/vault (counted with jq)
    expect(ksv116.length).toBe(13);
    expect(new Set(ksv116.map(f => f.fingerprint)).size).toBe(13);
    // ClusterName is "" in this report: no artifact name
    expect(k8s.artifact).toBeUndefined();
    const legacy = normalizeFixture('trivy/dd-k8s-legacy-summary.json');
    expect(legacy.artifact).toEqual({
      name: 'arn:aws:eks:us-east-1:576036489467:cluster/monitoring-test-cluster',
    });
    // the same CVE in the images of two deployments stays two findings
    const sca = legacy.findings.filter(f => f.kind === 'sca');
    expect(new Set(sca.map(f => f.fingerprint)).size).toBe(sca.length);
  });

  it('never copies secret values (Match, Code lines) into the result', () => {
    const secretValues: string[] = [];
    for (const file of files) {
      const raw = readFixture(file).toString('utf8').trim();
      if (raw === '') continue;
      for (const r of trivyResults(JSON.parse(raw))) {
        for (const s of r.Secrets ?? []) {
          secretValues.push(s.Match);
          for (const line of s.Code?.Lines ?? []) {
            secretValues.push(line.Content, line.Highlighted);
          }
        }
      }
    }
    const values = secretValues.filter(
      (v): v is string =>
        typeof v === 'string' &&
        v.length >= 6 &&
        !/^[*]+$/.test(v) &&
        !/REDACTED/i.test(v),
    );
    // the unmasked context line of secrets-repo.json is among them
    expect(values.some(v => v.includes('ghp_0123456789'))).toBe(true);
    for (const file of files) {
      const json = JSON.stringify(normalizeFixture(file));
      for (const value of values) expect(json).not.toContain(value);
      expect(json).not.toContain('ghp_');
      expect(json).not.toContain('****');
    }
  });

  it('gives secrets an identity from the keyed hash of the match', () => {
    const doc = JSON.parse(
      readFixture('trivy/secrets-repo.json').toString('utf8'),
    );
    const before = normalize({ shape: 'json', value: doc }).findings.map(
      f => f.fingerprint,
    );
    doc.Results[0].Secrets[0].Match = 'export AWS_ACCESS_KEY_ID=*******************x';
    const after = normalize({ shape: 'json', value: doc }).findings.map(
      f => f.fingerprint,
    );
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it('is deterministic', () => {
    for (const file of files) {
      expect(normalizeFixture(file)).toEqual(normalizeFixture(file));
    }
  });

  it('keeps fingerprints when keys are reordered, lines move or versions bump', () => {
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
    for (const file of [
      'trivy/misconfig-helm.json',
      'trivy/secrets-repo.json',
      'trivy/fs-npm-with-suppressed-vex.json',
      'trivy/dd-k8s-legacy-summary.json',
    ]) {
      const doc = JSON.parse(readFixture(file).toString('utf8'));
      const fps = normalize({ shape: 'json', value: doc }).findings.map(
        f => f.fingerprint,
      );
      expect(
        normalize({ shape: 'json', value: reverseKeys(doc) }).findings.map(
          f => f.fingerprint,
        ),
      ).toEqual(fps);
    }

    const helm = JSON.parse(
      readFixture('trivy/misconfig-helm.json').toString('utf8'),
    );
    const helmFps = normalize({ shape: 'json', value: helm }).findings.map(
      f => f.fingerprint,
    );
    for (const m of helm.Results[0].Misconfigurations) {
      m.CauseMetadata.StartLine += 7;
      m.CauseMetadata.EndLine += 7;
    }
    const moved = normalize({ shape: 'json', value: helm });
    expect(moved.findings.map(f => f.fingerprint)).toEqual(helmFps);
    expect(moved.findings[0].location?.startLine).toBe(26);

    const secrets = JSON.parse(
      readFixture('trivy/secrets-repo.json').toString('utf8'),
    );
    const secretFps = normalize({ shape: 'json', value: secrets }).findings.map(
      f => f.fingerprint,
    );
    secrets.Results[0].Secrets[0].StartLine = 30;
    secrets.Results[0].Secrets[0].EndLine = 30;
    expect(
      normalize({ shape: 'json', value: secrets }).findings.map(
        f => f.fingerprint,
      ),
    ).toEqual(secretFps);

    const alpine = JSON.parse(
      readFixture('trivy/image-alpine-310.json').toString('utf8'),
    );
    const alpineFps = normalize({ shape: 'json', value: alpine }).findings.map(
      f => f.fingerprint,
    );
    for (const v of alpine.Results[0].Vulnerabilities) {
      v.InstalledVersion = '9.9.9-r0';
      v.PkgIdentifier.PURL = v.PkgIdentifier.PURL.replace(/@[^?]+/, '@9.9.9-r0');
      v.Fingerprint = 'sha256:changed-with-every-build';
    }
    alpine.Results[0].Target = 'other.tar.gz (alpine 3.11.0)';
    expect(
      normalize({ shape: 'json', value: alpine }).findings.map(
        f => f.fingerprint,
      ),
    ).toEqual(alpineFps);
  });

  describe('detect', () => {
    it.each(files.filter(f => !f.endsWith('dd-legacy-null.json')))(
      'accepts %s',
      file => {
        expect(trivyNormalizer.detect(parseReportBody(readFixture(file)))).toBe(
          true,
        );
      },
    );

    it('refuses ambiguous bodies, which are zero findings when the format is named', () => {
      for (const body of ['', 'null', '[]', '{}']) {
        const parsed = parseReportBody(body);
        expect(trivyNormalizer.detect(parsed)).toBe(false);
        const result = normalize(parsed);
        expect(result.findings).toEqual([]);
        expect(result.controls).toEqual(['dependency-scan']);
      }
      expect(trivyNormalizer.detect(parseReportBody('just text'))).toBe(false);
      expect(trivyNormalizer.detect(parseReportBody('[1,2]'))).toBe(false);
    });

    it('refuses every fixture of other formats', () => {
      const others = [
        'grype',
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
          continue; // not JSON at all
        }
        checked += 1;
        expect([file, trivyNormalizer.detect(parsed)]).toEqual([file, false]);
      }
      expect(checked).toBeGreaterThan(50);
    });
  });

  describe('malformed documents', () => {
    const cases: Array<[string, unknown, string]> = [
      [
        'Results is a number',
        { SchemaVersion: 2, ArtifactName: 'x', Results: 3 },
        'Trivy JSON: $.Results must be an array (got number)',
      ],
      [
        'a result is a string',
        { SchemaVersion: 2, Results: ['x'] },
        'Trivy JSON: $.Results[0] must be an object (got string)',
      ],
      [
        'Vulnerabilities is an object',
        { SchemaVersion: 2, Results: [{ Target: 'a', Vulnerabilities: {} }] },
        'Trivy JSON: $.Results[0].Vulnerabilities must be an array (got object)',
      ],
      [
        'a vulnerability without id',
        {
          SchemaVersion: 2,
          Results: [{ Target: 'a', Vulnerabilities: [{ PkgName: 'p' }] }],
        },
        'Trivy JSON: $.Results[0].Vulnerabilities[0].VulnerabilityID must be a non-empty string (got undefined)',
      ],
      [
        'a secret without rule id',
        { SchemaVersion: 2, Results: [{ Target: 'a', Secrets: [{ Match: 'x' }] }] },
        'Trivy JSON: $.Results[0].Secrets[0].RuleID must be a non-empty string (got undefined)',
      ],
      [
        'k8s resources is a string',
        { ClusterName: 'c', Resources: 'x' },
        'Trivy JSON: $.Resources must be an array (got string)',
      ],
      [
        'a legacy k8s resource with a bad Results',
        { ClusterName: 'c', Vulnerabilities: [{ Results: 1 }] },
        'Trivy JSON: $.Vulnerabilities[0].Results must be an array (got number)',
      ],
      ['a number', 42, 'Trivy JSON: $ must be an object (got number)'],
    ];
    it.each(cases)('rejects %s', (_name, value, message) => {
      const run = () => normalize({ shape: 'json', value });
      expect(run).toThrow(ReportFormatError);
      expect(run).toThrow(message);
    });

    it('rejects bodies that are not a JSON document', () => {
      expect(() => normalize(parseReportBody('SPDXVersion: x'))).toThrow(
        'Trivy JSON: $ must be a JSON document (got text)',
      );
    });
  });
});
