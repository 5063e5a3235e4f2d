import {
  PIPELINE_CONTROLS,
  PIPELINE_STAGES,
  controlsByStage,
} from './controlStack';

describe('pipeline control stack', () => {
  it('holds the five stages of the operating model in delivery order', () => {
    expect(PIPELINE_STAGES.map(s => s.id)).toEqual([
      'commit',
      'pull-request',
      'build',
      'deploy',
      'runtime',
    ]);
  });

  it('groups the seed controls under their stage', () => {
    const grouped = controlsByStage(PIPELINE_CONTROLS);
    const byId = Object.fromEntries(
      grouped.map(g => [g.stage.id, g.controls.map(c => c.id)]),
    );
    expect(byId.commit).toEqual(['secret-scanning', 'pre-commit-checks']);
    expect(byId.build).toEqual([
      'sast',
      'dependency-scan',
      'sbom',
      'container-scan',
    ]);
    expect(grouped.reduce((n, g) => n + g.controls.length, 0)).toBe(
      PIPELINE_CONTROLS.length,
    );
  });

  it('has unique control ids', () => {
    const ids = PIPELINE_CONTROLS.map(c => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses controls that point at a stage that does not exist', () => {
    expect(() =>
      controlsByStage([
        ...PIPELINE_CONTROLS,
        { id: 'x', stage: 'nope' as any, title: 'X' },
      ]),
    ).toThrow('x → nope');
  });
});
