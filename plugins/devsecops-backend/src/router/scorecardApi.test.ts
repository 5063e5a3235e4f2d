import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { testSigner } from '../__testUtils__/signing';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const DIGEST = `sha256:${'d'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'e'.repeat(64)}`;

function trivyImage(vulns: Array<[string, string]>) {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/payments-api:2',
    ArtifactType: 'container_image',
    Results: [
      {
        Target: 'payments-api (alpine 3.19)',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: vulns.map(([id, severity]) => ({
          VulnerabilityID: id,
          PkgName: `pkg-${id}`,
          InstalledVersion: '1.0.0',
          Severity: severity,
        })),
      },
    ],
  });
}

const cyclonedxSbom = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  metadata: { component: { type: 'container', name: 'payments-api' } },
  components: [{ type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }],
});

describe.each(databases.eachSupportedId())('scorecard and release gate API on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  // CI signs its artifacts with a key the backend trusts (devsecops.signatures.keys).
  const signer = testSigner();
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      config: { devsecops: { severityPolicy: { slaDays: { critical: 7 } }, signatures: { keys: [signer.key] } } },
    });
  });
  afterEach(() => backend.stop());

  const upload = (body: string, query: string) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=payments-api&${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(201);
  const facts = (list: Array<{ fact: string; value: unknown }>) =>
    request(backend.server)
      .post('/api/devsecops/v1/facts')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', facts: list.map(f => ({ ...f, source: 'test' })) })
      .expect(201);
  const attest = (digest: string) =>
    request(backend.server)
      .post('/api/devsecops/v1/attestations?entity=payments-api')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from(signer.envelope(digest)))
      .expect(201);
  const decide = (body: object) =>
    request(backend.server)
      .post('/api/devsecops/v1/gate/decisions')
      .set('Authorization', ciHeader())
      .send(body);
  const scorecard = async () =>
    (
      await request(backend.server)
        .get('/api/devsecops/v1/scorecards?entity=payments-api')
        .set('Authorization', mockCredentials.user.header())
        .expect(200)
    ).body;
  const state = (card: any, id: string) => card.controls.find((c: any) => c.controlId === id).state;

  async function recordGoodEvidence() {
    await upload('[]', 'format=gitleaks');
    await upload(trivyImage([['CVE-2026-1', 'HIGH']]), `artifact=${DIGEST}`);
    await upload(cyclonedxSbom, `artifact=${DIGEST}`);
    await facts([
      { fact: 'branch_protection.enabled', value: true },
      { fact: 'branch_protection.branch', value: 'main' },
      { fact: 'branch_protection.required_reviews', value: 2 },
      { fact: 'dependency_alerts.enabled', value: true },
    ]);
    await attest(DIGEST);
  }

  it('evaluates an entity without evidence as not reported, never passing, at stage 0', async () => {
    const card = await scorecard();
    expect(card.entityRef).toBe('component:default/payments-api');
    expect(card.controls).toHaveLength(15);
    expect(card.controls.every((c: any) => c.state === 'not_reported')).toBe(true);
    expect(card.maturity.stage).toBe(0);
    expect(card.maturity.nextSteps.map((s: any) => s.id)).toEqual([
      'branch-protection',
      'secret-scanning-and-dependency-alerts',
    ]);
  });

  it('turns evidence into control states, a maturity stage and metrics', async () => {
    await recordGoodEvidence();
    const card = await scorecard();
    expect(state(card, 'secret-scanning')).toBe('passing');
    expect(state(card, 'code-review')).toBe('passing');
    expect(state(card, 'container-scan')).toBe('passing'); // a high, not critical
    expect(state(card, 'sbom')).toBe('passing');
    expect(state(card, 'production-approval')).toBe('not_reported');
    expect(card.maturity.stage).toBe(1);
    expect(card.maturity.nextSteps[0].id).toBe('reusable-workflows');
    expect(card.metrics.openBySeverity.high).toBe(1);

    await upload(trivyImage([['CVE-2026-2', 'CRITICAL']]), `artifact=${DIGEST}`);
    const after = await scorecard();
    expect(state(after, 'container-scan')).toBe('failing');
    expect(after.controls.find((c: any) => c.controlId === 'container-scan').reason).toContain('CVE-2026-2');
  });

  it('counts artifact findings only for the image each control scanned last', async () => {
    await upload(trivyImage([['CVE-2026-5', 'CRITICAL']]), `artifact=${DIGEST}`);
    expect(state(await scorecard(), 'container-scan')).toBe('failing');
    // The next build's image is clean: the old image's critical is history, not an open problem.
    await upload(trivyImage([]), `artifact=${OTHER_DIGEST}`);
    const card = await scorecard();
    expect(state(card, 'container-scan')).toBe('passing');
    expect(card.metrics.openBySeverity.critical).toBe(0);
  });

  it('allows a release when the seed policy holds, with one reason per requirement', async () => {
    await recordGoodEvidence();
    const response = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production', claimedOwner: 'team-payments' });
    expect(response.status).toBe(200);
    expect(response.body.decision).toBe('allow');
    expect(response.body.policy).toBe('production_release');
    expect(response.body.requirements.map((r: any) => [r.requirement, r.passed])).toEqual([
      ['artifact_known', true],
      ['branch_protection', true],
      ['artifact_signature', true],
      ['sbom', true],
      ['secrets_scan', true],
      ['container_critical_vulns', true],
      ['deployment_owner', true],
    ]);
    const stored = await request(backend.server)
      .get('/api/devsecops/v1/gate/decisions?entity=payments-api')
      .set('Authorization', mockCredentials.user.header());
    expect(stored.body.items[0]).toMatchObject({ id: response.body.id, requestedBy: 'external:test-service' });
  });

  it('denies with the reason: a critical vulnerability, an unknown artifact, a wrong owner', async () => {
    await recordGoodEvidence();
    await upload(trivyImage([['CVE-2026-9', 'CRITICAL']]), `artifact=${DIGEST}`);
    const critical = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production', claimedOwner: 'team-payments' });
    expect(critical.body.decision).toBe('deny');
    const failed = critical.body.requirements.filter((r: any) => !r.passed);
    expect(failed.map((r: any) => r.requirement)).toEqual(['container_critical_vulns']);
    expect(failed[0].reason).toContain('CVE-2026-9');

    const unknown = await decide({ entityRef: 'payments-api', artifactDigest: OTHER_DIGEST, environment: 'production' });
    expect(unknown.body.decision).toBe('deny');
    expect(unknown.body.requirements[0]).toMatchObject({ requirement: 'artifact_known', passed: false });

    const owner = await decide({
      entityRef: 'payments-api',
      artifactDigest: DIGEST,
      environment: 'production',
      claimedOwner: 'team-checkout',
    });
    expect(owner.body.requirements.find((r: any) => r.requirement === 'deployment_owner')).toMatchObject({
      passed: false,
      reason: 'Deployer claims group:default/team-checkout, the catalog says group:default/team-payments',
    });
    // No claim: nothing to match, so the requirement is not met.
    const unclaimed = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(unclaimed.body.decision).toBe('deny');
    expect(unclaimed.body.requirements.find((r: any) => r.requirement === 'deployment_owner')).toMatchObject({
      passed: false,
      reason: 'No owner claimed: the deployment or gate request must name claimedOwner (the catalog says group:default/team-payments)',
    });
  });

  it('judges every recorded production deployment and keeps the decision as evidence', async () => {
    await recordGoodEvidence();
    const response = await request(backend.server)
      .post('/api/devsecops/v1/deployments')
      .set('Authorization', ciHeader())
      .send({
        entityRef: 'payments-api',
        environment: 'production',
        artifactDigest: DIGEST,
        sourceCommit: 'abcdef1234567',
        deployer: 'github-actions',
        approver: 'user:default/dana',
        claimedOwner: 'group:default/team-payments',
      });
    expect(response.status).toBe(201);
    expect(response.body.gateDecision).toMatchObject({
      decision: 'allow',
      deploymentId: response.body.deployment.id,
      requestedBy: 'deployment:external:test-service',
    });
    const card = await scorecard();
    expect(state(card, 'production-approval')).toBe('passing');
    expect(state(card, 'policy-as-code')).toBe('passing');
    expect(state(card, 'signed-artifact-verification')).toBe('passing');
    expect(card.latestGateDecisions[0].id).toBe(response.body.gateDecision.id);

    // The evidence chain of that release: commit → artifact → SBOM/scans → signature → approval → owner.
    const chain = await request(backend.server)
      .get(`/api/devsecops/v1/evidence/chain?deployment=${response.body.deployment.id}`)
      .set('Authorization', mockCredentials.user.header());
    expect(chain.status).toBe(200);
    expect(chain.body).toMatchObject({
      entityRef: 'component:default/payments-api',
      artifactDigest: DIGEST,
      source: { commit: 'abcdef1234567' },
      sbom: { components: 1 },
      signature: { verified: true },
      approval: { approver: 'user:default/dana' },
      gateDecision: { id: response.body.gateDecision.id, decision: 'allow' },
      runtimeOwner: { ownerRef: 'group:default/team-payments' },
      gaps: [],
    });
    expect(chain.body.evidenceLog.map((r: any) => r.kind)).toEqual(['deployment.recorded']);
    const latest = await request(backend.server)
      .get('/api/devsecops/v1/evidence/chain?entity=payments-api')
      .set('Authorization', mockCredentials.user.header());
    expect(latest.body.deployment.id).toBe(response.body.deployment.id);

    const staging = await request(backend.server)
      .post('/api/devsecops/v1/deployments')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', environment: 'staging', artifactDigest: DIGEST, deployer: 'ci' });
    expect(staging.status).toBe(201);
    expect(staging.body.gateDecision).toBeUndefined();
  });

  it('counts a production approval only from a catalog User who is not the deployer, naming why not', async () => {
    await recordGoodEvidence();
    let day = 0;
    const approvalBy = async (approver: string, deployer = 'github-actions') => {
      day++;
      await request(backend.server)
        .post('/api/devsecops/v1/deployments')
        .set('Authorization', ciHeader())
        .send({
          entityRef: 'payments-api',
          environment: 'production',
          artifactDigest: DIGEST,
          deployer,
          approver,
          claimedOwner: 'team-payments',
          deployedAt: new Date(Date.now() - (10 - day) * 3_600_000).toISOString(),
        })
        .expect(201);
      return (await scorecard()).controls.find((c: any) => c.controlId === 'production-approval');
    };
    expect(await approvalBy('github-actions[bot]')).toMatchObject({
      state: 'failing',
      reason: "Latest production deployment's approver github-actions[bot] does not count: github-actions[bot] is a bot, not a person",
    });
    expect(await approvalBy('user:default/dana', 'dana')).toMatchObject({
      state: 'failing',
      reason: "Latest production deployment's approver user:default/dana does not count: user:default/dana is the deployer: nobody may approve their own deployment",
    });
    expect(await approvalBy('user:default/ghost')).toMatchObject({
      state: 'failing',
      reason: "Latest production deployment's approver user:default/ghost does not count: user:default/ghost is not a User in the catalog",
    });
    expect(await approvalBy('group:default/team-payments')).toMatchObject({
      state: 'failing',
      reason: "Latest production deployment's approver group:default/team-payments does not count: group:default/team-payments is not a User",
    });
    expect(await approvalBy('rita')).toMatchObject({
      state: 'passing',
      reason: 'Latest production deployment approved by user:default/rita, a catalog User other than the deployer github-actions',
    });
  });

  it('names the gaps of a release with little evidence', async () => {
    await upload(trivyImage([['CVE-2026-3', 'CRITICAL']]), `artifact=${DIGEST}`);
    await request(backend.server)
      .post('/api/devsecops/v1/deployments')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', environment: 'production', artifactDigest: DIGEST, deployer: 'ci', claimedOwner: 'team-checkout' })
      .expect(201);
    const chain = await request(backend.server)
      .get('/api/devsecops/v1/evidence/chain?entity=payments-api&environment=production')
      .set('Authorization', mockCredentials.user.header());
    expect(chain.body.gaps).toEqual([
      'no source commit for this artifact',
      'no SBOM for this digest',
      'no signature verification recorded for this digest',
      'no approver recorded for the deployment',
      'the release gate denied this artifact',
      'deployer claimed group:default/team-checkout, the catalog owner was group:default/team-payments',
    ]);
    const none = await request(backend.server)
      .get('/api/devsecops/v1/evidence/chain?entity=checkout-web')
      .set('Authorization', mockCredentials.user.header());
    // Not yet released: 200 with the one gap named (the Security tab shows it, no console error).
    expect(none.status).toBe(200);
    expect(none.body).toEqual({
      entityRef: 'component:default/checkout-web',
      environment: 'production',
      source: {},
      scans: [],
      evidenceLog: [],
      gaps: [
        'no production deployment of component:default/checkout-web recorded: CD records one with devsecops deploy --environment production (POST /v1/deployments)',
      ],
    });
  });

  it('refuses decisions it cannot make, with the reason', async () => {
    const noPolicy = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'qa' });
    expect(noPolicy.status).toBe(400);
    expect(noPolicy.body.error.message).toBe(
      "No release policy for environment 'qa'. Policies exist for: production",
    );
    const badDigest = await decide({ entityRef: 'payments-api', artifactDigest: 'latest', environment: 'production' });
    expect(badDigest.status).toBe(400);
    const unknownEntity = await decide({ entityRef: 'ghost', artifactDigest: DIGEST, environment: 'production' });
    expect(unknownEntity.status).toBe(404);
    const asUser = await request(backend.server)
      .post('/api/devsecops/v1/gate/decisions')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(asUser.status).toBe(403);
    const [{ count }] = await backend.knex('devsecops_gate_decisions').count({ count: '*' });
    expect(Number(count)).toBe(0);
  });

  it('judges gate requirements with the freshness windows of the controls: a year-old branch protection observation does not pass', async () => {
    await upload(trivyImage([]), `artifact=${DIGEST}`);
    const observedAt = new Date(Date.now() - 365 * 86_400_000).toISOString();
    const observe = (at: string) =>
      request(backend.server)
        .post('/api/devsecops/v1/facts')
        .set('Authorization', ciHeader())
        .send({
          entityRef: 'payments-api',
          facts: [
            { fact: 'branch_protection.enabled', value: true, source: 'test', observedAt: at },
            { fact: 'branch_protection.branch', value: 'main', source: 'test', observedAt: at },
          ],
        })
        .expect(201);
    await observe(observedAt);
    const gate = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(gate.body.decision).toBe('deny');
    expect(gate.body.requirements.find((r: any) => r.requirement === 'branch_protection')).toMatchObject({
      passed: false,
      reason: `The branch_protection.enabled observation is stale: observed ${observedAt}, 365 days ago; the window is 30 days`,
    });
    // Observed again today, it passes.
    await observe(new Date().toISOString());
    const again = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(again.body.requirements.find((r: any) => r.requirement === 'branch_protection')).toMatchObject({ passed: true });
  });

  it('records a signature only from its verification: POST /v1/facts refuses artifact_signature, nothing half-written', async () => {
    await upload(trivyImage([]), `artifact=${DIGEST}`);
    const claimed = await request(backend.server)
      .post('/api/devsecops/v1/facts')
      .set('Authorization', ciHeader())
      .send({
        entityRef: 'payments-api',
        facts: [
          { fact: 'branch_protection.enabled', value: true, source: 'test' },
          { fact: 'artifact_signature', value: { digest: DIGEST, verified: true }, source: 'test' },
        ],
      });
    expect(claimed.status).toBe(400);
    expect(claimed.body.error.message).toBe(
      "facts[1].fact 'artifact_signature' is not accepted as a claim: it is recorded from POST /v1/attestations (devsecops attest) with the signed bundle or attestation, which the backend verifies",
    );
    const [{ count }] = await backend.knex('devsecops_control_facts').count({ count: '*' });
    expect(Number(count)).toBe(0);
    const gate = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(gate.body.requirements.find((r: any) => r.requirement === 'artifact_signature')).toMatchObject({
      passed: false,
      reason: `No signature verification recorded for ${DIGEST}`,
    });

    // A claim an older version accepted through POST /v1/facts is not a verification either.
    await backend.knex('devsecops_control_facts').insert({
      entity_ref: 'component:default/payments-api',
      fact: 'artifact_signature',
      value: JSON.stringify({ digest: DIGEST, verified: true }),
      source: 'ci',
      observed_at: new Date(),
      recorded_by: 'external:test-service',
      recorded_at: new Date(),
    });
    const legacy = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(legacy.body.requirements.find((r: any) => r.requirement === 'artifact_signature')).toMatchObject({
      passed: false,
      reason: `No signature verification recorded for ${DIGEST}`,
    });

    // The verified attestation records it.
    await attest(DIGEST);
    const after = await decide({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production' });
    expect(after.body.requirements.find((r: any) => r.requirement === 'artifact_signature')).toMatchObject({ passed: true });
  });

  it('counts only the configured kinds: reading or writing a cloud account stores nothing a roll-up counts', async () => {
    await recordGoodEvidence();
    const rollup = async () =>
      (await request(backend.server).get('/api/devsecops/v1/rollups').set('Authorization', mockCredentials.user.header()).expect(200)).body;
    const before = await rollup();
    expect(before.entityCount).toBe(1);

    // A read evaluates and answers ...
    const card = await request(backend.server)
      .get('/api/devsecops/v1/scorecards?entity=resource:default/aws-prod-account')
      .set('Authorization', mockCredentials.user.header());
    expect(card.status).toBe(200);
    expect(card.body.entityRef).toBe('resource:default/aws-prod-account');
    // ... and so does a write's refresh, but neither stores a summary.
    await request(backend.server)
      .post('/api/devsecops/v1/facts')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'resource:default/aws-prod-account', facts: [{ fact: 'branch_protection.enabled', value: true, source: 'test' }] })
      .expect(201);
    const rows = await backend.knex('devsecops_entity_summaries').select('entity_ref');
    expect(rows.map((r: any) => r.entity_ref)).toEqual(['component:default/payments-api']);
    expect(await rollup()).toEqual(before);
    const snapshot = await request(backend.server)
      .post('/api/devsecops/v1/scorecards/snapshots')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'resource:default/aws-prod-account', at: new Date().toISOString() });
    expect(snapshot.status).toBe(400);
    expect(snapshot.body.error.message).toBe(
      'resource:default/aws-prod-account is a Resource; snapshots are kept for the counted kinds only (devsecops.scorecard.entityKinds: Component)',
    );

    // A summary an older version stored for a resource is not counted either.
    const [stored] = await backend.knex('devsecops_entity_summaries').where({ entity_ref: 'component:default/payments-api' });
    await backend.knex('devsecops_entity_summaries').insert({ ...stored, entity_ref: 'resource:default/aws-prod-account' });
    expect((await rollup()).entityCount).toBe(1);
    const team = await request(backend.server)
      .get('/api/devsecops/v1/rollups?group=team-payments')
      .set('Authorization', mockCredentials.user.header());
    expect(team.body.entities.map((e: any) => e.entityRef)).toEqual(['component:default/payments-api']);
  });

  it('rolls up by group (recursively), system and org from the summaries', async () => {
    await recordGoodEvidence();
    await request(backend.server)
      .get('/api/devsecops/v1/scorecards?entity=checkout-web')
      .set('Authorization', mockCredentials.user.header())
      .expect(200);
    const org = await request(backend.server)
      .get('/api/devsecops/v1/rollups')
      .set('Authorization', mockCredentials.user.header());
    expect(org.status).toBe(200);
    expect(org.body.entityCount).toBe(2);
    expect(org.body.stageDistribution).toMatchObject({ '0': 1, '1': 1 });
    expect(org.body.controlAdoption['secret-scanning']).toEqual({
      states: { passing: 1, not_reported: 1 },
      passingPct: 50,
    });
    // Groups × controls: each owning team's adoption of each control.
    expect(
      org.body.owners.map((o: any) => [o.scope.ref, o.entityCount, o.controlAdoption['secret-scanning'].passingPct]),
    ).toEqual([
      ['group:default/team-checkout', 1, 0],
      ['group:default/team-payments', 1, 100],
    ]);
    const team = await request(backend.server)
      .get('/api/devsecops/v1/rollups?group=team-payments')
      .set('Authorization', mockCredentials.user.header());
    expect(team.body.entities.map((e: any) => e.entityRef)).toEqual(['component:default/payments-api']);
    const org2 = await request(backend.server)
      .get('/api/devsecops/v1/rollups?group=group:default/acme')
      .set('Authorization', mockCredentials.user.header());
    expect(org2.body.entityCount).toBe(2);
    expect(org2.body.children.map((c: any) => [c.scope.ref, c.entityCount])).toEqual([
      ['group:default/security-compliance', 0],
      ['group:default/team-checkout', 1],
      ['group:default/team-payments', 1],
    ]);
    const missing = await request(backend.server)
      .get('/api/devsecops/v1/rollups?group=nobody')
      .set('Authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
  });
});
