import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { kicsNormalizer } from './kics';

const FILES = listFixtures('iac');
const KICS_FILES = FILES.filter(f => f.startsWith('iac/kics-'));
const OTHER_FILES = FILES.filter(f => !f.startsWith('iac/kics-'));

const parsed = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const normalize = (report: ParsedReport) =>
  kicsNormalizer.normalize(report, testNormalizeContext);
const json = (value: unknown): ParsedReport => ({ shape: 'json', value });

/** Independent traversal (like `jq '[.queries[]?.files[]] | length'`). */
const filesOf = (doc: any): any[] =>
  (doc.queries ?? []).flatMap((q: any) => q.files ?? []);

const FAKE_SECRET = 'hunter2-FAKE-db-password-0001';

/**
 * The only KICS fixture has no findings, so the findings cases are a document written after the
 * KICS docs' JSON example (docs/results.md) and the e2e result shape (kics_version, CRITICAL and
 * TRACE severities, Windows paths).
 */
function sampleReport(): any {
  const file = (over: Record<string, unknown>) => ({
    file_name: 'assets\\queries\\terraform\\positive.tf',
    similarity_id:
      '063ed2389809f5f01ff420b63634700a9545c5e5130a6506568f925cdb0f8e13',
    line: 11,
    resource_type: 'kubernetes_pod',
    resource_name: 'test3',
    issue_type: 'IncorrectValue',
    search_key:
      'kubernetes_pod[test3].spec.container.allow_privilege_escalation',
    search_line: 11,
    search_value: '',
    expected_value:
      "Attribute 'allow_privilege_escalation' is undefined or false",
    actual_value: "Attribute 'allow_privilege_escalation' is true",
    ...over,
  });
  return {
    kics_version: 'v2.1.20',
    files_scanned: 2,
    files_parsed: 2,
    files_failed_to_scan: 0,
    queries_total: 253,
    queries_failed_to_execute: 0,
    queries_failed_to_compute_similarity_id: 1,
    queries: [
      {
        query_name: 'Container Allow Privilege Escalation Is True',
        query_id: 'c878abb4-cca5-4724-92b9-289be68bd47c',
        severity: 'MEDIUM',
        platform: 'Terraform',
        files: [
          file({}),
          file({
            file_name: './modules/pod.tf',
            similarity_id:
              'aa3ed2389809f5f01ff420b63634700a9545c5e5130a6506568f925cdb0f8e13',
            line: 3,
          }),
        ],
      },
      {
        query_name: 'Passwords And Secrets - Generic Password',
        query_id: '487f4be7-3fd9-4506-a07a-eae252180c08',
        severity: 'HIGH',
        platform: 'Common',
        files: [
          file({
            file_name: 'db\\main.tf',
            similarity_id: undefined,
            search_key: 'resource.aws_db_instance[db].password',
            search_value: FAKE_SECRET,
            actual_value: `password = "${FAKE_SECRET}"`,
            expected_value: `Hardcoded secret key should not appear in source: ${FAKE_SECRET}`,
          }),
        ],
      },
      {
        query_name: 'S3 Bucket Without Restriction Of Public Policy',
        query_id: '1a4bc881-9f69-4d44-8c9a-d37d08f54c50',
        severity: 'CRITICAL',
        files: [file({ similarity_id: 'bb'.repeat(32), line: 1 })],
      },
      {
        query_name: 'Resource Inventory',
        query_id: '9a2a2e6c-cc5f-4d2a-a3f2-4ea4f81a0e23',
        severity: 'TRACE',
        files: [file({ similarity_id: 'cc'.repeat(32) })],
      },
      {
        query_name: 'Nothing found',
        query_id: 'x',
        severity: 'LOW',
        files: [],
      },
    ],
    severity_counters: {
      CRITICAL: 1,
      HIGH: 1,
      INFO: 0,
      LOW: 0,
      MEDIUM: 2,
      TRACE: 1,
    },
    total_counter: 4,
  };
}

// Hand-checked: the fixture has `"queries": []`.
const EXPECTED_COUNTS: Record<string, number> = {
  'iac/kics-no-findings.json': 0,
};

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

describe('kicsNormalizer', () => {
  it('has a literal expectation for every KICS fixture', () => {
    expect(Object.keys(EXPECTED_COUNTS).sort()).toEqual([...KICS_FILES].sort());
  });

  it.each(KICS_FILES)('normalises %s', file => {
    const result = normalize(parsed(file));
    expect(result.findings).toHaveLength(filesOf(readFixtureJson(file)).length);
    expect(result.findings).toHaveLength(EXPECTED_COUNTS[file]);
    expect(result).toMatchObject({
      format: 'kics',
      tool: 'KICS',
      controls: ['iac-lint'],
    });
  });

  it.each(OTHER_FILES)('does not take %s for KICS', file => {
    expect(kicsNormalizer.detect(parsed(file))).toBe(false);
    expect(() => normalize(parsed(file))).toThrow(ReportFormatError);
  });

  it('turns every queries[].files[] entry into a finding', () => {
    const doc = sampleReport();
    const result = normalize(json(doc));
    expect(result.findings).toHaveLength(filesOf(doc).length);
    expect(result.findings).toHaveLength(5);
    expect(result.toolVersion).toBe('v2.1.20');
    expect(result.findings.map(f => [f.severity, f.originalSeverity])).toEqual([
      ['medium', 'MEDIUM'],
      ['medium', 'MEDIUM'],
      ['high', 'HIGH'],
      ['critical', 'CRITICAL'],
      ['info', 'TRACE'],
    ]);
    expect(result.findings[0]).toMatchObject({
      kind: 'iac',
      control: 'iac-lint',
      ruleId: 'c878abb4-cca5-4724-92b9-289be68bd47c',
      title: 'Container Allow Privilege Escalation Is True',
      location: { path: 'assets/queries/terraform/positive.tf', startLine: 11 },
    });
    expect(result.findings[1].location).toEqual({
      path: 'modules/pod.tf',
      startLine: 3,
    });
    expect(result.findings[2].location?.path).toBe('db/main.tf');
  });

  it('never copies actual_value, expected_value or search values', () => {
    const doc = sampleReport();
    const text = JSON.stringify(normalize(json(doc)));
    expect(text).not.toContain(FAKE_SECRET);
    for (const file of filesOf(doc)) {
      for (const key of ['actual_value', 'expected_value', 'search_key']) {
        expect(text).not.toContain(file[key]);
      }
    }
  });

  it('fingerprints from similarity_id, not from lines or key order', () => {
    const doc = sampleReport();
    const before = normalize(json(doc)).findings.map(f => f.fingerprint);
    expect(new Set(before).size).toBe(5);
    const moved = reverseKeys(doc) as any;
    for (const file of filesOf(moved)) {
      file.line += 5;
      file.search_line += 5;
    }
    expect(normalize(json(moved)).findings.map(f => f.fingerprint)).toEqual(
      before,
    );
    // Same similarity id in another query stays another finding; another id another finding.
    const other = sampleReport();
    other.queries[0].files[0].similarity_id = 'dd'.repeat(32);
    const after = normalize(json(other)).findings.map(f => f.fingerprint);
    expect(after[0]).not.toBe(before[0]);
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  it('is deterministic', () => {
    expect(normalize(json(sampleReport()))).toEqual(
      normalize(json(sampleReport())),
    );
  });

  it('detects KICS reports and nothing ambiguous or foreign', () => {
    for (const file of KICS_FILES)
      expect(kicsNormalizer.detect(parsed(file))).toBe(true);
    expect(kicsNormalizer.detect(json(sampleReport()))).toBe(true);
    for (const body of ['null', '[]', '{}', '', '{"queries":[]}']) {
      expect(kicsNormalizer.detect(parseReportBody(body))).toBe(false);
    }
    for (const foreign of [
      'semgrep/semgrep-json-fingerprint.json',
      'trivy/misconfig-terraform.json',
      'sarif/spec-minimal.sarif',
      'grype/grype-golden-dir.json',
    ]) {
      expect(kicsNormalizer.detect(parsed(foreign))).toBe(false);
    }
  });

  it('reads queries: null as a clean scan', () => {
    const doc = {
      ...readFixtureJson('iac/kics-no-findings.json'),
      queries: null,
    };
    expect(normalize(json(doc)).findings).toEqual([]);
  });

  it('rejects malformed documents naming the JSON path', () => {
    const base = readFixtureJson('iac/kics-no-findings.json');
    const sample = sampleReport();
    const cases: Array<[ParsedReport, string]> = [
      [json(null), 'KICS JSON: $ must be an object (got null)'],
      [json({}), 'KICS JSON: $.queries is missing'],
      [
        { shape: 'empty' },
        'KICS JSON: $ must be a KICS JSON report (got empty)',
      ],
      [
        json({ ...base, queries: 5 }),
        'KICS JSON: $.queries must be an array (got number)',
      ],
      [
        json({ ...base, queries: [1] }),
        'KICS JSON: $.queries[0] must be an object (got number)',
      ],
      [
        json({ ...base, queries: [{ files: [] }] }),
        'KICS JSON: $.queries[0].query_id must be a non-empty string (got undefined)',
      ],
      [
        json({ ...base, queries: [{ ...sample.queries[0], files: {} }] }),
        'KICS JSON: $.queries[0].files must be an array (got object)',
      ],
      [
        json({
          ...base,
          queries: [
            sample.queries[0],
            { ...sample.queries[1], files: [{ file_name: 7 }] },
          ],
        }),
        'KICS JSON: $.queries[1].files[0].file_name must be a string (got number)',
      ],
    ];
    for (const [report, message] of cases) {
      expect(() => normalize(report)).toThrow(ReportFormatError);
      expect(() => normalize(report)).toThrow(message);
    }
  });
});
