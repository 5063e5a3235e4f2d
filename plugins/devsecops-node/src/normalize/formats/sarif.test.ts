import { createHmac } from 'node:crypto';
import {
  listFixtures,
  readFixture,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import {
  NormalizeContext,
  NormalizedReport,
  ParsedReport,
  Severity,
} from '../types';
import { sarifNormalizer } from './sarif';

const parse = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const json = (value: unknown): ParsedReport => ({ shape: 'json', value });
const normalize = (
  report: ParsedReport,
  context: NormalizeContext = testNormalizeContext,
): NormalizedReport => sarifNormalizer.normalize(report, context);

/** The parsed document of a fixture (parseReportBody strips the BOM some fixtures carry). */
const documentOf = (file: string): any => {
  const report = parse(file);
  if (report.shape !== 'json') throw new Error(`${file} is not JSON`);
  return report.value;
};

/** Every SARIF fixture except the official schema. */
const SARIF_FILES = listFixtures('sarif').filter(
  f => !f.startsWith('sarif/schema/'),
);

type Expectation =
  | {
      findings: number;
      suppressed: number;
      severities: Partial<Record<Severity, number>>;
      tool: string;
      controls: string[];
    }
  | { error: string; detected: boolean };

/*
 * Verified by hand with a one-off python3 traversal of each file (json.load with utf-8-sig):
 * findings = results of every run minus kind pass/notApplicable and baselineState absent;
 * suppressed = results with a suppressions[] entry whose status is not "rejected"; severities =
 * rule properties.security-severity as a score (≥9 critical, ≥7 high, ≥4 medium, >0 low), else
 * result.level → "none" for a non-"fail" kind → rule defaultConfiguration.level → "warning"
 * (error→high, warning→medium, note→low, none→info); gitleaks without any level → high.
 */
const EXPECTED: Record<string, Expectation> = {
  'sarif/codeql-2.5.4-python-72results.sarif': {
    findings: 72,
    suppressed: 0,
    severities: { high: 11, medium: 4, low: 57 },
    tool: 'CodeQL',
    controls: ['sast'],
  },
  'sarif/codeql-action-fingerprints-index-only-location.sarif': {
    findings: 2,
    suppressed: 0,
    severities: { medium: 2 },
    tool: 'CodeQL command-line toolchain',
    controls: ['sast'],
  },
  'sarif/dependency-check-sca.sarif': {
    findings: 13,
    suppressed: 0,
    severities: { high: 13 },
    tool: 'dependency-check',
    controls: ['dependency-scan'],
  },
  'sarif/edge-empty-results.sarif': {
    findings: 0,
    suppressed: 0,
    severities: {},
    tool: 'LGTM.com',
    controls: ['sast'],
  },
  'sarif/edge-invalid-results-is-number.sarif': {
    error: 'SARIF 2.1.0: $.runs[0].results must be an array (got number)',
    detected: true,
  },
  'sarif/edge-invalid-uri.sarif': {
    findings: 1,
    suppressed: 0,
    severities: { medium: 1 },
    tool: 'LGTM.com',
    controls: ['sast'],
  },
  'sarif/edge-no-runs.sarif': {
    findings: 0,
    suppressed: 0,
    severities: {},
    tool: 'unknown',
    controls: ['sast'],
  },
  'sarif/edge-runs-without-results-and-null-tool-name.sarif': {
    findings: 0,
    suppressed: 0,
    severities: {},
    tool: 'CodeQL command-line toolchain, ESLint',
    controls: ['sast'],
  },
  'sarif/edge-two-runs-no-results.sarif': {
    findings: 0,
    suppressed: 0,
    severities: {},
    tool: 'CodeScanner, OtherScanner',
    controls: ['sast'],
  },
  'sarif/fingerprints-object-blackduck.sarif': {
    findings: 5,
    suppressed: 0,
    severities: { high: 3, medium: 1, low: 1 },
    tool: 'Example-Application',
    controls: ['dependency-scan'],
  },
  'sarif/flawfinder-54.sarif': {
    findings: 53,
    suppressed: 0,
    severities: { high: 2, medium: 1, low: 50 },
    tool: 'Flawfinder',
    controls: ['sast'],
  },
  'sarif/gitleaks-v7.5.sarif': {
    findings: 8,
    suppressed: 0,
    severities: { high: 8 },
    tool: 'Gitleaks',
    controls: ['secret-scanning'],
  },
  'sarif/gitleaks-v8.sarif': {
    findings: 1,
    suppressed: 0,
    severities: { high: 1 },
    tool: 'gitleaks',
    controls: ['secret-scanning'],
  },
  'sarif/grype-cxf-security-severity.sarif': {
    findings: 22,
    suppressed: 0,
    severities: { critical: 1, high: 11, medium: 4, low: 6 },
    tool: 'Grype',
    controls: ['dependency-scan'],
  },
  'sarif/grype-image.sarif': {
    findings: 2,
    suppressed: 0,
    severities: { high: 2 },
    tool: 'grype',
    controls: ['dependency-scan'],
  },
  'sarif/large/semgrep-owasp-benchmark-1768results.sarif': {
    findings: 1768,
    suppressed: 0,
    severities: { medium: 1768 },
    tool: 'semgrep',
    controls: ['sast'],
  },
  'sarif/sdk-baseline-suppression-current.sarif': {
    findings: 4,
    suppressed: 3,
    severities: { medium: 4 },
    tool: 'CodeScanner',
    controls: ['sast'],
  },
  'sarif/sdk-baselineState-updated.sarif': {
    findings: 30,
    suppressed: 0,
    severities: { high: 23, medium: 2, low: 5 },
    tool: 'SARIF Functional Testing',
    controls: ['sast'],
  },
  'sarif/sdk-github-ingestion-threadflows.sarif': {
    findings: 1,
    suppressed: 0,
    severities: { high: 1 },
    tool: 'Sarif.UnitTests',
    controls: ['sast'],
  },
  'sarif/sdk-multiple-runs.sarif': {
    findings: 3,
    suppressed: 0,
    severities: { high: 3 },
    tool: 'WorkItemFiler testing',
    controls: ['sast'],
  },
  // SARIF 2.0.0 drafts (`tool.name`, `fileLocation`): not the format we read.
  'sarif/spec-comprehensive.sarif': {
    error: 'SARIF 2.1.0: $.version must be "2.1.0" (got "2.0.0")',
    detected: true, // its $schema names SARIF, so the uploader gets this error, not "unknown format"
  },
  'sarif/spec-minimal.sarif': {
    error: 'SARIF 2.1.0: $.version must be "2.1.0" (got "2.0.0")',
    detected: false, // no $schema, version 2.0.0: nothing says SARIF 2.1.0
  },
  'sarif/suppressions.sarif': {
    findings: 5,
    suppressed: 3,
    severities: { medium: 5 },
    tool: 'CodeScanner',
    controls: ['sast'],
  },
  'sarif/trivy-alpine-310.sarif': {
    findings: 4,
    suppressed: 0,
    severities: { medium: 4 },
    tool: 'Trivy',
    controls: ['container-scan'],
  },
};

/** Independent count, like `jq '[.runs[].results[]? | select(.kind != "pass" …)] | length'`. */
function countResults(doc: any): { findings: number; suppressed: number } {
  let findings = 0;
  let suppressed = 0;
  for (const run of doc.runs ?? []) {
    for (const result of run.results ?? []) {
      if (['pass', 'notApplicable'].includes(result.kind)) continue;
      if (result.baselineState === 'absent') continue;
      findings += 1;
      if (
        (result.suppressions ?? []).some((s: any) => s.status !== 'rejected')
      ) {
        suppressed += 1;
      }
    }
  }
  return { findings, suppressed };
}

function severityCounts(
  report: NormalizedReport,
): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const f of report.findings)
    counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

/** The same JSON with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}

/** The same JSON with every startLine/endLine moved down by `delta`. */
function shiftLines(value: unknown, delta: number): unknown {
  if (Array.isArray(value)) return value.map(v => shiftLines(v, delta));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        (k === 'startLine' || k === 'endLine') && typeof v === 'number'
          ? v + delta
          : shiftLines(v, delta),
      ]),
    );
  }
  return value;
}

/** Strings found under the given keys anywhere in a JSON value. */
function stringsUnder(
  value: unknown,
  keys: string[],
  out: string[] = [],
): string[] {
  if (Array.isArray(value)) value.forEach(v => stringsUnder(v, keys, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys.includes(k)) {
        const collect = (x: unknown): void => {
          if (typeof x === 'string') out.push(x);
          else if (Array.isArray(x)) x.forEach(collect);
          else if (x && typeof x === 'object')
            Object.values(x).forEach(collect);
        };
        collect(v);
      } else {
        stringsUnder(v, keys, out);
      }
    }
  }
  return out;
}

const isPlaceholder = (s: string) => /^(redacted|\*+)$/i.test(s.trim());

describe('sarifNormalizer', () => {
  it('has an expectation for every SARIF fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SARIF_FILES].sort());
  });

  describe.each(SARIF_FILES)('%s', file => {
    const expected = EXPECTED[file];

    if ('error' in expected) {
      it('is rejected with a ReportFormatError naming the JSON path', () => {
        const report = parse(file);
        expect(sarifNormalizer.detect(report)).toBe(expected.detected);
        expect(() => normalize(report)).toThrow(ReportFormatError);
        expect(() => normalize(report)).toThrow(expected.error);
      });
      return;
    }

    it('is detected and normalised with the expected counts', () => {
      const report = parse(file);
      expect(sarifNormalizer.detect(report)).toBe(true);
      const result = normalize(report);
      expect(result.format).toBe('sarif');
      expect(result.tool).toBe(expected.tool);
      expect(result.controls).toEqual(expected.controls);
      expect(result.findings).toHaveLength(expected.findings);
      expect(result.findings.filter(f => f.suppressed)).toHaveLength(
        expected.suppressed,
      );
      // The literal numbers agree with a direct traversal of the document.
      expect(countResults(documentOf(file))).toEqual({
        findings: expected.findings,
        suppressed: expected.suppressed,
      });
      expect(severityCounts(result)).toEqual(expected.severities);
      for (const finding of result.findings) {
        expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(finding.ruleId).not.toBe('');
        expect(finding.title).not.toBe('');
        expect(result.controls).toContain(finding.control);
      }
    });

    it('is deterministic and independent of key order', () => {
      const first = normalize(parse(file));
      expect(normalize(parse(file))).toEqual(first);
      expect(normalize(json(reverseKeys(documentOf(file))))).toEqual(first);
    });

    it('keeps fingerprints when findings move to other lines', () => {
      const before = normalize(parse(file));
      const after = normalize(json(shiftLines(documentOf(file), 7)));
      expect(after.findings.map(f => f.fingerprint)).toEqual(
        before.findings.map(f => f.fingerprint),
      );
      const moved = before.findings.filter(f => f.location?.startLine);
      moved.forEach(f => {
        const i = before.findings.indexOf(f);
        expect(after.findings[i].location?.startLine).toBe(
          f.location!.startLine! + 7,
        );
      });
    });

    it('never copies code snippets', () => {
      const snippets = stringsUnder(documentOf(file), ['snippet']).filter(
        s => s.trim().length >= 6,
      );
      const out = JSON.stringify(normalize(parse(file)));
      for (const snippet of snippets) expect(out).not.toContain(snippet);
    });
  });

  describe('detection', () => {
    it.each([
      ['null', parseReportBody('null')],
      ['[]', parseReportBody('[]')],
      ['{}', parseReportBody('{}')],
      ['empty', parseReportBody('')],
      ['text', parseReportBody('SPDXVersion: SPDX-2.3')],
      ['runs without a SARIF version or schema', json({ runs: [] })],
      ['a version without runs', json({ version: '2.1.0' })],
    ])('refuses %s', (_name, report) => {
      expect(sarifNormalizer.detect(report)).toBe(false);
    });

    const others = [
      'semgrep',
      'trivy',
      'gitleaks',
      'grype',
      'cyclonedx',
      'osv',
      'trufflehog',
      'spdx',
      'iac',
    ].flatMap(folder => listFixtures(folder));

    it.each(others)('does not claim %s', file => {
      let report: ParsedReport;
      try {
        report = parse(file);
      } catch {
        return; // not even JSON: nobody's format
      }
      expect(sarifNormalizer.detect(report)).toBe(false);
    });

    it('never throws', () => {
      const weird = Object.create(null);
      weird.runs = [];
      expect(sarifNormalizer.detect(json(weird))).toBe(false);
      expect(
        sarifNormalizer.detect({ shape: 'ndjson', values: [{ runs: [] }] }),
      ).toBe(false);
    });
  });

  describe('empty bodies named as SARIF', () => {
    it.each(['', 'null', '[]', '{}'])('%j gives zero findings', body => {
      const result = normalize(parseReportBody(body));
      expect(result.findings).toEqual([]);
      expect(result.controls).toEqual(['sast']);
    });
  });

  describe('malformed documents', () => {
    const run = (extra: Record<string, unknown> = {}) => ({
      tool: { driver: { name: 'X' } },
      ...extra,
    });
    it.each([
      [{ version: '2.1.0', runs: 3 }, '$.runs must be an array (got number)'],
      [
        { version: '2.1.0', runs: [run(), 'x'] },
        '$.runs[1] must be an object (got string)',
      ],
      [
        { version: '2.1.0', runs: [{}] },
        '$.runs[0].tool must be an object (got undefined)',
      ],
      [
        { version: '2.1.0', runs: [{ tool: { name: 'old' } }] },
        '$.runs[0].tool.driver must be an object (got undefined)',
      ],
      [
        { version: '2.1.0', runs: [run({ results: [{}, 7] })] },
        '$.runs[0].results[1] must be an object (got number)',
      ],
      [{ version: 2.1, runs: [] }, '$.version must be "2.1.0" (got number)'],
      [
        { $schema: 'sarif-2.1.0.json', runs: [] },
        '$.version must be "2.1.0" (got undefined)',
      ],
    ])('%j → %s', (doc, message) => {
      expect(() => normalize(json(doc))).toThrow(ReportFormatError);
      expect(() => normalize(json(doc))).toThrow(`SARIF 2.1.0: ${message}`);
    });

    it('rejects JSON lines and text', () => {
      expect(() => normalize({ shape: 'ndjson', values: [{}, {}] })).toThrow(
        'SARIF 2.1.0: $ must be a JSON object (got JSON lines)',
      );
      expect(() => normalize(parseReportBody('hello'))).toThrow(
        'SARIF 2.1.0: $ must be a JSON object (got text)',
      );
    });
  });

  describe('reading results', () => {
    const log = (...runs: unknown[]) => json({ version: '2.1.0', runs });

    it('resolves rule ids and metadata: ruleId, rule.id, driver and extension rules by index', () => {
      const result = normalize(
        log({
          tool: {
            driver: {
              name: 'Analyzer',
              rules: [
                { id: 'D0', shortDescription: { text: 'Driver rule 0' } },
                {
                  id: 'D1',
                  shortDescription: { text: 'Driver rule 1' },
                  defaultConfiguration: { level: 'note' },
                },
              ],
            },
            extensions: [
              {
                name: 'pack',
                rules: [
                  { id: 'E0' },
                  {
                    id: 'E1',
                    shortDescription: { text: 'Extension rule 1' },
                    defaultConfiguration: { level: 'error' },
                  },
                ],
              },
            ],
          },
          results: [
            { ruleId: 'D1', message: { text: 'by id' } },
            { rule: { id: 'D0' }, message: { text: 'by rule.id' } },
            { ruleIndex: 1, message: { text: 'by driver index' } },
            {
              rule: { index: 1, toolComponent: { index: 0 } },
              message: { text: 'ext' },
            },
            { ruleId: 'D1/sub-check', message: { text: 'hierarchical' } },
            { ruleId: 'E1', message: { text: 'extension rule by id' } },
            { message: { text: 'no rule at all' } },
          ],
        }),
      );
      expect(
        result.findings.map(f => [
          f.ruleId,
          f.title,
          f.severity,
          f.originalSeverity,
        ]),
      ).toEqual([
        ['D1', 'Driver rule 1', 'low', 'note'],
        ['D0', 'Driver rule 0', 'medium', 'warning'],
        ['D1', 'Driver rule 1', 'low', 'note'],
        ['E1', 'Extension rule 1', 'high', 'error'],
        ['D1/sub-check', 'Driver rule 1', 'low', 'note'],
        ['E1', 'Extension rule 1', 'high', 'error'],
        ['unknown', 'no rule at all', 'medium', 'warning'],
      ]);
    });

    it('maps security-severity numbers and labels before levels, and levels with their defaults', () => {
      const rule = (
        id: string,
        props: Record<string, unknown>,
        level?: string,
      ) => ({
        id,
        properties: props,
        ...(level ? { defaultConfiguration: { level } } : {}),
      });
      const result = normalize(
        log({
          tool: {
            driver: {
              name: 'Analyzer',
              rules: [
                rule('S91', { 'security-severity': '9.1' }, 'note'),
                rule('S70', { 'security-severity': 7 }),
                rule('S40', { 'security-severity': '4.0' }),
                rule('S01', { 'security-severity': '0.1' }),
                rule('S00', { 'security-severity': '0.0' }, 'error'),
                rule('LBL', { 'security-severity': 'CRITICAL' }),
                rule('BAD', { 'security-severity': 'whatever' }, 'error'),
                rule('OVR', {}, 'error'),
                rule('NON', {}),
              ],
            },
          },
          invocations: [
            {
              executionSuccessful: true,
              ruleConfigurationOverrides: [
                { descriptor: { id: 'OVR' }, configuration: { level: 'note' } },
              ],
            },
          ],
          results: [
            { ruleId: 'S91', level: 'note' },
            { ruleId: 'S70' },
            { ruleId: 'S40' },
            { ruleId: 'S01' },
            { ruleId: 'S00' },
            { ruleId: 'LBL' },
            { ruleId: 'BAD' },
            { ruleId: 'OVR' },
            { ruleId: 'OVR', level: 'warning' },
            { ruleId: 'NON' },
            { ruleId: 'NON', level: 'none' },
            { ruleId: 'NON', kind: 'review' },
            { ruleId: 'NON', kind: 'informational', level: 'error' },
          ],
        }),
      );
      expect(
        result.findings.map(f => [f.severity, f.originalSeverity]),
      ).toEqual([
        ['critical', '9.1'],
        ['high', '7'],
        ['medium', '4.0'],
        ['low', '0.1'],
        ['info', '0.0'],
        ['critical', 'CRITICAL'],
        ['high', 'error'],
        ['low', 'note'],
        ['medium', 'warning'],
        ['medium', 'warning'],
        ['info', 'none'],
        ['info', 'none'],
        ['high', 'error'],
      ]);
    });

    it('skips pass / notApplicable / absent results and marks suppressed ones', () => {
      const result = normalize(
        log({
          tool: { driver: { name: 'Analyzer' } },
          results: [
            { ruleId: 'A', kind: 'pass' },
            { ruleId: 'B', kind: 'notApplicable' },
            { ruleId: 'C', baselineState: 'absent' },
            { ruleId: 'D', baselineState: 'unchanged' },
            { ruleId: 'E', suppressions: [{ kind: 'inSource' }] },
            {
              ruleId: 'F',
              suppressions: [{ kind: 'external', status: 'underReview' }],
            },
            {
              ruleId: 'G',
              suppressions: [{ kind: 'external', status: 'rejected' }],
            },
            { ruleId: 'H', suppressions: [] },
          ],
        }),
      );
      expect(
        result.findings.map(f => [f.ruleId, f.suppressed ?? false]),
      ).toEqual([
        ['D', false],
        ['E', true],
        ['F', true],
        ['G', false],
        ['H', false],
      ]);
    });

    it('reads locations from the uri or the artifacts index, without line numbers in the identity', () => {
      const at = (artifactLocation: unknown, region?: unknown) => ({
        ruleId: 'R',
        locations: [{ physicalLocation: { artifactLocation, region } }],
      });
      const result = normalize(
        log({
          tool: { driver: { name: 'Analyzer' } },
          artifacts: [{ location: { uri: 'src/from%20index.ts' } }],
          results: [
            at({ index: 0 }, { startLine: 3, endLine: 4 }),
            at({ uri: 'file:///C:/code/a.c' }),
            at({ uri: 'file:////src/.venv/x.js' }),
            at(
              { uri: './lib\\b.py', uriBaseId: '%SRCROOT%' },
              { startLine: 9 },
            ),
            at({ uri: 'not a valid URI' }),
            at({ uri: 'https://example.com/a.js' }),
            at({ uri: 'src/from index.ts' }, { startLine: 30 }),
          ],
        }),
      );
      expect(result.findings.map(f => f.location)).toEqual([
        { path: 'src/from index.ts', startLine: 3, endLine: 4 },
        { path: 'C:/code/a.c' },
        { path: '/src/.venv/x.js' },
        { path: 'lib/b.py', startLine: 9 },
        { path: 'not a valid URI' },
        { path: 'https://example.com/a.js' },
        { path: 'src/from index.ts', startLine: 30 },
      ]);
      // Same rule, same file, another line: the same finding.
      expect(result.findings[6].fingerprint).toBe(
        result.findings[0].fingerprint,
      );
    });

    it('uses unique tool fingerprints, and ignores repeated ones and "requires login"', () => {
      const result = normalize(
        log({
          tool: { driver: { name: 'Analyzer' } },
          results: [
            { ruleId: 'R', fingerprints: { 'matchBasedId/v1': 'aaa' } },
            { ruleId: 'R', fingerprints: { 'matchBasedId/v1': 'bbb' } },
            {
              ruleId: 'R',
              fingerprints: { 'matchBasedId/v1': 'requires login' },
            },
            { ruleId: 'R', fingerprints: { 'matchBasedId/v1': 'same' } },
            { ruleId: 'R', fingerprints: { 'matchBasedId/v1': 'same' } },
            { ruleId: 'R', fingerprints: { csvRowSha256: { value: 'ccc' } } },
            { ruleId: 'R' },
          ],
        }),
      );
      const fp = result.findings.map(f => f.fingerprint);
      const computed = fp[6];
      expect(fp[0]).not.toBe(computed);
      expect(fp[1]).not.toBe(computed);
      expect(fp[0]).not.toBe(fp[1]);
      expect(fp[2]).toBe(computed);
      expect(fp[3]).toBe(computed);
      expect(fp[4]).toBe(computed);
      expect(fp[5]).not.toBe(computed);
    });

    it('keeps several runs apart: own rules, own kinds, tools joined and sorted', () => {
      const result = normalize(
        log(
          {
            tool: {
              driver: {
                name: 'zeta-sast',
                rules: [{ id: 'X', shortDescription: { text: 'Zeta X' } }],
              },
            },
            results: [{ ruleIndex: 0 }],
          },
          {
            tool: {
              driver: {
                name: 'Grype',
                rules: [{ id: 'Y', shortDescription: { text: 'Grype Y' } }],
              },
            },
            results: [{ ruleIndex: 0 }],
          },
          { tool: { driver: { name: 'gitleaks' } }, results: [] },
        ),
      );
      expect(result.tool).toBe('Grype, gitleaks, zeta-sast');
      expect(result.toolVersion).toBeUndefined();
      expect(result.controls).toEqual([
        'dependency-scan',
        'sast',
        'secret-scanning',
      ]);
      expect(
        result.findings.map(f => [f.ruleId, f.title, f.kind, f.control]),
      ).toEqual([
        ['X', 'Zeta X', 'sast', 'sast'],
        ['Y', 'Grype Y', 'sca', 'dependency-scan'],
      ]);
    });

    it('reads Trivy image scans: container-scan, package, fix, digest, per-rule kinds', () => {
      const result = normalize(
        log({
          tool: {
            driver: {
              name: 'Trivy',
              version: '0.50.0',
              rules: [
                {
                  id: 'CVE-2024-0001',
                  shortDescription: { text: 'libfoo: overflow' },
                  properties: {
                    'security-severity': '9.8',
                    tags: ['vulnerability', 'security', 'CRITICAL'],
                  },
                },
                {
                  id: 'AVD-DS-0002',
                  shortDescription: { text: 'Image user should not be root' },
                  properties: {
                    'security-severity': '7.0',
                    tags: ['misconfiguration', 'security'],
                  },
                },
              ],
            },
          },
          properties: {
            imageName: 'ghcr.io/acme/app:1.0',
            imageID:
              'sha256:1111111111111111111111111111111111111111111111111111111111111111',
            repoDigests: [
              'ghcr.io/acme/app@sha256:ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD',
            ],
          },
          results: [
            {
              ruleId: 'CVE-2024-0001',
              ruleIndex: 0,
              message: {
                text: 'Package: libfoo\nInstalled Version: 1.0\nVulnerability CVE-2024-0001\nFixed Version: 1.1, 2.0',
              },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: 'ghcr.io/acme/app:1.0' },
                  },
                },
              ],
            },
            {
              ruleId: 'CVE-2024-0001',
              ruleIndex: 0,
              message: {
                text: 'Package: libbar\nInstalled Version: 3.0\nFixed Version: ',
              },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: 'ghcr.io/acme/app:1.0' },
                  },
                },
              ],
            },
            {
              ruleId: 'AVD-DS-0002',
              ruleIndex: 1,
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: 'Dockerfile' } },
                },
              ],
            },
          ],
        }),
      );
      expect(result.artifact).toEqual({
        name: 'ghcr.io/acme/app:1.0',
        digest:
          'sha256:abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd',
      });
      expect(result.toolVersion).toBe('0.50.0');
      expect(result.controls).toEqual(['container-scan', 'iac-lint']);
      const [foo, bar, docker] = result.findings;
      expect(foo).toMatchObject({
        kind: 'sca',
        control: 'container-scan',
        vulnerabilityId: 'CVE-2024-0001',
        severity: 'critical',
        component: { name: 'libfoo', version: '1.0' },
        fixAvailable: true,
        fixedVersions: ['1.1', '2.0'],
      });
      expect(bar).toMatchObject({
        component: { name: 'libbar', version: '3.0' },
        fixAvailable: false,
      });
      expect(bar.fixedVersions).toBeUndefined();
      expect(bar.fingerprint).not.toBe(foo.fingerprint); // same CVE, another package
      expect(docker).toMatchObject({
        kind: 'iac',
        control: 'iac-lint',
        severity: 'high',
      });
    });

    it('takes the commit from versionControlProvenance and the category into the identity', () => {
      const run = (category: string) => ({
        tool: { driver: { name: 'CodeQL' } },
        automationDetails: { id: category },
        versionControlProvenance: [
          {
            repositoryUri: 'https://github.com/acme/app',
            revisionId: 'abc123',
            branch: 'main',
          },
        ],
        results: [
          {
            ruleId: 'js/x',
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'a.js' } } },
            ],
          },
        ],
      });
      const a = normalize(log(run('/language:js')));
      const b = normalize(log(run('/language:ts')));
      expect(a.artifact).toEqual({
        name: 'https://github.com/acme/app',
        commit: 'abc123',
      });
      expect(a.findings[0].fingerprint).not.toBe(b.findings[0].fingerprint);
    });
  });

  describe('secrets', () => {
    const otherKey: NormalizeContext = {
      secretFingerprint: s =>
        createHmac('sha256', 'another-key').update(s).digest('hex'),
    };

    it.each(['sarif/gitleaks-v7.5.sarif', 'sarif/gitleaks-v8.sarif'])(
      '%s: no secret, snippet, message or personal data in the result',
      file => {
        const doc = documentOf(file);
        const sensitive = stringsUnder(doc, [
          'snippet',
          'partialFingerprints',
          'properties',
          'message',
        ]).filter(s => s.trim().length >= 6 && !isPlaceholder(s));
        expect(sensitive.length).toBeGreaterThan(0);
        const out = JSON.stringify(normalize(parse(file)));
        for (const value of sensitive) expect(out).not.toContain(value);
      },
    );

    it('identifies a secret by its keyed hash: one per (rule, file, secret)', () => {
      const file = 'sarif/gitleaks-v7.5.sarif';
      const doc = documentOf(file);
      // Independent: distinct (message, uri, offender) triples.
      const distinct = new Set(
        doc.runs[0].results.map((r: any) =>
          JSON.stringify([
            r.message.text,
            r.locations[0].physicalLocation.artifactLocation.uri,
            r.properties.offender,
          ]),
        ),
      ).size;
      const result = normalize(parse(file));
      expect(new Set(result.findings.map(f => f.fingerprint)).size).toBe(
        distinct,
      );
      expect(result.findings.map(f => f.ruleId)).toContain('AWS Access Key');
      // Only secret findings depend on the server key.
      const rekeyed = normalize(parse(file), otherKey);
      result.findings.forEach((f, i) =>
        expect(rekeyed.findings[i].fingerprint).not.toBe(f.fingerprint),
      );
      const codeql = 'sarif/codeql-2.5.4-python-72results.sarif';
      expect(normalize(parse(codeql), otherKey)).toEqual(
        normalize(parse(codeql)),
      );
    });

    it('never copies the snippet of a secret tool, even into titles', () => {
      const result = normalize(
        json({
          version: '2.1.0',
          runs: [
            {
              tool: {
                driver: {
                  name: 'gitleaks',
                  rules: [{ id: 'generic-api-key' }],
                },
              },
              results: [
                {
                  ruleId: 'generic-api-key',
                  message: {
                    text: 'found ghp_abcdefghijklmnopqrstuvwxyz0123456789',
                  },
                  locations: [
                    {
                      physicalLocation: {
                        artifactLocation: { uri: 'config/.env' },
                        region: {
                          startLine: 4,
                          snippet: {
                            text: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
                          },
                        },
                      },
                    },
                  ],
                  partialFingerprints: { email: 'someone@example.com' },
                },
              ],
            },
          ],
        }),
      );
      const out = JSON.stringify(result);
      expect(out).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
      expect(out).not.toContain('someone@example.com');
      expect(result.findings[0]).toMatchObject({
        kind: 'secret',
        control: 'secret-scanning',
        title: 'generic-api-key',
        severity: 'high',
        location: { path: 'config/.env', startLine: 4 },
      });
    });
  });
});
