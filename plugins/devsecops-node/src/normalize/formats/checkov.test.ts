import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { checkovNormalizer } from './checkov';

const FILES = listFixtures('iac');
const CHECKOV_FILES = FILES.filter(f => f.startsWith('iac/checkov-'));
const OTHER_FILES = FILES.filter(f => !f.startsWith('iac/checkov-'));

const parsed = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const normalize = (report: ParsedReport) =>
  checkovNormalizer.normalize(report, testNormalizeContext);
const json = (value: unknown): ParsedReport => ({ shape: 'json', value });

/** Independent traversal (like `jq '[.. | .results?.failed_checks? // empty | .[]] | length'`). */
function failedChecksOf(doc: any): any[] {
  const frameworks = Array.isArray(doc) ? doc : [doc];
  return frameworks.flatMap(f => f?.results?.failed_checks ?? []);
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
//   python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d=d if isinstance(d,list) else [d]; print(sum(len((f.get('results') or {}).get('failed_checks') or []) for f in d))" <file>
const EXPECTED_COUNTS: Record<string, number> = {
  'iac/checkov-edge-summary-only.json': 0,
  'iac/checkov-terraform-with-severity.json': 4,
  'iac/checkov-v1-many.json': 3,
  'iac/checkov-v1-no-findings.json': 0,
};

describe('checkovNormalizer', () => {
  it('has a literal expectation for every Checkov fixture', () => {
    expect(Object.keys(EXPECTED_COUNTS).sort()).toEqual(
      [...CHECKOV_FILES].sort(),
    );
  });

  it.each(CHECKOV_FILES)('normalises %s', file => {
    const checks = failedChecksOf(readFixtureJson(file));
    const result = normalize(parsed(file));
    expect(result.findings).toHaveLength(checks.length);
    expect(result.findings).toHaveLength(EXPECTED_COUNTS[file]);
    expect(result).toMatchObject({
      format: 'checkov',
      tool: 'Checkov',
      controls: ['iac-lint'],
    });
    for (const [i, finding] of result.findings.entries()) {
      expect(finding.kind).toBe('iac');
      expect(finding.control).toBe('iac-lint');
      expect(finding.ruleId).toBe(checks[i].check_id);
      expect(finding.title).toBe(checks[i].check_name);
      expect(finding.location?.path).toBe(
        (checks[i].repo_file_path ?? checks[i].file_path).replace(/^\//, ''),
      );
      expect(finding.location?.startLine).toBe(checks[i].file_line_range[0]);
    }
  });

  it.each(OTHER_FILES)('does not take %s for Checkov', file => {
    expect(checkovNormalizer.detect(parsed(file))).toBe(false);
    expect(() => normalize(parsed(file))).toThrow(ReportFormatError);
  });

  it('maps severities, null meaning unset → medium', () => {
    const rated = normalize(parsed('iac/checkov-terraform-with-severity.json'));
    expect(rated.findings.map(f => [f.severity, f.originalSeverity])).toEqual([
      ['medium', 'MEDIUM'],
      ['medium', 'MEDIUM'],
      ['low', 'LOW'],
      ['high', 'HIGH'],
    ]);
    const unrated = normalize(parsed('iac/checkov-v1-many.json'));
    expect(unrated.findings.map(f => [f.severity, f.originalSeverity])).toEqual(
      Array(3).fill(['medium', 'unset']),
    );
    const doc = readFixtureJson('iac/checkov-v1-many.json');
    doc.results.failed_checks[0].severity = 'critical';
    doc.results.failed_checks[1].severity = null;
    doc.results.failed_checks[2].severity = 'SEVERE';
    expect(
      normalize(json(doc)).findings.map(f => [f.severity, f.originalSeverity]),
    ).toEqual([
      ['critical', 'critical'],
      ['medium', 'unset'],
      ['medium', 'SEVERE'],
    ]);
  });

  it('reads the tool version and repo-relative paths', () => {
    const result = normalize(
      parsed('iac/checkov-terraform-with-severity.json'),
    );
    expect(result.toolVersion).toBe('2.2.34');
    expect(result.findings[0].location).toEqual({
      path: 'gcs.tf',
      startLine: 1,
      endLine: 15,
    });
    expect(
      normalize(parsed('iac/checkov-edge-summary-only.json')).toolVersion,
    ).toBe('2.1.269');
  });

  it('never copies code_block (it can hold hard-coded credentials)', () => {
    const doc = readFixtureJson('iac/checkov-terraform-with-severity.json');
    doc.results.failed_checks[0].code_block.push([
      16,
      '  user_data = "AKIAFAKEKEYFORTEST123"\n',
    ]);
    const text = JSON.stringify(normalize(json(doc)));
    const codeLines = failedChecksOf(doc)
      .flatMap(c => c.code_block ?? [])
      .map(([, line]: [number, string]) => line.trim())
      .filter((line: string) => line.length >= 6);
    expect(codeLines.length).toBeGreaterThan(10);
    for (const line of codeLines) expect(text).not.toContain(line);
    expect(text).not.toContain('AKIAFAKEKEYFORTEST123');
  });

  it('reads several frameworks given as an array', () => {
    const a = readFixtureJson('iac/checkov-terraform-with-severity.json');
    const b = readFixtureJson('iac/checkov-v1-many.json');
    const summary = readFixtureJson('iac/checkov-edge-summary-only.json');
    const report = json([a, b, summary]);
    expect(checkovNormalizer.detect(report)).toBe(true);
    expect(normalize(report).findings).toHaveLength(
      failedChecksOf([a, b]).length,
    );
    expect(normalize(report).findings).toHaveLength(7);
  });

  it('fingerprints (check_id, file, resource), not lines or key order', () => {
    for (const file of CHECKOV_FILES) {
      const doc = readFixtureJson(file);
      const before = normalize(json(doc)).findings.map(f => f.fingerprint);
      const moved = reverseKeys(doc) as any;
      for (const check of failedChecksOf(moved)) {
        check.file_line_range = check.file_line_range.map(
          (n: number) => n + 20,
        );
      }
      expect(normalize(json(moved)).findings.map(f => f.fingerprint)).toEqual(
        before,
      );
      const expected = new Set(
        failedChecksOf(doc).map(c =>
          JSON.stringify([
            c.check_id,
            c.repo_file_path ?? c.file_path,
            c.resource,
          ]),
        ),
      );
      expect(new Set(before).size).toBe(expected.size);
    }
    const doc = readFixtureJson('iac/checkov-v1-many.json');
    const before = normalize(json(doc)).findings[0].fingerprint;
    doc.results.failed_checks[0].resource = 'azurerm_key_vault.other';
    expect(normalize(json(doc)).findings[0].fingerprint).not.toBe(before);
  });

  it('is deterministic', () => {
    for (const file of CHECKOV_FILES) {
      expect(normalize(parsed(file))).toEqual(normalize(parsed(file)));
    }
  });

  it('detects Checkov reports and nothing ambiguous or foreign', () => {
    for (const file of CHECKOV_FILES) {
      expect(checkovNormalizer.detect(parsed(file))).toBe(true);
    }
    for (const body of [
      'null',
      '[]',
      '{}',
      '',
      '{"passed":0,"failed":0,"skipped":0}',
    ]) {
      expect(checkovNormalizer.detect(parseReportBody(body))).toBe(false);
    }
    for (const foreign of [
      'semgrep/semgrep-json-fingerprint.json',
      'trivy/misconfig-terraform.json',
      'gitleaks/v8-golden-simple.json',
      'sarif/spec-minimal.sarif',
    ]) {
      expect(checkovNormalizer.detect(parsed(foreign))).toBe(false);
    }
  });

  it('accepts the empty shapes Checkov writes when the format is named', () => {
    expect(normalize(parseReportBody('[]')).findings).toEqual([]);
    // A bare summary without checkov_version is not detected, but read when named.
    expect(
      normalize(
        parseReportBody(
          '{"passed":0,"failed":0,"skipped":0,"parsing_errors":0}',
        ),
      ).findings,
    ).toEqual([]);
  });

  it('rejects malformed documents naming the JSON path', () => {
    const doc = readFixtureJson('iac/checkov-v1-many.json');
    const cases: Array<[ParsedReport, string]> = [
      [
        json(null),
        'Checkov JSON: $ must be an object or an array of framework reports (got null)',
      ],
      [json({}), 'Checkov JSON: $ must be a Checkov report'],
      [
        { shape: 'empty' },
        'Checkov JSON: $ must be a Checkov JSON report (got empty)',
      ],
      [
        json({ ...doc, results: { failed_checks: 5 } }),
        'Checkov JSON: $.results.failed_checks must be an array (got number)',
      ],
      [
        json([doc, { check_type: 'k8s', results: 3 }]),
        'Checkov JSON: $[1].results must be an object (got number)',
      ],
      [json([doc, 'x']), 'Checkov JSON: $[1] must be an object (got string)'],
      [
        json({ ...doc, results: { failed_checks: [{ check_name: 'x' }] } }),
        'Checkov JSON: $.results.failed_checks[0].check_id must be a non-empty string (got undefined)',
      ],
      [
        json({ results: { failed_checks: [] } }),
        'Checkov JSON: $.check_type must be a string (got undefined)',
      ],
    ];
    for (const [report, message] of cases) {
      expect(() => normalize(report)).toThrow(ReportFormatError);
      expect(() => normalize(report)).toThrow(message);
    }
  });
});
