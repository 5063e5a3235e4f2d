import {
  ControlFact,
  Deployment,
  EntityScorecard,
  Exercise,
  ExerciseScenario,
  GateDecision,
  HumanAttestation,
  HumanAttestationKind,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  DEFAULT_CONTROLS,
  DEFAULT_METRIC_TARGETS,
  DEFAULT_SLA_DAYS,
  DEFAULT_STAGES,
} from '../config/defaults';
import { evaluateMaturity } from './maturity';
import { evaluateEntity } from './scorecard';
import {
  EntityEvidence,
  EvaluationConfig,
  EvidenceExport,
  ExceptionCover,
  OpenFinding,
  ReportSighting,
  ResolvedFinding,
} from './types';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const daysAhead = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();

const SERVICE = 'component:default/payments-api';
const OWNER = 'group:default/team-payments';
const DIGEST = 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

const CONFIG: EvaluationConfig = {
  controls: DEFAULT_CONTROLS,
  severityPolicy: { slaDays: DEFAULT_SLA_DAYS, configured: true },
  metricTargets: DEFAULT_METRIC_TARGETS,
  stages: DEFAULT_STAGES,
};

function fact(name: string, value: unknown, ageDays = 1): ControlFact {
  return {
    entityRef: SERVICE,
    fact: name,
    value,
    source: 'test',
    observedAt: daysAgo(ageDays),
    recordedBy: 'test',
    recordedAt: daysAgo(ageDays),
  };
}

function report(control: string, ageDays = 1): ReportSighting {
  return { id: `r-${control}`, controls: [control], scannedAt: daysAgo(ageDays), artifactDigest: DIGEST };
}

function openCritical(control: string, id = `f-${control}`): OpenFinding {
  return {
    id,
    control,
    severity: 'critical',
    ruleId: `rule-${id}`,
    vulnerabilityId: `CVE-2026-${id}`,
    fingerprint: `fp-${id}`,
    artifactDigest: DIGEST,
    kind: control === 'secret-scanning' ? 'secret' : 'sca',
    firstSeenAt: daysAgo(1),
  };
}

function resolved(kind: string, severity: ResolvedFinding['severity'], tookDays: number): ResolvedFinding {
  return { kind, severity, firstSeenAt: daysAgo(tookDays + 1), resolvedAt: daysAgo(1) };
}

function productionDeployment(extra: Partial<Deployment> = {}): Deployment {
  return {
    id: 'd-prod',
    entityRef: SERVICE,
    ownerRef: OWNER,
    environment: 'production',
    artifactDigest: DIGEST,
    sourceCommit: '0123abcd',
    deployer: 'ci-bot',
    approver: 'user:default/alice',
    result: 'succeeded',
    deployedAt: daysAgo(2),
    recordedBy: 'ci-bot',
    recordedAt: daysAgo(2),
    ...extra,
  };
}

function allowedGate(): GateDecision {
  return {
    id: 'g-prod',
    policy: 'production_release',
    environment: 'production',
    entityRef: SERVICE,
    artifactDigest: DIGEST,
    decision: 'allow',
    requirements: [],
    decidedAt: daysAgo(2),
    requestedBy: 'ci-bot',
  };
}

/** A named person's attestation in force for the owning team, held `ageDays` ago. */
function humanAttestation(kind: HumanAttestationKind, ageDays: number, expiresInDays: number, details: Record<string, unknown>): HumanAttestation {
  return {
    id: `ha-${kind}-${ageDays}`,
    kind,
    scopeRef: OWNER,
    date: daysAgo(ageDays).slice(0, 10),
    details,
    expiresAt: daysAhead(expiresInDays),
    recordedBy: 'user:default/dana',
    recordedAt: daysAgo(ageDays),
  };
}
const review = (ageDays: number, expiresInDays = 30) =>
  humanAttestation('control-failure-review', ageDays, expiresInDays, { attendees: ['user:default/dana'], failuresReviewed: 1, notesUrl: 'https://wiki/n' });
const feedback = (ageDays: number, expiresInDays = 30) =>
  humanAttestation('template-feedback', ageDays, expiresInDays, { template: 'template:default/go', findings: ['CVE-1'], changeUrl: 'https://git/pr/1' });

function exercise(scenario: string, ageDays: number): Exercise {
  return {
    id: `ex-${scenario}`,
    scenario: scenario as ExerciseScenario,
    heldOn: daysAgo(ageDays).slice(0, 10),
    scopeRef: OWNER,
    participants: ['user:default/dana'],
    findings: [],
    followUps: [],
    recordedBy: 'user:default/dana',
    recordedAt: daysAgo(ageDays),
  };
}

const exportedDaysAgo = (ageDays: number): EvidenceExport => ({
  at: daysAgo(ageDays),
  actor: 'user:default/rita',
  from: daysAgo(ageDays + 90),
  to: daysAgo(ageDays),
  scope: `entity ${SERVICE}`,
});

/** Only what a stage adds on top of the stage before. */
interface Layer {
  facts?: ControlFact[];
  reports?: ReportSighting[];
  deployments?: Deployment[];
  gateDecisions?: GateDecision[];
  resolvedFindings?: ResolvedFinding[];
  exercises?: Exercise[];
  humanAttestations?: HumanAttestation[];
  lastExport?: EvidenceExport;
}

const STAGE_1: Layer = {
  facts: [
    fact('branch_protection.enabled', true),
    fact('branch_protection.required_reviews', 2),
    fact('dependency_alerts.enabled', true),
  ],
  reports: [report('secret-scanning')],
};
const STAGE_2: Layer = {
  facts: [fact('ci.reusable_workflow', true)],
  reports: [report('iac-lint'), report('container-scan'), report('sbom')],
};
const STAGE_3: Layer = {
  lastExport: exportedDaysAgo(30),
  humanAttestations: [review(14)],
  deployments: [productionDeployment()],
  gateDecisions: [allowedGate()],
};
const STAGE_4: Layer = {
  exercises: [
    exercise('leaked-secrets', 100),
    exercise('compromised-ci-token', 200),
    exercise('dependency-compromise', 300),
    exercise('cloud-account-abuse', 364),
  ],
  humanAttestations: [feedback(60)],
  resolvedFindings: [resolved('sca', 'critical', 5), resolved('sca', 'high', 15), resolved('secret', 'high', 1)],
};
const LAYERS = [STAGE_1, STAGE_2, STAGE_3, STAGE_4];

/** `type: null` builds an entity without spec.type. */
function evidence(layers: Layer[], extra: Partial<EntityEvidence> = {}, type: string | null = 'service'): EntityEvidence {
  const base: EntityEvidence = {
    entity: { entityRef: SERVICE, kind: 'Component', type: type ?? undefined, ownerRef: OWNER },
    reports: [],
    openFindings: [],
    resolvedFindings: [],
    facts: [],
    deployments: [],
    gateDecisions: [],
    exceptions: [],
    signatures: [],
  };
  for (const layer of layers) {
    base.facts.push(...(layer.facts ?? []));
    base.reports.push(...(layer.reports ?? []));
    base.deployments.push(...(layer.deployments ?? []));
    base.gateDecisions.push(...(layer.gateDecisions ?? []));
    base.resolvedFindings.push(...(layer.resolvedFindings ?? []));
    if (layer.exercises) base.exercises = [...(base.exercises ?? []), ...layer.exercises];
    if (layer.humanAttestations) base.humanAttestations = [...(base.humanAttestations ?? []), ...layer.humanAttestations];
    if (layer.lastExport) base.lastExport = layer.lastExport;
  }
  return { ...base, ...extra };
}

/** Evidence that reaches exactly `stage`, for stage 1..4. */
const atStage = (stage: number, extra: Partial<EntityEvidence> = {}) => evidence(LAYERS.slice(0, stage), extra);

const withoutFact = (e: EntityEvidence, name: string): EntityEvidence => ({
  ...e,
  facts: e.facts.filter(f => f.fact !== name),
});

const score = (e: EntityEvidence, config: EvaluationConfig = CONFIG): EntityScorecard => evaluateEntity(e, config, NOW);
const stageOf = (e: EntityEvidence, config: EvaluationConfig = CONFIG) => score(e, config).maturity.stage;
const nextStepIds = (card: EntityScorecard) => card.maturity.nextSteps.map(s => s.id);

describe('maturity with the default stages and controls', () => {
  it('is stage 0 with no evidence, stage 1 not met', () => {
    const card = score(evidence([]));
    expect(card.maturity.stage).toBe(0);
    expect(card.maturity.stages.map(s => s.stage)).toEqual([1, 2, 3, 4]);
    expect(card.maturity.stages[0].met).toBe(false);
    // Ownership is the only stage 1 criterion an owned entity meets without evidence.
    expect(nextStepIds(card)).toEqual(['branch-protection', 'secret-scanning-and-dependency-alerts']);
  });

  it('is stage 0 when one stage 1 criterion is missing, whatever else holds', () => {
    expect(stageOf(atStage(1, { entity: { entityRef: SERVICE, kind: 'Component', type: 'service' } }))).toBe(0);
    expect(stageOf(atStage(1), { ...CONFIG, severityPolicy: { slaDays: DEFAULT_SLA_DAYS, configured: false } })).toBe(0);
    expect(stageOf(withoutFact(atStage(1), 'dependency_alerts.enabled'))).toBe(0);
    expect(stageOf(withoutFact(atStage(1), 'branch_protection.required_reviews'))).toBe(0);
    expect(stageOf({ ...atStage(1), reports: [] })).toBe(0);
  });

  it.each([1, 2, 3])('reaches exactly stage %i, with every evidence-backed criterion of the next stage as next steps', stage => {
    const card = score(atStage(stage));
    expect(card.maturity.stage).toBe(stage);
    expect(card.maturity.stages.map(s => s.met)).toEqual([1, 2, 3, 4].map(n => n <= stage));
    // Exception records hold without evidence (the exceptions API enforces them).
    const next = DEFAULT_STAGES[stage].criteria.map(c => c.id).filter(id => id !== 'exception-records');
    expect(nextStepIds(card)).toEqual(next);
  });

  it('reaches stage 4 with nothing left to do', () => {
    const card = score(atStage(4));
    expect(card.maturity.stage).toBe(4);
    expect(card.maturity.stages.map(s => s.met)).toEqual([true, true, true, true]);
    expect(card.maturity.nextSteps).toEqual([]);
  });

  it('counts a failing but reported secret scan towards stage 1 (turned on), and a failing SBOM against stage 2', () => {
    const e = atStage(2, { openFindings: [openCritical('secret-scanning')] });
    const card = score(e);
    expect(card.controls.find(c => c.controlId === 'secret-scanning')!.state).toBe('failing');
    expect(card.maturity.stage).toBe(2);

    const sbomFailing = score(atStage(2, { openFindings: [openCritical('sbom')] }));
    expect(sbomFailing.maturity.stage).toBe(1);
    expect(nextStepIds(sbomFailing)).toEqual(['sboms']);
    expect(sbomFailing.maturity.nextSteps[0].reason).toBe('SBOM is failing');
  });

  it('requires every stage from 1 to N: stage 2 and 3 criteria met but a stage 1 criterion missing is stage 0', () => {
    const e = withoutFact(atStage(4), 'dependency_alerts.enabled');
    const card = score(e);
    expect(card.maturity.stage).toBe(0);
    expect(card.maturity.stages.map(s => s.met)).toEqual([false, true, true, true]);
    expect(nextStepIds(card)).toEqual(['secret-scanning-and-dependency-alerts']);
    expect(card.maturity.nextSteps[0].reason).toContain('dependency_alerts.enabled');
  });

  it('stops at the first unmet stage even when later stages are met', () => {
    const e = withoutFact(atStage(4), 'ci.reusable_workflow');
    const card = score(e);
    expect(card.maturity.stage).toBe(1);
    expect(card.maturity.stages.map(s => s.met)).toEqual([true, false, true, true]);
    expect(nextStepIds(card)).toEqual(['reusable-workflows']);
  });

  it('lists the unmet criteria of the first unmet stage in configured order, with reasons', () => {
    const e = evidence([STAGE_1], { entity: { entityRef: SERVICE, kind: 'Component', type: 'service' } });
    const card = score(e, { ...CONFIG, severityPolicy: { slaDays: DEFAULT_SLA_DAYS, configured: false } });
    expect(nextStepIds(card)).toEqual(['ownership', 'severity-policy']);
    expect(card.maturity.nextSteps.map(s => s.reason)).toEqual([
      'No owner in the catalog',
      expect.stringContaining('devsecops.severityPolicy'),
    ]);
    for (const step of card.maturity.nextSteps) expect(step.met).toBe(false);

    // A reordered configuration reorders the next steps.
    const reversed = DEFAULT_STAGES.map(s => (s.stage === 1 ? { ...s, criteria: [...s.criteria].reverse() } : s));
    const reorderedCard = score(e, {
      ...CONFIG,
      stages: reversed,
      severityPolicy: { slaDays: DEFAULT_SLA_DAYS, configured: false },
    });
    expect(nextStepIds(reorderedCard)).toEqual(['severity-policy', 'ownership']);
  });

  it('orders stages by number whatever the configured order', () => {
    const card = score(atStage(2), { ...CONFIG, stages: [...DEFAULT_STAGES].reverse() });
    expect(card.maturity.stages.map(s => s.stage)).toEqual([1, 2, 3, 4]);
    expect(card.maturity.stage).toBe(2);
    expect(nextStepIds(card)[0]).toBe('traceable-deployments');
  });

  it('names what a production deployment lacks for traceability', () => {
    const e = atStage(4, { deployments: [productionDeployment({ approver: undefined, sourceCommit: undefined })] });
    const card = score(e);
    expect(card.maturity.stage).toBe(2);
    const traceable = card.maturity.nextSteps.find(s => s.id === 'traceable-deployments')!;
    expect(traceable.reason).toBe('Latest production deployment lacks source commit, approver');
  });

  it('does not accept exercise or export evidence older than its window', () => {
    const card = score(atStage(3, { lastExport: exportedDaysAgo(181) }));
    expect(card.maturity.stage).toBe(2);
    expect(nextStepIds(card)).toEqual(['evidence-export']);
    expect(card.maturity.nextSteps[0].reason).toContain('181 days ago');

    const e = atStage(4);
    const oldExercise = { ...e, exercises: e.exercises!.map(x => (x.scenario === 'cloud-account-abuse' ? exercise('cloud-account-abuse', 366) : x)) };
    expect(stageOf(oldExercise)).toBe(3);
  });

  it('meets no portal-act or human criterion from a fact: evidence.exported, the review cadence, exercise and template facts count for nothing', () => {
    const claims = [
      fact('evidence.exported', true),
      fact('control_failure_review.cadence_days', 7),
      fact('platform_templates.feedback', true),
      ...['leaked_secrets', 'compromised_ci_token', 'dependency_compromise', 'cloud_account_abuse'].map(s => fact(`exercise.${s}`, true)),
    ];
    const e = atStage(2);
    const card = score({ ...atStage(4), exercises: [], humanAttestations: [], lastExport: undefined, facts: [...e.facts, ...claims] });
    expect(card.maturity.stage).toBe(2);
    const unmet = card.maturity.stages.flatMap(st => st.criteria.filter(c => !c.met).map(c => c.id));
    expect(unmet).toEqual(['evidence-export', 'failure-review', 'tabletop-exercises', 'feedback-into-templates']);
    expect(card.maturity.nextSteps.map(st => st.reason)).toEqual([
      'No audit package covering it was exported from the portal',
      'No control-failure review recorded by a person (or the last one expired)',
    ]);
  });

  describe('metrics criterion', () => {
    const metricsStep = (card: EntityScorecard) => card.maturity.stages[3].criteria.find(c => c.id === 'metrics')!;

    it('is met when the measures are within targets', () => {
      const card = score(atStage(4));
      expect(metricsStep(card).met).toBe(true);
      expect(card.metrics.meanTimeToPatchDays).toBe(10);
      expect(card.metrics.meanTimeToRotateDays).toBe(1);
    });

    it('is unmet without data', () => {
      const card = score(atStage(4, { resolvedFindings: [] }));
      expect(card.maturity.stage).toBe(3);
      expect(nextStepIds(card)).toEqual(['metrics']);
      expect(metricsStep(card).reason).toMatch(/No patched vulnerabilities or rotated secrets/);
    });

    it('is unmet over the patch target, naming the metric', () => {
      const card = score(atStage(4, { resolvedFindings: [resolved('sca', 'critical', 45), resolved('secret', 'high', 1)] }));
      expect(card.maturity.stage).toBe(3);
      expect(metricsStep(card).met).toBe(false);
      expect(metricsStep(card).reason).toBe('mean time to patch 45 d > 30 d');
    });

    it('is unmet over the rotate target, naming the metric', () => {
      const card = score(atStage(4, { resolvedFindings: [resolved('sca', 'critical', 5), resolved('secret', 'high', 3)] }));
      expect(metricsStep(card).met).toBe(false);
      expect(metricsStep(card).reason).toBe('mean time to rotate 3 d > 2 d');
    });

    it('is unmet over the exception age target, naming the metric', () => {
      const old: ExceptionCover = { id: 'ex-old', control: 'sast', approvedAt: daysAgo(120), expiresAt: daysAhead(10) };
      const card = score(atStage(4, { exceptions: [old] }));
      expect(card.maturity.stage).toBe(3);
      expect(metricsStep(card).reason).toBe('mean exception age 120 d > 90 d');
    });

    it('lists every missed target', () => {
      const old: ExceptionCover = { id: 'ex-old', control: 'sast', approvedAt: daysAgo(100), expiresAt: daysAhead(10) };
      const card = score(
        atStage(4, { exceptions: [old], resolvedFindings: [resolved('sca', 'high', 31), resolved('secret', 'low', 2.5)] }),
      );
      expect(metricsStep(card).reason).toBe(
        'mean time to patch 31 d > 30 d; mean time to rotate 2.5 d > 2 d; mean exception age 100 d > 90 d',
      );
    });
  });

  it('lets a library (no deployable controls) progress past stage 2 criteria that are not applicable', () => {
    const library = evidence([STAGE_1, { facts: [fact('ci.reusable_workflow', true)], reports: [report('iac-lint'), report('sbom')] }], {}, 'library');
    const card = score(library);
    expect(card.controls.find(c => c.controlId === 'container-scan')!.state).toBe('not_applicable');
    expect(card.maturity.stage).toBe(2);
  });

  describe('monotonicity', () => {
    const findingsControls = DEFAULT_CONTROLS.filter(c => c.rule.type === 'findings').map(c => c.id);
    const entities: Array<[string, EntityEvidence]> = [
      ['no evidence', evidence([])],
      ['stage 1', atStage(1)],
      ['stage 2', atStage(2)],
      ['stage 3', atStage(3)],
      ['stage 4', atStage(4)],
      ['stage 4 without dependency alerts (stage 0)', withoutFact(atStage(4), 'dependency_alerts.enabled')],
      ['a library', evidence([STAGE_1, STAGE_2], {}, 'library')],
      ['an untyped entity', evidence([STAGE_1, STAGE_2, STAGE_3], {}, null)],
    ];

    it.each(entities)('adding an open critical finding never raises the stage of %s', (_name, e) => {
      const before = stageOf(e);
      const raised = [...findingsControls, 'unknown-control']
        .map(control => ({
          control,
          after: stageOf({ ...e, openFindings: [...e.openFindings, openCritical(control, `new-${control}`)] }),
        }))
        .filter(({ after }) => after > before);
      expect(raised).toEqual([]);
    });

    it('does lower the stage when the finding breaks a criterion', () => {
      const e = atStage(4);
      expect(stageOf({ ...e, openFindings: [openCritical('sbom')] })).toBe(1);
      expect(stageOf({ ...e, openFindings: [openCritical('container-scan')] })).toBe(4);
    });
  });

  it('gives evaluateMaturity the same answer directly', () => {
    const card = score(atStage(3));
    const direct = evaluateMaturity({
      evidence: atStage(3),
      controls: card.controls,
      metrics: card.metrics,
      config: CONFIG,
      now: NOW,
    });
    expect(direct).toEqual(card.maturity);
  });
});

describe('tabletop exercises from recorded exercises', () => {
  it('meets stage 4 from exercises of all four scenarios, not three', () => {
    const held = ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse'].map((s, i) =>
      exercise(s, 10 + i * 100),
    );
    expect(stageOf(atStage(4, { exercises: held }))).toBe(4);
    const card = score(atStage(4, { exercises: held.slice(0, 3) }));
    expect(card.maturity.stage).toBe(3);
    expect(card.maturity.nextSteps[0].reason).toContain('No cloud-account-abuse exercise recorded');
  });

  it('does not count an exercise older than 365 days, naming the gap', () => {
    const held = ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise'].map(s => exercise(s, 10));
    const card = score(atStage(4, { exercises: [...held, exercise('cloud-account-abuse', 400)] }));
    expect(card.maturity.stage).toBe(3);
    expect(card.maturity.nextSteps[0].reason).toContain('cloud-account-abuse exercise was 400 days ago');
  });
});

describe('human criteria from named human attestations', () => {
  const withoutHumanFacts = (extra: Partial<EntityEvidence> = {}) => atStage(4, { humanAttestations: [], ...extra });
  const criterion = (e: EntityEvidence, id: string) =>
    score(e).maturity.stages.flatMap(s => s.criteria).find(c => c.id === id)!;

  it('meets failure-review and feedback-into-templates from attestations in force, naming the person and the day', () => {
    expect(stageOf(withoutHumanFacts())).toBe(2);
    const attested = withoutHumanFacts({ humanAttestations: [review(5), feedback(40)] });
    expect(stageOf(attested)).toBe(4);
    expect(criterion(attested, 'failure-review').reason).toBe(
      `Control-failure review held on ${daysAgo(5).slice(0, 10)} for ${OWNER}, recorded by user:default/dana (attendees user:default/dana; 1 failure reviewed; notes https://wiki/n), valid until ${daysAhead(30).slice(0, 10)}`,
    );
    expect(criterion(attested, 'feedback-into-templates').reason).toContain('recorded by user:default/dana (1 finding (CVE-1) fed into template:default/go');
  });

  it('does not count an expired attestation, nor one held outside the cadence window', () => {
    const expired = withoutHumanFacts({ humanAttestations: [review(5, -1), feedback(40)] });
    expect(stageOf(expired)).toBe(2);
    expect(criterion(expired, 'failure-review').reason).toContain('No control-failure review recorded by a person (or the last one expired)');
    const old = withoutHumanFacts({ humanAttestations: [review(95, 10), feedback(40)] });
    expect(criterion(old, 'failure-review')).toMatchObject({ met: false, reason: expect.stringContaining('held 95 days ago') });
    // No fact stands in for them any more.
    expect(stageOf(atStage(4, { humanAttestations: [review(5, -1)], facts: [...atStage(4).facts, fact('control_failure_review.cadence_days', 7)] }))).toBe(2);
  });
});

describe("maturity from collected evidence and the portal's own acts, without posted facts", () => {
  // Exactly the facts the GitHub provider emits for a protected repository on the paved road
  // (plugins/devsecops-backend-module-github, repositoryContents.test.ts), and nothing typed by hand.
  const collected = (name: string, value: unknown) => ({ ...fact(name, value), source: 'github' });
  const githubFacts = [
    collected('branch_protection.enabled', true),
    collected('branch_protection.branch', 'main'),
    collected('branch_protection.required_reviews', 2),
    collected('branch_protection.required_status_checks', 2),
    collected('branch_protection.require_code_owner_reviews', true),
    collected('secret_scanning.enabled', true),
    collected('dependency_alerts.enabled', true),
    collected('code_scanning.enabled', true),
    collected('pre_commit.enabled', true),
    collected('ci.reusable_workflow', true),
    collected('dependency_review.enabled', true),
    collected('dependency_review.required', true),
    collected('code_owners.present', true),
    collected('code_review.owner_review', true),
  ];
  const exercises = ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse'].map(
    (scenario, i) => ({
      id: `ex-${scenario}`,
      scenario: scenario as any,
      heldOn: daysAgo(20 + i).slice(0, 10),
      scopeRef: OWNER,
      participants: ['user:default/dana'],
      findings: [],
      followUps: [],
      recordedBy: 'user:default/dana',
      recordedAt: daysAgo(20 + i),
    }),
  );
  const collectedOnly = (): EntityEvidence =>
    evidence([], {
      facts: githubFacts,
      reports: ['secret-scanning', 'iac-lint', 'container-scan', 'sbom'].map(c => report(c)),
      deployments: [productionDeployment()],
      gateDecisions: [allowedGate()],
      exercises,
      lastExport: { at: daysAgo(3), actor: 'user:default/rita', from: daysAgo(93), to: daysAgo(3), scope: `entity ${SERVICE}` },
      resolvedFindings: [resolved('sca', 'critical', 5), resolved('secret', 'high', 1)],
    });

  it('passes the pre-commit, code-review and dependency-diff controls from the collector facts', () => {
    const card = score(collectedOnly());
    const state = (id: string) => card.controls.find(c => c.controlId === id)!.state;
    expect(state('pre-commit-checks')).toBe('passing');
    expect(state('code-review')).toBe('passing');
    expect(state('dependency-diff')).toBe('passing');
  });

  it('reaches stage 2; only the two human criteria (failure review, feedback into templates) remain unmet', () => {
    const card = score(collectedOnly());
    expect(card.maturity.stage).toBe(2);
    const unmet = card.maturity.stages.flatMap(s => s.criteria.filter(c => !c.met).map(c => c.id));
    expect(unmet).toEqual(['failure-review', 'feedback-into-templates']);
    const met = card.maturity.stages.flatMap(s => s.criteria.filter(c => c.met).map(c => c.id));
    expect(met).toEqual(expect.arrayContaining(['reusable-workflows', 'evidence-export', 'tabletop-exercises', 'policy-as-code']));
  });

  it('does not meet evidence export from an export older than 180 days', () => {
    const old = { ...collectedOnly(), lastExport: { at: daysAgo(200), actor: 'user:default/rita', from: daysAgo(290), to: daysAgo(200), scope: 'org' } };
    const criterion = score(old).maturity.stages[2].criteria.find(c => c.id === 'evidence-export')!;
    expect(criterion.met).toBe(false);
    expect(criterion.reason).toContain('exported 200 days ago (window 180 days)');
  });
});
