import {
  ControlDefinition,
  ControlFact,
  ControlRule,
  Deployment,
  GateDecision,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { DEFAULT_CONTROLS } from '../config/defaults';
import { evaluateControl, evaluateControls, factHolds } from './controls';
import {
  EntityEvidence,
  ExceptionCover,
  OpenFinding,
  ReportSighting,
  SignatureVerification,
} from './types';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const daysAhead = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();

const SERVICE = 'component:default/payments-api';
const DIGEST = 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER_DIGEST = 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** `type: null` builds an entity without spec.type. */
function evidence(partial: Partial<EntityEvidence> = {}, type: string | null = 'service'): EntityEvidence {
  return {
    entity: { entityRef: SERVICE, kind: 'Component', type: type ?? undefined, ownerRef: 'group:default/team-payments' },
    reports: [],
    openFindings: [],
    resolvedFindings: [],
    facts: [],
    deployments: [],
    gateDecisions: [],
    exceptions: [],
    signatures: [],
    ...partial,
  };
}

function control(rule: ControlRule, extra: Partial<ControlDefinition> = {}): ControlDefinition {
  return {
    id: 'dependency-scan',
    stage: 'build',
    title: 'Dependency scan',
    freshnessDays: 14,
    rule,
    ...extra,
  };
}

const findingsControl = (extra: Partial<ControlDefinition> = {}) =>
  control({ type: 'findings', failOnSeverity: 'high' }, extra);

function report(id: string, ageDays: number, controls = ['dependency-scan']): ReportSighting {
  return { id, controls, scannedAt: daysAgo(ageDays), artifactDigest: DIGEST };
}

function finding(partial: Partial<OpenFinding> & { id: string }): OpenFinding {
  return {
    control: 'dependency-scan',
    severity: 'high',
    ruleId: `rule-${partial.id}`,
    fingerprint: `fp-${partial.id}`,
    artifactDigest: DIGEST,
    kind: 'sca',
    firstSeenAt: daysAgo(3),
    ...partial,
  };
}

function exception(partial: Partial<ExceptionCover> & { id: string }): ExceptionCover {
  return { approvedAt: daysAgo(5), expiresAt: daysAhead(30), ...partial };
}

function fact(name: string, value: unknown, ageDays = 1): ControlFact {
  return {
    entityRef: SERVICE,
    fact: name,
    value,
    source: 'github',
    observedAt: daysAgo(ageDays),
    recordedBy: 'ci',
    recordedAt: daysAgo(ageDays),
  };
}

function deployment(partial: Partial<Deployment> & { id: string }): Deployment {
  return {
    entityRef: SERVICE,
    environment: 'production',
    artifactDigest: DIGEST,
    sourceCommit: 'abc123',
    deployer: 'ci-bot',
    result: 'succeeded',
    deployedAt: daysAgo(2),
    recordedBy: 'ci-bot',
    recordedAt: daysAgo(2),
    ...partial,
  };
}

function gateDecision(partial: Partial<GateDecision> & { id: string }): GateDecision {
  return {
    policy: 'production_release',
    environment: 'production',
    entityRef: SERVICE,
    artifactDigest: DIGEST,
    decision: 'allow',
    requirements: [],
    decidedAt: daysAgo(1),
    requestedBy: 'ci-bot',
    ...partial,
  };
}

const factControl = (rule: Partial<Extract<ControlRule, { type: 'fact' }>> = {}, extra: Partial<ControlDefinition> = {}) =>
  control(
    { type: 'fact', fact: 'pre_commit.enabled', ...rule },
    { id: 'pre-commit-checks', stage: 'commit', title: 'Pre-commit checks', freshnessDays: 90, ...extra },
  );

const approvalControl = () =>
  control(
    { type: 'deployment-approval', environment: 'production' },
    { id: 'production-approval', stage: 'deploy', title: 'Approval for production', freshnessDays: 90 },
  );

const gateControl = () =>
  control(
    { type: 'gate-decision', environment: 'production' },
    { id: 'policy-as-code', stage: 'deploy', title: 'Policy-as-code', freshnessDays: 30 },
  );

const signatureControl = () =>
  control(
    { type: 'signature', environment: 'production' },
    { id: 'signed-artifact-verification', stage: 'deploy', title: 'Signed artifact verification', freshnessDays: 30 },
  );

function signature(partial: Partial<SignatureVerification> & { id: string }): SignatureVerification {
  return {
    digest: DIGEST,
    verified: true,
    reason: `Signature of ${DIGEST} verified by cosign (keyless, issuer https://token.actions.githubusercontent.com)`,
    at: daysAgo(2),
    ...partial,
  };
}

const refIds = (refs: Array<{ kind: string; id: string }>) => refs.map(r => `${r.kind}:${r.id}`);

describe('evaluateControls', () => {
  it('evaluates every control in order with its id, stage and title', () => {
    const controls = [findingsControl(), factControl(), approvalControl(), gateControl()];
    const results = evaluateControls(controls, evidence(), NOW);
    expect(results.map(r => [r.controlId, r.stage, r.title])).toEqual([
      ['dependency-scan', 'build', 'Dependency scan'],
      ['pre-commit-checks', 'commit', 'Pre-commit checks'],
      ['production-approval', 'deploy', 'Approval for production'],
      ['policy-as-code', 'deploy', 'Policy-as-code'],
    ]);
  });

  it('never counts no evidence as passing, whatever the rule type', () => {
    const controls = [
      findingsControl(),
      factControl(),
      factControl({ atLeast: 1 }),
      approvalControl(),
      gateControl(),
      signatureControl(),
    ];
    // Not even when the entity has approved exceptions for every control.
    const withExceptions = evidence({
      exceptions: controls.map(c => exception({ id: `ex-${c.id}`, control: c.id })),
    });
    for (const input of [evidence(), withExceptions]) {
      for (const result of evaluateControls(controls, input, NOW)) {
        expect(result.state).not.toBe('passing');
        expect(result.state).not.toBe('excepted');
        expect(result.state).toBe('not_reported');
        expect(result.evidence).toEqual([]);
        expect(result.lastEvidenceAt).toBeUndefined();
      }
    }
  });
});

describe('findings rule', () => {
  it('is not_reported without a report, even with open findings recorded', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        // A report for another control does not evidence this one.
        reports: [report('r-sast', 1, ['sast'])],
        openFindings: [finding({ id: 'f1', severity: 'critical' })],
      }),
      NOW,
    );
    expect(result.state).toBe('not_reported');
    expect(result.reason).toContain('dependency scan');
    expect(result.evidence).toEqual([]);
  });

  it('is stale when the newest report is older than freshnessDays', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({ reports: [report('r-old', 20), report('r-older', 40)] }),
      NOW,
    );
    expect(result.state).toBe('stale');
    expect(result.reason).toContain('20 days');
    expect(result.reason).toContain('14 days');
    expect(result.lastEvidenceAt).toBe(daysAgo(20));
    expect(result.evidence).toEqual([{ kind: 'report', id: 'r-old', at: daysAgo(20) }]);
  });

  it('stays stale even when open findings would fail it', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({ reports: [report('r-old', 15)], openFindings: [finding({ id: 'f1', severity: 'critical' })] }),
      NOW,
    );
    expect(result.state).toBe('stale');
  });

  it('is fresh on the last day of the window', () => {
    const result = evaluateControl(findingsControl(), evidence({ reports: [report('r1', 14)] }), NOW);
    expect(result.state).toBe('passing');
  });

  it('decides on the newest report whatever the order', () => {
    const reports = [report('r-old', 30), report('r-new', 2), report('r-mid', 10)];
    for (const order of [reports, [...reports].reverse()]) {
      const result = evaluateControl(findingsControl(), evidence({ reports: order }), NOW);
      expect(result.state).toBe('passing');
      expect(result.lastEvidenceAt).toBe(daysAgo(2));
      expect(result.evidence).toEqual([{ kind: 'report', id: 'r-new', at: daysAgo(2) }]);
    }
  });

  it('passes with no open finding at or above failOnSeverity', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [
          finding({ id: 'medium', severity: 'medium' }),
          finding({ id: 'low', severity: 'low' }),
          // Another control's critical finding does not count here.
          finding({ id: 'other', severity: 'critical', control: 'sast' }),
        ],
      }),
      NOW,
    );
    expect(result.state).toBe('passing');
    expect(result.reason).toBe('No open findings at high or above');
    expect(result.lastEvidenceAt).toBe(daysAgo(1));
    expect(result.evidence).toEqual([{ kind: 'report', id: 'r1', at: daysAgo(1) }]);
  });

  it('fails when one open finding is at failOnSeverity', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [
          finding({ id: 'f-high', severity: 'high', vulnerabilityId: 'CVE-2026-1111' }),
          finding({ id: 'f-low', severity: 'low' }),
        ],
      }),
      NOW,
    );
    expect(result.state).toBe('failing');
    expect(result.reason).toContain('1 open finding');
    expect(result.reason).toContain('high');
    expect(result.reason).toContain('CVE-2026-1111');
    expect(refIds(result.evidence)).toEqual(['report:r1', 'finding:f-high']);
  });

  it('fails above failOnSeverity and names the rule when there is no vulnerability id', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [finding({ id: 'f-crit', severity: 'critical', ruleId: 'GHSA-xxxx' })],
      }),
      NOW,
    );
    expect(result.state).toBe('failing');
    expect(result.reason).toContain('GHSA-xxxx');
  });

  it('honours a critical-only threshold', () => {
    const critOnly = control({ type: 'findings', failOnSeverity: 'critical' });
    const high = evidence({ reports: [report('r1', 1)], openFindings: [finding({ id: 'f', severity: 'high' })] });
    expect(evaluateControl(critOnly, high, NOW).state).toBe('passing');
    const critical = evidence({ reports: [report('r1', 1)], openFindings: [finding({ id: 'f', severity: 'critical' })] });
    expect(evaluateControl(critOnly, critical, NOW).state).toBe('failing');
  });

  const failingFinding = finding({
    id: 'f1',
    severity: 'critical',
    ruleId: 'npm-audit-1',
    vulnerabilityId: 'CVE-2026-0001',
    fingerprint: 'fp-one',
    artifactDigest: DIGEST,
  });

  it.each<[string, Partial<ExceptionCover>]>([
    ['control', { control: 'dependency-scan' }],
    ['ruleId', { ruleId: 'npm-audit-1' }],
    ['vulnerabilityId', { vulnerabilityId: 'CVE-2026-0001' }],
    ['fingerprint', { fingerprint: 'fp-one' }],
    ['artifactDigest', { artifactDigest: DIGEST }],
    ['control and vulnerabilityId', { control: 'dependency-scan', vulnerabilityId: 'CVE-2026-0001' }],
  ])('is excepted when an active exception scoped by %s covers the failing finding', (_scope, scope) => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [failingFinding],
        exceptions: [exception({ id: 'ex-1', ...scope })],
      }),
      NOW,
    );
    expect(result.state).toBe('excepted');
    expect(result.reason).toContain('1 open finding');
    expect(result.reason).toContain('exception');
    expect(refIds(result.evidence)).toEqual(['report:r1', 'finding:f1', 'exception:ex-1']);
  });

  it.each<[string, Partial<ExceptionCover>]>([
    ['another control', { control: 'sast' }],
    ['another ruleId', { ruleId: 'npm-audit-2' }],
    ['another vulnerabilityId', { vulnerabilityId: 'CVE-2026-9999' }],
    ['another fingerprint', { fingerprint: 'fp-two' }],
    ['another artifactDigest', { artifactDigest: OTHER_DIGEST }],
    ['a matching control but another CVE', { control: 'dependency-scan', vulnerabilityId: 'CVE-2026-9999' }],
  ])('stays failing when the exception is scoped to %s', (_scope, scope) => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [failingFinding],
        exceptions: [exception({ id: 'ex-1', ...scope })],
      }),
      NOW,
    );
    expect(result.state).toBe('failing');
    expect(refIds(result.evidence)).not.toContain('exception:ex-1');
  });

  it('does not let an expired exception cover (the failure counts again)', () => {
    for (const expiresAt of [daysAgo(1), NOW.toISOString()]) {
      const result = evaluateControl(
        findingsControl(),
        evidence({
          reports: [report('r1', 1)],
          openFindings: [failingFinding],
          exceptions: [exception({ id: 'ex-expired', vulnerabilityId: 'CVE-2026-0001', approvedAt: daysAgo(60), expiresAt })],
        }),
        NOW,
      );
      expect(result.state).toBe('failing');
      expect(result.reason).toContain('CVE-2026-0001');
    }
  });

  it('uses the active exception when an expired one exists for the same finding', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [failingFinding],
        exceptions: [
          exception({ id: 'ex-expired', vulnerabilityId: 'CVE-2026-0001', expiresAt: daysAgo(1) }),
          exception({ id: 'ex-renewed', vulnerabilityId: 'CVE-2026-0001' }),
        ],
      }),
      NOW,
    );
    expect(result.state).toBe('excepted');
    expect(refIds(result.evidence)).toContain('exception:ex-renewed');
    expect(refIds(result.evidence)).not.toContain('exception:ex-expired');
  });

  it('stays failing when only some failing findings are covered, naming only the uncovered ones', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [
          finding({ id: 'covered', severity: 'critical', vulnerabilityId: 'CVE-2026-0001' }),
          finding({ id: 'uncovered', severity: 'high', vulnerabilityId: 'CVE-2026-0002' }),
        ],
        exceptions: [exception({ id: 'ex-1', vulnerabilityId: 'CVE-2026-0001' })],
      }),
      NOW,
    );
    expect(result.state).toBe('failing');
    expect(result.reason).toContain('1 open finding');
    expect(result.reason).toContain('CVE-2026-0002');
    expect(result.reason).not.toContain('CVE-2026-0001');
    expect(refIds(result.evidence)).toEqual(['report:r1', 'finding:uncovered']);
  });

  it('is excepted when several findings are each covered by a different exception, listing each once', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [
          finding({ id: 'a', vulnerabilityId: 'CVE-A' }),
          finding({ id: 'b', vulnerabilityId: 'CVE-B' }),
          finding({ id: 'c', vulnerabilityId: 'CVE-B', fingerprint: 'fp-c' }),
        ],
        exceptions: [exception({ id: 'ex-a', vulnerabilityId: 'CVE-A' }), exception({ id: 'ex-b', vulnerabilityId: 'CVE-B' })],
      }),
      NOW,
    );
    expect(result.state).toBe('excepted');
    expect(result.reason).toContain('3 open finding');
    expect(refIds(result.evidence)).toEqual([
      'report:r1',
      'finding:a',
      'finding:b',
      'finding:c',
      'exception:ex-a',
      'exception:ex-b',
    ]);
  });

  it('caps the finding references', () => {
    const many = Array.from({ length: 30 }, (_, i) => finding({ id: `f${i}`, vulnerabilityId: `CVE-${i}` }));
    const result = evaluateControl(findingsControl(), evidence({ reports: [report('r1', 1)], openFindings: many }), NOW);
    expect(result.state).toBe('failing');
    expect(result.reason).toContain('30 open finding');
    expect(result.reason).toContain('…');
    expect(result.evidence.filter(r => r.kind === 'finding')).toHaveLength(20);
    expect(result.evidence[0]).toEqual({ kind: 'report', id: 'r1', at: daysAgo(1) });
  });
});

describe('fact rule', () => {
  it('is not_reported without an observation of the fact', () => {
    const result = evaluateControl(factControl(), evidence({ facts: [fact('other.fact', true)] }), NOW);
    expect(result.state).toBe('not_reported');
    expect(result.reason).toContain('pre_commit.enabled');
    expect(result.evidence).toEqual([]);
  });

  it('is stale when the observation is older than freshnessDays', () => {
    const result = evaluateControl(factControl(), evidence({ facts: [fact('pre_commit.enabled', true, 91)] }), NOW);
    expect(result.state).toBe('stale');
    expect(result.reason).toContain('91 days');
    expect(result.reason).toContain('90 days');
    expect(result.evidence).toEqual([{ kind: 'fact', id: 'pre_commit.enabled', at: daysAgo(91) }]);
  });

  it('passes when the fact is true (the default expectation)', () => {
    const result = evaluateControl(factControl(), evidence({ facts: [fact('pre_commit.enabled', true, 3)] }), NOW);
    expect(result.state).toBe('passing');
    expect(result.reason).toBe('pre_commit.enabled is true (expected true)');
    expect(result.lastEvidenceAt).toBe(daysAgo(3));
    expect(result.evidence).toEqual([{ kind: 'fact', id: 'pre_commit.enabled', at: daysAgo(3) }]);
  });

  it.each([[false], ['true'], [1], [null]])('fails when the fact is %p instead of true', value => {
    const result = evaluateControl(factControl(), evidence({ facts: [fact('pre_commit.enabled', value)] }), NOW);
    expect(result.state).toBe('failing');
    expect(result.reason).toContain(`pre_commit.enabled is ${JSON.stringify(value)}`);
    expect(result.reason).toContain('expected true');
    expect(result.evidence).toEqual([{ kind: 'fact', id: 'pre_commit.enabled', at: daysAgo(1) }]);
  });

  it('compares with equals strictly', () => {
    const strict = factControl({ fact: 'mode', equals: 'strict' });
    expect(evaluateControl(strict, evidence({ facts: [fact('mode', 'strict')] }), NOW).state).toBe('passing');
    const lax = evaluateControl(strict, evidence({ facts: [fact('mode', 'lax')] }), NOW);
    expect(lax.state).toBe('failing');
    expect(lax.reason).toBe('mode is "lax" (expected "strict")');
    const three = factControl({ fact: 'n', equals: 3 });
    expect(evaluateControl(three, evidence({ facts: [fact('n', 3)] }), NOW).state).toBe('passing');
    expect(evaluateControl(three, evidence({ facts: [fact('n', '3')] }), NOW).state).toBe('failing');
    expect(evaluateControl(three, evidence({ facts: [fact('n', 4)] }), NOW).state).toBe('failing');
  });

  it('compares with atLeast as a lower bound', () => {
    const reviews = factControl({ fact: 'branch_protection.required_reviews', atLeast: 1 });
    const at = (value: unknown) =>
      evaluateControl(reviews, evidence({ facts: [fact('branch_protection.required_reviews', value)] }), NOW);
    expect(at(2).state).toBe('passing');
    expect(at(1).state).toBe('passing');
    const zero = at(0);
    expect(zero.state).toBe('failing');
    expect(zero.reason).toBe('branch_protection.required_reviews is 0 (expected at least 1)');
  });

  it('is in error when a number was expected and a string came', () => {
    const reviews = factControl({ fact: 'branch_protection.required_reviews', atLeast: 1 });
    const result = evaluateControl(reviews, evidence({ facts: [fact('branch_protection.required_reviews', '2')] }), NOW);
    expect(result.state).toBe('error');
    expect(result.state).not.toBe('passing');
    expect(result.reason).toContain('expected a number');
    expect(result.reason).toContain('"2"');
  });

  it('code review: required status checks and owner review fail it where observed, and are named where not', () => {
    const codeReview = DEFAULT_CONTROLS.find(c => c.id === 'code-review')!;
    const reviews = fact('branch_protection.required_reviews', 2);
    const onlyReviews = evaluateControl(codeReview, evidence({ facts: [reviews] }), NOW);
    expect(onlyReviews.state).toBe('passing');
    expect(onlyReviews.reason).toContain('not observed: branch_protection.required_status_checks, code_review.owner_review');

    const collected = [reviews, fact('branch_protection.required_status_checks', 2), fact('code_review.owner_review', true)];
    const all = evaluateControl(codeReview, evidence({ facts: collected }), NOW);
    expect(all.state).toBe('passing');
    expect(all.evidence.map(e => e.id)).toEqual([
      'branch_protection.required_reviews',
      'branch_protection.required_status_checks',
      'code_review.owner_review',
    ]);

    const noChecks = evaluateControl(
      codeReview,
      evidence({ facts: [reviews, fact('branch_protection.required_status_checks', 0), fact('code_review.owner_review', true)] }),
      NOW,
    );
    expect(noChecks.state).toBe('failing');
    expect(noChecks.reason).toContain('branch_protection.required_status_checks is 0 (expected at least 1)');

    const noOwners = evaluateControl(
      codeReview,
      evidence({ facts: [reviews, fact('branch_protection.required_status_checks', 1), fact('code_review.owner_review', false)] }),
      NOW,
    );
    expect(noOwners.state).toBe('failing');
    expect(noOwners.reason).toContain('code_review.owner_review is false (expected true)');

    // Without required reviews the main fact decides, whatever else holds.
    expect(
      evaluateControl(codeReview, evidence({ facts: [fact('branch_protection.required_reviews', 0), ...collected.slice(1)] }), NOW).state,
    ).toBe('failing');
  });

  it('runtime controls: a heartbeat or a signal of their kinds within the window says monitoring is on; an "off" fact is never overruled', () => {
    const audit = DEFAULT_CONTROLS.find(c => c.id === 'cloud-audit-logs')!;
    const monitor = (ageDays: number, controlId = 'cloud-audit-logs') => ({
      entityRef: SERVICE,
      control: controlId,
      source: 'aws-cloudtrail',
      firstSeenAt: daysAgo(100),
      lastSeenAt: daysAgo(ageDays),
      recordedBy: 'forwarder',
      recordedAt: daysAgo(ageDays),
    });
    const on = evaluateControl(audit, evidence({ runtimeMonitors: [monitor(1)] }), NOW);
    expect(on.state).toBe('passing');
    expect(on.reason).toContain('aws-cloudtrail heartbeat received');
    // Another control's heartbeat says nothing about this one.
    expect(evaluateControl(audit, evidence({ runtimeMonitors: [monitor(1, 'workload-telemetry')] }), NOW).state).toBe('not_reported');
    expect(evaluateControl(audit, evidence({ runtimeMonitors: [monitor(31)] }), NOW).state).toBe('stale');
    // A remediated alert of the control's kinds also proves the source is on.
    const alert = {
      id: 's1',
      entityRef: SERVICE,
      kind: 'audit-log-alert' as const,
      severity: 'medium' as const,
      summary: 'odd login',
      detectedAt: daysAgo(2),
      remediatedAt: daysAgo(1),
      source: 'aws-guardduty',
      recordedBy: 'forwarder',
      recordedAt: daysAgo(2),
    };
    expect(evaluateControl(audit, evidence({ runtimeSignals: [alert] }), NOW).state).toBe('passing');
    // An explicit "off" fails whatever the heartbeats (and only goes stale with age, never passing).
    const off = (ageDays: number) => fact('cloud_audit_logs.enabled', false, ageDays);
    expect(evaluateControl(audit, evidence({ facts: [off(1)], runtimeMonitors: [monitor(3)] }), NOW).state).toBe('failing');
    expect(evaluateControl(audit, evidence({ facts: [off(5)], runtimeMonitors: [monitor(3)] }), NOW).state).toBe('failing');
    expect(evaluateControl(audit, evidence({ facts: [off(40)], runtimeMonitors: [monitor(1)] }), NOW).state).toBe('stale');
    // A stale "on" fact is renewed by a fresh heartbeat.
    const onFact = fact('cloud_audit_logs.enabled', true, 40);
    expect(evaluateControl(audit, evidence({ facts: [onFact], runtimeMonitors: [monitor(1)] }), NOW).state).toBe('passing');
  });

  it('reports staleness before a wrongly typed value', () => {
    const reviews = factControl({ fact: 'branch_protection.required_reviews', atLeast: 1 });
    const result = evaluateControl(reviews, evidence({ facts: [fact('branch_protection.required_reviews', 'two', 120)] }), NOW);
    expect(result.state).toBe('stale');
  });
});

describe('factHolds', () => {
  it('defaults to equals true', () => {
    expect(factHolds(true, {})).toBe(true);
    expect(factHolds(false, {})).toBe(false);
    expect(factHolds('yes', {})).toBe(false);
  });

  it('honours equals false explicitly', () => {
    expect(factHolds(false, { equals: false })).toBe(true);
    expect(factHolds(true, { equals: false })).toBe(false);
  });

  it('checks bounds on numbers only', () => {
    expect(factHolds(30, { atMost: 30 })).toBe(true);
    expect(factHolds(31, { atMost: 30 })).toBe(false);
    expect(factHolds(5, { atLeast: 1, atMost: 10 })).toBe(true);
    expect(factHolds(11, { atLeast: 1, atMost: 10 })).toBe(false);
    expect(() => factHolds('5', { atMost: 10 })).toThrow(/expected a number, got "5"/);
    expect(() => factHolds(undefined, { atLeast: 1 })).toThrow(/expected a number/);
  });
});

describe('deployment-approval rule', () => {
  it('is not_reported without a deployment to the environment', () => {
    const result = evaluateControl(
      approvalControl(),
      evidence({ deployments: [deployment({ id: 'd-staging', environment: 'staging', approver: 'alice' })] }),
      NOW,
    );
    expect(result.state).toBe('not_reported');
    expect(result.reason).toBe('No production deployment recorded');
    expect(result.evidence).toEqual([]);
  });

  it('fails when the latest deployment has no approver', () => {
    const result = evaluateControl(approvalControl(), evidence({ deployments: [deployment({ id: 'd1' })] }), NOW);
    expect(result.state).toBe('failing');
    expect(result.reason).toContain('no approver');
    expect(result.reason).toContain('production');
    expect(result.lastEvidenceAt).toBe(daysAgo(2));
    expect(result.evidence).toEqual([{ kind: 'deployment', id: 'd1', at: daysAgo(2) }]);
  });

  it('passes when the approver resolved to a catalog User other than the deployer', () => {
    const result = evaluateControl(
      approvalControl(),
      evidence({
        deployments: [deployment({ id: 'd1', approver: 'user:default/alice' })],
        approverChecks: [{ deploymentId: 'd1', userRef: 'user:default/alice' }],
      }),
      NOW,
    );
    expect(result.state).toBe('passing');
    expect(result.reason).toBe(
      'Latest production deployment approved by user:default/alice, a catalog User other than the deployer ci-bot',
    );
    expect(result.evidence).toEqual([{ kind: 'deployment', id: 'd1', at: daysAgo(2) }]);
  });

  it('fails when the approver is a bot, the deployer, unknown to the catalog or never checked, with the reason', () => {
    const judged = (approverChecks: EntityEvidence['approverChecks']) =>
      evaluateControl(
        approvalControl(),
        evidence({ deployments: [deployment({ id: 'd1', approver: 'ci-bot' })], approverChecks }),
        NOW,
      );
    const self = judged([{ deploymentId: 'd1', problem: 'user:default/ci-bot is the deployer: nobody may approve their own deployment' }]);
    expect(self.state).toBe('failing');
    expect(self.reason).toBe(
      "Latest production deployment's approver ci-bot does not count: user:default/ci-bot is the deployer: nobody may approve their own deployment",
    );
    expect(judged([{ deploymentId: 'd1', problem: 'user:default/ci-bot is not a User in the catalog' }]).reason).toContain(
      'not a User in the catalog',
    );
    // A name nobody looked up never counts (evaluation without the catalog's answer).
    expect(judged(undefined)).toMatchObject({
      state: 'failing',
      reason: "Latest production deployment's approver ci-bot does not count: it was not resolved to a catalog User",
    });
    expect(judged([{ deploymentId: 'other', userRef: 'user:default/ci-bot' }]).state).toBe('failing');
  });

  it('is stale when the latest deployment is older than freshnessDays, approved or not', () => {
    for (const approver of ['user:default/alice', undefined]) {
      const result = evaluateControl(
        approvalControl(),
        evidence({ deployments: [deployment({ id: 'd-old', approver, deployedAt: daysAgo(100) })] }),
        NOW,
      );
      expect(result.state).toBe('stale');
      expect(result.reason).toContain('100 days');
      expect(result.evidence).toEqual([{ kind: 'deployment', id: 'd-old', at: daysAgo(100) }]);
    }
  });
});

describe('gate-decision rule', () => {
  it('is not_reported without a decision for the environment', () => {
    const result = evaluateControl(
      gateControl(),
      evidence({ gateDecisions: [gateDecision({ id: 'g-staging', environment: 'staging' })] }),
      NOW,
    );
    expect(result.state).toBe('not_reported');
    expect(result.reason).toContain('production');
  });

  it('passes when the latest decision allowed', () => {
    const result = evaluateControl(gateControl(), evidence({ gateDecisions: [gateDecision({ id: 'g1' })] }), NOW);
    expect(result.state).toBe('passing');
    expect(result.reason).toContain(DIGEST);
    expect(result.lastEvidenceAt).toBe(daysAgo(1));
    expect(result.evidence).toEqual([{ kind: 'gate-decision', id: 'g1', at: daysAgo(1) }]);
  });

  it('fails when the latest decision denied, naming the denied requirements', () => {
    const requirement = (name: string, passed: boolean) => ({
      requirement: name,
      expected: 'x',
      passed,
      reason: `${name} ${passed ? 'ok' : 'not ok'}`,
      evidence: [],
    });
    const result = evaluateControl(
      gateControl(),
      evidence({
        gateDecisions: [
          gateDecision({
            id: 'g1',
            decision: 'deny',
            requirements: [
              requirement('artifact_known', true),
              requirement('branch_protection', true),
              requirement('sbom', false),
              requirement('secrets_scan', true),
              requirement('container_critical_vulns', false),
            ],
          }),
        ],
      }),
      NOW,
    );
    expect(result.state).toBe('failing');
    expect(result.reason).toContain('denied');
    expect(result.reason).toContain('sbom, container_critical_vulns');
    expect(result.reason).not.toContain('branch_protection');
    expect(result.evidence).toEqual([{ kind: 'gate-decision', id: 'g1', at: daysAgo(1) }]);
  });

  it('is stale when the latest decision is older than freshnessDays', () => {
    const result = evaluateControl(
      gateControl(),
      evidence({ gateDecisions: [gateDecision({ id: 'g-old', decidedAt: daysAgo(45) })] }),
      NOW,
    );
    expect(result.state).toBe('stale');
    expect(result.evidence).toEqual([{ kind: 'gate-decision', id: 'g-old', at: daysAgo(45) }]);
  });
});

describe('signature rule', () => {
  it('is not_reported without a deployment to the environment', () => {
    const result = evaluateControl(
      signatureControl(),
      evidence({
        deployments: [deployment({ id: 'd-staging', environment: 'staging' })],
        signatures: [signature({ id: 'sig-1' })],
      }),
      NOW,
    );
    expect(result.state).toBe('not_reported');
    expect(result.reason).toContain('No production deployment recorded');
    expect(result.evidence).toEqual([]);
  });

  it('is not_reported when no verification was recorded for the deployed digest', () => {
    const result = evaluateControl(
      signatureControl(),
      evidence({
        deployments: [deployment({ id: 'd1' })],
        // A verified signature of another artifact says nothing about the deployed one.
        signatures: [signature({ id: 'sig-other', digest: OTHER_DIGEST })],
      }),
      NOW,
    );
    expect(result.state).toBe('not_reported');
    expect(result.reason).toContain(DIGEST);
  });

  it('passes when the deployed artifact has a verified signature', () => {
    const result = evaluateControl(
      signatureControl(),
      evidence({
        deployments: [deployment({ id: 'd1' })],
        signatures: [signature({ id: 'sig-other', digest: OTHER_DIGEST, verified: false }), signature({ id: 'sig-1' })],
      }),
      NOW,
    );
    expect(result.state).toBe('passing');
    expect(result.reason).toContain('verified by cosign');
    expect(result.lastEvidenceAt).toBe(daysAgo(2));
    expect(result.evidence).toEqual([{ kind: 'fact', id: 'sig-1', at: daysAgo(2) }]);
  });

  it('fails when the newest verification of the deployed artifact failed', () => {
    const result = evaluateControl(
      signatureControl(),
      evidence({
        deployments: [deployment({ id: 'd1' })],
        // Newest first.
        signatures: [
          signature({ id: 'sig-new', verified: false, reason: 'No signature matches the digest', at: daysAgo(1) }),
          signature({ id: 'sig-old', verified: true, at: daysAgo(5) }),
        ],
      }),
      NOW,
    );
    expect(result.state).toBe('failing');
    expect(result.reason).toBe('No signature matches the digest');
    expect(result.evidence).toEqual([{ kind: 'fact', id: 'sig-new', at: daysAgo(1) }]);
  });

  it('is stale when the verification is older than freshnessDays', () => {
    const result = evaluateControl(
      signatureControl(),
      evidence({ deployments: [deployment({ id: 'd1' })], signatures: [signature({ id: 'sig-1', at: daysAgo(31) })] }),
      NOW,
    );
    expect(result.state).toBe('stale');
    expect(result.reason).toContain('31 days');
    expect(result.evidence).toEqual([{ kind: 'fact', id: 'sig-1', at: daysAgo(31) }]);
  });
});

describe('control-level exceptions', () => {
  const failingFact = evidence({ facts: [fact('pre_commit.enabled', false)] });

  it('turn a failing control into excepted, visibly', () => {
    const result = evaluateControl(
      factControl(),
      { ...failingFact, exceptions: [exception({ id: 'ex-ctl', control: 'pre-commit-checks', expiresAt: '2026-12-31T00:00:00.000Z' })] },
      NOW,
    );
    expect(result.state).toBe('excepted');
    expect(result.reason).toContain('pre_commit.enabled is false');
    expect(result.reason).toContain('excepted until 2026-12-31');
    expect(refIds(result.evidence)).toEqual(['fact:pre_commit.enabled', 'exception:ex-ctl']);
  });

  it('except a denied gate decision and an unapproved deployment too', () => {
    const exceptions = [
      exception({ id: 'ex-gate', control: 'policy-as-code' }),
      exception({ id: 'ex-approval', control: 'production-approval' }),
    ];
    const input = evidence({
      exceptions,
      deployments: [deployment({ id: 'd1' })],
      gateDecisions: [gateDecision({ id: 'g1', decision: 'deny' })],
    });
    expect(evaluateControl(gateControl(), input, NOW).state).toBe('excepted');
    expect(evaluateControl(approvalControl(), input, NOW).state).toBe('excepted');
  });

  it.each<[string, ExceptionCover]>([
    ['expired', exception({ id: 'ex', control: 'pre-commit-checks', expiresAt: daysAgo(1) })],
    ['for another control', exception({ id: 'ex', control: 'sast' })],
    ['narrower than the control', exception({ id: 'ex', control: 'pre-commit-checks', ruleId: 'r1' })],
  ])('do not apply when %s', (_why, ex) => {
    const result = evaluateControl(factControl(), { ...failingFact, exceptions: [ex] }, NOW);
    expect(result.state).toBe('failing');
    expect(result.evidence.map(r => r.kind)).not.toContain('exception');
  });

  it('do not touch passing, stale or not_reported results', () => {
    const exceptions = [exception({ id: 'ex', control: 'pre-commit-checks' })];
    const states = [
      evidence({ exceptions, facts: [fact('pre_commit.enabled', true)] }),
      evidence({ exceptions, facts: [fact('pre_commit.enabled', false, 200)] }),
      evidence({ exceptions }),
    ].map(input => evaluateControl(factControl(), input, NOW));
    expect(states.map(s => s.state)).toEqual(['passing', 'stale', 'not_reported']);
    for (const s of states) expect(s.reason).not.toContain('excepted');
  });

  it('also cover a findings control whose failure is partly covered by narrower exceptions', () => {
    const result = evaluateControl(
      findingsControl(),
      evidence({
        reports: [report('r1', 1)],
        openFindings: [
          finding({ id: 'a', vulnerabilityId: 'CVE-A' }),
          finding({ id: 'b', vulnerabilityId: 'CVE-B' }),
        ],
        exceptions: [exception({ id: 'ex-a', vulnerabilityId: 'CVE-A' }), exception({ id: 'ex-ctl', control: 'dependency-scan' })],
      }),
      NOW,
    );
    expect(result.state).toBe('excepted');
    expect(refIds(result.evidence)).toContain('exception:ex-ctl');
  });
});

describe('not_applicable', () => {
  const deployable = { appliesToTypes: ['service', 'website'] };

  it('applies to none but the listed entity types', () => {
    const ctl = approvalControl();
    const failing = { deployments: [deployment({ id: 'd1' })] };
    const library = evaluateControl({ ...ctl, ...deployable }, evidence(failing, 'library'), NOW);
    expect(library.state).toBe('not_applicable');
    expect(library.reason).toContain('library');
    expect(library.reason).toContain('service, website');
    expect(library.evidence).toEqual([]);

    const service = evaluateControl({ ...ctl, ...deployable }, evidence(failing, 'service'), NOW);
    expect(service.state).toBe('failing');
  });

  it('is not_applicable for an entity without a type', () => {
    for (const ctl of [findingsControl(deployable), factControl({}, deployable), { ...gateControl(), ...deployable }]) {
      const result = evaluateControl(ctl, evidence({}, null), NOW);
      expect(result.state).toBe('not_applicable');
      expect(result.reason).toContain('without a type');
    }
  });

  it('applies to every type, and to untyped entities, when appliesToTypes is absent', () => {
    const result = evaluateControl(findingsControl(), evidence({ reports: [report('r1', 1)] }, null), NOW);
    expect(result.state).toBe('passing');
  });
});

describe('error state', () => {
  it('reports an unknown rule type as an error, never as a pass', () => {
    const broken = control({ type: 'mystery' } as unknown as ControlRule);
    const result = evaluateControl(broken, evidence({ reports: [report('r1', 1)] }), NOW);
    expect(result.state).toBe('error');
    expect(result.reason).toContain('mystery');
  });
});

describe('fact rule with failOnOpenSignals', () => {
  const telemetry = (failOnOpenSignals?: Array<'incident' | 'audit-log-alert'>) =>
    control({ type: 'fact', fact: 'workload_telemetry.enabled', ...(failOnOpenSignals ? { failOnOpenSignals } : {}) }, { id: 'workload-telemetry' });
  const on: ControlFact = {
    entityRef: SERVICE,
    fact: 'workload_telemetry.enabled',
    value: true,
    source: 'test',
    observedAt: daysAgo(1),
    recordedBy: 'test',
    recordedAt: daysAgo(1),
  };
  const signal = (extra: object = {}) => ({
    id: 'sig-1',
    entityRef: SERVICE,
    kind: 'incident' as const,
    severity: 'critical' as const,
    summary: 'Crypto miner',
    detectedAt: daysAgo(2),
    source: 'falco',
    recordedBy: 'test',
    recordedAt: daysAgo(2),
    ...extra,
  });

  it('keeps the plain fact behaviour without the field, open signals or not', () => {
    const verdict = evaluateControl(telemetry(), evidence({ facts: [on], runtimeSignals: [signal()] }), NOW);
    expect(verdict.state).toBe('passing');
  });

  it('fails on an open high or critical signal of its kinds, naming it', () => {
    const verdict = evaluateControl(telemetry(['incident']), evidence({ facts: [on], runtimeSignals: [signal()] }), NOW);
    expect(verdict.state).toBe('failing');
    expect(verdict.reason).toContain("critical incident 'Crypto miner'");
    expect(verdict.evidence).toContainEqual({ kind: 'runtime-signal', id: 'sig-1', at: daysAgo(2) });
  });

  it('ignores remediated, lower-severity and other-kind signals', () => {
    const signals = [
      signal({ remediatedAt: daysAgo(1) }),
      signal({ id: 'sig-2', severity: 'medium' }),
      signal({ id: 'sig-3', kind: 'audit-log-alert' }),
    ];
    const verdict = evaluateControl(telemetry(['incident']), evidence({ facts: [on], runtimeSignals: signals }), NOW);
    expect(verdict.state).toBe('passing');
  });
});
