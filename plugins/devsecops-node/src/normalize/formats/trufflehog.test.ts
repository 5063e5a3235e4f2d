import { ReportFormatError } from '../errors';
import { parseReportBody } from '../parse';
import { ParsedReport } from '../types';
import {
  listFixtures,
  readFixture,
  testNormalizeContext,
} from '../../testUtils/fixtures';
import { trufflehogNormalizer } from './trufflehog';

const FILES = listFixtures('trufflehog');

const parsed = (file: string): ParsedReport =>
  parseReportBody(readFixture(file));
const normalize = (report: ParsedReport) =>
  trufflehogNormalizer.normalize(report, testNormalizeContext);
const lines = (values: unknown[]): ParsedReport => ({
  shape: 'ndjson',
  values,
});

/** Independent of parse.ts and the normaliser: every JSON object line of the file. */
function recordsOf(file: string): Array<Record<string, any>> {
  return readFixture(file)
    .toString('utf8')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l.startsWith('{'))
    .map(l => JSON.parse(l));
}
const isFinding = (r: Record<string, any>) =>
  'SourceMetadata' in r || Array.isArray(r.stringsFound);

const isPlaceholder = (value: string) =>
  /^redacted$/i.test(value.trim()) || /^\*+$/.test(value.trim());

/** Secret-bearing and personal fields as FORMATS.md §7 lists them. */
function sensitiveValues(record: Record<string, any>): string[] {
  const out: unknown[] = [
    record.Raw,
    record.RawV2,
    record.Redacted,
    record.diff,
    record.printDiff,
    record.commit, // v2: the commit message
    ...(record.stringsFound ?? []),
    ...Object.values(record.ExtraData ?? {}),
    ...Object.values(record.SecretParts ?? {}),
  ];
  for (const source of Object.values<any>(record.SourceMetadata?.Data ?? {})) {
    out.push(source?.email);
  }
  // Old v3 output wrote Raw/RawV2 as base64: check the decoded secret too.
  for (const raw of [record.Raw, record.RawV2]) {
    if (typeof raw === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(raw)) {
      out.push(Buffer.from(raw, 'base64').toString('latin1'));
    }
  }
  return out.filter(
    (v): v is string =>
      typeof v === 'string' && v.length >= 6 && !isPlaceholder(v),
  );
}

// Verified by hand with
//   python3 -c "import json,sys; print(sum(1 for l in open(sys.argv[1]) if l.strip().startswith('{')))" <file>
const EXPECTED_COUNTS: Record<string, number> = {
  'trufflehog/large/v2-legacy-many.jsonl': 64,
  'trufflehog/v3-git.jsonl': 4,
};

describe('trufflehogNormalizer', () => {
  it('has a literal expectation for every fixture', () => {
    expect(Object.keys(EXPECTED_COUNTS).sort()).toEqual([...FILES].sort());
  });

  it.each(FILES)('normalises %s', file => {
    const records = recordsOf(file).filter(isFinding);
    const result = normalize(parsed(file));
    expect(result.findings).toHaveLength(records.length);
    expect(result.findings).toHaveLength(EXPECTED_COUNTS[file]);
    expect(result.format).toBe('trufflehog');
    expect(result.controls).toEqual(['secret-scanning']);
    for (const [i, finding] of result.findings.entries()) {
      const record = records[i];
      expect(finding.kind).toBe('secret');
      expect(finding.control).toBe('secret-scanning');
      expect(finding.ruleId).toBe(record.DetectorName ?? record.reason);
      const source: any = Object.values(record.SourceMetadata?.Data ?? {})[0];
      expect(finding.location?.path).toBe(source?.file ?? record.path);
      expect(finding.location?.startLine).toBe(source?.line);
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('maps verification to severity', () => {
    const v3 = normalize(parsed('trufflehog/v3-git.jsonl')).findings;
    expect(v3.map(f => [f.severity, f.originalSeverity])).toEqual(
      Array(4).fill(['critical', 'verified']),
    );
    expect(v3.map(f => f.title)).toEqual([
      'AWS secret (verified)',
      'URI secret (verified)',
      'PrivateKey secret (verified)',
      'URI secret (verified)',
    ]);
    const v2 = normalize(
      parsed('trufflehog/large/v2-legacy-many.jsonl'),
    ).findings;
    expect(new Set(v2.map(f => f.severity))).toEqual(new Set(['high']));

    const base = recordsOf('trufflehog/v3-git.jsonl')[0];
    const one = (record: Record<string, unknown>) =>
      normalize(lines([record])).findings[0];
    expect(one({ ...base, Verified: false })).toMatchObject({
      severity: 'high',
      originalSeverity: 'unverified',
      title: 'AWS secret',
    });
    expect(
      one({ ...base, Verified: false, VerificationError: 'dial tcp: timeout' }),
    ).toMatchObject({
      severity: 'high',
      originalSeverity: 'verification-error',
    });
  });

  it.each(FILES)('never outputs a secret or personal value of %s', file => {
    const text = JSON.stringify(normalize(parsed(file)));
    const values = recordsOf(file).flatMap(sensitiveValues);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      expect(text).not.toContain(value);
    }
  });

  it('finds secret values to check in the fixtures (the leak test is not vacuous)', () => {
    const values = FILES.flatMap(f => recordsOf(f).flatMap(sensitiveValues));
    expect(values).toEqual(
      expect.arrayContaining([
        'AKIAYVP4CIPPERUVIFXG',
        'https://admin:admin@the-internet.herokuapp.com/basic_auth',
        '595918472158',
      ]),
    );
  });

  it('gives one fingerprint per (detector, file, secret), whatever the line or commit', () => {
    for (const file of FILES) {
      const records = recordsOf(file).filter(isFinding);
      const expected = new Set(
        records.map(r =>
          JSON.stringify(
            r.SourceMetadata
              ? [
                  r.DetectorName,
                  r.SourceMetadata.Data.Git.file,
                  r.RawV2 || r.Raw,
                ]
              : [r.reason, r.path, [...new Set(r.stringsFound)].sort()],
          ),
        ),
      );
      const fingerprints = new Set(
        normalize(parsed(file)).findings.map(f => f.fingerprint),
      );
      expect(fingerprints.size).toBe(expected.size);
    }
    // Hand-checked: records 2 and 4 of v3-git.jsonl are the same URI secret on the same line.
    expect(
      new Set(
        normalize(parsed('trufflehog/v3-git.jsonl')).findings.map(
          f => f.fingerprint,
        ),
      ).size,
    ).toBe(3);
  });

  it('keeps fingerprints when keys are reordered, lines move or Raw is plain instead of base64', () => {
    const records = recordsOf('trufflehog/v3-git.jsonl');
    const before = normalize(lines(records)).findings.map(f => f.fingerprint);
    const changed = records.map(r => {
      const git = r.SourceMetadata.Data.Git;
      const reordered = Object.fromEntries(Object.entries(r).reverse());
      return {
        ...reordered,
        Raw: Buffer.from(r.Raw, 'base64').toString('utf8'),
        SourceMetadata: {
          Data: {
            Git: Object.fromEntries(
              Object.entries({
                ...git,
                line: git.line + 10,
                commit: 'f'.repeat(40),
              }).reverse(),
            ),
          },
        },
      };
    });
    expect(normalize(lines(changed)).findings.map(f => f.fingerprint)).toEqual(
      before,
    );
    // …but another secret is another finding.
    expect(
      normalize(lines([{ ...records[0], Raw: 'AKIAAAAAAAAAAAAAAAAA' }]))
        .findings[0].fingerprint,
    ).not.toBe(before[0]);
    // RawV2 wins over Raw when present.
    expect(
      normalize(
        lines([{ ...records[0], RawV2: 'AKIAYVP4CIPPERUVIFXGsecretpart' }]),
      ).findings[0].fingerprint,
    ).not.toBe(before[0]);
  });

  it('is deterministic', () => {
    for (const file of FILES) {
      expect(normalize(parsed(file))).toEqual(normalize(parsed(file)));
    }
  });

  it('reads single objects, arrays, other sources and skips interleaved JSON log lines', () => {
    const [first] = recordsOf('trufflehog/v3-git.jsonl');
    const single = parseReportBody(JSON.stringify(first));
    expect(single.shape).toBe('json');
    expect(trufflehogNormalizer.detect(single)).toBe(true);
    expect(normalize(single).findings).toHaveLength(1);
    expect(
      normalize({ shape: 'json', value: [first, first] }).findings,
    ).toHaveLength(2);

    const log = {
      level: 'info-0',
      ts: '2024-01-01T00:00:00Z',
      logger: 'trufflehog',
      msg: 'running source',
    };
    const body = [log, first, log]
      .map(r => JSON.stringify(r))
      .join('\nplain log line\n');
    const report = parseReportBody(body);
    expect(report.shape).toBe('ndjson');
    expect(trufflehogNormalizer.detect(report)).toBe(true);
    expect(normalize(report).findings).toHaveLength(1);

    const filesystem = normalize(
      lines([
        {
          ...first,
          SourceMetadata: {
            Data: { Filesystem: { file: '.\\config\\app.env', line: 7 } },
          },
        },
      ]),
    ).findings[0];
    expect(filesystem.location).toEqual({
      path: 'config/app.env',
      startLine: 7,
    });
  });

  it('detects TruffleHog output and nothing ambiguous or foreign', () => {
    for (const file of FILES) {
      expect(trufflehogNormalizer.detect(parsed(file))).toBe(true);
    }
    for (const body of ['null', '[]', '{}', '', '{"level":"info","msg":"x"}']) {
      expect(trufflehogNormalizer.detect(parseReportBody(body))).toBe(false);
    }
    for (const foreign of [
      'gitleaks/v8-golden-simple.json',
      'gitleaks/dd-v7.5-legacy.json',
      'attestations/slsa-vsa-gce.jsonl',
      'attestations/slsa-multi-subject.intoto.jsonl',
      'sarif/gitleaks-v8.sarif',
      'trivy/secrets-repo.json',
    ]) {
      expect(trufflehogNormalizer.detect(parsed(foreign))).toBe(false);
    }
    // A foreign record among findings makes the body not TruffleHog output.
    const [first] = recordsOf('trufflehog/v3-git.jsonl');
    expect(trufflehogNormalizer.detect(lines([first, { other: 1 }]))).toBe(
      false,
    );
  });

  it('reads the empty shapes as a clean scan when the format is named', () => {
    for (const body of ['', 'null', '[]']) {
      const result = normalize(parseReportBody(body));
      expect(result.findings).toEqual([]);
      expect(result.controls).toEqual(['secret-scanning']);
    }
  });

  it('rejects malformed documents naming the JSON path', () => {
    const [first] = recordsOf('trufflehog/v3-git.jsonl');
    const cases: Array<[ParsedReport, string]> = [
      [
        { shape: 'json', value: 42 },
        'TruffleHog JSON lines: $ must be JSON lines of TruffleHog findings (got number)',
      ],
      [
        { shape: 'text', text: 'hello' },
        'TruffleHog JSON lines: $ must be JSON lines of TruffleHog findings (got text)',
      ],
      [
        lines([first, { other: 1 }]),
        'TruffleHog JSON lines: $[1] is not a TruffleHog finding',
      ],
      [
        { shape: 'json', value: [first, 'x'] },
        'TruffleHog JSON lines: $[1] must be an object (got string)',
      ],
      [
        lines([first, { ...first, SourceMetadata: 5 }]),
        'TruffleHog JSON lines: $[1].SourceMetadata must be an object (got number)',
      ],
      [
        { shape: 'json', value: { ...first, SourceMetadata: { Data: [] } } },
        'TruffleHog JSON lines: $.SourceMetadata.Data must be an object (got array)',
      ],
      [
        lines([{ ...first, Verified: 'yes' }]),
        'TruffleHog JSON lines: $[0].Verified must be a boolean (got string)',
      ],
      [
        lines([{ reason: 'x', path: 'a', stringsFound: 3 }]),
        'TruffleHog JSON lines: $[0].stringsFound must be an array (got number)',
      ],
      [
        lines([{ reason: 'x', path: 'a', stringsFound: [1] }]),
        'TruffleHog JSON lines: $[0].stringsFound[0] must be a string (got number)',
      ],
    ];
    for (const [report, message] of cases) {
      expect(() => normalize(report)).toThrow(ReportFormatError);
      expect(() => normalize(report)).toThrow(message);
    }
  });
});
