import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { readFixture } from '../__testUtils__/fixtures';
import { realPermissions } from '../__testUtils__/ownershipPolicy';
import { ciHeader, organisationEntities, startDevsecopsBackend } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

/**
 * Issue 15: the two checklist items only people can vouch for, through the API with the real
 * permission framework and the example responsibility policy: "CI logs redact secrets" from a
 * `ci-log-redaction` check the platform team records, and "IaC changes are reviewed with
 * blast-radius context" from a `threat-model-review` in force — each met while fresh, not once
 * expired, and refused (403) to a team the scope is not theirs.
 */
const databases = TestDatabases.create();
const as = (name: string) => mockCredentials.user.header(`user:default/${name}`);
const DANA = as('dana'); // team-payments, owns payments-api
const OTTO = as('otto'); // team-checkout
const STELLA = as('stella'); // team-storefront
const PAT = as('pat'); // platform-team
const RITA = as('rita'); // security-compliance

const DAY = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

const redactionCheck = (over: object = {}) => ({
  kind: 'ci-log-redaction',
  scopeRef: 'group:default/acme',
  date: day(2),
  ciSystem: 'GitHub Actions',
  verification: 'secrets registered as repository secrets (masked); a canary secret echoed in a test job printed as ***; no step runs env or set -x',
  url: 'https://github.com/acme/payments-api/actions/runs/4242',
  ...over,
});
const threatModel = (over: object = {}) => ({
  kind: 'threat-model-review',
  scopeRef: 'component:default/payments-api',
  date: day(1),
  url: 'https://wiki.example.com/threat-models/payments-api',
  reviewer: 'user:default/rita',
  highRiskChangesFlagged: true,
  ...over,
});

describe.each(databases.eachSupportedId())('checklist items attested by people on %p', databaseId => {
  let backend: Awaited<ReturnType<typeof startDevsecopsBackend>>;
  beforeEach(async () => {
    backend = await startDevsecopsBackend(databases, databaseId, {
      extraEntities: organisationEntities,
      config: { permission: { enabled: true } },
      features: realPermissions(),
    });
  });
  afterEach(() => backend?.stop());

  const post = (who: string, body: object) =>
    request(backend.server).post('/api/devsecops/v1/human-attestations').set('Authorization', who).send(body);
  const checklistItem = async (id: string, entity = 'payments-api') => {
    const checklist = (await request(backend.server).get(`/api/devsecops/v1/checklist?entity=${entity}`).set('Authorization', DANA).expect(200)).body;
    return checklist.items.find((i: { id: string }) => i.id === id);
  };

  it("CI logs redact secrets: met from the platform team's check for the org, for every service under it", async () => {
    const before = await checklistItem('ci-log-redaction');
    expect(before).toMatchObject({ state: 'not_measured', howToMeasure: expect.stringContaining('kind ci-log-redaction') });

    const recorded = (await post(PAT, redactionCheck()).expect(201)).body;
    expect(recorded).toMatchObject({
      kind: 'ci-log-redaction',
      scopeRef: 'group:default/acme',
      recordedBy: 'user:default/pat',
      details: { ciSystem: 'GitHub Actions', url: 'https://github.com/acme/payments-api/actions/runs/4242' },
    });
    // The kind's validity: 180 days from the day it was held.
    expect(recorded.expiresAt).toBe(new Date(Date.parse(`${day(2)}T00:00:00Z`) + 180 * DAY).toISOString());
    for (const entity of ['payments-api', 'checkout-web']) {
      const item = await checklistItem('ci-log-redaction', entity);
      expect(item).toMatchObject({ state: 'met', source: 'attested', evidence: [`human-attestation:${recorded.id}`] });
      expect(item.reason).toMatch(new RegExp(`^CI log redaction check held on ${day(2)} for group:default/acme, recorded by user:default/pat \\(GitHub Actions: `));
    }

    // A check held 200 days ago ran out after its 180 days: recorded, but it measures nothing.
    const old = (await post(PAT, redactionCheck({ scopeRef: 'component:default/product-catalog-service', date: day(200) })).expect(201)).body;
    expect(Date.parse(old.expiresAt)).toBeLessThan(Date.now());
    expect(await checklistItem('ci-log-redaction', 'product-catalog-service')).toMatchObject({
      state: 'met', // acme's check above still covers it (team-storefront is under acme)
      evidence: [`human-attestation:${recorded.id}`],
    });
  });

  it('CI logs redact secrets: an expired check leaves the item not measured; the record stays in the evidence log', async () => {
    const old = (await post(PAT, redactionCheck({ scopeRef: 'component:default/payments-api', date: day(200) })).expect(201)).body;
    expect(old.expiresAt).toBe(new Date(Date.parse(`${day(200)}T00:00:00Z`) + 180 * DAY).toISOString());
    expect(await checklistItem('ci-log-redaction')).toMatchObject({ state: 'not_measured', evidence: [] });
    const log = (await request(backend.server).get('/api/devsecops/v1/evidence/log?entity=payments-api').set('Authorization', DANA).expect(200)).body;
    expect(JSON.stringify(log)).toContain(old.id);
    // A fresh one with a shorter expiry than the kind's: met until then.
    const fresh = (await post(PAT, redactionCheck({ scopeRef: 'component:default/payments-api', date: day(0), expiresAt: new Date(Date.now() + 30 * DAY).toISOString() })).expect(201)).body;
    expect(await checklistItem('ci-log-redaction')).toMatchObject({ state: 'met', evidence: [`human-attestation:${fresh.id}`] });
  });

  it("CI logs redact secrets: another team, security and a service token are refused (403); bad input is a 400 naming the field", async () => {
    // Dana owns payments-api, yet the check is the platform team's to make (it provides the runners).
    for (const who of [DANA, OTTO, STELLA, RITA]) {
      const refused = await post(who, redactionCheck({ scopeRef: 'component:default/payments-api' })).expect(403);
      expect(refused.body.error.message).toContain('devsecops.attestation.ci-log-redaction.record');
    }
    await post(ciHeader(), redactionCheck()).expect(403);
    expect((await checklistItem('ci-log-redaction')).state).toBe('not_measured');

    const missing = await post(PAT, redactionCheck({ verification: undefined })).expect(400);
    expect(missing.body.error.message).toBe('Kind ci-log-redaction requires verification');
    const blank = await post(PAT, redactionCheck({ ciSystem: '   ' })).expect(400);
    expect(blank.body.error.message).toBe('ciSystem must not be blank');
    const foreign = await post(PAT, redactionCheck({ reviewer: 'user:default/rita' })).expect(400);
    expect(foreign.body.error.message).toBe('reviewer is not a field of kind ci-log-redaction');
    const notALink = await post(PAT, redactionCheck({ url: 'ftp://ci.example.com/logs/42' })).expect(400);
    expect(notALink.body.error.message).toBe("url 'ftp://ci.example.com/logs/42' is not an http or https link");
    const tooLate = await post(PAT, redactionCheck({ expiresAt: new Date(Date.now() + 400 * DAY).toISOString() })).expect(400);
    expect(tooLate.body.error.message).toContain('more than 180 days away from the date');
  });

  it('IaC changes reviewed with blast-radius context: met with a fresh threat-model review by the owners, unmet once it expires; another team gets 403', async () => {
    // The scans and reviews a machine sees: a clean Checkov report, required reviews with status
    // checks and code owner review.
    await request(backend.server)
      .post('/api/devsecops/v1/reports?entity=payments-api&control=iac-lint')
      .set('Authorization', ciHeader())
      .set('Content-Type', 'application/json')
      .send(readFixture('iac/checkov-v1-no-findings.json').toString('utf8'))
      .expect(201);
    await request(backend.server)
      .post('/api/devsecops/v1/facts')
      .set('Authorization', ciHeader())
      .send({
        entityRef: 'payments-api',
        facts: [
          { fact: 'branch_protection.required_reviews', value: 1, source: 'github' },
          { fact: 'branch_protection.required_status_checks', value: 2, source: 'github' },
          { fact: 'code_review.owner_review', value: true, source: 'github' },
        ],
      })
      .expect(201);
    const scansOnly = await checklistItem('iac-review');
    expect(scansOnly).toMatchObject({
      state: 'unmet',
      reason: 'no threat-model review in force names the blast radius (none recorded, or the last one expired)',
      howToMeasure: expect.stringContaining('kind threat-model-review'),
    });

    // Another team (and the platform team) may not vouch for payments-api's threat model.
    for (const who of [OTTO, STELLA, PAT]) {
      const refused = await post(who, threatModel()).expect(403);
      expect(refused.body.error.message).toContain('devsecops.attestation.threat-model-review.record on component:default/payments-api');
    }
    expect((await checklistItem('iac-review')).state).toBe('unmet');

    // The owning team's threat model held 400 days ago: its 365 days ran out, so it counts for nothing.
    const expired = (await post(DANA, threatModel({ date: day(400) })).expect(201)).body;
    expect(Date.parse(expired.expiresAt)).toBeLessThan(Date.now());
    expect(await checklistItem('iac-review')).toMatchObject({ state: 'unmet', source: 'collected' });

    // Reviewed again yesterday: met, naming the review, the reviewer and the person who recorded it.
    const recorded = (await post(DANA, threatModel()).expect(201)).body;
    const met = await checklistItem('iac-review');
    expect(met).toMatchObject({ state: 'met', source: 'attested', evidence: ['control:iac-lint', 'control:code-review', `human-attestation:${recorded.id}`] });
    expect(met.reason).toContain(`blast radius from the threat-model review held on ${day(1)}, recorded by user:default/dana (reviewer user:default/rita; high-risk changes flagged`);
    // Not for checkout-web: the review was made for payments-api only.
    expect((await checklistItem('iac-review', 'checkout-web')).evidence).not.toContain(`human-attestation:${recorded.id}`);

    // Security/compliance reviews high-risk changes for any service: its newer review is the one named.
    const bySecurity = (await post(RITA, threatModel({ date: day(0) })).expect(201)).body;
    expect(await checklistItem('iac-review')).toMatchObject({ state: 'met', evidence: expect.arrayContaining([`human-attestation:${bySecurity.id}`]) });
  });
});
