import { ConfigReader } from '@backstage/config';
import { CAPABILITY_IDS } from '@devsecops-scorecard/plugin-devsecops-common';
import { emptyEvidence } from '../__testUtils__/evidence';
import { DEFAULT_CONTROLS, DEFAULT_STAGES } from '../config/defaults';
import { readScorecardConfig } from '../config/readScorecardConfig';
import { evaluateEntity } from '../evaluate/scorecard';
import { EntityEvidence } from '../evaluate/types';
import { responsibilityMatrix } from './responsibilityMatrix';

const NOW = new Date('2026-12-06T12:00:00Z');
const settings = (devsecops: object) => readScorecardConfig(new ConfigReader({ devsecops }));
const evidence = (ownerRef?: string): EntityEvidence =>
  emptyEvidence({ entityRef: 'component:default/payments-api', kind: 'Component', type: 'service', ownerRef });

describe('the responsibility model', () => {
  it('names a capability for every built-in control and shipped criterion', () => {
    expect(DEFAULT_CONTROLS.filter(c => !c.capability || !CAPABILITY_IDS.includes(c.capability))).toEqual([]);
    const criteria = DEFAULT_STAGES.flatMap(s => s.criteria);
    expect(criteria.filter(c => !c.capability || !CAPABILITY_IDS.includes(c.capability))).toEqual([]);
  });

  it('gives each control and criterion its acting owner and the configured providing and deciding groups', () => {
    const config = settings({ responsibility: { platformTeam: 'platform-team', securityOwner: 'group:default/security-compliance' } });
    const card = evaluateEntity(evidence('group:default/team-payments'), config.evaluation, NOW);
    expect(card.controls.find(c => c.controlId === 'dependency-scan')!.responsibility).toEqual({
      capability: 'dependency-security',
      acts: 'group:default/team-payments',
      provides: 'group:default/platform-team',
      decides: 'group:default/security-compliance',
    });
    const criteria = card.maturity.stages.flatMap(s => s.criteria);
    expect(criteria.find(c => c.id === 'evidence-export')!.responsibility).toEqual({
      capability: 'compliance-evidence',
      acts: 'group:default/team-payments',
      provides: 'group:default/platform-team',
      decides: 'group:default/security-compliance',
    });
    // Every result names one, and the owner changes with the catalog.
    expect(card.controls.every(c => c.responsibility?.acts === 'group:default/team-payments')).toBe(true);
    const other = evaluateEntity(evidence('group:default/team-checkout'), config.evaluation, NOW);
    expect(other.controls[0].responsibility!.acts).toBe('group:default/team-checkout');
  });

  it('names nobody it does not know: an unowned entity has no actor, an unconfigured role no group', () => {
    const card = evaluateEntity(evidence(undefined), settings({}).evaluation, NOW);
    expect(card.controls.find(c => c.controlId === 'sast')!.responsibility).toEqual({ capability: 'ci-cd-controls' });
  });

  it('lets configuration name a capability for a new control and change a shipped one, keeping the rest', () => {
    const config = settings({
      controls: {
        dast: { stage: 'deploy', title: 'DAST', freshnessDays: 30, failOnSeverity: 'high', capability: 'threat-modeling' },
        sast: { freshnessDays: 10 },
        'iac-lint': { capability: 'ci-cd-controls' },
      },
    });
    const capability = (id: string) => config.evaluation.controls.find(c => c.id === id)!.capability;
    expect(capability('dast')).toBe('threat-modeling');
    expect(capability('sast')).toBe('ci-cd-controls');
    expect(capability('iac-lint')).toBe('ci-cd-controls');
    const matrix = responsibilityMatrix(config.evaluation.controls, config.evaluation);
    const threat = matrix.capabilities.find(c => c.id === 'threat-modeling')!;
    expect(threat).toMatchObject({ acts: 'Own service assumptions and abuse cases', provides: 'Provide templates and facilitation', decides: 'Review high-risk changes' });
    expect(threat.items).toEqual([{ kind: 'control', id: 'dast', title: 'DAST', stage: 'deploy' }]);
  });

  it('refuses a capability outside the model and a group ref of another kind, naming the key', () => {
    expect(() => settings({ controls: { sast: { capability: 'vibes' } } })).toThrow(/devsecops\.controls\.sast\.capability/);
    expect(() => settings({ responsibility: { platformTeam: 'user:default/pat' } })).toThrow(
      /devsecops\.responsibility\.platformTeam: must be a catalog group ref/,
    );
    expect(() => settings({ responsibility: { securityOwner: 'security', extra: 1 } })).toThrow(/devsecops\.responsibility/);
  });

  it('lists the six capabilities of the seed with every shipped control and criterion once', () => {
    const config = settings({ responsibility: { platformTeam: 'platform-team' } });
    const matrix = responsibilityMatrix(config.evaluation.controls, config.evaluation);
    expect(matrix.groups).toEqual({ platformTeam: 'group:default/platform-team' });
    expect(matrix.capabilities.map(c => c.title)).toEqual([
      'Threat modeling',
      'CI/CD controls',
      'Dependency security',
      'Cloud/IaC policy',
      'Incident response',
      'Compliance evidence',
    ]);
    const items = matrix.capabilities.flatMap(c => c.items.map(i => `${i.kind}:${i.id}`));
    expect(items.sort()).toEqual(
      [...DEFAULT_CONTROLS.map(c => `control:${c.id}`), ...DEFAULT_STAGES.flatMap(s => s.criteria.map(c => `criterion:${c.id}`))].sort(),
    );
  });
});
