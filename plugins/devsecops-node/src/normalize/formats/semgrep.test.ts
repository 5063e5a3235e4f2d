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
import { semgrepNormalizer } from './semgrep';

const parse = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const json = (value: unknown): ParsedReport => ({ shape: 'json', value });
const normalize = (
  report: ParsedReport,
  context: NormalizeContext = testNormalizeContext,
): NormalizedReport => semgrepNormalizer.normalize(report, context);
const documentOf = (file: string): any => {
  const report = parse(file);
  if (report.shape !== 'json') throw new Error(`${file} is not JSON`);
  return report.value;
};

const SEMGREP_FILES = listFixtures('semgrep');

interface Expectation {
  findings: number;
  suppressed: number;
  severities: Partial<Record<Severity, number>>;
  kinds: Record<string, number>;
  controls: string[];
  toolVersion?: string;
}

/*
 * Verified by hand with python3 -c 'import json; d=json.load(open(F)); …':
 * len(d["results"]) or len(d["vulns"]); collections.Counter of extra.severity /
 * advisory.severity (ERROR→high, WARNING→medium, LOW→low; HIGH→high, CRITICAL→critical);
 * triage.status != "NEW" for the supply-chain page (one CLOSED).
 */
const EXPECTED: Record<string, Expectation> = {
  'semgrep/edge-semgrep-empty.json': {
    findings: 0,
    suppressed: 0,
    severities: {},
    kinds: {},
    controls: ['sast'],
  },
  'semgrep/semgrep-json-fingerprint.json': {
    findings: 2,
    suppressed: 0,
    severities: { high: 1, medium: 1 },
    kinds: { sast: 2 },
    controls: ['sast'],
    toolVersion: '1.100.0',
  },
  'semgrep/semgrep-json-severities.json': {
    findings: 3,
    suppressed: 0,
    severities: { low: 3 },
    kinds: { sast: 3 },
    controls: ['sast'],
    toolVersion: '1.84.1',
  },
  'semgrep/semgrep-sca-supply-chain.json': {
    findings: 22,
    suppressed: 1,
    severities: { high: 21, critical: 1 },
    kinds: { sca: 22 },
    controls: ['dependency-scan'],
  },
};

/** Independent count: `jq '(.results // .vulns) | length'` and the ignored / triaged ones. */
function countItems(doc: any): { findings: number; suppressed: number } {
  const items: any[] = doc.results ?? doc.vulns ?? [];
  return {
    findings: items.length,
    suppressed: items.filter(
      i =>
        i.extra?.is_ignored === true ||
        (i.triage && !['NEW', 'OPEN'].includes(i.triage.status)),
    ).length,
  };
}

const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => {
    acc[v] = (acc[v] ?? 0) + 1;
    return acc;
  }, {});

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

/** Moves every reported line (CLI `start/end.line`, API `startLine`/`endLine`) down by `delta`. */
function shiftLines(value: unknown, delta: number): unknown {
  if (Array.isArray(value)) return value.map(v => shiftLines(v, delta));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if ((k === 'line' || k === 'startLine') && typeof v === 'number') {
          return [k, v + delta];
        }
        if (k === 'startLine' && typeof v === 'string' && /^\d+$/.test(v)) {
          return [k, String(Number(v) + delta)];
        }
        return [k, shiftLines(v, delta)];
      }),
    );
  }
  return value;
}

describe('semgrepNormalizer', () => {
  it('has an expectation for every Semgrep fixture', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SEMGREP_FILES].sort());
  });

  describe.each(SEMGREP_FILES)('%s', file => {
    const expected = EXPECTED[file];

    it('is detected and normalised with the expected counts', () => {
      const report = parse(file);
      expect(semgrepNormalizer.detect(report)).toBe(true);
      const result = normalize(report);
      expect(result.format).toBe('semgrep');
      expect(result.tool).toBe('Semgrep');
      expect(result.toolVersion).toBe(expected.toolVersion);
      expect(result.controls).toEqual(expected.controls);
      expect(result.findings).toHaveLength(expected.findings);
      expect(result.findings.filter(f => f.suppressed)).toHaveLength(
        expected.suppressed,
      );
      expect(countItems(documentOf(file))).toEqual({
        findings: expected.findings,
        suppressed: expected.suppressed,
      });
      expect(tally(result.findings.map(f => f.severity))).toEqual(
        expected.severities,
      );
      expect(tally(result.findings.map(f => f.kind))).toEqual(expected.kinds);
      for (const finding of result.findings) {
        expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        expect(result.controls).toContain(finding.control);
      }
      // No two findings of these reports are the same problem.
      expect(new Set(result.findings.map(f => f.fingerprint)).size).toBe(
        expected.findings,
      );
    });

    it('is deterministic and independent of key order', () => {
      const first = normalize(parse(file));
      expect(normalize(parse(file))).toEqual(first);
      expect(normalize(json(reverseKeys(documentOf(file))))).toEqual(first);
    });

    it('keeps fingerprints when findings move to other lines', () => {
      const before = normalize(parse(file));
      const after = normalize(json(shiftLines(documentOf(file), 5)));
      expect(after.findings.map(f => f.fingerprint)).toEqual(
        before.findings.map(f => f.fingerprint),
      );
      before.findings.forEach((f, i) =>
        expect(after.findings[i].location?.startLine).toBe(
          f.location!.startLine! + 5,
        ),
      );
    });

    it('never copies the matched code (extra.lines) or the rule text', () => {
      const doc = documentOf(file);
      const code = [
        ...(doc.results ?? []).map((r: any) => r.extra?.lines),
        ...(doc.vulns ?? []).map((v: any) => v.advisory?.ruleText),
      ].filter(
        (s: unknown): s is string =>
          typeof s === 'string' && s.length >= 6 && s !== 'requires login',
      );
      const out = JSON.stringify(normalize(parse(file)));
      for (const value of code) expect(out).not.toContain(value);
    });
  });

  it('maps the supply-chain page: advisory, package, fix, CVE, triage', () => {
    const result = normalize(parse('semgrep/semgrep-sca-supply-chain.json'));
    expect(result.findings[0]).toEqual({
      kind: 'sca',
      control: 'dependency-scan',
      ruleId: 'ssc-82207871-bbda-49be-b1af-49fd927a2f93',
      vulnerabilityId: 'CVE-2023-1428',
      title: 'Reachable Assertion in grpc',
      severity: 'high',
      originalSeverity: 'HIGH',
      location: { path: 'requirements3.txt', startLine: 222 },
      component: { name: 'grpcio', version: '1.47.0', ecosystem: 'gem' },
      fixAvailable: true,
      fixedVersions: ['1.53.0'],
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const closed = result.findings.filter(f => f.suppressed);
    expect(closed.map(f => [f.vulnerabilityId, f.severity])).toEqual([
      ['CVE-2022-0686', 'critical'],
    ]);
  });

  it('uses a real extra.fingerprint, and not "requires login" or repeated values', () => {
    const result = (fingerprint: unknown, line = 3, path = 'a.py') => ({
      check_id: 'r.x',
      path,
      start: { line, col: 1 },
      end: { line, col: 9 },
      extra: { severity: 'ERROR', message: 'm', fingerprint, lines: 'x = 1' },
    });
    const fps = normalize(
      json({
        version: '1.0.0',
        results: [
          result('abc_0'),
          result('abc_1', 9),
          result('requires login', 4, 'c.py'),
          result(undefined, 40, 'c.py'),
          result('dup', 5, 'b.py'),
          result('dup', 6, 'b.py'),
          result(undefined, 7, 'b.py'),
        ],
        errors: [],
      }),
    ).findings.map(f => f.fingerprint);
    expect(fps[0]).not.toBe(fps[1]); // the tool tells these two apart
    expect(fps[2]).toBe(fps[3]); // "requires login" is no identity: rule + file
    expect(fps[0]).not.toBe(fps[2]);
    expect(fps[4]).toBe(fps[6]); // a repeated fingerprint is not an identity
    expect(fps[5]).toBe(fps[6]);
  });

  it('maps every Semgrep severity on purpose', () => {
    const values = [
      'CRITICAL',
      'ERROR',
      'HIGH',
      'WARNING',
      'MEDIUM',
      'INFO',
      'LOW',
      'EXPERIMENT',
      'INVENTORY',
      'whatever',
      undefined,
    ];
    const result = normalize(
      json({
        results: values.map((severity, i) => ({
          check_id: `r${i}`,
          path: 'a.py',
          extra: { severity, message: 'm' },
        })),
        errors: [],
      }),
    );
    expect(result.findings.map(f => [f.originalSeverity, f.severity])).toEqual([
      ['CRITICAL', 'critical'],
      ['ERROR', 'high'],
      ['HIGH', 'high'],
      ['WARNING', 'medium'],
      ['MEDIUM', 'medium'],
      ['INFO', 'low'],
      ['LOW', 'low'],
      ['EXPERIMENT', 'info'],
      ['INVENTORY', 'info'],
      ['whatever', 'info'],
      [undefined, 'info'],
    ]);
  });

  it('reads CLI supply-chain and secrets results, and nosemgrep-ignored ones', () => {
    const otherKey: NormalizeContext = {
      secretFingerprint: s =>
        createHmac('sha256', 'another-key').update(s).digest('hex'),
    };
    const doc = {
      version: '1.90.0',
      results: [
        {
          check_id: 'ssc-1234',
          path: 'package-lock.json',
          start: { line: 10, col: 1 },
          end: { line: 10, col: 5 },
          extra: {
            severity: 'ERROR',
            message: 'lodash is vulnerable',
            metadata: {
              'sca-severity': 'CRITICAL',
              'sca-vuln-database-identifier': 'GHSA-35JH-R3H4-6JHM',
              'sca-fix-versions': [{ lodash: '4.17.21' }],
            },
            sca_info: {
              reachable: false,
              dependency_match: {
                dependency_pattern: { ecosystem: 'npm', package: 'lodash' },
                found_dependency: {
                  package: 'lodash',
                  version: '4.17.20',
                  ecosystem: 'npm',
                },
              },
            },
          },
        },
        {
          check_id: 'generic.secrets.github-token',
          path: 'ci/.env',
          start: { line: 2 },
          end: { line: 2 },
          extra: {
            severity: 'ERROR',
            message: 'GitHub token ghp_SECRETSECRETSECRET found',
            metadata: { product: 'secrets' },
            lines: 'TOKEN=ghp_SECRETSECRETSECRET',
            metavars: { $X: { abstract_content: 'ghp_SECRETSECRETSECRET' } },
          },
        },
        {
          check_id: 'python.x',
          path: 'b.py',
          extra: { severity: 'WARNING', message: 'm', is_ignored: true },
        },
      ],
      errors: [],
    };
    const result = normalize(json(doc));
    expect(result.controls).toEqual([
      'dependency-scan',
      'sast',
      'secret-scanning',
    ]);
    const [sca, secret, ignored] = result.findings;
    expect(sca).toMatchObject({
      kind: 'sca',
      control: 'dependency-scan',
      severity: 'critical',
      vulnerabilityId: 'GHSA-35jh-r3h4-6jhm',
      component: { name: 'lodash', version: '4.17.20', ecosystem: 'npm' },
      fixAvailable: true,
      fixedVersions: ['4.17.21'],
    });
    expect(secret).toMatchObject({
      kind: 'secret',
      control: 'secret-scanning',
      title: 'generic.secrets.github-token',
    });
    expect(JSON.stringify(result)).not.toContain('SECRETSECRET');
    const rekeyed = normalize(json(doc), otherKey);
    expect(rekeyed.findings[1].fingerprint).not.toBe(secret.fingerprint);
    expect(rekeyed.findings[0].fingerprint).toBe(sca.fingerprint);
    expect(ignored.suppressed).toBe(true);
    expect(sca.suppressed).toBeUndefined();
  });

  describe('detection', () => {
    it.each([
      ['null', parseReportBody('null')],
      ['[]', parseReportBody('[]')],
      ['{}', parseReportBody('{}')],
      ['empty', parseReportBody('')],
      ['text', parseReportBody('semgrep found nothing')],
      ['results without errors', json({ results: [] })],
      ['results of another tool', json({ results: [{ id: 1 }], errors: [] })],
      ['an empty vulns page', json({ vulns: [], hasMore: false })],
      ['OSV vulns', json({ vulns: [{ id: 'GHSA-x', affected: [] }] })],
    ])('refuses %s', (_name, report) => {
      expect(semgrepNormalizer.detect(report)).toBe(false);
    });

    const others = [
      'sarif',
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
        return; // not even JSON
      }
      expect(semgrepNormalizer.detect(report)).toBe(false);
    });

    it('does not claim SARIF, not even a Semgrep SARIF with results', () => {
      expect(
        semgrepNormalizer.detect(
          json({
            version: '2.1.0',
            runs: [],
            results: [{ check_id: 'x', path: 'a', extra: {} }],
            errors: [],
          }),
        ),
      ).toBe(false);
    });
  });

  describe('empty bodies named as Semgrep', () => {
    it.each(['', 'null', '[]', '{}'])('%j gives zero findings', body => {
      const result = normalize(parseReportBody(body));
      expect(result.findings).toEqual([]);
      expect(result.controls).toEqual(['sast']);
    });
  });

  describe('malformed documents', () => {
    it.each([
      [{ results: 42, errors: [] }, '$.results must be an array (got number)'],
      [{ version: '1.0.0' }, '$.results must be an array (got undefined)'],
      [{ results: ['x'] }, '$.results[0] must be an object (got string)'],
      [
        { results: [{ check_id: 'a' }, { path: 'b.py' }] },
        '$.results[1].check_id must be a non-empty string (got undefined)',
      ],
      [{ vulns: 'x' }, '$.vulns must be an array (got string)'],
      [
        { vulns: [{ title: 't' }] },
        '$.vulns[0].advisory must be an object (got undefined)',
      ],
      [
        { vulns: [{ advisory: { title: 't' } }] },
        '$.vulns[0].advisory.ruleId must be a non-empty string (got undefined)',
      ],
    ])('%j → %s', (doc, message) => {
      expect(() => normalize(json(doc))).toThrow(ReportFormatError);
      expect(() => normalize(json(doc))).toThrow(`Semgrep JSON: ${message}`);
    });

    it('rejects JSON lines and text', () => {
      expect(() => normalize({ shape: 'ndjson', values: [{}, {}] })).toThrow(
        'Semgrep JSON: $ must be a JSON object (got JSON lines)',
      );
      expect(() => normalize(parseReportBody('hello'))).toThrow(
        'Semgrep JSON: $ must be a JSON object (got text)',
      );
    });
  });
});
