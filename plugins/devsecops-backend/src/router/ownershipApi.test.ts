import { mockCredentials, mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';
import { realPermissions } from '../__testUtils__/ownershipPolicy';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
// The personas on the test catalog (acme → team-payments → payments-sre, team-checkout,
// team-storefront, security-compliance, platform-team).
const PAULA = as('paula'); // team-payments
const DANA = as('dana'); // team-payments, owns payments-api
const PENNY = as('penny'); // payments-sre, a team below team-payments
const OTTO = as('otto'); // team-checkout, owns checkout-web (the cart-service)
const STELLA = as('stella'); // team-storefront, owns product-catalog-service
const RITA = as('rita'); // security-compliance: risk owner
const PAT = as('pat'); // platform-team

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const riskOwners = {
  critical: ['group:default/security-compliance'],
  high: ['group:default/security-compliance'],
  medium: ['group:default/security-compliance', 'group:default/platform-team'],
  low: ['group:default/platform-team', 'group:default/team-payments', 'group:default/team-storefront'],
  controls: { 'secret-scanning': { critical: ['user:default/sam'] } },
};

function criticalImage(name: string) {
  return JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/${name}:1`,
    ArtifactType: 'container_image',
    Results: [
      {
        Target: name,
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: [
          { VulnerabilityID: 'CVE-2026-7777', PkgName: 'openssl', InstalledVersion: '3.0.0', Severity: 'CRITICAL' },
        ],
      },
    ],
  });
}

describe.each(databases.eachSupportedId())('ownership as resource permissions on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  const start = async (options: { permissive?: boolean; transitiveOwnership?: boolean } = {}) => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: {
        permission: { enabled: true },
        devsecops: {
          exceptions: { riskOwners },
          ...(options.transitiveOwnership ? { permissions: { transitiveOwnership: true } } : {}),
        },
      },
      features: options.permissive
        ? [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })]
        : realPermissions(),
    });
    for (const entity of ['payments-api', 'product-catalog-service']) {
      await request(backend.server)
        .post(`/api/devsecops/v1/reports?entity=${entity}`)
        .set('Authorization', ciHeader())
        .set('Content-Type', 'application/json')
        .send(criticalImage(entity))
        .expect(201);
    }
  };
  afterEach(() => backend?.stop());

  const post = (path: string, who: string, body: object) =>
    request(backend.server).post(`/api/devsecops/v1${path}`).set('Authorization', who).send(body);
  const get = (path: string, who: string) =>
    request(backend.server).get(`/api/devsecops/v1${path}`).set('Authorization', who);
  /** A 403 from the policy's decision (not from a failing permission round trip). */
  const denied = async (test: request.Test) => {
    const response = await test.expect(403);
    expect(response.body.error).toMatchObject({ name: 'NotAllowedError', message: expect.stringMatching(/^The permission policy does not allow devsecops\./) });
    return response;
  };
  const exceptionRequest = (entityRef: string, over: object = {}) => ({
    entityRef,
    scope: { control: 'container-scan', vulnerabilityId: 'CVE-2026-7777' },
    riskStatement: 'Not reachable from outside',
    riskRating: 'critical',
    riskOwner: 'group:default/security-compliance',
    expiresAt: inDays(30),
    ...over,
  });
  describe('with the demo policy evaluated by the permission backend', () => {
    it("refuses Paula an exception for another team's service (403) and lets its owner request one", async () => {
      await start();
      const refused = await denied(
        post(
          '/exceptions',
          PAULA,
          exceptionRequest('component:default/product-catalog-service', { riskOwner: 'group:default/team-payments' }),
        ),
      );
      expect(refused.body.error.message).toContain('devsecops.exception.request');
      // An eligible risk owner does not change who may ask.
      await denied(post('/exceptions', PAULA, exceptionRequest('component:default/product-catalog-service')));
      await denied(post('/exceptions', OTTO, exceptionRequest('payments-api')));
      await denied(post('/exceptions', PAT, exceptionRequest('payments-api')));
      // By repository too: the entity is resolved before the permission is asked.
      await denied(
        post('/exceptions', PAULA, {
          ...exceptionRequest('x'),
          entityRef: undefined,
          repository: 'acme/product-catalog-service',
        }),
      );
      expect((await get('/exceptions?entity=product-catalog-service', RITA).expect(200)).body.items).toEqual([]);

      const own = await post('/exceptions', STELLA, exceptionRequest('component:default/product-catalog-service')).expect(201);
      expect(own.body).toMatchObject({ requester: 'user:default/stella', ownerRef: 'group:default/team-storefront' });
      await post('/exceptions', PAULA, exceptionRequest('payments-api')).expect(201); // her own team's service
    });

    it("refuses Pat's renewal of team-payments' exception (403); the owning team renews it", async () => {
      await start();
      const requested = await post('/exceptions', DANA, exceptionRequest('payments-api')).expect(201);
      await post(`/exceptions/${requested.body.id}/approve`, RITA, { reason: 'WAF in place' }).expect(200);

      const refused = await denied(post(`/exceptions/${requested.body.id}/renew`, PAT, { expiresAt: inDays(60) }));
      expect(refused.body.error.message).toContain('devsecops.exception.request');
      await denied(post(`/exceptions/${requested.body.id}/renew`, OTTO, { expiresAt: inDays(60) }));
      expect((await get('/exceptions?entity=payments-api', DANA)).body.items).toHaveLength(1);

      const renewed = await post(`/exceptions/${requested.body.id}/renew`, PAULA, { expiresAt: inDays(60) }).expect(201);
      expect(renewed.body).toMatchObject({ renewalOf: requested.body.id, requester: 'user:default/paula', status: 'requested' });
    });

    it("refuses Paula the remediation of another team's runtime signal (403); owners, security and platform update it", async () => {
      await start();
      const signal = (entityRef: string) =>
        post('/runtime-signals', ciHeader(), {
          entityRef,
          kind: 'vulnerability-alert',
          severity: 'critical',
          summary: 'Exploitable openssl in a running pod',
          detectedAt: ago(3),
          source: 'runtime-scanner',
        }).expect(201);
      const cart = (await signal('checkout-web')).body.id;

      const refused = await denied(post(`/runtime-signals/${cart}/timeline`, PAULA, { remediatedAt: ago(1) }));
      expect(refused.body.error.message).toContain('devsecops.runtime.update');
      await denied(post(`/runtime-signals/${cart}/timeline`, STELLA, { containedAt: ago(2) }));
      const stillOpen = await get('/runtime-signals?entity=checkout-web&open=true', OTTO).expect(200);
      expect(stillOpen.body.items.map((s: any) => [s.id, s.containedAt, s.remediatedAt])).toEqual([[cart, undefined, undefined]]);

      await post(`/runtime-signals/${cart}/timeline`, OTTO, { containedAt: ago(2) }).expect(200);
      const remediated = await post(`/runtime-signals/${cart}/timeline`, RITA, { remediatedAt: ago(1) }).expect(200);
      expect(remediated.body.remediatedAt).toBeDefined();
      const payments = (await signal('payments-api')).body.id;
      await post(`/runtime-signals/${payments}/timeline`, PAT, { containedAt: ago(2) }).expect(200);
      await post(`/runtime-signals/${payments}/timeline`, PAULA, { remediatedAt: ago(1) }).expect(200);
      // Tooling with a service token is not a person the policy judges.
      const other = (await signal('checkout-web')).body.id;
      await post(`/runtime-signals/${other}/timeline`, ciHeader(), { containedAt: ago(2) }).expect(200);
    });

    it('refuses Paula exercises for the org root and for other teams (403); members of the scope record them', async () => {
      await start();
      const exercise = (who: string, scopeRef: string, scenario = 'leaked-secrets') =>
        post('/exercises', who, {
          scenario,
          heldOn: ago(10).slice(0, 10),
          scopeRef,
          participants: ['user:default/paula'],
        });
      const tabletop = async (entity: string) =>
        (await get(`/scorecards?entity=${entity}`, DANA).expect(200)).body.maturity.stages
          .find((s: any) => s.stage === 4)
          .criteria.find((c: any) => c.id === 'tabletop-exercises');

      for (const scenario of ['leaked-secrets', 'compromised-ci-token', 'dependency-compromise', 'cloud-account-abuse']) {
        const refused = await denied(exercise(PAULA, 'acme', scenario));
        expect(refused.body.error.message).toContain('devsecops.exercise.record on group:default/acme');
      }
      await denied(exercise(PAULA, 'team-checkout'));
      await denied(exercise(PAULA, 'component:default/checkout-web'));
      await denied(exercise(PAT, 'team-payments'));
      expect((await get('/exercises', DANA).expect(200)).body.items).toEqual([]);
      expect((await tabletop('checkout-web')).met).toBe(false);

      await exercise(PAULA, 'team-payments').expect(201);
      await exercise(PAULA, 'component:default/payments-api', 'compromised-ci-token').expect(201);
      // A group above the scope group (its department) may record for it; a team below may not
      // record for the group above it.
      await exercise(PAULA, 'payments-sre').expect(201);
      await denied(exercise(PENNY, 'team-payments'));
      // The security group coordinates exercises for the whole organisation.
      await exercise(RITA, 'acme', 'cloud-account-abuse').expect(201);
      expect((await get('/exercises', DANA).expect(200)).body.totalCount).toBe(4);
    });

    it('counts members of teams below the owning team as owners only when configured', async () => {
      await start();
      await denied(post('/exceptions', PENNY, exceptionRequest('payments-api')));
      await backend.stop();
      await start({ transitiveOwnership: true });
      const requested = await post('/exceptions', PENNY, exceptionRequest('payments-api')).expect(201);
      expect(requested.body).toMatchObject({ requester: 'user:default/penny', ownerRef: 'group:default/team-payments' });
      await denied(post('/exceptions', PENNY, exceptionRequest('component:default/product-catalog-service')));
      // Transitive ownership never makes a team member an owner of the group above it for exercises.
      await denied(
        post('/exercises', PAULA, {
          scenario: 'leaked-secrets',
          heldOn: ago(10).slice(0, 10),
          scopeRef: 'acme',
          participants: ['user:default/paula'],
        }),
      );
    });
  });

  describe('risk-owner eligibility (a policy that lets anyone request)', () => {
    it("refuses Paula naming her own team as risk owner of another team's service with 400 naming the eligible owners", async () => {
      await start({ permissive: true });
      const refused = await post(
        '/exceptions',
        PAULA,
        exceptionRequest('component:default/product-catalog-service', { riskOwner: 'group:default/team-payments' }),
      ).expect(400);
      expect(refused.body.error.message).toContain('riskOwner group:default/team-payments is not eligible');
      expect(refused.body.error.message).toContain('eligible risk owners: group:default/security-compliance (or its members)');
      expect((await get('/exceptions?entity=product-catalog-service', RITA).expect(200)).body.items).toEqual([]);
    });

    it('refuses the owning team, teammates and owners outside the configured list; accepts listed groups and their members', async () => {
      await start({ permissive: true });
      const cases: Array<[string, object, RegExp]> = [
        [DANA, { riskOwner: 'group:default/team-payments' }, /team-payments is not eligible/], // the owning team
        [DANA, { riskOwner: 'user:default/paula' }, /member of group:default\/team-payments and not eligible/], // a teammate
        [DANA, { riskOwner: 'group:default/platform-team' }, /not eligible for a critical exception .*eligible risk owners: group:default\/security-compliance/],
        [DANA, { riskOwner: 'user:default/pat' }, /not eligible for a critical exception/],
        [DANA, { riskOwner: 'user:default/dana' }, /cannot be the requester/],
        [DANA, { riskOwner: 'user:default/nobody' }, /not a user or group in the catalog/],
        // Low risk: platform-team, team-payments, team-storefront are listed; the owning team still is not eligible.
        [DANA, { riskRating: 'low', riskOwner: 'group:default/team-payments' }, /team-payments is not eligible .*eligible risk owners: group:default\/platform-team \(or its members\), group:default\/team-storefront/],
        // A per-control list replaces the rating's list.
        [DANA, { scope: { control: 'secret-scanning' }, riskOwner: 'group:default/security-compliance' }, /control secret-scanning.*eligible risk owners: user:default\/sam$/],
      ];
      for (const [who, over, message] of cases) {
        const response = await post('/exceptions', who, exceptionRequest('payments-api', over)).expect(400);
        expect(response.body.error.message).toMatch(message);
      }
      expect((await get('/exceptions?entity=payments-api', DANA)).body.items).toEqual([]);

      await post('/exceptions', DANA, exceptionRequest('payments-api')).expect(201);
      await post('/exceptions', DANA, exceptionRequest('payments-api', { riskOwner: 'user:default/rita' })).expect(201);
      await post('/exceptions', DANA, exceptionRequest('payments-api', { riskRating: 'medium', riskOwner: 'user:default/pat' })).expect(201);
      await post('/exceptions', DANA, exceptionRequest('payments-api', { riskRating: 'low', riskOwner: 'group:default/team-storefront' })).expect(201);
      await post('/exceptions', DANA, exceptionRequest('payments-api', { scope: { control: 'secret-scanning' }, riskOwner: 'user:default/sam' })).expect(201);
    });

    it('lists the eligible owners with display names and the configured default, without the excluded ones', async () => {
      await start({ permissive: true });
      const critical = await get('/exceptions/risk-owners?entity=payments-api&riskRating=critical&control=container-scan', DANA).expect(200);
      expect(critical.body).toEqual({
        entityRef: 'component:default/payments-api',
        riskRating: 'critical',
        control: 'container-scan',
        restricted: true,
        owners: [
          { ref: 'group:default/security-compliance', displayName: 'security-compliance', kind: 'group' },
          { ref: 'user:default/rita', displayName: 'rita', kind: 'user', memberOf: 'group:default/security-compliance' },
          { ref: 'user:default/sam', displayName: 'sam', kind: 'user', memberOf: 'group:default/security-compliance' },
        ],
        defaultOwner: 'group:default/security-compliance',
        excluded: ['group:default/team-payments', 'user:default/dana'],
        expiry: { maxDurationDays: 90, latest: expect.any(String) },
      });
      // The latest expiry a request may ask for: now + the configured maximum (90 days).
      const latest = Date.parse(critical.body.expiry.latest);
      expect(Math.abs(latest - (Date.now() + 90 * 86_400_000))).toBeLessThan(120_000);

      const low = await get('/exceptions/risk-owners?entity=payments-api&riskRating=low', DANA).expect(200);
      expect(low.body.owners.map((o: any) => o.ref)).toEqual([
        'group:default/platform-team',
        'user:default/pat',
        'group:default/team-storefront',
        'user:default/stella',
      ]);
      expect(low.body.defaultOwner).toBe('group:default/platform-team');

      // For the storefront's own request, its team is excluded and team-payments is offered.
      const storefront = await get('/exceptions/risk-owners?entity=product-catalog-service&riskRating=low', STELLA).expect(200);
      expect(storefront.body.owners.map((o: any) => o.ref)).toEqual([
        'group:default/platform-team',
        'user:default/pat',
        'group:default/team-payments',
        'user:default/dana',
        'user:default/paula',
      ]);

      const bad = await get('/exceptions/risk-owners?entity=payments-api&riskRating=critical&control=nope', DANA).expect(400);
      expect(bad.body.error.message).toContain("Unknown control 'nope'");
      await get('/exceptions/risk-owners?entity=payments-api&riskRating=severe', DANA).expect(400);
      await get('/exceptions/risk-owners?entity=nothing-here&riskRating=low', DANA).expect(404);
      await get('/exceptions/risk-owners?entity=payments-api&riskRating=low', ciHeader()).expect(400);
    });
  });
});

describe('risk-owner configuration', () => {
  it('allows the owning team only when configured, and lists any catalog owner when a rating has no list', async () => {
    const backend = await startDevsecopsBackend(databases, 'SQLITE_3', {
      extraEntities: organisationEntities,
      config: {
        devsecops: {
          exceptions: { riskOwners: { low: ['group:default/team-payments'], allowOwningTeam: true } },
        },
      },
      features: [mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })],
    });
    try {
      const body = {
        entityRef: 'payments-api',
        scope: { control: 'container-scan' },
        riskStatement: 'Accepted while the fix ships',
        riskRating: 'low',
        riskOwner: 'group:default/team-payments',
        expiresAt: inDays(10),
      };
      // Stella asks for payments-api (the policy lets her): the owning team is allowed by configuration.
      await request(backend.server).post('/api/devsecops/v1/exceptions').set('Authorization', STELLA).send(body).expect(201);
      // Dana belongs to the owning team, which is also her own team: still refused.
      const own = await request(backend.server).post('/api/devsecops/v1/exceptions').set('Authorization', DANA).send(body).expect(400);
      expect(own.body.error.message).toContain('group:default/team-payments is not eligible');
      // No list for medium: any catalog user or group but the excluded ones.
      const open = await request(backend.server)
        .get('/api/devsecops/v1/exceptions/risk-owners?entity=payments-api&riskRating=medium')
        .set('Authorization', DANA)
        .expect(200);
      expect(open.body).toMatchObject({ restricted: false, owners: [], excluded: ['group:default/team-payments', 'user:default/dana'] });
      expect(open.body.defaultOwner).toBeUndefined();
      await request(backend.server)
        .post('/api/devsecops/v1/exceptions')
        .set('Authorization', DANA)
        .send({ ...body, riskRating: 'medium', riskOwner: 'group:default/platform-team' })
        .expect(201);
    } finally {
      await backend.stop();
    }
  });

  it('stops the backend on a bad ref or an unknown control, naming the key', async () => {
    await expect(
      startDevsecopsBackend(databases, 'SQLITE_3', {
        config: { devsecops: { exceptions: { riskOwners: { controls: { 'no-such-control': { low: ['group:default/a'] } } } } } },
      }),
    ).rejects.toThrow(/devsecops.exceptions.riskOwners.controls.no-such-control is not a control/);
    await expect(
      startDevsecopsBackend(databases, 'SQLITE_3', {
        config: { devsecops: { exceptions: { riskOwners: { high: ['component:default/payments-api'] } } } },
      }),
    ).rejects.toThrow(/devsecops.exceptions.riskOwners.high\[0\] 'component:default\/payments-api' is not a user or group ref/);
  });
});
