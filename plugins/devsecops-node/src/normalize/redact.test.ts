import { builtInNormalizers } from './formats';
import { NormalizerRegistry } from './registry';
import { REDACTION_MARKER, redactReport, serializeReport } from './redact';
import { ParsedReport, ReportNormalizer } from './types';

/** A format a backend module adds, whose secret sits in a field no built-in format has. */
const moduleFormat: ReportNormalizer = {
  id: 'acme-secrets',
  title: 'ACME secret scanner JSON',
  detect: report =>
    report.shape === 'json' &&
    typeof report.value === 'object' &&
    report.value !== null &&
    'acmeFindings' in report.value,
  normalize: () => ({
    format: 'acme-secrets',
    tool: 'acme',
    controls: ['secret-scanning'],
    findings: [],
  }),
  secretFields: ['secretValue'],
};

const SECRET = 'ghp_MODULEFORMATSECRET0123456789abcdef';
const moduleBody: ParsedReport = {
  shape: 'json',
  value: {
    acmeFindings: [{ rule: 'github-pat', file: 'a.env', SecretValue: SECRET }],
  },
};

describe('redaction in the format contract', () => {
  it("redacts a module format's declared secret field, whatever its case", () => {
    const registry = new NormalizerRegistry();
    registry.add(...builtInNormalizers, moduleFormat);
    const reader = registry.resolve(moduleBody);
    expect(reader.id).toBe('acme-secrets');
    const redacted = registry.redact(moduleBody, reader);
    expect(redacted.changed).toBe(true);
    const kept = serializeReport(redacted.report);
    expect(kept).not.toContain(SECRET);
    expect(kept).toContain(REDACTION_MARKER);
    expect(kept).toContain('github-pat');
    // The parsed original is left as it was.
    expect(JSON.stringify(moduleBody)).toContain(SECRET);
  });

  it('only the formats it is given (and the built-in ones) decide what is secret', () => {
    expect(redactReport(moduleBody).changed).toBe(false);
    expect(
      redactReport(moduleBody, { normalizers: [moduleFormat] }).changed,
    ).toBe(true);
  });

  it('redacts every registered format’s fields in any body (the defensive union)', () => {
    const sarifWithModuleField: ParsedReport = {
      shape: 'json',
      value: {
        version: '2.1.0',
        runs: [{ results: [{ properties: { secretValue: SECRET } }] }],
      },
    };
    const registry = new NormalizerRegistry();
    registry.add(...builtInNormalizers, moduleFormat);
    const redacted = registry.redact(
      sarifWithModuleField,
      registry.get('sarif'),
    );
    expect(serializeReport(redacted.report)).not.toContain(SECRET);
  });

  it('keeps the built-in formats’ fields next to their parsers', () => {
    const owners = Object.fromEntries(
      builtInNormalizers
        .filter(n => n.secretFields || n.secretStringFields)
        .map(n => [
          n.id,
          [...(n.secretFields ?? []), ...(n.secretStringFields ?? [])]
            .map(k => k.toLowerCase())
            .sort(),
        ]),
    );
    expect(owners).toEqual({
      checkov: ['code_block'],
      gitleaks: [
        'fragment',
        'line',
        'match',
        'offender',
        'requiredfindings',
        'secret',
      ],
      kics: ['actual_value', 'expected_value'],
      sarif: ['offender', 'snippet'],
      semgrep: ['lines'],
      trivy: ['code', 'match'],
      trufflehog: [
        'diff',
        'extradata',
        'printdiff',
        'raw',
        'rawv2',
        'redacted',
        'secretparts',
        'stringsfound',
      ],
    });
  });

  it('treats a string-only field as secret only when it holds a string', () => {
    const v7: ParsedReport = {
      shape: 'json',
      value: [{ rule: 'AWS', line: `key = ${SECRET}`, lineNumber: 3 }],
    };
    const sarifLine: ParsedReport = {
      shape: 'json',
      value: { region: { line: 12 } },
    };
    expect(serializeReport(redactReport(v7).report)).not.toContain(SECRET);
    expect(redactReport(sarifLine).changed).toBe(false);
  });

  it("runs the reading format's own redact function after the fields", () => {
    const positional: ReportNormalizer = {
      ...moduleFormat,
      id: 'positional',
      secretFields: [],
      redact: report =>
        report.shape === 'ndjson'
          ? { shape: 'ndjson', values: report.values.map(() => ['x']) }
          : report,
    };
    const body: ParsedReport = {
      shape: 'ndjson',
      values: [[SECRET], { Secret: SECRET }],
    };
    const byReader = redactReport(body, { reader: positional });
    expect(byReader.changed).toBe(true);
    expect(serializeReport(byReader.report)).not.toContain(SECRET);
    // Another format's redact function is not applied to bodies it did not read.
    const registry = new NormalizerRegistry();
    registry.add(...builtInNormalizers, positional);
    expect(
      serializeReport(registry.redact(body, registry.get('trufflehog')).report),
    ).toContain(SECRET);
  });

  it('refuses a format declaring a secret field that is not a string', () => {
    const registry = new NormalizerRegistry();
    expect(() => registry.add({ ...moduleFormat, secretFields: [''] })).toThrow(
      /secret field/,
    );
  });
});
