import { createHmac } from 'node:crypto';
import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizeContext, ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { gitleaksNormalizer } from './gitleaks';

const FILES = listFixtures('gitleaks');

const parsed = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const normalize = (report: ParsedReport, ctx = testNormalizeContext) =>
  gitleaksNormalizer.normalize(report, ctx);
const json = (value: unknown): ParsedReport => ({ shape: 'json', value });

/** Independent of the normaliser: a gitleaks report is an array of findings, or null. */
function entriesOf(file: string): Array<Record<string, any>> {
  const doc = readFixtureJson(file);
  return doc === null ? [] : doc;
}

const isPlaceholder = (value: string) =>
  /^redacted$/i.test(value.trim()) ||
  /^\*+$/.test(value.trim()) ||
  value.trim().endsWith('...');

/** Secret-bearing and personal fields as FORMATS.md §6 lists them. */
function sensitiveValues(entry: Record<string, any>): string[] {
  const out: unknown[] = [
    entry.Secret,
    entry.Match,
    entry.offender,
    entry.line,
    entry.Author,
    entry.Email,
    entry.Message,
    entry.commitMessage,
    entry.author,
    entry.email,
  ];
  if (typeof entry.Fragment === 'string') out.push(entry.Fragment);
  if (entry.Fragment && typeof entry.Fragment === 'object') {
    out.push(...Object.values(entry.Fragment));
  }
  for (const required of entry.requiredFindings ?? []) {
    out.push(required.Secret, required.Match);
  }
  return out.filter(
    (v): v is string =>
      typeof v === 'string' && v.length >= 6 && !isPlaceholder(v),
  );
}

/** Rebuilds a value with every object's keys in reverse order. */
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

// Expected counts (one finding per array element) checked by hand with
//   python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(0 if d is None else len(d))" <file>
const EXPECTED_COUNTS: Record<string, number> = {
  'gitleaks/dd-v6-legacy-no-linenumber.json': 2,
  'gitleaks/dd-v7-redacted.json': 6,
  'gitleaks/dd-v7.5-legacy.json': 8,
  'gitleaks/edge-null.json': 0,
  'gitleaks/edge-v8-empty.json': 0,
  'gitleaks/v8-baseline-redacted.json': 2,
  'gitleaks/v8-golden-simple.json': 1,
};

describe('gitleaksNormalizer', () => {
  it('has a literal expectation for every fixture', () => {
    expect(Object.keys(EXPECTED_COUNTS).sort()).toEqual([...FILES].sort());
  });

  it.each(FILES)('normalises %s', file => {
    const entries = entriesOf(file);
    const result = normalize(parsed(file));
    expect(result.findings).toHaveLength(entries.length);
    expect(result.findings).toHaveLength(EXPECTED_COUNTS[file]);
    expect(result.format).toBe('gitleaks');
    expect(result.tool).toBe('gitleaks');
    expect(result.controls).toEqual(['secret-scanning']);
    for (const [i, finding] of result.findings.entries()) {
      const entry = entries[i];
      expect(finding.kind).toBe('secret');
      expect(finding.control).toBe('secret-scanning');
      // No severity or verification in gitleaks: everything is high.
      expect(finding.severity).toBe('high');
      expect(finding.ruleId).toBe(entry.RuleID ?? entry.rule);
      expect(finding.location?.path).toBe(entry.File ?? entry.file);
      expect(finding.location?.startLine).toBe(
        entry.StartLine ?? entry.lineNumber,
      );
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each(FILES)('never outputs a secret or personal value of %s', file => {
    const text = JSON.stringify(normalize(parsed(file)));
    const values = entriesOf(file).flatMap(sensitiveValues);
    for (const value of values) {
      expect(text).not.toContain(value);
    }
  });

  it('finds secret values to check in the fixtures (the leak test is not vacuous)', () => {
    const values = FILES.flatMap(f => entriesOf(f).flatMap(sensitiveValues));
    expect(values).toEqual(
      expect.arrayContaining([
        'AKIAIOSFODNN7EXAMPLE',
        'a secret',
        'line containing secret',
      ]),
    );
  });

  it('takes titles from Description, else the rule id', () => {
    expect(
      normalize(parsed('gitleaks/v8-baseline-redacted.json')).findings[0].title,
    ).toBe('PyPI upload token');
    // Description is "" in this file.
    expect(
      normalize(parsed('gitleaks/v8-golden-simple.json')).findings[0].title,
    ).toBe('test-rule');
    expect(
      normalize(
        parsed('gitleaks/dd-v6-legacy-no-linenumber.json'),
      ).findings.map(f => f.title),
    ).toEqual(['Github', 'MailChimp API key']);
  });

  it('keeps legacy reports without line numbers', () => {
    const result = normalize(
      parsed('gitleaks/dd-v6-legacy-no-linenumber.json'),
    );
    expect(result.findings[0].location).toEqual({ path: '.bashrc' });
  });

  it('gives the same secret in one file the same fingerprint, and different ones different', () => {
    for (const file of FILES) {
      const entries = entriesOf(file);
      const expected = new Set(
        entries.map(e => {
          const secret = e.Secret ?? e.offender;
          return JSON.stringify(
            isPlaceholder(secret)
              ? [
                  e.RuleID ?? e.rule,
                  e.File ?? e.file,
                  'redacted',
                  e.Commit ?? e.commit,
                ]
              : [e.RuleID ?? e.rule, e.File ?? e.file, secret],
          );
        }),
      );
      const fingerprints = new Set(
        normalize(parsed(file)).findings.map(f => f.fingerprint),
      );
      expect(fingerprints.size).toBe(expected.size);
    }
    // Counted by hand: v7.5 has 4 distinct (rule, file, offender); the redacted v7 file has 3
    // distinct (rule, file, commit); the redacted v8 file 1 (two lines of one commit).
    const distinct = (file: string) =>
      new Set(normalize(parsed(file)).findings.map(f => f.fingerprint)).size;
    expect(distinct('gitleaks/dd-v7.5-legacy.json')).toBe(4);
    expect(distinct('gitleaks/dd-v7-redacted.json')).toBe(3);
    expect(distinct('gitleaks/v8-baseline-redacted.json')).toBe(1);
  });

  it('derives the fingerprint from the keyed hash of the secret, not from lines or commits', () => {
    const base = readFixtureJson('gitleaks/v8-golden-simple.json')[0];
    const fp = (entry: Record<string, unknown>, ctx?: NormalizeContext) =>
      normalize(json([entry]), ctx).findings[0].fingerprint;
    const original = fp(base);
    expect(
      fp({
        ...base,
        StartLine: 40,
        EndLine: 41,
        Commit: 'abc',
        Fingerprint: 'x',
      }),
    ).toBe(original);
    expect(fp({ ...base, Secret: 'another secret' })).not.toBe(original);
    expect(fp({ ...base, File: 'other.py' })).not.toBe(original);
    const otherKey: NormalizeContext = {
      secretFingerprint: s =>
        createHmac('sha256', 'other-key').update(s).digest('hex'),
    };
    expect(fp(base, otherKey)).not.toBe(original);
  });

  it('keeps fingerprints when keys are reordered or lines move', () => {
    for (const file of FILES) {
      const doc = readFixtureJson(file);
      if (!Array.isArray(doc)) continue;
      const moved = (reverseKeys(doc) as Array<Record<string, any>>).map(e => ({
        ...e,
        ...('StartLine' in e
          ? { StartLine: e.StartLine + 7, EndLine: e.EndLine + 7 }
          : {}),
        ...('lineNumber' in e ? { lineNumber: e.lineNumber + 7 } : {}),
      }));
      const before = normalize(json(doc)).findings.map(f => f.fingerprint);
      const after = normalize(json(moved)).findings.map(f => f.fingerprint);
      expect(after).toEqual(before);
    }
  });

  it('is deterministic', () => {
    for (const file of FILES) {
      expect(normalize(parsed(file))).toEqual(normalize(parsed(file)));
    }
  });

  it('detects gitleaks reports and nothing ambiguous or foreign', () => {
    for (const file of FILES) {
      expect(gitleaksNormalizer.detect(parsed(file))).toBe(
        entriesOf(file).length > 0,
      );
    }
    for (const body of ['null', '[]', '{}', '', '[{}]', '[1]']) {
      expect(gitleaksNormalizer.detect(parseReportBody(body))).toBe(false);
    }
    for (const foreign of [
      'trufflehog/v3-git.jsonl',
      'sarif/gitleaks-v8.sarif',
      'trivy/dd-legacy-list-format-93vulns.json',
      'osv/edge-osv-legacy-bare-array-with-call-analysis.json',
      'iac/checkov-v1-many.json',
      'semgrep/semgrep-json-fingerprint.json',
    ]) {
      expect(gitleaksNormalizer.detect(parsed(foreign))).toBe(false);
    }
  });

  it('reads the empty shapes as a clean scan when the format is named', () => {
    for (const body of ['', 'null', '[]']) {
      const result = normalize(parseReportBody(body));
      expect(result.findings).toEqual([]);
      expect(result.controls).toEqual(['secret-scanning']);
    }
  });

  it('rejects malformed documents naming the JSON path', () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'Gitleaks JSON: $ must be an array of findings (got object)'],
      [42, 'Gitleaks JSON: $ must be an array of findings (got number)'],
      [[1], 'Gitleaks JSON: $[0] must be an object (got number)'],
      [
        [
          { RuleID: 'r', File: 'a', Secret: 'xxxxxxxx' },
          { RuleID: 5, File: 'b' },
        ],
        'Gitleaks JSON: $[1].RuleID must be a string (got number; legacy reports use "rule")',
      ],
      [
        [{ RuleID: 'r', File: 3, Secret: 'xxxxxxxx' }],
        'Gitleaks JSON: $[0].File must be a string (got number)',
      ],
      [
        [{ RuleID: ' ', File: 'a' }],
        'Gitleaks JSON: $[0].RuleID must not be empty',
      ],
    ];
    for (const [value, message] of cases) {
      expect(() => normalize(json(value))).toThrow(ReportFormatError);
      expect(() => normalize(json(value))).toThrow(message);
    }
    expect(() =>
      normalize({ shape: 'ndjson', values: [{ RuleID: 'r' }] }),
    ).toThrow(
      'Gitleaks JSON: $ must be a JSON array of findings (got JSON lines)',
    );
  });
});
