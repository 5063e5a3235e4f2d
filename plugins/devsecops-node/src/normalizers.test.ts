import { NormalizerRegistry, ReportNormalizer } from './normalizers';

const fake = (id: string, key: string): ReportNormalizer => ({
  id,
  title: id.toUpperCase(),
  defaultControl: 'sast',
  detect: doc => typeof doc === 'object' && doc !== null && key in doc,
  normalize: () => ({ tool: id, findings: [] }),
});

describe('NormalizerRegistry', () => {
  it('detects the format of a document by asking each normaliser in order', () => {
    const registry = new NormalizerRegistry();
    registry.add(fake('first', 'a'), fake('second', 'b'));
    expect(registry.detect({ b: 1 })?.id).toBe('second');
    expect(registry.detect({ a: 1, b: 1 })?.id).toBe('first');
    expect(registry.detect({ c: 1 })).toBeUndefined();
  });

  it('refuses a second normaliser for the same format id', () => {
    const registry = new NormalizerRegistry();
    registry.add(fake('sarif', 'runs'));
    expect(() => registry.add(fake('sarif', 'x'))).toThrow(
      "Report format 'sarif' is registered twice",
    );
    expect(registry.list()).toHaveLength(1);
  });

  it('refuses ids that would not be safe in URLs and config', () => {
    const registry = new NormalizerRegistry();
    expect(() => registry.add(fake('Bad Id', 'x'))).toThrow(/is invalid/);
  });
});
