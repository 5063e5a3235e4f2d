import { controlsReadByGate, factLabel, readableReason } from './labels';

describe('readableReason', () => {
  it('replaces fact names with words and makes a sentence', () => {
    expect(readableReason('No observation of exercise.dependency_compromise')).toBe(
      'No observation of a dependency-compromise tabletop exercise.',
    );
    expect(readableReason('branch_protection.required_reviews is 0 (expected at least 1)')).toBe(
      'Required reviews on the protected branch is 0 (expected at least 1).',
    );
  });

  it('spells out state keys and leaves unknown dotted names and finished sentences alone', () => {
    expect(readableReason('Container scan is not_reported; see example.com')).toBe(
      'Container scan is not reported; see example.com.',
    );
    expect(readableReason('Stale: evidence is 40 days old.')).toBe('Stale: evidence is 40 days old.');
    expect(readableReason('')).toBe('');
    // A value or reference at the start keeps its case.
    expect(readableReason(`sha256:${'5a'.repeat(32)} is a known artifact`)).toBe(`sha256:${'5a'.repeat(32)} is a known artifact.`);
    expect(readableReason('component:default/x has no owner')).toBe('component:default/x has no owner.');
  });
});

describe('labels', () => {
  it('names a fact without a label by its name', () => {
    expect(factLabel('pre_commit.enabled')).toBe('pre-commit checks');
    expect(factLabel('custom.fact')).toBe('custom.fact');
  });

  it('knows which controls a gate policy reads', () => {
    expect([...controlsReadByGate(['container_critical_vulns', 'secrets_scan', 'deployment_owner', 'unknown'])].sort()).toEqual([
      'container-scan',
      'secret-scanning',
    ]);
  });
});
