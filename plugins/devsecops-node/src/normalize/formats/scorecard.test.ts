import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { NormalizerRegistry } from '../registry';
import { ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  readFixtureJson,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { builtInNormalizers } from '.';
import { sarifNormalizer } from './sarif';
import { SCORECARD_PASSING_SCORE, scorecardNormalizer } from './scorecard';

const JSON_FIXTURE = 'scorecard/scorecard-oidc-test-results.json';
const SARIF_FIXTURE = 'scorecard/scorecard-oidc-test-results.sarif';

const json = (value: unknown): ParsedReport => ({ shape: 'json', value });
const normalize = (report: ParsedReport) =>
  scorecardNormalizer.normalize(report, testNormalizeContext);
const factsOf = (report: ParsedReport) =>
  new Map((normalize(report).facts ?? []).map(f => [f.fact, f.value]));

describe('openssf-scorecard', () => {
  const doc = readFixtureJson(JSON_FIXTURE) as any;

  it('reads the real result (scorecard-action signing test data): every check kept', () => {
    const report = normalize(parseReportBody(readFixture(JSON_FIXTURE)));
    expect(report).toMatchObject({
      format: 'openssf-scorecard',
      tool: 'Scorecard',
      toolVersion: 'unknown',
      controls: ['code-review'],
      findings: [],
      artifact: {
        name: 'github.com/rohankh532/scorecard-OIDC-test',
        commit: '80ec5079f66133cb6cefb09aad9b4565456b7f70',
      },
    });
    const facts = factsOf(parseReportBody(readFixture(JSON_FIXTURE)));
    // Independent count: two facts per check, and the four checklist facts (all conclusive here).
    expect(doc.checks).toHaveLength(18);
    expect(facts.size).toBe(doc.checks.length * 2 + 4);
    for (const check of doc.checks) {
      const slug = check.name.toLowerCase();
      expect(facts.get(`openssf.${slug}.score`)).toBe(check.score);
      expect(facts.get(`openssf.${slug}.result`)).toEqual({
        check: check.name,
        score: check.score,
        reason: check.reason,
        details: [],
        documentationUrl: check.documentation.url,
        repo: 'github.com/rohankh532/scorecard-OIDC-test',
        commit: '80ec5079f66133cb6cefb09aad9b4565456b7f70',
      });
    }
  });

  it('keeps -1 as inconclusive and derives the checklist facts from conclusive scores', () => {
    const facts = factsOf(parseReportBody(readFixture(JSON_FIXTURE)));
    expect(facts.get('openssf.signed-releases.score')).toBe(-1);
    expect(facts.get('openssf.ci-tests.score')).toBe(-1);
    expect(facts.get('openssf.token-permissions.score')).toBe(10);
    expect(facts.get('openssf.pinned-dependencies.score')).toBe(8);
    expect(facts.get('ci.least_privilege_tokens')).toBe(true);
    expect(SCORECARD_PASSING_SCORE).toBe(8);
    expect(facts.get('ci.pinned_dependencies')).toBe(true);
    expect(facts.get('ci.no_dangerous_workflows')).toBe(true);
    expect(facts.get('dependency_updates.automated')).toBe(false);

    const inconclusive = structuredClone(doc);
    for (const check of inconclusive.checks) check.score = -1;
    const none = factsOf(json(inconclusive));
    expect(none.has('ci.least_privilege_tokens')).toBe(false);
    expect(none.has('dependency_updates.automated')).toBe(false);
    expect(none.get('openssf.token-permissions.score')).toBe(-1);
  });

  it('bounds the details: 20 lines of at most 300 characters, counting the rest', () => {
    const long = structuredClone(doc);
    const pinned = long.checks.find((c: any) => c.name === 'Pinned-Dependencies');
    pinned.details = [
      `Warn: ${'x'.repeat(5000)}`,
      ...Array.from({ length: 99 }, (_, i) => `Warn: GitHub-owned GitHubAction not pinned by hash: .github/workflows/ci.yml:${i + 1}`),
      '   ',
    ];
    const result = factsOf(json(long)).get('openssf.pinned-dependencies.result') as any;
    expect(result.details).toHaveLength(20);
    expect(result.details[0]).toHaveLength(300);
    expect(result.details[0].endsWith('...')).toBe(true);
    expect(result.detailsOmitted).toBe(80);
    expect(JSON.stringify(result).length).toBeLessThan(8000);
  });

  it('detects the result, and nothing else in the fixtures', () => {
    expect(scorecardNormalizer.detect(parseReportBody(readFixture(JSON_FIXTURE)))).toBe(true);
    const others = listFixtures('')
      .filter(f => f !== JSON_FIXTURE && /\.(json|sarif)$/.test(f));
    for (const file of others) {
      let report: ParsedReport;
      try {
        report = parseReportBody(readFixture(file));
      } catch {
        continue;
      }
      expect([file, scorecardNormalizer.detect(report)]).toEqual([file, false]);
    }
    const registry = new NormalizerRegistry();
    registry.add(...builtInNormalizers);
    expect(registry.resolve(parseReportBody(readFixture(JSON_FIXTURE))).id).toBe('openssf-scorecard');
  });

  it('refuses malformed results naming the path', () => {
    const bad = (mutate: (d: any) => void) => {
      const copy = structuredClone(doc);
      mutate(copy);
      return () => normalize(json(copy));
    };
    expect(bad(d => (d.checks[3].score = 11))).toThrow(
      'OpenSSF Scorecard JSON: $.checks[3].score must be a whole number from -1 (inconclusive) to 10 (got 11)',
    );
    expect(bad(d => (d.checks[0].score = '10'))).toThrow('$.checks[0].score must be a whole number');
    expect(bad(d => (d.checks[1].details = [1]))).toThrow('$.checks[1].details[0] must be a string (got number)');
    expect(bad(d => delete d.checks[2].name)).toThrow('$.checks[2].name must be a non-empty string');
    expect(bad(d => (d.checks = null))).toThrow('$.checks must be an array (got null)');
    expect(bad(d => delete d.repo)).toThrow(ReportFormatError);
    expect(() => normalize({ shape: 'empty' })).toThrow('$ must be a Scorecard result object (got an empty body)');
    expect(() => normalize(json([]))).toThrow('(got array)');
  });

  it('the SARIF normaliser refuses Scorecard SARIF and points to the JSON format', () => {
    const sarif = parseReportBody(readFixture(SARIF_FIXTURE));
    expect(sarifNormalizer.detect(sarif)).toBe(true);
    expect(scorecardNormalizer.detect(sarif)).toBe(false);
    expect(() => sarifNormalizer.normalize(sarif, testNormalizeContext)).toThrow(
      "SARIF 2.1.0: $.runs[0].tool.driver.name is OpenSSF Scorecard, whose SARIF leaves out the checks' scores: upload `scorecard --format json` instead (format 'openssf-scorecard')",
    );
  });
});
