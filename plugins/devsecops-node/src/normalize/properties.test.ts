/*
 * Property tests of the built-in normalisers and of body parsing, with fast-check. Fixed seed and
 * bounded runs, so the file is reproducible and quick; a failure prints fast-check's
 * counterexample and seed.
 */
import fc from 'fast-check';
import { InputError } from '@backstage/errors';
import { builtInNormalizers } from './formats';
import { parseReportBody } from './parse';
import { NormalizerRegistry } from './registry';
import { NormalizedReport, ParsedReport, ReportNormalizer } from './types';
import {
  listFixtures,
  readFixture,
  testNormalizeContext,
} from '../testUtils/fixtures';

const SEED = 20261128;
const params = (numRuns: number) => ({ seed: SEED, numRuns });

const registry = new NormalizerRegistry();
registry.add(...builtInNormalizers);

/**
 * How a call ended: `ok`, `InputError: …` (also its subclasses ReportFormatError and
 * UnsupportedFormatError, the only errors a normaliser may throw) or `OTHER …` naming what else was thrown.
 */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof InputError) return `InputError: ${error.message}`;
    return `OTHER ${(error as Error)?.name ?? typeof error}: ${
      (error as Error)?.message ?? String(error)
    }`;
  }
}
const expectOnlyInputError = (run: () => unknown) =>
  expect(outcome(run)).not.toMatch(/^OTHER/);

const normalize = (
  n: ReportNormalizer,
  report: ParsedReport,
): NormalizedReport => n.normalize(report, testNormalizeContext);

/** Real fixtures that a built-in normaliser reads, with that normaliser (large files left out for speed). */
const readable: Array<{
  file: string;
  normalizer: ReportNormalizer;
  report: ParsedReport;
}> = [];
for (const folder of [
  'sarif',
  'cyclonedx',
  'spdx',
  'trivy',
  'grype',
  'osv',
  'semgrep',
  'iac',
  'gitleaks',
  'trufflehog',
  'scorecard',
  'openvex',
]) {
  for (const file of listFixtures(folder)) {
    if (/\/(large|schema)\//.test(file)) continue;
    const body = readFixture(file);
    if (body.length > 400_000) continue;
    let report: ParsedReport;
    try {
      report = parseReportBody(body);
    } catch {
      continue;
    }
    const normalizer = registry.detect(report);
    if (!normalizer) continue;
    try {
      normalize(normalizer, report);
    } catch {
      continue; // the invalid edge-* fixtures
    }
    readable.push({ file, normalizer, report });
  }
}

/** The smallest readable fixture of each format: the seed documents of the mutation properties. */
const seeds = builtInNormalizers.map(n => {
  const candidates = readable
    .filter(r => r.normalizer.id === n.id)
    .sort(
      (a, b) =>
        JSON.stringify(a.report).length - JSON.stringify(b.report).length,
    );
  return { normalizer: n, seed: candidates[0]?.report };
});

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const parsedReport: fc.Arbitrary<ParsedReport> = fc.oneof(
  jsonValue.map(value => ({ shape: 'json' as const, value })),
  fc
    .array(jsonValue, { minLength: 1, maxLength: 5 })
    .map(values => ({ shape: 'ndjson' as const, values })),
  fc.constant({ shape: 'empty' as const }),
  fc.string({ maxLength: 200 }).map(text => ({ shape: 'text' as const, text })),
);

/** Every path (list of keys) into a JSON value. */
function paths(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
) {
  out.push(prefix);
  if (Array.isArray(value))
    value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}

/** A copy of the value with the subtree at the path replaced. */
function replaceAt(
  value: unknown,
  path: Array<string | number>,
  replacement: unknown,
): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  Object.defineProperty(copy, head, {
    value: replaceAt(copy[head as string], rest, replacement),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** A report with one subtree of the seed document replaced by an arbitrary JSON value. */
const mutated = (seed: ParsedReport): fc.Arbitrary<ParsedReport> => {
  const docs =
    seed.shape === 'ndjson'
      ? seed.values
      : [seed.shape === 'json' ? seed.value : null];
  const allPaths = docs.flatMap((d, i) =>
    paths(d).map(p => ({ doc: i, path: p })),
  );
  return fc
    .tuple(fc.integer({ min: 0, max: allPaths.length - 1 }), jsonValue)
    .map(([index, replacement]) => {
      const { doc, path } = allPaths[index];
      const values = docs.map((d, i) =>
        i === doc ? replaceAt(d, path, replacement) : d,
      );
      return seed.shape === 'ndjson'
        ? { shape: 'ndjson' as const, values }
        : { shape: 'json' as const, value: values[0] };
    });
};

/** A deterministic PRNG (mulberry32), for shuffles driven by a fast-check integer. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value with the keys of every object (at every depth) in a random order; arrays keep their order. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map(v => shuffleKeys(v, random));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, {
      value: shuffleKeys(v, random),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const fingerprints = (report: NormalizedReport) =>
  report.findings.map(f => f.fingerprint).sort();

describe('normaliser properties', () => {
  it('reads at least one real fixture of every built-in format', () => {
    expect(seeds.filter(s => !s.seed).map(s => s.normalizer.id)).toEqual([]);
  });

  describe.each(builtInNormalizers.map(n => [n.id, n] as const))(
    '%s',
    (_id, normalizer) => {
      const seed = seeds.find(s => s.normalizer === normalizer)!.seed!;

      it('detect never throws, and normalize throws only InputError, on arbitrary documents', () => {
        fc.assert(
          fc.property(parsedReport, report => {
            expect(() => normalizer.detect(report)).not.toThrow();
            expectOnlyInputError(() => normalize(normalizer, report));
          }),
          params(300),
        );
      });

      it('detect never throws, and normalize throws only InputError, on mutated real fixtures', () => {
        fc.assert(
          fc.property(mutated(seed), report => {
            expect(() => normalizer.detect(report)).not.toThrow();
            expectOnlyInputError(() => normalize(normalizer, report));
          }),
          params(1000),
        );
      });

      it('is deterministic: the same document normalises to deep-equal results', () => {
        fc.assert(
          fc.property(mutated(seed), report => {
            // A result must be the same result, a refusal the same refusal.
            const run = () => {
              try {
                return normalize(normalizer, report);
              } catch (error) {
                return { refused: (error as Error).message };
              }
            };
            expect(run()).toEqual(run());
          }),
          params(200),
        );
      });
    },
  );

  describe.each(readable.map(r => [r.file, r] as const))(
    'fingerprints of %s',
    (_file, { normalizer, report }) => {
      it('are the same multiset whatever the order of object keys', () => {
        const expected = fingerprints(normalize(normalizer, report));
        fc.assert(
          fc.property(fc.integer(), shuffleSeed => {
            const random = prng(shuffleSeed);
            const shuffled: ParsedReport =
              report.shape === 'ndjson'
                ? {
                    shape: 'ndjson',
                    values: report.values.map(v => shuffleKeys(v, random)),
                  }
                : {
                    shape: 'json',
                    value: shuffleKeys(
                      (report as { value: unknown }).value,
                      random,
                    ),
                  };
            expect(fingerprints(normalize(normalizer, shuffled))).toEqual(
              expected,
            );
          }),
          params(10),
        );
      });
    },
  );
});

describe('parseReportBody properties', () => {
  const body = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map(bytes => Buffer.from(bytes)),
    fc
      .array(fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 30 })), {
        maxLength: 6,
      })
      .map(lines => lines.join('\n')),
    fc
      .json({ maxDepth: 4 })
      .chain(json =>
        fc.nat({ max: json.length }).map(cut => json.slice(0, cut)),
      ),
  );

  it('never throws anything but InputError, and a result has a known shape', () => {
    fc.assert(
      fc.property(body, input => {
        expectOnlyInputError(() => {
          const parsed = parseReportBody(input);
          expect(['json', 'ndjson', 'empty', 'text']).toContain(parsed.shape);
        });
      }),
      params(2000),
    );
  });

  it('resolving a format for any parsed body throws only InputError', () => {
    fc.assert(
      fc.property(body, input => {
        expect(
          outcome(() => registry.resolve(parseReportBody(input))),
        ).not.toMatch(/^OTHER/);
      }),
      params(500),
    );
  });
});
