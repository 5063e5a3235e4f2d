import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create();
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const DANA = as('dana'); // team-payments, owns payments-api
const OTTO = as('otto'); // team-checkout
const RITA = as('rita'); // security-compliance
const PAT = as('pat'); // platform-team

const DAY = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

const review = (over: object = {}) => ({
  kind: 'control-failure-review',
  scopeRef: 'component:default/payments-api',
  date: day(1),
  attendees: ['dana', 'user:default/rita'],
  notesUrl: 'https://wiki.example.com/security/reviews/payments',
  failures: ['secret-scanning failing for 3 days', 'container-scan: CVE-2026-7777'],
  ...over,
});
const templateFeedback = (over: object = {}) => ({
  kind: 'template-feedback',
  scopeRef: 'group:default/team-payments',
  date: day(2),
  template: 'template:default/go-service',
  findings: ['CVE-2026-7777', 'CKV_DOCKER_2'],
  changeUrl: 'https://github.com/acme/templates/pull/42',
  ...over,
});

describe.each(databases.eachSupportedId())('named human attestations on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: { permission: { enabled: true } },
      features: realPermissions(),
    });
    // A report, so payments-api has a stored scorecard (and a summary naming its owner).
    await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api&format=trivy')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ SchemaVersion: 2, ArtifactName: 'payments-api', ArtifactType: 'container_image', Results: [] }))
      .expect(201);
  });
  afterEach(() => backend?.stop());

  const post = (who: string, body: object) =>
    request(backend.server).post('/api/devsecops/v1/human-attestations').set('Authorization', who).send(body);
  const criterion = async (id: string) => {
    const card = (await request(backend.server).get('/api/devsecops/v1/scorecards?entity=payments-api').set('Authorization', DANA).expect(200)).body;
    return card.maturity.stages.flatMap((s: any) => s.criteria).find((c: any) => c.id === id);
  };

  it('a control-failure review recorded by the owning team meets failure-review, naming the person and the day', async () => {
    expect(await criterion('failure-review')).toMatchObject({ met: false });
    const recorded = await post(DANA, review()).expect(201);
    expect(recorded.body).toMatchObject({
      kind: 'control-failure-review',
      scopeRef: 'component:default/payments-api',
      date: day(1),
      recordedBy: 'user:default/dana',
      details: { attendees: ['user:default/dana', 'user:default/rita'], failuresReviewed: 2 },
    });
    // The kind's validity (90 days) from the day it was held.
    expect(recorded.body.expiresAt).toBe(new Date(Date.parse(`${day(1)}T00:00:00Z`) + 90 * DAY).toISOString());
    const met = await criterion('failure-review');
    expect(met.met).toBe(true);
    expect(met.reason).toMatch(new RegExp(`^Control-failure review held on ${day(1)}, recorded by user:default/dana \\(attendees user:default/dana, user:default/rita; 2 failures reviewed`));

    // Listed for the entity, and in the evidence log.
    const list = (await request(backend.server).get('/api/devsecops/v1/human-attestations?entity=payments-api').set('Authorization', DANA).expect(200)).body;
    expect(list.items.map((a: any) => a.id)).toEqual([recorded.body.id]);
    const log = (await request(backend.server).get('/api/devsecops/v1/evidence/log?entity=payments-api').set('Authorization', DANA).expect(200)).body;
    expect(JSON.stringify(log)).toContain('human-attestation.recorded');
    // Security/compliance may record one too (the responsibility model's reviewer).
    await post(RITA, review()).expect(201);
  });

  it("refuses another team's developer, the platform team and a service token (403)", async () => {
    const refused = await post(OTTO, review()).expect(403);
    expect(refused.body.error.message).toContain('devsecops.attestation.control-failure-review.record on component:default/payments-api');
    await post(PAT, review()).expect(403);
    await post(ciHeader(), review()).expect(403);
    expect(await criterion('failure-review')).toMatchObject({ met: false });
  });

  it('an expired review does not count; the input is checked per kind', async () => {
    // Held 100 days ago: its 90 days ran out, so it is recorded but does not count.
    const old = await post(DANA, review({ date: day(100) })).expect(201);
    expect(Date.parse(old.body.expiresAt)).toBeLessThan(Date.now());
    const unmet = await criterion('failure-review');
    expect(unmet.met).toBe(false);
    expect(unmet.reason).toContain('No control-failure review recorded by a person (or the last one expired)');
    // An expiry sooner than the validity is kept; one beyond it is refused.
    const short = await post(DANA, review({ expiresAt: new Date(Date.now() + 2 * DAY).toISOString() })).expect(201);
    expect(short.body.expiresAt).toBe(new Date(Date.parse(short.body.expiresAt)).toISOString());
    const tooLong = await post(DANA, review({ expiresAt: new Date(Date.now() + 200 * DAY).toISOString() })).expect(400);
    expect(tooLong.body.error.message).toMatch(/is more than 90 days away from the date/);
    expect((await post(DANA, review({ notesUrl: undefined })).expect(400)).body.error.message).toBe('Kind control-failure-review requires notesUrl');
    expect((await post(DANA, review({ template: 'x' })).expect(400)).body.error.message).toBe('template is not a field of kind control-failure-review');
    expect((await post(DANA, review({ notesUrl: 'ftp://wiki.example.com/notes' })).expect(400)).body.error.message).toContain('is not an http or https link');
    expect((await post(DANA, review({ attendees: ['group:default/team-payments'] })).expect(400)).body.error.message).toContain('is not a user ref');
    expect((await post(DANA, review({ date: day(-2) })).expect(400)).body.error.message).toContain('is in the future');
  });

  it('template feedback by the platform team meets feedback-into-templates for the entities the group owns', async () => {
    await post(DANA, templateFeedback()).expect(403);
    await post(RITA, templateFeedback()).expect(403);
    expect(await criterion('feedback-into-templates')).toMatchObject({ met: false });
    await post(PAT, templateFeedback()).expect(201);
    const met = await criterion('feedback-into-templates');
    expect(met.met).toBe(true);
    expect(met.reason).toBe(
      `Template feedback held on ${day(2)} for group:default/team-payments, recorded by user:default/pat (2 findings (CVE-2026-7777, CKV_DOCKER_2) fed into template:default/go-service; change https://github.com/acme/templates/pull/42), valid until ${new Date(Date.parse(`${day(2)}T00:00:00Z`) + 180 * DAY).toISOString().slice(0, 10)}`,
    );
    // Another team's service does not count it.
    const other = (await request(backend.server).get('/api/devsecops/v1/human-attestations?entity=checkout-web').set('Authorization', OTTO).expect(200)).body;
    expect(other.items).toEqual([]);

    // Audit packages carry the attestations made for the entity or its owner group.
    await post(DANA, review()).expect(201);
    const zip = await request(backend.server)
      .get('/api/devsecops/v1/audit-packages?entity=payments-api')
      .set('Authorization', DANA)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const files = unzipSync(new Uint8Array(zip.body));
    const rows = JSON.parse(strFromU8(files['data/humanAttestations.json']));
    expect(rows.map((r: any) => [r.kind, r.scope_ref, r.recorded_by])).toEqual([
      ['template-feedback', 'group:default/team-payments', 'user:default/pat'],
      ['control-failure-review', 'component:default/payments-api', 'user:default/dana'],
    ]);
  });
});
