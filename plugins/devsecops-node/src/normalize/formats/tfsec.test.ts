import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { ParsedReport, Severity } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { tfsecNormalizer } from './tfsec';

const FILES = listFixtures('iac');
const TFSEC_FILES = FILES.filter(f => f.startsWith('iac/tfsec-'));
const OTHER_FILES = FILES.filter(f => !f.startsWith('iac/tfsec-'));

const parsed = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const normalize = (report: ParsedReport) =>
  tfsecNormalizer.normalize(report, testNormalizeContext);
const json = (value: unknown): ParsedReport => ({ shape: 'json', value });

/** Independent traversal (like `jq '[.results[]? | select(.passed != true and .status != "passed")]'`). */
const failedOf = (doc: any): any[] =>
  (doc.results ?? []).filter(
    (r: any) => r.passed !== true && r.status !== 'passed' && r.status !== 1,
  );

function distribution(severities: Severity[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of severities) out[s] = (out[s] ?? 0) + 1;
  return out;
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

// Checked by hand with
//   python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for r in d['results'] or [] if r.get('passed') is not True and r.get('status') != 'passed'))" <file>
const EXPECTED_COUNTS: Record<string, number> = {
  'iac/tfsec-current.json': 19,
  'iac/tfsec-legacy.json': 3, // 4 results, one passed
  'iac/tfsec-null-results.json': 0,
};

describe('tfsecNormalizer', () => {
  it('has a literal expectation for every tfsec fixture', () => {
    expect(Object.keys(EXPECTED_COUNTS).sort()).toEqual(
      [...TFSEC_FILES].sort(),
    );
  });

  it.each(TFSEC_FILES)('normalises %s', file => {
    const failed = failedOf(readFixtureJson(file));
    const result = normalize(parsed(file));
    expect(result.findings).toHaveLength(failed.length);
    expect(result.findings).toHaveLength(EXPECTED_COUNTS[file]);
    expect(result).toMatchObject({
      format: 'tfsec',
      tool: 'tfsec',
      controls: ['iac-lint'],
    });
    for (const [i, finding] of result.findings.entries()) {
      expect(finding).toMatchObject({
        kind: 'iac',
        control: 'iac-lint',
        ruleId: failed[i].rule_id,
        title: failed[i].rule_description,
        originalSeverity: failed[i].severity,
        location: {
          path: failed[i].location.filename,
          startLine: failed[i].location.start_line,
        },
      });
      expect(finding.suppressed).toBeUndefined();
    }
  });

  it.each(OTHER_FILES)('does not take %s for tfsec', file => {
    expect(tfsecNormalizer.detect(parsed(file))).toBe(false);
    expect(() => normalize(parsed(file))).toThrow(ReportFormatError);
  });

  it('maps current and legacy severities', () => {
    // Counted with jq '[.results[].severity] | group_by(.) | map({(.[0]): length}) | add'.
    expect(
      distribution(
        normalize(parsed('iac/tfsec-current.json')).findings.map(
          f => f.severity,
        ),
      ),
    ).toEqual({ critical: 14, high: 3, medium: 1, low: 1 });
    // Legacy: ERROR ×2 (one more ERROR passed), WARNING ×1.
    expect(
      distribution(
        normalize(parsed('iac/tfsec-legacy.json')).findings.map(
          f => f.severity,
        ),
      ),
    ).toEqual({ high: 2, medium: 1 });
    const one = (severity: unknown) =>
      normalize(
        json({
          results: [
            { rule_id: 'AWS001', severity, location: { filename: 'a.tf' } },
          ],
        }),
      ).findings[0];
    expect([one('INFO').severity, one('INFO').originalSeverity]).toEqual([
      'info',
      'INFO',
    ]);
    expect([one(undefined).severity, one(undefined).originalSeverity]).toEqual([
      'medium',
      'unset',
    ]);
    expect([one('odd').severity, one('odd').originalSeverity]).toEqual([
      'medium',
      'odd',
    ]);
  });

  it('reads tfsec 1.x results: numeric status, ignored → suppressed, resource field', () => {
    const result = (status: unknown, resource = 'aws_s3_bucket.logs') => ({
      rule_id: 'AVD-AWS-0088',
      long_id: 'aws-s3-enable-bucket-encryption',
      rule_description: 'Unencrypted S3 bucket.',
      rule_provider: 'aws',
      rule_service: 's3',
      impact: 'The bucket objects could be read if compromised',
      resolution: 'Configure bucket encryption',
      links: [],
      description: 'Bucket does not have encryption enabled',
      severity: 'HIGH',
      warning: false,
      status,
      resource,
      location: { filename: 'C:\\repo\\s3.tf', start_line: 1, end_line: 9 },
    });
    const report = json({
      results: [result(0), result(1), result(2, 'aws_s3_bucket.other')],
    });
    expect(tfsecNormalizer.detect(report)).toBe(true);
    const findings = normalize(report).findings;
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      ruleId: 'AVD-AWS-0088',
      severity: 'high',
      location: { path: 'C:/repo/s3.tf', startLine: 1, endLine: 9 },
    });
    expect(findings[0].suppressed).toBeUndefined();
    expect(findings[1].suppressed).toBe(true);
    expect(findings[0].fingerprint).not.toBe(findings[1].fingerprint);
  });

  it('fingerprints (rule, file, resource), not lines or key order', () => {
    for (const file of TFSEC_FILES) {
      const doc = readFixtureJson(file);
      const before = normalize(json(doc)).findings.map(f => f.fingerprint);
      const moved = reverseKeys(doc) as any;
      for (const r of moved.results ?? []) {
        r.location.start_line += 3;
        r.location.end_line += 3;
      }
      expect(normalize(json(moved)).findings.map(f => f.fingerprint)).toEqual(
        before,
      );
    }
    // Hand-checked with a python one-off over (legacy_rule_id or rule_id, filename, resource
    // quoted at the start of description): tfsec-current.json reports two results twice.
    const distinct = (file: string) =>
      new Set(normalize(parsed(file)).findings.map(f => f.fingerprint)).size;
    expect(distinct('iac/tfsec-current.json')).toBe(17);
    expect(distinct('iac/tfsec-legacy.json')).toBe(3);
    // A 0.5x result keeps the fingerprint of the legacy rule it names.
    const legacy = {
      rule_id: 'AWS050',
      location: { filename: 'a.tf', start_line: 1 },
      description: "Resource 'x.y' is open",
      severity: 'ERROR',
    };
    const current = {
      ...legacy,
      rule_id: 'aws-vpc-no-excessive-port-access',
      legacy_rule_id: 'AWS050',
      severity: 'CRITICAL',
    };
    expect(normalize(json({ results: [legacy] })).findings[0].fingerprint).toBe(
      normalize(json({ results: [current] })).findings[0].fingerprint,
    );
  });

  it('is deterministic', () => {
    for (const file of TFSEC_FILES) {
      expect(normalize(parsed(file))).toEqual(normalize(parsed(file)));
    }
  });

  it('detects tfsec reports and nothing ambiguous or foreign', () => {
    expect(tfsecNormalizer.detect(parsed('iac/tfsec-current.json'))).toBe(true);
    expect(tfsecNormalizer.detect(parsed('iac/tfsec-legacy.json'))).toBe(true);
    // {results: null} could be many tools' empty report: only read when the format is named.
    expect(tfsecNormalizer.detect(parsed('iac/tfsec-null-results.json'))).toBe(
      false,
    );
    for (const body of ['null', '[]', '{}', '', '{"results":[]}']) {
      expect(tfsecNormalizer.detect(parseReportBody(body))).toBe(false);
    }
    for (const foreign of [
      'semgrep/semgrep-json-fingerprint.json',
      'semgrep/edge-semgrep-empty.json',
      'trivy/misconfig-terraform.json',
      'sarif/spec-minimal.sarif',
      'grype/grype-golden-dir.json',
    ]) {
      expect(tfsecNormalizer.detect(parsed(foreign))).toBe(false);
    }
  });

  it('reads results: [] as a clean scan when named', () => {
    expect(normalize(parseReportBody('{"results":[]}')).findings).toEqual([]);
  });

  it('rejects malformed documents naming the JSON path', () => {
    const cases: Array<[ParsedReport, string]> = [
      [json(null), 'tfsec JSON: $ must be an object (got null)'],
      [json([]), 'tfsec JSON: $ must be an object (got array)'],
      [json({}), 'tfsec JSON: $.results is missing'],
      [
        { shape: 'empty' },
        'tfsec JSON: $ must be a tfsec JSON report (got empty)',
      ],
      [
        json({ results: 5 }),
        'tfsec JSON: $.results must be an array (got number)',
      ],
      [
        json({ results: ['x'] }),
        'tfsec JSON: $.results[0] must be an object (got string)',
      ],
      [
        json({ results: [{ severity: 'HIGH' }] }),
        'tfsec JSON: $.results[0].rule_id must be a non-empty string (got undefined)',
      ],
      [
        json({ results: [{ rule_id: 'A', location: 'a.tf' }] }),
        'tfsec JSON: $.results[0].location must be an object (got string)',
      ],
      [
        json({ results: [{ rule_id: 'A', location: { filename: 1 } }] }),
        'tfsec JSON: $.results[0].location.filename must be a string (got number)',
      ],
      [
        json({ results: [{ rule_id: 'A', status: 'maybe' }] }),
        'tfsec JSON: $.results[0].status must be',
      ],
    ];
    for (const [report, message] of cases) {
      expect(() => normalize(report)).toThrow(ReportFormatError);
      expect(() => normalize(report)).toThrow(message);
    }
  });
});
