import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  devsecopsEntityReadPermission,
  devsecopsExceptionReadPermission,
} from '@devsecops-scorecard/plugin-devsecops-common';
import {
  createDevsecopsEntityConditionalDecision,
  createDevsecopsExceptionConditionalDecision,
  devsecopsEntityConditions,
  devsecopsExceptionConditions,
} from '@devsecops-scorecard/plugin-devsecops-node';
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import {
  ciHeader,
  startDevsecopsBackend,
  testEntities,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

/** Who the user is and belongs to, as the catalog says (the policy's claims). */
function claimsOf(userRef: string): string[] {
  const user = testEntities.find(
    e => e.kind === 'User' && `user:default/${e.metadata.name}` === userRef,
  );
  return [
    userRef,
    ...((user?.spec?.memberOf as string[]) ?? []).map(
      g => `group:default/${g}`,
    ),
  ];
}

/**
 * The narrowing policy an adopter would write: the security group reads everything, others
 * read the evidence of entities their team owns (and exceptions they own or are risk owner of);
 * scorecards and roll-ups (devsecops.read) stay open to all.
 */
const narrowingPolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (permission: { name: string }, credentials: any) => {
      const ref: string | undefined = credentials.principal?.userEntityRef;
      const claims = ref ? claimsOf(ref) : [];
      if (!ref || claims.includes('group:default/security-compliance'))
        return { result: AuthorizeResult.ALLOW };
      if (permission.name === devsecopsEntityReadPermission.name) {
        return createDevsecopsEntityConditionalDecision(
          devsecopsEntityReadPermission,
          devsecopsEntityConditions.isEntityOwner({ claims }),
        );
      }
      if (permission.name === devsecopsExceptionReadPermission.name) {
        return createDevsecopsExceptionConditionalDecision(
          devsecopsExceptionReadPermission,
          {
            anyOf: [
              devsecopsExceptionConditions.isExceptionEntityOwner({ claims }),
              devsecopsExceptionConditions.isExceptionRiskOwner({ claims }),
            ],
          },
        );
      }
      return { result: AuthorizeResult.ALLOW };
    };
    return {
      authorize: async (requests: any[], { credentials }: any) =>
        requests.map(r => {
          const d = decide(r.permission, credentials);
          return {
            result:
              d.result === AuthorizeResult.ALLOW
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        }),
      authorizeConditional: async (requests: any[], { credentials }: any) =>
        requests.map(r => decide(r.permission, credentials)),
    } as any;
  },
});

const trivy = (image: string, ids: string[]) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: `registry.example.com/${image}:1`,
    ArtifactType: 'container_image',
    Metadata: {
      RepoDigests: [
        `registry.example.com/${image}@sha256:${
          image === 'payments' ? 'a'.repeat(64) : 'b'.repeat(64)
        }`,
      ],
    },
    Results: [
      {
        Target: image,
        Class: 'os-pkgs',
        Type: 'alpine',
        Vulnerabilities: ids.map(id => ({
          VulnerabilityID: id,
          PkgName: `pkg-${id}`,
          InstalledVersion: '1.0.0',
          FixedVersion: '1.0.1',
          Severity: 'HIGH',
        })),
      },
    ],
  });

const OTTO = mockCredentials.user.header('user:default/otto'); // team-checkout
const RITA = mockCredentials.user.header('user:default/rita'); // security-compliance

describe.each(databases.eachSupportedId())(
  'reads narrowed by devsecops.entity.read on %p',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
    let paymentsReport: string;
    let checkoutReport: string;
    beforeAll(async () => {
      backend = await startDevsecopsBackend(databases, databaseId, {
        features: [narrowingPolicy],
      });
      const upload = async (entity: string, image: string, ids: string[]) => {
        const res = await request(backend.server)
          .post(`/api/devsecops/v1/reports?entity=${entity}&format=trivy`)
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/json')
          .send(trivy(image, ids));
        expect(res.status).toBe(201);
        return res.body.report.id as string;
      };
      paymentsReport = await upload('payments-api', 'payments', [
        'CVE-2026-0001',
        'CVE-2026-0002',
        'CVE-2026-0003',
      ]);
      checkoutReport = await upload('checkout-web', 'checkout', [
        'CVE-2026-1001',
        'CVE-2026-1002',
      ]);
      // Both released, so both have an evidence chain.
      for (const [entityRef, digest] of [
        ['payments-api', 'a'],
        ['checkout-web', 'b'],
      ]) {
        const res = await request(backend.server)
          .post('/api/devsecops/v1/deployments')
          .set('Authorization', ciHeader())
          .send({
            entityRef,
            environment: 'staging',
            artifactDigest: `sha256:${digest.repeat(64)}`,
            deployer: 'ci',
          });
        if (res.status !== 201)
          throw new Error(
            `deployment of ${entityRef}: ${res.status} ${res.text}`,
          );
      }
    });
    afterAll(() => backend.stop());

    const get = (path: string, auth: string) =>
      request(backend.server)
        .get(`/api/devsecops${path}`)
        .set('Authorization', auth);

    it("hides another team's findings in lists, with whole pages and true totals", async () => {
      const all = await get('/v1/findings?limit=500', OTTO);
      expect(all.status).toBe(200);
      expect(new Set(all.body.items.map((f: any) => f.entityRef))).toEqual(
        new Set(['component:default/checkout-web']),
      );
      expect(all.body.totalCount).toBe(2);
      // Paged one by one: each page is full and none leaks payments-api.
      const first = await get('/v1/findings?limit=1&offset=0', OTTO);
      const second = await get('/v1/findings?limit=1&offset=1', OTTO);
      expect([
        first.body.items.length,
        second.body.items.length,
        first.body.totalCount,
      ]).toEqual([1, 1, 2]);
      // Asking for the other team's entity by name finds nothing.
      const named = await get('/v1/findings?entity=payments-api', OTTO);
      expect([named.status, named.body.items, named.body.totalCount]).toEqual([
        200,
        [],
        0,
      ]);
      // The security group reads every finding.
      expect((await get('/v1/findings?limit=500', RITA)).body.totalCount).toBe(
        5,
      );
    });

    it("hides another team's reports in lists and answers 404 for them and their bodies", async () => {
      const list = await get('/v1/reports', OTTO);
      expect(list.body.items.map((r: any) => r.id)).toEqual([checkoutReport]);
      expect((await get(`/v1/reports/${paymentsReport}`, OTTO)).status).toBe(
        404,
      );
      expect(
        (await get(`/v1/reports/${paymentsReport}/body`, OTTO)).status,
      ).toBe(404);
      expect((await get(`/v1/reports/${checkoutReport}`, OTTO)).status).toBe(
        200,
      );
      expect(
        (await get(`/v1/reports/${checkoutReport}/body`, OTTO)).status,
      ).toBe(200);
      expect((await get(`/v1/reports/${paymentsReport}`, RITA)).status).toBe(
        200,
      );
      expect(
        (await get(`/v1/artifacts/sha256:${'a'.repeat(64)}`, OTTO)).status,
      ).toBe(404);
      expect(
        (await get(`/v1/artifacts/sha256:${'b'.repeat(64)}`, OTTO)).status,
      ).toBe(200);
    });

    it("leaves another team's entity out of audit packages and refuses its own package with 404", async () => {
      expect(
        (await get('/v1/audit-packages?entity=payments-api', OTTO)).status,
      ).toBe(404);
      const zipOf = async (auth: string) => {
        const res = await get('/v1/audit-packages?org=true', auth)
          .buffer(true)
          .parse((r, callback) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => callback(null, Buffer.concat(chunks)));
          });
        expect(res.status).toBe(200);
        return unzipSync(new Uint8Array(res.body));
      };
      const ottos = await zipOf(OTTO);
      const findings = JSON.parse(strFromU8(ottos['data/findings.json']));
      expect(findings.length).toBe(2);
      const text = Object.values(ottos)
        .map(d => strFromU8(d))
        .join('\n');
      expect(text).not.toContain('payments-api');
      expect(text).toContain('checkout-web');
      const ritas = await zipOf(RITA);
      expect(JSON.parse(strFromU8(ritas['data/findings.json'])).length).toBe(5);
    });

    it("answers 404 for another team's evidence chain; roll-ups stay readable", async () => {
      expect(
        (
          await get(
            '/v1/evidence/chain?entity=payments-api&environment=staging',
            OTTO,
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await get(
            '/v1/evidence/chain?entity=checkout-web&environment=staging',
            OTTO,
          )
        ).status,
      ).toBe(200);
      expect((await get('/v1/rollups', OTTO)).status).toBe(200);
    });

    it("hides another team's deployments, gate decisions, runtime signals, facts and evidence-log records", async () => {
      const ci = (path: string, body: object) =>
        request(backend.server)
          .post(`/api/devsecops${path}`)
          .set('Authorization', ciHeader())
          .send(body);
      for (const entityRef of ['payments-api', 'checkout-web']) {
        expect(
          (
            await ci('/v1/gate/decisions', {
              entityRef,
              environment: 'production',
              artifactDigest: `sha256:${'c'.repeat(64)}`,
            })
          ).status,
        ).toBe(200);
        expect(
          (
            await ci('/v1/runtime-signals', {
              entityRef,
              kind: 'incident',
              severity: 'high',
              summary: 'narrowing',
              detectedAt: new Date(Date.now() - 60_000).toISOString(),
              source: 'test',
            })
          ).status,
        ).toBe(201);
        expect(
          (
            await ci('/v1/facts', {
              entityRef,
              facts: [
                { fact: 'pre_commit.enabled', value: true, source: 'test' },
              ],
            })
          ).status,
        ).toBe(201);
      }
      const entitiesIn = async (path: string, auth: string, key = 'items') => {
        const res = await get(path, auth);
        expect(res.status).toBe(200);
        return [...new Set(res.body[key].map((r: any) => r.entityRef))].sort();
      };
      for (const path of [
        '/v1/deployments',
        '/v1/gate/decisions',
        '/v1/runtime-signals',
      ]) {
        expect([path, await entitiesIn(path, OTTO)]).toEqual([
          path,
          ['component:default/checkout-web'],
        ]);
        expect([path, await entitiesIn(path, RITA)]).toEqual([
          path,
          ['component:default/checkout-web', 'component:default/payments-api'],
        ]);
      }
      expect(
        await entitiesIn('/v1/evidence/log?limit=1000', OTTO, 'records'),
      ).toEqual(['component:default/checkout-web']);
      expect(
        await entitiesIn(
          '/v1/evidence/log?entity=payments-api',
          OTTO,
          'records',
        ),
      ).toEqual([]);
      expect((await get('/v1/facts?entity=payments-api', OTTO)).status).toBe(
        404,
      );
      expect((await get('/v1/facts?entity=checkout-web', OTTO)).status).toBe(
        200,
      );
      expect((await get('/v1/facts?entity=payments-api', RITA)).status).toBe(
        200,
      );
    });

    it("hides another team's exceptions in lists and answers 404 for them; owners and risk owners read them", async () => {
      const DANA = mockCredentials.user.header('user:default/dana'); // team-payments
      const requested = await request(backend.server)
        .post('/api/devsecops/v1/exceptions')
        .set('Authorization', DANA)
        .send({
          entityRef: 'payments-api',
          scope: {
            control: 'container-scan',
            vulnerabilityId: 'CVE-2026-0001',
          },
          riskStatement: 'Not reachable from the internet',
          riskRating: 'medium',
          compensatingControls: 'WAF rule 9001',
          riskOwner: 'group:default/security-compliance',
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        });
      expect(requested.status).toBe(201);
      const id = requested.body.id;
      const listed = async (auth: string) => {
        const res = await get('/v1/exceptions?limit=100', auth);
        expect(res.status).toBe(200);
        return {
          ids: res.body.items.map((e: any) => e.id),
          total: res.body.totalCount,
        };
      };
      expect(await listed(OTTO)).toEqual({ ids: [], total: 0 });
      expect((await get(`/v1/exceptions/${id}`, OTTO)).status).toBe(404);
      expect(await listed(DANA)).toEqual({ ids: [id], total: 1 });
      expect((await get(`/v1/exceptions/${id}`, DANA)).status).toBe(200);
      expect((await get(`/v1/exceptions/${id}`, RITA)).status).toBe(200);
    });
  },
);
