import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { ciHeader, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(300_000);

const databases = TestDatabases.create();
const RITA = mockCredentials.user.header('user:default/rita'); // security-compliance reads everything

// Real scans of one image (DefectDojo 1.13.1, debian 10): Trivy and Grype both report CVE-2021-3326
// in libc6 and libc-bin 2.28-10 (Trivy without purls, Grype with); Grype also reports five
// criticals (jira 2.0.0, pysaml2 6.5.1) that deny the release gate.
const DIGEST = 'sha256:91bc0f1478c6d26e04da5c2a59ac20262ec2661942418e2a3e7c77245d872658';
const trivy = readFixture('trivy/dd-legacy-list-format-93vulns.json').toString('utf8');
const grype = readFixture('grype/large/dd-grype-0.7-legacy-327-matches.json').toString('utf8');
const GRYPE_CRITICALS = ['CVE-2012-2926', 'CVE-2016-10127', 'CVE-2019-16541', 'CVE-2019-20409', 'CVE-2020-14172'];

/** The VEX fixture with its timestamps moved to `daysAgo` days before now. */
function vexDocument(file: string, daysAgo: number): string {
  const doc = JSON.parse(readFixture(`openvex/${file}`).toString('utf8'));
  const at = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  doc.timestamp = at;
  for (const statement of doc.statements) if (statement.timestamp) statement.timestamp = at;
  return JSON.stringify(doc);
}

describe.each(databases.eachSupportedId())('VEX across tools (%p)', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      config: {
        devsecops: {
          ciIdentities: { static: [{ subject: 'external:checkout-ci', entities: ['component:default/checkout-web'] }] },
        },
      },
    });
  });
  afterEach(() => backend.stop());

  const upload = (entity: string, body: string, query = '', who = ciHeader()) =>
    request(backend.server)
      .post(`/api/devsecops/v1/reports?entity=${entity}${query}`)
      .set('Authorization', who)
      .set('Content-Type', 'application/json')
      .send(body);
  const findings = async (query: string) =>
    (await request(backend.server).get(`/api/devsecops/v1/findings?entity=payments-api&limit=200&${query}`).set('Authorization', RITA).expect(200))
      .body.items as any[];
  const criticalVulns = async () => {
    const gate = await request(backend.server)
      .post('/api/devsecops/v1/gate/decisions')
      .set('Authorization', ciHeader())
      .send({ entityRef: 'payments-api', artifactDigest: DIGEST, environment: 'production', claimedOwner: 'team-payments' });
    expect(gate.status).toBe(200);
    return gate.body.requirements.find((r: any) => r.requirement === 'container_critical_vulns');
  };
  const containerControl = async () =>
    (await request(backend.server).get('/api/devsecops/v1/scorecards?entity=payments-api').set('Authorization', RITA).expect(200)).body.controls.find(
      (c: any) => c.controlId === 'container-scan',
    );
  const scanBothTools = async () => {
    const trivyScan = await upload('payments-api', trivy, `&artifact=${DIGEST}`);
    expect([trivyScan.status, trivyScan.body.error?.message]).toEqual([201, undefined]);
    const grypeScan = await upload('payments-api', grype);
    expect(grypeScan.status).toBe(201);
    expect(grypeScan.body.report.artifactDigest).toBe(DIGEST);
  };

  it('a standalone OpenVEX not_affected suppresses the CVE as Trivy and Grype report it, and the gate follows', async () => {
    await scanBothTools();
    const before = await findings('vulnerabilityId=CVE-2021-3326');
    // Grype's are container-scan findings of the image; Trivy's legacy list feeds dependency-scan
    // (not artifact-scoped), from a report of the same image.
    expect(before.map(f => [f.tool, f.control, f.package.name, f.artifactDigest]).sort()).toEqual([
      ['Grype', 'container-scan', 'libc-bin', DIGEST],
      ['Grype', 'container-scan', 'libc6', DIGEST],
      ['Trivy', 'dependency-scan', 'libc-bin', undefined],
      ['Trivy', 'dependency-scan', 'libc6', undefined],
    ]);
    expect(before.every(f => f.vex === undefined)).toBe(true);
    const denied = await criticalVulns();
    expect(denied.passed).toBe(false);
    for (const cve of GRYPE_CRITICALS) expect(denied.reason).toContain(cve);
    expect((await containerControl()).state).toBe('failing');

    const vex = await upload('payments-api', vexDocument('defectdojo-django-1.13.1.openvex.json', 1));
    expect([vex.status, vex.body.error?.message]).toEqual([201, undefined]);
    expect(vex.body.report).toMatchObject({ format: 'openvex', tool: 'vexctl', controls: ['vex'], summary: { total: 0 } });
    expect(vex.body.findings).toEqual({ new: 0, updated: 0, resolved: 0 });

    // Both tools' findings of the CVE show why and since when they are suppressed.
    const after = await findings('vulnerabilityId=CVE-2021-3326');
    expect(after).toHaveLength(4);
    for (const finding of after) {
      expect(finding.vex).toEqual({
        status: 'not_affected',
        suppresses: true,
        justification: 'vulnerable_code_not_in_execute_path',
        impactStatement: expect.stringContaining('ISO-2022-JP-3'),
        statedAt: expect.any(String),
        recordedAt: vex.body.report.receivedAt,
        expiresAt: expect.any(String),
        documentId: 'https://acme.example/vex/defectdojo-django-1.13.1-2026-12-01',
        author: 'ACME Product Security <psirt@acme.example>',
        reportId: vex.body.report.id,
      });
      // In force for devsecops.vex.maxAgeDays (90) from when it was stated.
      expect(Date.parse(finding.vex.expiresAt) - Date.parse(finding.vex.statedAt)).toBe(90 * 86_400_000);
    }
    // A CVE the document does not name is untouched.
    expect((await findings('vulnerabilityId=CVE-2019-25013')).every(f => f.vex === undefined)).toBe(true);

    // The gate and the scorecard no longer count the suppressed criticals.
    const allowed = await criticalVulns();
    expect(allowed).toMatchObject({ passed: true });
    expect((await containerControl()).state).toBe('passing');

    // The document is kept as evidence: its body is served back.
    const body = await request(backend.server).get(`/api/devsecops/v1/reports/${vex.body.report.id}/body`).set('Authorization', RITA);
    expect(body.status).toBe(200);

    // A later re-assessment says affected: the newest statement wins, the critical counts again.
    const affected = await upload('payments-api', vexDocument('defectdojo-django-1.13.1-affected.openvex.json', 0));
    expect(affected.status).toBe(201);
    const [jira] = (await findings('vulnerabilityId=CVE-2019-16541')).filter(f => f.tool === 'Grype');
    expect(jira.vex).toMatchObject({ status: 'affected', suppresses: false, reportId: affected.body.report.id });
    expect(jira.vex.actionStatement).toContain('upgrade jira');
    const deniedAgain = await criticalVulns();
    expect(deniedAgain.passed).toBe(false);
    expect(deniedAgain.reason).toContain('1 critical vulnerability without an approved exception: CVE-2019-16541');
  });

  it('a standalone CycloneDX VEX applies to the other tools the same way; in_triage does not suppress', async () => {
    await scanBothTools();
    const doc = JSON.parse(readFixture('openvex/cyclonedx-vex-defectdojo-django-1.13.1.json').toString('utf8'));
    const at = new Date(Date.now() - 86_400_000).toISOString();
    doc.metadata.timestamp = at;
    for (const vuln of doc.vulnerabilities) vuln.analysis.lastUpdated = at;
    // The document names no image digest: the upload's artifact parameter scopes it.
    const vex = await upload('payments-api', JSON.stringify(doc), `&artifact=${DIGEST}`);
    expect([vex.status, vex.body.error?.message]).toEqual([201, undefined]);
    expect(vex.body.report.format).toBe('cyclonedx');

    const [pysaml2] = (await findings('vulnerabilityId=CVE-2016-10127')).filter(f => f.tool === 'Grype');
    expect(pysaml2.vex).toMatchObject({
      status: 'not_affected',
      suppresses: true,
      justification: 'code_not_present',
      impactStatement: expect.stringContaining('4.4.0'),
      author: 'ACME Product Security',
      documentId: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      reportId: vex.body.report.id,
    });
    const [jira] = (await findings('vulnerabilityId=CVE-2019-20409')).filter(f => f.tool === 'Grype');
    expect(jira.vex).toMatchObject({ status: 'under_investigation', suppresses: false });
    const gate = await criticalVulns();
    expect(gate.passed).toBe(false);
    expect(gate.reason).toContain('CVE-2019-20409');
    expect(gate.reason).not.toContain('CVE-2016-10127');
  });

  it('an expired not_affected statement stops suppressing', async () => {
    await scanBothTools();
    const old = await upload('payments-api', vexDocument('defectdojo-django-1.13.1.openvex.json', 120));
    expect(old.status).toBe(201);
    const glibc = await findings('vulnerabilityId=CVE-2021-3326');
    expect(glibc).toHaveLength(4);
    for (const finding of glibc) {
      expect(finding.vex).toMatchObject({ status: 'not_affected', suppresses: false });
      expect(Date.parse(finding.vex.expiresAt)).toBeLessThan(Date.now());
    }
    expect((await criticalVulns()).passed).toBe(false);
  });

  it("another team's CI token cannot post VEX for a service it does not own (403)", async () => {
    await scanBothTools();
    const checkoutCi = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('external:checkout-ci'),
      targetPluginId: 'devsecops',
    });
    const refused = await upload('payments-api', vexDocument('defectdojo-django-1.13.1.openvex.json', 1), '', checkoutCi);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('external:checkout-ci');
    expect(Number((await backend.knex('devsecops_vex_statements').count({ n: '*' }))[0].n)).toBe(0);
    expect((await criticalVulns()).passed).toBe(false);
    // The same token writes for its own service.
    expect((await upload('checkout-web', vexDocument('defectdojo-django-1.13.1.openvex.json', 1), '', checkoutCi)).status).toBe(201);
    // …and a statement made for checkout-web does not touch payments-api's findings.
    expect((await findings('vulnerabilityId=CVE-2021-3326')).every(f => f.vex === undefined)).toBe(true);
  });

  it('refuses a malformed VEX with a 400 naming the problem', async () => {
    const doc = JSON.parse(vexDocument('defectdojo-django-1.13.1.openvex.json', 1));
    delete doc.statements[0].justification;
    delete doc.statements[0].impact_statement;
    const res = await upload('payments-api', JSON.stringify(doc));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'OpenVEX: $.statements[0] is not_affected without a justification or an impact_statement (the OpenVEX spec requires one)',
    );
  });
});
