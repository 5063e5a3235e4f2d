import { ConfigReader } from '@backstage/config';
import { PIPELINE_CONTROLS } from '@devsecops-scorecard/plugin-devsecops-common';
import {
  DEFAULT_CONTROLS,
  DEFAULT_METRIC_TARGETS,
  DEFAULT_POLICIES,
  DEFAULT_SLA_DAYS,
  DEFAULT_STAGES,
} from './defaults';
import { readScorecardConfig } from './readScorecardConfig';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const read = (devsecops?: JsonObject) =>
  readScorecardConfig(new ConfigReader(devsecops === undefined ? {} : { devsecops }));

const refusal = (devsecops: JsonObject): string => {
  try {
    read(devsecops);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(devsecops)} to be refused`);
};

const control = (settings: ReturnType<typeof read>, id: string) =>
  settings.evaluation.controls.find(c => c.id === id);

const SEED_PRODUCTION = {
  name: 'production_release',
  environment: 'production',
  requires: DEFAULT_POLICIES.production_release.requires,
};

describe('readScorecardConfig', () => {
  describe('defaults', () => {
    it.each([
      ['no devsecops key', undefined],
      ['an empty devsecops key', {}],
      ['only unrelated devsecops keys', { ingest: { maxReportBytes: 1000 }, secretFingerprintKey: 'k' }],
    ])('uses the shipped defaults with %s', (_case, devsecops) => {
      const settings = read(devsecops as JsonObject | undefined);
      expect(settings.evaluation.controls).toHaveLength(15);
      expect(settings.evaluation.controls.map(c => c.id)).toEqual(PIPELINE_CONTROLS.map(c => c.id));
      expect(settings.evaluation.controls).toEqual(DEFAULT_CONTROLS);
      expect(settings.policies).toEqual([SEED_PRODUCTION]);
      expect(settings.evaluation.stages).toHaveLength(4);
      expect(settings.evaluation.stages).toBe(DEFAULT_STAGES);
      expect(settings.evaluation.severityPolicy).toEqual({ slaDays: DEFAULT_SLA_DAYS, configured: false });
      expect(settings.evaluation.metricTargets).toEqual(DEFAULT_METRIC_TARGETS);
    });

    it('gives every default control a rule and a freshness window', () => {
      for (const c of read().evaluation.controls) {
        expect(c.rule).toBeDefined();
        expect(c.freshnessDays).toBeGreaterThan(0);
      }
    });
  });

  describe('overrides', () => {
    it('marks the severity policy configured and merges partial SLAs over the defaults', () => {
      const settings = read({ severityPolicy: { slaDays: { critical: 3 } } });
      expect(settings.evaluation.severityPolicy).toEqual({
        slaDays: { ...DEFAULT_SLA_DAYS, critical: 3 },
        configured: true,
      });
    });

    it('merges partial metric targets over the defaults', () => {
      const settings = read({ metricTargets: { meanTimeToPatchDays: 14 } });
      expect(settings.evaluation.metricTargets).toEqual({ ...DEFAULT_METRIC_TARGETS, meanTimeToPatchDays: 14 });
    });

    it('overrides freshnessDays, failOnSeverity and appliesToTypes of a control, keeping the rest', () => {
      const settings = read({
        controls: {
          'dependency-scan': { freshnessDays: 7, failOnSeverity: 'high' },
          sast: { appliesToTypes: ['service'] },
        },
      });
      expect(control(settings, 'dependency-scan')).toEqual({
        id: 'dependency-scan',
        stage: 'build',
        title: 'Dependency scan',
        freshnessDays: 7,
        rule: { type: 'findings', failOnSeverity: 'high' },
        appliesToTypes: undefined,
        capability: 'dependency-security',
      });
      expect(control(settings, 'sast')).toMatchObject({
        freshnessDays: 30,
        rule: { type: 'findings', failOnSeverity: 'high' },
        appliesToTypes: ['service'],
      });
      expect(settings.evaluation.controls).toHaveLength(15);
    });

    it('keeps a fact control its fact when only the expectation changes', () => {
      const settings = read({ controls: { 'code-review': { atLeast: 2 } } });
      expect(control(settings, 'code-review')!.rule).toEqual({
        type: 'fact',
        fact: 'branch_protection.required_reviews',
        atLeast: 2,
        equals: undefined,
        // The shipped further conditions stay.
        whenObserved: [
          { fact: 'branch_protection.required_status_checks', atLeast: 1 },
          { fact: 'code_review.owner_review', equals: true },
        ],
      });
    });

    it('disables a control', () => {
      const settings = read({ controls: { 'dependency-diff': { enabled: false } } });
      expect(control(settings, 'dependency-diff')).toBeUndefined();
      expect(settings.evaluation.controls).toHaveLength(14);
    });

    it('adds a new fact control and a new findings control', () => {
      const settings = read({
        controls: {
          'license-check': { stage: 'build', title: 'License check', freshnessDays: 30, fact: 'license_check.enabled' },
          dast: { stage: 'deploy', title: 'DAST', freshnessDays: 14, failOnSeverity: 'high', appliesToTypes: ['website'] },
        },
      });
      expect(settings.evaluation.controls).toHaveLength(17);
      expect(control(settings, 'license-check')).toEqual({
        id: 'license-check',
        stage: 'build',
        title: 'License check',
        freshnessDays: 30,
        appliesToTypes: undefined,
        rule: { type: 'fact', fact: 'license_check.enabled', equals: undefined, atLeast: undefined },
      });
      expect(control(settings, 'dast')).toEqual({
        id: 'dast',
        stage: 'deploy',
        title: 'DAST',
        freshnessDays: 14,
        appliesToTypes: ['website'],
        rule: { type: 'findings', failOnSeverity: 'high' },
      });
    });

    it('accepts custom stages that reference a new control', () => {
      const settings = read({
        controls: { 'license-check': { stage: 'build', title: 'License check', freshnessDays: 30, fact: 'license_check.enabled' } },
        maturity: {
          stages: [
            {
              stage: 1,
              title: 'Basics',
              criteria: [{ id: 'licenses', title: 'Check licenses', rule: { type: 'controls', controls: ['license-check'], states: ['passing'] } }],
            },
          ],
        },
      });
      expect(settings.evaluation.stages).toHaveLength(1);
      expect(settings.evaluation.stages[0].criteria[0].id).toBe('licenses');
    });

    it('derives a staging_release policy environment from its name', () => {
      const settings = read({
        policies: { staging_release: { requires: [{ branch_protection: 'develop' }, { sbom: 'generated' }] } },
      });
      expect(settings.policies).toContainEqual({
        name: 'staging_release',
        environment: 'staging',
        requires: [{ branch_protection: 'develop' }, { sbom: 'generated' }],
      });
    });

    it('adding a staging_release policy keeps the seed production_release policy', () => {
      // Controls are overrides over the defaults; a policy for another environment must not silently
      // remove the production gate.
      const settings = read({ policies: { staging_release: { requires: [{ sbom: 'generated' }] } } });
      expect(settings.policies).toContainEqual(SEED_PRODUCTION);
    });

    it('takes an explicit environment and overrides the seed policy by name', () => {
      const settings = read({
        policies: {
          production_release: { requires: [{ container_critical_vulns: 'none' }] },
          qa_gate: { environment: 'qa', requires: [{ secrets_scan: 'passed' }] },
        },
      });
      expect(settings.policies).toEqual([
        { name: 'production_release', environment: 'production', requires: [{ container_critical_vulns: 'none' }] },
        { name: 'qa_gate', environment: 'qa', requires: [{ secrets_scan: 'passed' }] },
      ]);
    });
  });

  describe('refusals name the bad key', () => {
    const productionWith = (requires: unknown[]) => ({ policies: { production_release: { requires } } }) as JsonObject;
    const seedRequires = DEFAULT_POLICIES.production_release.requires as unknown as JsonObject[];

    it('refuses a requirement with a value outside the vocabulary', () => {
      const requires = [...seedRequires];
      requires[2] = { sbom: 'maybe' };
      const message = refusal(productionWith(requires));
      expect(message).toMatch(/^Invalid devsecops configuration: /);
      expect(message).toContain('devsecops.policies.production_release.requires[2]');
      expect(message).not.toContain('requires[0]');
    });

    it('refuses an unknown requirement key', () => {
      const message = refusal(productionWith([{ branch_protection: 'main' }, { dast: 'passed' }]));
      expect(message).toContain('devsecops.policies.production_release.requires[1]');
    });

    it('refuses a requirement with two keys', () => {
      const message = refusal(productionWith([{ sbom: 'generated', secrets_scan: 'passed' }]));
      expect(message).toContain('devsecops.policies.production_release.requires[0]');
    });

    it('refuses a policy without requirements', () => {
      expect(refusal(productionWith([]))).toContain('devsecops.policies.production_release.requires');
    });

    it('refuses two policies for one environment', () => {
      const message = refusal({
        policies: {
          production_release: { requires: [{ sbom: 'generated' }] },
          prod_gate: { environment: 'production', requires: [{ secrets_scan: 'passed' }] },
        },
      });
      expect(message).toContain('devsecops.policies.prod_gate');
      expect(message).toContain('environment production');
    });

    it.each<[string, JsonObject]>([
      ['stage', { title: 'License check', freshnessDays: 30, fact: 'license_check.enabled' }],
      ['title', { stage: 'build', freshnessDays: 30, fact: 'license_check.enabled' }],
      ['freshnessDays', { stage: 'build', title: 'License check', fact: 'license_check.enabled' }],
      ['a rule', { stage: 'build', title: 'License check', freshnessDays: 30 }],
    ])('refuses a new control without %s', (_missing, settings) => {
      const message = refusal({ controls: { 'license-check': settings } });
      expect(message).toContain('devsecops.controls.license-check');
      expect(message).toContain('a new control needs stage, title, freshnessDays and either fact or failOnSeverity');
    });

    it('refuses failOnSeverity on a fact control', () => {
      const message = refusal({ controls: { 'code-review': { failOnSeverity: 'high' } } });
      expect(message).toContain('devsecops.controls.code-review.failOnSeverity');
      expect(message).toContain('not decided by findings');
    });

    it('refuses both fact and failOnSeverity', () => {
      const message = refusal({ controls: { sast: { fact: 'sast.enabled', failOnSeverity: 'high' } } });
      expect(message).toContain('devsecops.controls.sast');
      expect(message).toContain('either fact or failOnSeverity');
    });

    it.each<[string, JsonObject, string]>([
      ['an unknown severity', { controls: { sast: { failOnSeverity: 'severe' } } }, 'devsecops.controls.sast.failOnSeverity'],
      ['a negative freshness window', { controls: { sast: { freshnessDays: -1 } } }, 'devsecops.controls.sast.freshnessDays'],
      ['an unknown pipeline stage', { controls: { sast: { stage: 'release' } } }, 'devsecops.controls.sast.stage'],
      ['an unknown control setting', { controls: { sast: { failOn: 'high' } } }, 'devsecops.controls.sast'],
      ['a bad SLA', { severityPolicy: { slaDays: { critical: 0 } } }, 'devsecops.severityPolicy.slaDays.critical'],
      ['an unknown SLA severity', { severityPolicy: { slaDays: { urgent: 1 } } }, 'devsecops.severityPolicy.slaDays'],
      ['a bad metric target', { metricTargets: { meanTimeToPatchDays: 'soon' } }, 'devsecops.metricTargets.meanTimeToPatchDays'],
      ['a bad policy environment', { policies: { prod_release: { environment: 'Prod!', requires: [{ sbom: 'generated' }] } } }, 'devsecops.policies.prod_release.environment'],
    ])('refuses %s', (_case, devsecops, key) => {
      expect(refusal(devsecops)).toContain(key);
    });

    it('refuses a maturity criterion that references an unknown control', () => {
      const message = refusal({
        maturity: {
          stages: [
            { stage: 1, title: 'Basics', criteria: [{ id: 'owner', title: 'Owner', rule: { type: 'owner' } }] },
            {
              stage: 2,
              title: 'More',
              criteria: [
                { id: 'ok', title: 'SAST', rule: { type: 'controls', controls: ['sast'], states: ['passing'] } },
                {
                  id: 'bad',
                  title: 'Nope',
                  rule: {
                    type: 'all',
                    rules: [{ type: 'owner' }, { type: 'controls', controls: ['sast', 'no-such-control'], states: ['passing'] }],
                  },
                },
              ],
            },
          ],
        },
      });
      expect(message).toContain('devsecops.maturity.stages[1].criteria[1].rule.rules[1]');
      expect(message).toContain('unknown control no-such-control');
    });

    it('refuses a maturity criterion that references a disabled control', () => {
      const message = refusal({
        controls: { sast: { enabled: false } },
        maturity: {
          stages: [
            { stage: 1, title: 'Basics', criteria: [{ id: 'sast', title: 'SAST', rule: { type: 'controls', controls: ['sast'], states: ['passing'] } }] },
          ],
        },
      });
      expect(message).toContain('devsecops.maturity.stages[0].criteria[0].rule');
      expect(message).toContain('unknown control sast');
    });

    it('refuses a malformed maturity criterion', () => {
      const message = refusal({
        maturity: { stages: [{ stage: 1, title: 'Basics', criteria: [{ id: 'x', title: 'X', rule: { type: 'vibes' } }] }] },
      });
      expect(message).toContain('devsecops.maturity.stages[0].criteria[0].rule');
    });
  });
});

describe('devsecops.scorecard.entityKinds', () => {
  it('counts components by default and the configured kinds otherwise', () => {
    expect(read().entityKinds).toEqual(['Component']);
    expect(read({ scorecard: { entityKinds: ['Component', 'Resource'] } }).entityKinds).toEqual(['Component', 'Resource']);
  });

  it('refuses an empty list or something that is not a kind, naming the key', () => {
    expect(() => read({ scorecard: { entityKinds: [] } })).toThrow(/devsecops\.scorecard\.entityKinds/);
    expect(() => read({ scorecard: { entityKinds: ['resource:default/x'] } })).toThrow(
      'Invalid devsecops configuration: devsecops.scorecard.entityKinds[0]: must be a catalog kind such as Component',
    );
    expect(() => read({ scorecard: { kinds: ['Component'] } })).toThrow(/devsecops\.scorecard/);
  });
});

describe('readScorecardConfig switches', () => {
  const readWith = (devsecops: object) =>
    readScorecardConfig(new ConfigReader({ devsecops }));

  it('switches the shipped production policy off only when told to', () => {
    const settings = readWith({
      policies: {
        production_release: { enabled: false },
        staging_release: { environment: 'staging', requires: [{ sbom: 'generated' }] },
      },
    });
    expect(settings.policies.map(p => p.name)).toEqual(['staging_release']);
    expect(() => readWith({ policies: { production_release: {} } })).toThrow(
      'devsecops.policies.production_release: requires is missing (or set enabled: false to switch the policy off)',
    );
  });

  it('explains why a control the shipped stages use cannot simply be disabled', () => {
    expect(() => readWith({ controls: { 'container-scan': { enabled: false } } })).toThrow(
      /devsecops\.controls\.container-scan\.enabled: the shipped maturity stages use container-scan/,
    );
  });

  it('names the allowed vocabulary for a requirement it does not know', () => {
    expect(() =>
      readWith({ policies: { production_release: { requires: [{ sbom: 'generated' }, { dast: 'passed' }] } } }),
    ).toThrow(/devsecops\.policies\.production_release\.requires\[1\]: must be one of branch_protection/);
  });
});
