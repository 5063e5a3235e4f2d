import { parseReportBody } from './parse';
import { NormalizerRegistry } from './registry';
import { ReportNormalizer } from './types';

const fake = (id: string, key: string): ReportNormalizer => ({
  id,
  title: id.toUpperCase(),
  detect: r =>
    r.shape === 'json' &&
    typeof r.value === 'object' &&
    r.value !== null &&
    key in r.value,
  normalize: () => ({ format: id, tool: id, controls: ['sast'], findings: [] }),
});

describe('NormalizerRegistry', () => {
  const registry = new NormalizerRegistry();
  registry.add(fake('first', 'a'), fake('second', 'b'));

  it('detects the format of a document by asking each normaliser in order', () => {
    expect(registry.detect(parseReportBody('{"b":1}'))?.id).toBe('second');
    expect(registry.detect(parseReportBody('{"a":1,"b":1}'))?.id).toBe('first');
    expect(registry.detect(parseReportBody('{"c":1}'))).toBeUndefined();
  });

  it('refuses a second normaliser for the same format id', () => {
    const r = new NormalizerRegistry();
    r.add(fake('sarif', 'runs'));
    expect(() => r.add(fake('sarif', 'x'))).toThrow(
      "Report format 'sarif' is registered twice",
    );
    expect(r.list()).toHaveLength(1);
  });

  it('refuses ids that would not be safe in URLs and config', () => {
    expect(() => new NormalizerRegistry().add(fake('Bad Id', 'x'))).toThrow(
      /is invalid/,
    );
  });

  it('names what it detected and what is supported when it cannot read a body', () => {
    expect(() => registry.resolve(parseReportBody('{"c":1}'))).toThrow(
      'Detected JSON (an object with keys c) of no known format. Supported formats: first, second',
    );
    expect(() =>
      registry.resolve(parseReportBody('SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0')),
    ).toThrow(/Detected SPDX tag-value/);
    expect(() =>
      registry.resolve(
        parseReportBody('{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}'),
      ),
    ).toThrow(/Detected SPDX 3 JSON-LD/);
    expect(() => registry.resolve(parseReportBody(''))).toThrow(/empty/);
    expect(() => registry.resolve(parseReportBody('{}'), 'nope')).toThrow(
      "Unknown report format 'nope'",
    );
  });

  it('uses the named format even for an empty body', () => {
    expect(registry.resolve(parseReportBody(''), 'second').id).toBe('second');
  });
});

describe('parseReportBody', () => {
  it('reads JSON, JSON lines with interleaved logs, empty and text bodies', () => {
    expect(parseReportBody('  ')).toEqual({ shape: 'empty' });
    expect(parseReportBody('null')).toEqual({ shape: 'json', value: null });
    expect(parseReportBody('{"a":1}\nlog line\n{"b":2}\n')).toEqual({
      shape: 'ndjson',
      values: [{ a: 1 }, { b: 2 }],
    });
    expect(parseReportBody('\uFEFF[1]')).toEqual({ shape: 'json', value: [1] });
    expect(parseReportBody('SPDXVersion: SPDX-2.2').shape).toBe('text');
  });

  it('refuses broken JSON with the parser message', () => {
    expect(() => parseReportBody('{"runs": [')).toThrow(
      /^The report is not valid JSON: /,
    );
  });
});
