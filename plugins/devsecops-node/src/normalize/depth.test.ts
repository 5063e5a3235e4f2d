import { MAX_REPORT_DEPTH, ReportTooDeepError } from './errors';
import { cyclonedxNormalizer, sarifNormalizer } from './formats';
import { parseReportBody } from './parse';
import { redactReport } from './redact';
import { ParsedReport } from './types';

const context = { secretFingerprint: (s: string) => `hmac:${s.length}` };

/** `{"a":{"a":…1…}}`, `levels` objects deep. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const sarifWithProperties = (properties: string) =>
  `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL"}},"results":[{"ruleId":"r","message":{"text":"m"},"properties":${properties}}]}]}`;

describe('nesting depth of reports', () => {
  it('refuses a report nested 10,000 deep with a 400 naming the limit, not a stack overflow', () => {
    const body = sarifWithProperties(nested(10_000));
    let error: unknown;
    try {
      parseReportBody(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReportTooDeepError);
    expect((error as Error).name).toBe('InputError');
    expect((error as Error).message).toBe(
      `The report nests objects and arrays more than ${MAX_REPORT_DEPTH} levels deep, the most a report may have`,
    );
  });

  it('refuses deep JSON lines and deep arrays too', () => {
    const line = `{"SourceMetadata":{},"DetectorName":"AWS","Raw":"x","ExtraData":${nested(5_000)}}`;
    expect(() => parseReportBody(`${line}\n${line}`)).toThrow(ReportTooDeepError);
    expect(() =>
      parseReportBody(`${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    ).toThrow(ReportTooDeepError);
  });

  it('reads reports up to the limit, and redacts them', () => {
    const parsed = parseReportBody(
      sarifWithProperties(nested(MAX_REPORT_DEPTH - 10)),
    );
    expect(sarifNormalizer.normalize(parsed, context).findings).toHaveLength(1);
    expect(redactReport(parsed).changed).toBe(false);
  });

  it('redaction refuses a deep document it is handed directly (no RangeError)', () => {
    const value = JSON.parse(nested(10_000));
    const report: ParsedReport = { shape: 'json', value: { snippet: 's', value } };
    expect(() => redactReport(report)).toThrow(ReportTooDeepError);
    expect(() => redactReport({ shape: 'ndjson', values: [value] })).toThrow(
      ReportTooDeepError,
    );
  });

  it('bounds the walk over nested CycloneDX components', () => {
    const levels = 150;
    const bom = `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[${'{"name":"a","components":['.repeat(
      levels,
    )}${']}'.repeat(levels)}]}`;
    expect(() =>
      cyclonedxNormalizer.normalize(parseReportBody(bom), context),
    ).toThrow(/nests components more than 100 levels deep/);
  });
});
