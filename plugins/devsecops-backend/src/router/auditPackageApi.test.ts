import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { verifyAuditPackage } from '@devsecops-scorecard/plugin-devsecops-node';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = TestDatabases.create();
const DIGEST = `sha256:${'7'.repeat(64)}`;

const trivy = (id: string) =>
  JSON.stringify({
    SchemaVersion: 2,
    ArtifactName: 'registry.example.com/x:1',
    ArtifactType: 'container_image',
    Results: [{ Target: 'x', Class: 'os-pkgs', Type: 'alpine', Vulnerabilities: [{ VulnerabilityID: id, PkgName: 'openssl', InstalledVersion: '1', Severity: 'HIGH' }] }],
  });

describe.each(databases.eachSupportedId())('audit packages on %p', databaseId => {
  it('exports an entity package that verifies offline, and detects tampering', async () => {
    const backend = await startDevsecopsBackend(databases, databaseId);
    try {
      const upload = (entity: string, body: string) =>
        request(backend.server)
          .post(`/api/devsecops/v1/reports?entity=${entity}&artifact=${DIGEST}`)
          .set('Authorization', ciHeader())
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(201);
      await upload('payments-api', trivy('CVE-2026-1'));
      await upload('checkout-web', trivy('CVE-2026-2')); // another service: redacted in the package
      await request(backend.server)
        .post('/api/devsecops/v1/deployments')
        .set('Authorization', ciHeader())
        .send({ entityRef: 'payments-api', environment: 'production', artifactDigest: DIGEST, deployer: 'ci', approver: 'user:default/rita', changeRef: '=HYPERLINK("x")' })
        .expect(201);
      await request(backend.server)
        .post('/api/devsecops/v1/runtime-signals')
        .set('Authorization', ciHeader())
        .send({ entityRef: 'payments-api', kind: 'incident', severity: 'high', summary: 'Pods restarted by an OOM storm', detectedAt: new Date(Date.now() - 3_600_000).toISOString(), source: 'pagerduty' })
        .expect(201);

      const response = await request(backend.server)
        .get('/api/devsecops/v1/audit-packages?entity=payments-api')
        .set('Authorization', mockCredentials.user.header())
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => callback(null, Buffer.concat(chunks)));
        });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/zip');
      expect(response.headers['content-disposition']).toMatch(/attachment; filename="audit-component-default-payments-api-/);
      // The file name is readable by a frontend served from another origin.
      expect(response.headers['access-control-expose-headers']).toMatch(/\bContent-Disposition\b/);
      const zip = new Uint8Array(response.body);

      const result = verifyAuditPackage(zip);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.manifest!.scope).toEqual({ kind: 'entity', ref: 'component:default/payments-api', entities: ['component:default/payments-api'] });

      const files = unzipSync(zip);
      expect(Object.keys(files).sort()).toEqual([
        'README.txt', 'control-map.json',
        'csv/controlFacts.csv', 'csv/deployments.csv', 'csv/exceptions.csv', 'csv/findings.csv', 'csv/gateDecisions.csv', 'csv/humanAttestations.csv', 'csv/reports.csv', 'csv/runtimeSignals.csv',
        'data/controlFacts.json', 'data/deployments.json', 'data/exceptions.json', 'data/findings.json', 'data/gateDecisions.json', 'data/humanAttestations.json', 'data/reports.json', 'data/runtimeSignals.json',
        'evidence-log.json', 'manifest.json',
      ]);
      expect(JSON.parse(strFromU8(files['data/runtimeSignals.json']))).toEqual([
        expect.objectContaining({ entity_ref: 'component:default/payments-api', kind: 'incident', summary: 'Pods restarted by an OOM storm' }),
      ]);
      const reports = JSON.parse(strFromU8(files['data/reports.json']));
      expect(reports.map((r: any) => r.entity_ref)).toEqual(['component:default/payments-api']);
      expect(strFromU8(files['csv/findings.csv'])).toContain('CVE-2026-1');
      expect(strFromU8(files['csv/findings.csv'])).not.toContain('CVE-2026-2');
      // A formula in a field is neutralised for spreadsheets.
      expect(strFromU8(files['csv/deployments.csv'])).toContain(`"'=HYPERLINK(""x"")"`);
      const log = JSON.parse(strFromU8(files['evidence-log.json']));
      expect(log.map((r: any) => r.kind)).toEqual(['report.ingested', 'redacted', 'deployment.recorded', 'gate.decided', 'runtime-signal.recorded']);
      expect(JSON.stringify(log)).not.toContain('checkout-web');
      expect(JSON.parse(strFromU8(files['control-map.json']))['signed-artifact-verification']['NIST SSDF']).toContain('PS.2.1');

      // Tampering: change a finding in the data, keep the manifest.
      const tampered = { ...files, 'data/findings.json': strToU8('[]') };
      expect(verifyAuditPackage(zipSync(tampered)).problems).toEqual([
        'data/findings.json does not match its sha256 in the manifest',
      ]);
      // Or edit an evidence-log record and fix the manifest to match: the chain still catches it.
      const edited = JSON.parse(strFromU8(files['evidence-log.json']));
      edited[0].actor = 'someone-else';
      const editedLog = strToU8(JSON.stringify(edited));
      const manifest = JSON.parse(strFromU8(files['manifest.json']));
      manifest.files.find((f: any) => f.path === 'evidence-log.json').sha256 = createHash('sha256').update(editedLog).digest('hex');
      const rewritten = zipSync({ ...files, 'evidence-log.json': editedLog, 'manifest.json': strToU8(JSON.stringify(manifest)) });
      expect(verifyAuditPackage(rewritten).problems).toEqual([
        `evidence-log.json: record ${edited[0].seq} its content does not match its hash (edited after it was written)`,
      ]);

      const bad = await request(backend.server)
        .get('/api/devsecops/v1/audit-packages?entity=payments-api&group=team-payments')
        .set('Authorization', mockCredentials.user.header());
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('Export one scope: entity (or repository), group, or org=true');
      const range = await request(backend.server)
        .get('/api/devsecops/v1/audit-packages?org=true&from=2026-12-01&to=2026-11-01')
        .set('Authorization', mockCredentials.user.header());
      expect(range.status).toBe(400);
    } finally {
      await backend.stop();
    }
  });

  it('records the export as evidence for every entity it covers, which meets the evidence-export criterion', async () => {
    const backend = await startDevsecopsBackend(databases, databaseId);
    try {
      const criterion = async (entity: string) => {
        const card = (
          await request(backend.server)
            .get(`/api/devsecops/v1/scorecards?entity=${entity}`)
            .set('Authorization', mockCredentials.user.header())
            .expect(200)
        ).body;
        return card.maturity.stages
          .flatMap((s: any) => s.criteria)
          .find((c: any) => c.id === 'evidence-export');
      };
      expect((await criterion('payments-api')).met).toBe(false);
      expect((await criterion('payments-api')).reason).toContain('No audit package covering it was exported from the portal');

      const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const to = new Date(Date.now() - 60_000).toISOString();
      const exported = await request(backend.server)
        .get(`/api/devsecops/v1/audit-packages?${new URLSearchParams({ entity: 'payments-api', from, to })}`)
        .set('Authorization', mockCredentials.user.header())
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => callback(null, Buffer.concat(chunks)));
        });
      expect(exported.status).toBe(200);
      const manifest = strFromU8(unzipSync(new Uint8Array(exported.body))['manifest.json']);

      const met = await criterion('payments-api');
      expect(met.met).toBe(true);
      expect(met.reason).toContain(`exported by ${mockCredentials.user().principal.userEntityRef}`);
      expect(met.reason).toContain(`${from.slice(0, 10)} to ${to.slice(0, 10)}`);
      // Not covered, not met: the other service was outside the package's scope.
      expect((await criterion('checkout-web')).met).toBe(false);

      const log = (
        await request(backend.server)
          .get('/api/devsecops/v1/evidence/log?entity=payments-api')
          .set('Authorization', mockCredentials.user.header())
          .expect(200)
      ).body.records;
      const record = log.find((r: any) => r.kind === 'evidence.exported');
      expect(record).toMatchObject({
        entityRef: 'component:default/payments-api',
        actor: mockCredentials.user().principal.userEntityRef,
        subjectId: `audit-package:${createHash('sha256').update(manifest).digest('hex')}`,
        payload: { scope: 'entity component:default/payments-api', from, to },
      });
      const chain = await request(backend.server)
        .get('/api/devsecops/v1/evidence/verify')
        .set('Authorization', mockCredentials.user.header())
        .expect(200);
      expect(chain.body.ok).toBe(true);
    } finally {
      await backend.stop();
    }
  });
});
