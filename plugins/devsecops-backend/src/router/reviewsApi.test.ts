/*
 * Control-failure reviews and recurring findings through the real plugin and the real permission
 * framework (the demo's responsibility policy, with detailed reads narrowed to the owning team).
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult, isPermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { devsecopsEntityReadPermission } from '@devsecops-scorecard/plugin-devsecops-common';
import { createDevsecopsEntityConditionalDecision, devsecopsEntityConditions } from '@devsecops-scorecard/plugin-devsecops-node';
import request from 'supertest';
import { ownershipTestPolicy, realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const API = '/api/devsecops';
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const DANA = as('dana'); // team-payments, owns payments-api
const OTTO = as('otto'); // team-checkout
const RITA = as('rita'); // security-compliance
const PAT = as('pat'); // platform-team

const DAY = 86_400_000;
const daysAgo = (n: number, hour = 12) => {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};
const day = (n: number) => daysAgo(n).slice(0, 10);

/** The responsibility policy, with devsecops.entity.read narrowed to the owners (security reads all). */
class NarrowedReadsPolicy implements PermissionPolicy {
  private readonly inner = ownershipTestPolicy();
  async handle(query: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (isPermission(query.permission, devsecopsEntityReadPermission)) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      if (claims.includes('group:default/security-compliance')) return { result: AuthorizeResult.ALLOW };
      return createDevsecopsEntityConditionalDecision(query.permission, devsecopsEntityConditions.isEntityOwner({ claims }));
    }
    return this.inner.handle(query, user);
  }
}

const trivyImage = (vulns: Array<[string, string, string]>) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/app:1',
    ArtifactType: 'container_image',
    Results: [
      {
        Target: 'registry.example.com/app:1 (alpine 3.18.3)',
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: vulns.map(([id, pkg, severity]) => ({
          VulnerabilityID: id,
          PkgName: pkg,
          InstalledVersion: '3.1.2-r0',
          FixedVersion: '3.1.4-r0',
          Severity: severity,
          Title: `${id} in ${pkg}`,
        })),
      },
    ],
  });
const sbom = (components: Array<{ type: string; name: string; version: string }>) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { component: { type: 'container', name: 'app' } },
    components,
  });

describe.each(databases.eachSupportedId())('control-failure reviews and recurring findings on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: { permission: { enabled: true } },
      features: realPermissions(new NarrowedReadsPolicy()),
    });
  });
  afterEach(() => backend?.stop());

  const upload = (entity: string, body: string, query = '') =>
    request(backend.server)
      .post(`${API}/v1/reports?entity=${entity}&${query}`)
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(201);
  const snapshot = (at: string, entityRef = 'payments-api') =>
    request(backend.server).post(`${API}/v1/scorecards/snapshots`).set('Authorization', ciHeader()).send({ entityRef, at }).expect(201);
  const get = (who: string, path: string) => request(backend.server).get(`${API}${path}`).set('Authorization', who);
  const signOff = (who: string, scopeRef: string, failures: string[]) =>
    request(backend.server).post(`${API}/v1/human-attestations`).set('Authorization', who).send({
      kind: 'control-failure-review',
      scopeRef,
      date: day(0),
      attendees: ['dana', 'rita'],
      notesUrl: 'https://wiki.example.com/reviews/payments',
      failures,
    });

  it('lists the failures since the previous review until a reviewer of the owning team signs them off', async () => {
    // container-scan fails (critical) from 5 days ago, holds again 3 days ago, fails again yesterday.
    await upload('payments-api', trivyImage([['CVE-2026-1001', 'libssl3', 'CRITICAL']]), `scannedAt=${daysAgo(5)}`);
    await snapshot(daysAgo(4));
    await upload('payments-api', trivyImage([]), `scannedAt=${daysAgo(3)}`);
    await snapshot(daysAgo(2));
    await upload('payments-api', trivyImage([['CVE-2026-1002', 'busybox', 'CRITICAL']]), `scannedAt=${daysAgo(1)}`);

    const pending = (await get(DANA, '/v1/control-failure-reviews/pending?group=team-payments').expect(200)).body;
    expect(pending).toMatchObject({
      scope: { kind: 'group', ref: 'group:default/team-payments' },
      signOffScopeRef: 'group:default/team-payments',
      since: day(90),
      windowDays: 90,
    });
    expect(pending.previousReview).toBeUndefined();
    const scans = pending.failures.filter((f: any) => f.controlId === 'container-scan');
    expect(scans).toEqual([
      expect.objectContaining({
        key: `component:default/payments-api#container-scan@${day(0)}`,
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/team-payments',
        status: 'still-failing',
        currentState: 'failing',
      }),
      expect.objectContaining({
        key: `component:default/payments-api#container-scan@${day(4)}`,
        since: day(4),
        endedOn: day(2),
        days: 2,
        status: 'fixed',
      }),
    ]);
    // Only team-payments' services: checkout-web's failures are another team's review.
    expect(pending.failures.every((f: any) => f.entityRef === 'component:default/payments-api')).toBe(true);

    // Another team may not sign off team-payments' review (devsecops.attestation.control-failure-review.record).
    const keys = pending.failures.map((f: any) => f.key);
    const refused = await signOff(OTTO, 'group:default/team-payments', keys).expect(403);
    expect(refused.body.error.message).toMatch(/devsecops\.attestation\.control-failure-review\.record on group:default\/team-payments for user:default\/otto/);
    expect((await get(DANA, '/v1/control-failure-reviews/pending?group=team-payments').expect(200)).body.failures).toHaveLength(keys.length);

    const recorded = (await signOff(DANA, 'group:default/team-payments', keys).expect(201)).body;
    expect(recorded.details).toMatchObject({ failures: keys, failuresReviewed: keys.length });

    const after = (await get(DANA, '/v1/control-failure-reviews/pending?group=team-payments').expect(200)).body;
    expect(after.previousReview).toEqual({ id: recorded.id, date: day(0), recordedBy: 'user:default/dana', failuresReviewed: keys.length });
    expect(after.since).toBe(day(0));
    expect(after.failures).toEqual([]);

    // A failure after the review is the next review's: sast fails today.
    await upload(
      'payments-api',
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'CodeQL', rules: [{ id: 'js/sql-injection', properties: { 'security-severity': '8.8' } }] } },
            results: [{ ruleId: 'js/sql-injection', message: { text: 'SQL injection' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 3 } } }] }],
          },
        ],
      }),
      'format=sarif&control=sast',
    );
    const next = (await get(DANA, '/v1/control-failure-reviews/pending?group=team-payments').expect(200)).body;
    expect(next.failures.map((f: any) => f.key)).toEqual([`component:default/payments-api#sast@${day(0)}`]);
  });

  it('names the organisation group an org-wide review is signed off for, which the platform team may not sign', async () => {
    await upload('payments-api', trivyImage([['CVE-2026-1001', 'libssl3', 'CRITICAL']]));
    await upload('checkout-web', trivyImage([['CVE-2026-1001', 'libssl3', 'CRITICAL']]));
    const pending = (await get(PAT, '/v1/control-failure-reviews/pending').expect(200)).body;
    expect(pending.scope).toEqual({ kind: 'org' });
    expect(pending.signOffScopeRef).toBe('group:default/acme');
    expect(pending.failures.map((f: any) => f.entityRef).sort()).toEqual(['component:default/checkout-web', 'component:default/payments-api']);
    const keys = pending.failures.map((f: any) => f.key);
    await signOff(PAT, 'group:default/acme', keys).expect(403);
    await signOff(RITA, 'group:default/acme', keys).expect(201);
    expect((await get(PAT, '/v1/control-failure-reviews/pending').expect(200)).body.failures).toEqual([]);
    // The team's own review is separate: team-payments has not reviewed its failure.
    expect((await get(DANA, '/v1/control-failure-reviews/pending?group=team-payments').expect(200)).body.failures).toHaveLength(1);
  });

  it('refuses an unknown group and a malformed one', async () => {
    const unknown = await get(DANA, '/v1/control-failure-reviews/pending?group=no-such-team').expect(404);
    expect(unknown.body.error.message).toBe('No catalog group group:default/no-such-team');
    await get(DANA, '/v1/findings/recurring?group=no-such-team').expect(404);
    const low = await get(RITA, '/v1/findings/recurring?minServices=1').expect(400);
    expect(low.body.error.message).toBe('minServices must be an integer from 2 to 1000');
    await get(RITA, '/v1/findings/recurring?minServices=three').expect(400);
  });

  it('lists a finding open in three services with what they share, not one open in two, within the read scope', async () => {
    const services = ['payments-api', 'checkout-web', 'product-catalog-service'];
    for (const [i, entity] of services.entries()) {
      // CVE-2026-2001 in all three, CVE-2026-2002 in the first two; low severity, so no control fails.
      const vulns: Array<[string, string, string]> = [['CVE-2026-2001', 'libssl3', 'LOW']];
      if (i < 2) vulns.push(['CVE-2026-2002', 'zlib', 'MEDIUM']);
      await upload(entity, trivyImage(vulns));
      await upload(
        entity,
        sbom([
          { type: 'operating-system', name: 'alpine', version: i < 2 ? '3.18.3' : '3.19.1' },
          { type: 'library', name: 'libssl3', version: '3.1.2-r0' },
          { type: 'library', name: 'left-pad', version: '1.3.0' },
        ]),
        `artifact=sha256:${String(i + 1).repeat(64)}`,
      );
      if (i < 2) {
        await request(backend.server)
          .post(`${API}/v1/facts`)
          .set('Authorization', ciHeader())
          .send({
            entityRef: entity,
            facts: [
              {
                fact: 'ci.reusable_workflows',
                value: [{ caller: '.github/workflows/ci.yml', job: 'build', workflow: 'acme/platform-workflows/.github/workflows/build.yml', ref: i === 0 ? 'v1' : 'v2', pinned: false, pavedRoad: true }],
                source: 'github',
              },
            ],
          })
          .expect(201);
      }
    }
    const recurring = (await get(RITA, '/v1/findings/recurring').expect(200)).body;
    expect(recurring.minServices).toBe(3);
    expect(recurring.scope).toEqual({ kind: 'org' });
    // Template feedback on them is recorded for the organisation group.
    expect(recurring.feedbackScopeRef).toBe('group:default/acme');
    expect(recurring.items).toEqual([
      {
        key: 'CVE-2026-2001',
        kind: 'sca',
        title: 'CVE-2026-2001 in libssl3',
        severity: 'low',
        services: 3,
        entityRefs: ['component:default/checkout-web', 'component:default/payments-api', 'component:default/product-catalog-service'],
        ownerRefs: ['group:default/team-checkout', 'group:default/team-payments', 'group:default/team-storefront'],
        controls: ['container-scan'],
        packages: [{ name: 'libssl3', version: '3.1.2-r0', services: 3 }],
        firstSeenAt: expect.any(String),
        shared: {
          baseImages: [{ name: 'alpine', version: '3.18.3', services: 2 }],
          components: [{ name: 'libssl3', version: '3.1.2-r0', services: 3 }],
          workflows: [{ name: 'acme/platform-workflows/.github/workflows/build.yml', services: 2 }],
        },
      },
    ]);
    // One lifecycle: the three are production services.
    expect((await get(RITA, '/v1/findings/recurring?lifecycle=production').expect(200)).body.items.map((i: any) => i.key)).toEqual(['CVE-2026-2001']);
    expect((await get(RITA, '/v1/findings/recurring?lifecycle=experimental').expect(200)).body.items).toEqual([]);
    // Two services are enough when asked for.
    const two = (await get(RITA, '/v1/findings/recurring?minServices=2').expect(200)).body;
    expect(two.items.map((i: any) => [i.key, i.services])).toEqual([
      ['CVE-2026-2001', 3],
      ['CVE-2026-2002', 2],
    ]);
    // A group's services only: team-payments alone has no finding in two services.
    expect((await get(RITA, '/v1/findings/recurring?group=team-payments&minServices=2').expect(200)).body.items).toEqual([]);
    // devsecops.entity.read narrowed to owners: dana reads payments-api only, so nothing recurs for her.
    expect((await get(DANA, '/v1/findings/recurring?minServices=2').expect(200)).body.items).toEqual([]);
    // The platform team's own services have no findings: it sees none of the product teams'.
    expect((await get(PAT, '/v1/findings/recurring?minServices=2').expect(200)).body.items).toEqual([]);
  });
});
