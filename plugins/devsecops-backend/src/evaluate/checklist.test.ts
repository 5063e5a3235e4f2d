import { ControlFact, Deployment, HumanAttestation } from '@devsecops-scorecard/plugin-devsecops-common';
import { emptyEvidence } from '../__testUtils__/evidence';
import { DEFAULT_CONTROLS, DEFAULT_METRIC_TARGETS, DEFAULT_SLA_DAYS, DEFAULT_STAGES } from '../config/defaults';
import { evaluateChecklist } from './checklist';
import { evaluateEntity } from './scorecard';
import { EntityEvidence, EvaluationConfig } from './types';

const NOW = new Date('2026-12-06T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const DIGEST = `sha256:${'a'.repeat(64)}`;
const CONFIG: EvaluationConfig = {
  controls: DEFAULT_CONTROLS,
  severityPolicy: { slaDays: DEFAULT_SLA_DAYS, configured: true },
  metricTargets: DEFAULT_METRIC_TARGETS,
  stages: DEFAULT_STAGES,
};

const fact = (name: string, value: unknown, ageDays = 1, source = 'github'): ControlFact => ({
  entityRef: 'component:default/payments-api',
  fact: name,
  value,
  source,
  observedAt: ago(ageDays),
  recordedBy: 'test',
  recordedAt: ago(ageDays),
});
/** What an uploaded `scorecard --format json` states for one check (ingest/reportFacts). */
const scorecard = (check: string, score: number, ageDays = 1, reason = `${check} reason`) =>
  fact(`openssf.${check}.result`, { check, score, reason, details: [] }, ageDays, 'openssf-scorecard');

function evidence(extra: Partial<EntityEvidence> = {}, type = 'service'): EntityEvidence {
  return emptyEvidence({ entityRef: 'component:default/payments-api', kind: 'Component', type, ownerRef: 'group:default/team-payments' }, extra);
}
const checklist = (e: EntityEvidence) => evaluateChecklist(e, evaluateEntity(e, CONFIG, NOW), NOW);
const item = (e: EntityEvidence, id: string) => checklist(e).find(i => i.id === id)!;

describe('the DevSecOps checklist', () => {
  it("lists the seed's nine items in order; with no evidence only what the portal enforces is met", () => {
    const items = checklist(evidence());
    expect(items.map(i => i.title)).toEqual([
      'Required reviews and status checks protect production branches.',
      'CI logs redact secrets and avoid printing sensitive environment variables.',
      'Repository and package permissions use least privilege.',
      'Critical dependencies have owners, upgrade paths, and emergency patch procedures.',
      'Container images are minimal, scanned, and pinned by digest for production.',
      'IaC changes are reviewed with blast-radius context.',
      'CI/CD runners are isolated for untrusted code and protected environments.',
      'Production deployments produce an auditable record.',
      'Exceptions expire and are reviewed by a named risk owner.',
    ]);
    expect(items.map(i => [i.id, i.state, i.source])).toEqual([
      ['protected-branches', 'not_measured', undefined],
      ['ci-log-redaction', 'not_measured', undefined],
      ['least-privilege', 'not_measured', undefined],
      ['critical-dependencies', 'not_measured', undefined],
      ['container-images', 'not_measured', undefined],
      ['iac-review', 'not_measured', undefined],
      ['isolated-runners', 'not_measured', undefined],
      ['auditable-deployments', 'not_measured', undefined],
      ['exception-review', 'met', 'portal'],
    ]);
    // Every unmeasured item says how to measure it.
    expect(items.filter(i => i.state === 'not_measured' && !i.howToMeasure)).toEqual([]);
    expect(items.find(i => i.id === 'least-privilege')!.howToMeasure).toContain('devsecops upload results.json');
  });

  it('flips least privilege with the Scorecard Token-Permissions result: met, unmet, inconclusive, stale', () => {
    expect(item(evidence({ facts: [scorecard('token-permissions', 10)] }), 'least-privilege')).toMatchObject({
      state: 'met',
      source: 'collected',
      reason: 'Scorecard Token-Permissions 10/10: token-permissions reason',
      evidence: ['openssf.token-permissions.result'],
    });
    expect(item(evidence({ facts: [scorecard('token-permissions', 3)] }), 'least-privilege').state).toBe('unmet');
    expect(item(evidence({ facts: [scorecard('token-permissions', -1)] }), 'least-privilege')).toMatchObject({
      state: 'not_measured',
      reason: 'Scorecard could not decide Token-Permissions: token-permissions reason',
    });
    expect(item(evidence({ facts: [scorecard('token-permissions', 10, 31)] }), 'least-privilege')).toMatchObject({
      state: 'not_measured',
      reason: 'The last Scorecard Token-Permissions result is 31 days old (window 30 days)',
    });
    // A claim of the derived fact is not the Scorecard result.
    expect(item(evidence({ facts: [fact('ci.least_privilege_tokens', true)] }), 'least-privilege').state).toBe('not_measured');
  });

  it('flips isolated runners with Dangerous-Workflow, and protected branches with the GitHub facts before Scorecard', () => {
    expect(item(evidence({ facts: [scorecard('dangerous-workflow', 10)] }), 'isolated-runners').state).toBe('met');
    expect(item(evidence({ facts: [scorecard('dangerous-workflow', 0)] }), 'isolated-runners').state).toBe('unmet');

    const github = (reviews: number, checks: number) => [
      fact('branch_protection.required_reviews', reviews),
      fact('branch_protection.required_status_checks', checks),
      scorecard('branch-protection', 0),
    ];
    expect(item(evidence({ facts: github(2, 3) }), 'protected-branches')).toMatchObject({
      state: 'met',
      reason: `2 required review(s) and 3 required status check(s) on the protected branch (observed ${ago(1).slice(0, 10)})`,
    });
    expect(item(evidence({ facts: github(2, 0) }), 'protected-branches').state).toBe('unmet');
    expect(item(evidence({ facts: [scorecard('branch-protection', 9)] }), 'protected-branches')).toMatchObject({ state: 'met', reason: expect.stringContaining('Branch-Protection 9/10') });
    // Reviews posted by CI without the status checks: not measured, naming what is missing.
    expect(item(evidence({ facts: [fact('branch_protection.required_reviews', 2, 1, 'ci')] }), 'protected-branches')).toMatchObject({
      state: 'not_measured',
      reason: '2 required review(s) observed; required status checks not observed',
    });
  });

  it('judges container images from the scan, pinning and the production digest; not applicable to a library', () => {
    const scanned = { reports: [{ id: 'r1', controls: ['container-scan'], scannedAt: ago(1), artifactDigest: DIGEST }] };
    const met = item(evidence({ ...scanned, facts: [scorecard('pinned-dependencies', 8)] }), 'container-images');
    expect(met).toMatchObject({ state: 'met', source: 'collected' });
    expect(met.reason).toContain('image size is not measured');
    expect(item(evidence(scanned), 'container-images')).toMatchObject({ state: 'unmet', reason: 'pinning not measured (Scorecard Pinned-Dependencies)' });
    expect(item(evidence({ ...scanned, facts: [scorecard('pinned-dependencies', 4)] }), 'container-images').reason).toContain('not pinned by digest (Pinned-Dependencies 4/10)');
    expect(item(evidence({}, 'library'), 'container-images').state).toBe('not_applicable');
  });

  it('judges critical dependencies by owner, update bot, scan and patch SLA', () => {
    const base = { reports: [{ id: 'r1', controls: ['dependency-scan'], scannedAt: ago(1) }], facts: [scorecard('dependency-update-tool', 10)] };
    expect(item(evidence(base), 'critical-dependencies')).toMatchObject({ state: 'met', reason: expect.stringContaining('Owned by group:default/team-payments') });
    const late = evidence({
      ...base,
      openFindings: [
        { id: 'f1', control: 'dependency-scan', severity: 'critical', ruleId: 'CVE-1', vulnerabilityId: 'CVE-1', fingerprint: 'fp', kind: 'sca', firstSeenAt: ago(20) },
      ],
    });
    expect(item(late, 'critical-dependencies')).toMatchObject({ state: 'unmet', reason: 'dependency scan is failing; 1 critical finding(s) past the patch SLA' });
    expect(item(evidence({ ...base, facts: [scorecard('dependency-update-tool', 0)] }), 'critical-dependencies').reason).toBe('no update bot (Dependency-Update-Tool 0/10)');
  });

  it('needs a threat-model review in force for the blast-radius context of IaC reviews: met while fresh, unmet once expired', () => {
    const reviewed = {
      reports: [{ id: 'r1', controls: ['iac-lint'], scannedAt: ago(1) }],
      facts: [fact('branch_protection.required_reviews', 1), fact('code_review.owner_review', true)],
    };
    // Scans and reviews alone say nothing of the blast radius.
    const scansOnly = item(evidence(reviewed), 'iac-review');
    expect(scansOnly).toMatchObject({
      state: 'unmet',
      source: 'collected',
      reason: 'no threat-model review in force names the blast radius (none recorded, or the last one expired)',
    });
    expect(scansOnly.howToMeasure).toContain('threat-model-review');
    const threatModel: HumanAttestation = {
      id: 'tm1',
      kind: 'threat-model-review',
      scopeRef: 'component:default/payments-api',
      date: ago(3).slice(0, 10),
      details: { url: 'https://wiki.example.com/tm/payments', reviewer: 'user:default/rita', highRiskChangesFlagged: true },
      expiresAt: new Date(NOW.getTime() + 300 * DAY).toISOString(),
      recordedBy: 'user:default/dana',
      recordedAt: ago(3),
    };
    const met = item(evidence({ ...reviewed, humanAttestations: [threatModel] }), 'iac-review');
    expect(met).toMatchObject({ state: 'met', source: 'attested', evidence: ['control:iac-lint', 'control:code-review', 'human-attestation:tm1'] });
    expect(met.reason).toBe(
      `IaC scan passing and owner code review required; blast radius from the threat-model review held on ${ago(3).slice(0, 10)}, recorded by user:default/dana (reviewer user:default/rita; high-risk changes flagged; threat model https://wiki.example.com/tm/payments), valid until ${new Date(NOW.getTime() + 300 * DAY).toISOString().slice(0, 10)}`,
    );
    expect(met.howToMeasure).toBeUndefined();
    // Expired: not met again, whatever the scans say.
    expect(item(evidence({ ...reviewed, humanAttestations: [{ ...threatModel, expiresAt: ago(1) }] }), 'iac-review')).toMatchObject({ state: 'unmet', source: 'collected' });
    // Recorded for a day still to come: not yet.
    expect(item(evidence({ ...reviewed, humanAttestations: [{ ...threatModel, date: '2026-12-07' }] }), 'iac-review').state).toBe('unmet');
    // A fresh threat model does not hide a failing IaC scan.
    const failingScan = evidence({
      ...reviewed,
      humanAttestations: [threatModel],
      openFindings: [{ id: 'f1', control: 'iac-lint', severity: 'critical', ruleId: 'CKV_AWS_1', fingerprint: 'fp', kind: 'iac', firstSeenAt: ago(1) }],
    });
    expect(item(failingScan, 'iac-review')).toMatchObject({ state: 'unmet', reason: expect.stringContaining('IaC scan is failing') });
  });

  it('measures CI log redaction only from a check a person recorded, until it expires', () => {
    const check: HumanAttestation = {
      id: 'cl1',
      kind: 'ci-log-redaction',
      scopeRef: 'group:default/acme',
      date: ago(10).slice(0, 10),
      details: {
        ciSystem: 'GitHub Actions',
        verification: 'secrets registered as masked; a canary secret printed as *** in run 42',
        url: 'https://github.com/acme/payments-api/actions/runs/42',
      },
      expiresAt: new Date(NOW.getTime() + 170 * DAY).toISOString(),
      recordedBy: 'user:default/pat',
      recordedAt: ago(10),
    };
    expect(item(evidence({ humanAttestations: [check] }), 'ci-log-redaction')).toEqual({
      id: 'ci-log-redaction',
      title: 'CI logs redact secrets and avoid printing sensitive environment variables.',
      state: 'met',
      source: 'attested',
      reason: `CI log redaction check held on ${ago(10).slice(0, 10)} for group:default/acme, recorded by user:default/pat (GitHub Actions: secrets registered as masked; a canary secret printed as *** in run 42; evidence https://github.com/acme/payments-api/actions/runs/42), valid until ${new Date(NOW.getTime() + 170 * DAY).toISOString().slice(0, 10)}`,
      evidence: ['human-attestation:cl1'],
    });
    const expired = item(evidence({ humanAttestations: [{ ...check, expiresAt: ago(1) }] }), 'ci-log-redaction');
    expect(expired).toMatchObject({ state: 'not_measured', evidence: [] });
    expect(expired.howToMeasure).toContain('kind ci-log-redaction');
    // Another kind of attestation does not count for it.
    expect(item(evidence({ humanAttestations: [{ ...check, kind: 'threat-model-review' }] }), 'ci-log-redaction').state).toBe('not_measured');
    // Scanner facts do not make it measured either: nothing collected observes what logs print.
    expect(item(evidence({ facts: [scorecard('token-permissions', 10), scorecard('dangerous-workflow', 10)] }), 'ci-log-redaction').state).toBe('not_measured');
  });

  it('needs a traceable, approved production deployment for an auditable record', () => {
    const deployment = (extra: Partial<Deployment> = {}): Deployment => ({
      id: 'd1',
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/team-payments',
      environment: 'production',
      artifactDigest: DIGEST,
      sourceCommit: 'abc123',
      deployer: 'ci-bot',
      approver: 'user:default/alice',
      result: 'succeeded',
      deployedAt: ago(2),
      recordedBy: 'ci-bot',
      recordedAt: ago(2),
      ...extra,
    });
    const approved = { approverChecks: [{ deploymentId: 'd1', userRef: 'user:default/alice' }] };
    expect(item(evidence({ deployments: [deployment()], ...approved }), 'auditable-deployments').state).toBe('met');
    expect(item(evidence({ deployments: [deployment({ sourceCommit: undefined })], ...approved }), 'auditable-deployments')).toMatchObject({
      state: 'unmet',
      reason: 'Latest production deployment lacks source commit',
    });
  });
});
