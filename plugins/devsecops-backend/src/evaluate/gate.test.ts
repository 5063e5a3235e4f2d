import {
  ControlFact,
  ControlResult,
  ControlState,
  GateRequirement,
} from '@devsecops-scorecard/plugin-devsecops-common';
import { DEFAULT_POLICIES } from '../config/defaults';
import { evaluateGate, GateInput } from './gate';
import { ExceptionCover, OpenFinding, ReportSighting } from './types';

const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const daysAhead = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();

const SERVICE = 'component:default/payments-api';
const OWNER = 'group:default/team-payments';
const DIGEST = 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER_DIGEST = 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const SEED_REQUIRES = DEFAULT_POLICIES.production_release.requires;
const SEED_NAMES = [
  'branch_protection',
  'artifact_signature',
  'sbom',
  'secrets_scan',
  'container_critical_vulns',
  'deployment_owner',
];

function report(id: string, controls: string[]): ReportSighting {
  return { id, controls, scannedAt: daysAgo(1), artifactDigest: DIGEST };
}

function fact(name: string, value: unknown): ControlFact {
  return {
    entityRef: SERVICE,
    fact: name,
    value,
    source: 'github',
    observedAt: daysAgo(1),
    recordedBy: 'github-provider',
    recordedAt: daysAgo(1),
  };
}

function secretScanning(state: ControlState, reason = `secret scanning ${state}`): ControlResult {
  return {
    controlId: 'secret-scanning',
    stage: 'commit',
    title: 'Secret scanning',
    state,
    reason,
    evidence: state === 'not_reported' ? [] : [{ kind: 'report', id: 'r-gitleaks', at: daysAgo(1) }],
  };
}

function criticalFinding(id: string, vulnerabilityId: string, extra: Partial<OpenFinding> = {}): OpenFinding {
  return {
    id,
    control: 'container-scan',
    severity: 'critical',
    ruleId: vulnerabilityId,
    vulnerabilityId,
    fingerprint: `fp-${id}`,
    artifactDigest: DIGEST,
    kind: 'sca',
    firstSeenAt: daysAgo(2),
    ...extra,
  };
}

function exception(id: string, scope: Partial<ExceptionCover>): ExceptionCover {
  return { id, approvedAt: daysAgo(3), expiresAt: daysAhead(30), ...scope };
}

/** Everything the seed production_release policy asks for holds. */
function passingInput(overrides: Partial<GateInput> = {}): GateInput {
  return {
    requires: SEED_REQUIRES,
    entity: { entityRef: SERVICE, kind: 'Component', type: 'service', ownerRef: OWNER },
    artifactDigest: DIGEST,
    artifactKnown: true,
    sbomReports: [report('r-sbom', ['sbom'])],
    containerScans: [report('r-trivy', ['container-scan'])],
    containerFindings: [],
    secretScanning: secretScanning('passing'),
    facts: [fact('branch_protection.enabled', true), fact('branch_protection.branch', 'main')],
    signature: { verified: true, reason: 'Signature verified by cosign', evidence: [{ kind: 'report', id: 'r-sig' }], at: daysAgo(1) },
    claimedOwnerRef: OWNER,
    exceptions: [],
    // The shipped windows of code-review, signed-artifact-verification and container-scan.
    freshnessDays: { branch_protection: 30, artifact_signature: 30, container_critical_vulns: 14 },
    now: NOW,
    ...overrides,
  };
}

const failed = (outcome: ReturnType<typeof evaluateGate>) =>
  outcome.requirements.filter(r => !r.passed).map(r => r.requirement);
const result = (outcome: ReturnType<typeof evaluateGate>, name: string) =>
  outcome.requirements.find(r => r.requirement === name)!;

describe('evaluateGate with the seed production_release policy', () => {
  it('is the seed YAML, in order', () => {
    expect(SEED_REQUIRES).toEqual([
      { branch_protection: 'main' },
      { artifact_signature: 'verified' },
      { sbom: 'generated' },
      { secrets_scan: 'passed' },
      { container_critical_vulns: 'none_or_approved_exception' },
      { deployment_owner: 'service_catalog_match' },
    ]);
  });

  it('allows when everything holds, with one passed result per requirement plus artifact_known, in order', () => {
    const outcome = evaluateGate(passingInput());
    expect(outcome.decision).toBe('allow');
    expect(outcome.requirements.map(r => r.requirement)).toEqual(['artifact_known', ...SEED_NAMES]);
    expect(outcome.requirements.map(r => r.expected)).toEqual([
      'recorded',
      'main',
      'verified',
      'generated',
      'passed',
      'none_or_approved_exception',
      'service_catalog_match',
    ]);
    for (const r of outcome.requirements) {
      expect(r.passed).toBe(true);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('points passed requirements at their evidence', () => {
    const outcome = evaluateGate(passingInput());
    expect(result(outcome, 'branch_protection').evidence.map(e => e.id)).toEqual([
      'branch_protection.enabled',
      'branch_protection.branch',
    ]);
    expect(result(outcome, 'artifact_signature').evidence).toEqual([{ kind: 'report', id: 'r-sig' }]);
    expect(result(outcome, 'sbom').evidence).toEqual([{ kind: 'report', id: 'r-sbom', at: daysAgo(1) }]);
    expect(result(outcome, 'secrets_scan').evidence.map(e => e.id)).toEqual(['r-gitleaks']);
    expect(result(outcome, 'container_critical_vulns').evidence).toEqual([
      { kind: 'report', id: 'r-trivy', at: daysAgo(1) },
    ]);
    expect(result(outcome, 'artifact_known').reason).toContain(DIGEST);
    expect(result(outcome, 'deployment_owner').reason).toContain(OWNER);
  });

  it('fails a requirement whose evidence is older than its control\'s freshness window, naming when it was observed', () => {
    const yearOld = (name: string, value: unknown) => ({ ...fact(name, value), observedAt: daysAgo(365) });
    const outcome = evaluateGate(
      passingInput({
        facts: [yearOld('branch_protection.enabled', true), fact('branch_protection.branch', 'main')],
        signature: { verified: true, reason: 'Signature verified by cosign', evidence: [], at: daysAgo(31) },
        containerScans: [{ ...report('r-trivy', ['container-scan']), scannedAt: daysAgo(15) }],
      }),
    );
    expect(outcome.decision).toBe('deny');
    expect(result(outcome, 'branch_protection')).toMatchObject({
      passed: false,
      reason: `The branch_protection.enabled observation is stale: observed ${daysAgo(365)}, 365 days ago; the window is 30 days`,
    });
    expect(result(outcome, 'artifact_signature').reason).toBe(
      `The signature verification of ${DIGEST} is stale: observed ${daysAgo(31)}, 31 days ago; the window is 30 days`,
    );
    expect(result(outcome, 'container_critical_vulns').reason).toBe(
      `The newest container scan of ${DIGEST} is stale: observed ${daysAgo(15)}, 15 days ago; the window is 14 days`,
    );
    // Inside the windows the same evidence passes; a requirement without a window is not aged.
    const fresh = evaluateGate(
      passingInput({ facts: [{ ...fact('branch_protection.enabled', true), observedAt: daysAgo(30) }, fact('branch_protection.branch', 'main')] }),
    );
    expect(result(fresh, 'branch_protection').passed).toBe(true);
    const unaged = evaluateGate(
      passingInput({ facts: [yearOld('branch_protection.enabled', true), yearOld('branch_protection.branch', 'main')], freshnessDays: {} }),
    );
    expect(result(unaged, 'branch_protection').passed).toBe(true);
  });

  const cases: Array<[string, Partial<GateInput>, string, RegExp]> = [
    ['branch protection off', { facts: [fact('branch_protection.enabled', false), fact('branch_protection.branch', 'main')] }, 'branch_protection', /off/],
    ['branch protection on the wrong branch', { facts: [fact('branch_protection.enabled', true), fact('branch_protection.branch', 'develop')] }, 'branch_protection', /"develop", not main/],
    ['branch protection never observed', { facts: [] }, 'branch_protection', /No branch protection observation/],
    ['branch protection observed as a string', { facts: [fact('branch_protection.enabled', 'true')] }, 'branch_protection', /off/],
    ['no signature verification', { signature: undefined }, 'artifact_signature', new RegExp(`No signature verification recorded for ${DIGEST}`)],
    ['a failed signature', { signature: { verified: false, reason: 'Signature does not match the digest', evidence: [], at: daysAgo(1) } }, 'artifact_signature', /does not match/],
    ['no SBOM', { sbomReports: [] }, 'sbom', new RegExp(`No SBOM reported for ${DIGEST}`)],
    ['secrets scan failing', { secretScanning: secretScanning('failing', '1 open finding(s) at high or above') }, 'secrets_scan', /failing: 1 open finding/],
    ['secrets scan not reported', { secretScanning: secretScanning('not_reported') }, 'secrets_scan', /not reported/],
    ['secrets scan stale', { secretScanning: secretScanning('stale') }, 'secrets_scan', /stale/],
    ['secrets scan not evaluated', { secretScanning: undefined }, 'secrets_scan', /not evaluated/],
    ['no container scan', { containerScans: [] }, 'container_critical_vulns', new RegExp(`No container scan reported for ${DIGEST}`)],
    ['a critical vulnerability without exception', { containerFindings: [criticalFinding('f1', 'CVE-2026-0001')] }, 'container_critical_vulns', /1 critical vulnerability without an approved exception: CVE-2026-0001/],
    [
      'a critical vulnerability whose exception is for another artifact',
      {
        containerFindings: [criticalFinding('f1', 'CVE-2026-0001')],
        exceptions: [exception('ex-other', { vulnerabilityId: 'CVE-2026-0001', artifactDigest: OTHER_DIGEST })],
      },
      'container_critical_vulns',
      /CVE-2026-0001/,
    ],
    [
      'a critical vulnerability whose exception expired',
      {
        containerFindings: [criticalFinding('f1', 'CVE-2026-0001')],
        exceptions: [exception('ex-expired', { vulnerabilityId: 'CVE-2026-0001', approvedAt: daysAgo(90), expiresAt: daysAgo(1) })],
      },
      'container_critical_vulns',
      /CVE-2026-0001/,
    ],
    [
      'two critical vulnerabilities, one excepted',
      {
        containerFindings: [criticalFinding('f1', 'CVE-2026-0001'), criticalFinding('f2', 'CVE-2026-0002')],
        exceptions: [exception('ex-1', { vulnerabilityId: 'CVE-2026-0001' })],
      },
      'container_critical_vulns',
      /^1 critical vulnerability without an approved exception: CVE-2026-0002$/,
    ],
    ['owner missing in the catalog', { entity: { entityRef: SERVICE, kind: 'Component', type: 'service' } }, 'deployment_owner', /has no owner in the catalog/],
    ['claimed owner mismatch', { claimedOwnerRef: 'group:default/team-other' }, 'deployment_owner', /team-other.*team-payments/],
  ];

  it.each(cases)('denies on exactly one requirement with %s', (_case, overrides, requirement, reason) => {
    const outcome = evaluateGate(passingInput(overrides));
    expect(outcome.decision).toBe('deny');
    expect(failed(outcome)).toEqual([requirement]);
    expect(result(outcome, requirement).reason).toMatch(reason);
    expect(outcome.requirements.map(r => r.requirement)).toEqual(['artifact_known', ...SEED_NAMES]);
  });

  it('points a failing container requirement at the scan and the uncovered findings', () => {
    const outcome = evaluateGate(
      passingInput({
        containerFindings: [criticalFinding('f1', 'CVE-2026-0001'), criticalFinding('f2', 'CVE-2026-0002')],
        exceptions: [exception('ex-1', { vulnerabilityId: 'CVE-2026-0001' })],
      }),
    );
    expect(result(outcome, 'container_critical_vulns').evidence.map(e => `${e.kind}:${e.id}`)).toEqual([
      'report:r-trivy',
      'finding:f2',
    ]);
  });

  it('allows a critical vulnerability covered by an active exception under none_or_approved_exception', () => {
    const outcome = evaluateGate(
      passingInput({
        containerFindings: [criticalFinding('f1', 'CVE-2026-0001')],
        exceptions: [exception('ex-1', { vulnerabilityId: 'CVE-2026-0001', artifactDigest: DIGEST })],
      }),
    );
    expect(outcome.decision).toBe('allow');
    expect(result(outcome, 'container_critical_vulns').reason).toMatch(/1 critical vulnerability is covered by approved exceptions/);
  });

  it('denies the same excepted vulnerability under a policy that asks for none', () => {
    const requires: GateRequirement[] = SEED_REQUIRES.map(r =>
      'container_critical_vulns' in r ? { container_critical_vulns: 'none' } : r,
    );
    const outcome = evaluateGate(
      passingInput({
        requires,
        containerFindings: [criticalFinding('f1', 'CVE-2026-0001')],
        exceptions: [exception('ex-1', { vulnerabilityId: 'CVE-2026-0001' })],
      }),
    );
    expect(outcome.decision).toBe('deny');
    expect(failed(outcome)).toEqual(['container_critical_vulns']);
    expect(result(outcome, 'container_critical_vulns').expected).toBe('none');
    expect(result(outcome, 'container_critical_vulns').reason).toContain('CVE-2026-0001');
  });

  it('ignores non-critical container findings', () => {
    const outcome = evaluateGate(
      passingInput({ containerFindings: [criticalFinding('f1', 'CVE-2026-0001', { severity: 'high' })] }),
    );
    expect(outcome.decision).toBe('allow');
  });

  it('accepts an excepted secret scan as passed', () => {
    const outcome = evaluateGate(passingInput({ secretScanning: secretScanning('excepted') }));
    expect(outcome.decision).toBe('allow');
  });

  it('denies service_catalog_match when no owner is claimed: a match needs a claim', () => {
    const outcome = evaluateGate(passingInput({ claimedOwnerRef: undefined }));
    expect(outcome.decision).toBe('deny');
    expect(failed(outcome)).toEqual(['deployment_owner']);
    expect(result(outcome, 'deployment_owner').reason).toBe(
      `No owner claimed: the deployment or gate request must name claimedOwner (the catalog says ${OWNER})`,
    );
  });

  it('reports every failing requirement, not just the first', () => {
    const outcome = evaluateGate(passingInput({ facts: [], signature: undefined, sbomReports: [], containerScans: [] }));
    expect(failed(outcome)).toEqual(['branch_protection', 'artifact_signature', 'sbom', 'container_critical_vulns']);
  });

  it('always denies an unknown artifact, even when everything else passes', () => {
    const outcome = evaluateGate(passingInput({ artifactKnown: false }));
    expect(outcome.decision).toBe('deny');
    expect(failed(outcome)).toEqual(['artifact_known']);
    expect(result(outcome, 'artifact_known').reason).toContain('Unknown artifact');
    expect(result(outcome, 'artifact_known').reason).toContain(DIGEST);
    expect(outcome.requirements).toHaveLength(SEED_REQUIRES.length + 1);
  });

  it('denies an unknown artifact even under a policy without requirements', () => {
    const outcome = evaluateGate(passingInput({ artifactKnown: false, requires: [] }));
    expect(outcome.decision).toBe('deny');
    expect(outcome.requirements.map(r => r.requirement)).toEqual(['artifact_known']);
    expect(evaluateGate(passingInput({ requires: [] })).decision).toBe('allow');
  });

  it('keeps one result per requirement in the policy order', () => {
    const requires: GateRequirement[] = [
      { deployment_owner: 'service_catalog_match' },
      { sbom: 'generated' },
      { branch_protection: 'release' },
    ];
    const outcome = evaluateGate(
      passingInput({ requires, facts: [fact('branch_protection.enabled', true), fact('branch_protection.branch', 'release')] }),
    );
    expect(outcome.decision).toBe('allow');
    expect(outcome.requirements.map(r => [r.requirement, r.expected])).toEqual([
      ['artifact_known', 'recorded'],
      ['deployment_owner', 'service_catalog_match'],
      ['sbom', 'generated'],
      ['branch_protection', 'release'],
    ]);
  });

  it('denies an unknown requirement instead of ignoring it', () => {
    const outcome = evaluateGate(passingInput({ requires: [{ dast: 'passed' } as unknown as GateRequirement] }));
    expect(outcome.decision).toBe('deny');
    expect(result(outcome, 'dast').reason).toContain('Unknown requirement dast');
  });
});
